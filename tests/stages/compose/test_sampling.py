"""compose never emits a conflict and always terminates, for random metadata and seeds."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.constraints.conflicts import find_conflicts
from pipeline.stages.compose.sampling import candidate_pool, draw_constraints, target_count, topic_words

FORMATS = ["prose", "list", "code", "json", "email", "poem", "table", "dialogue", "short"]
LANGS = ["en", "es", "fr", "de", "ja", "zh", "hi"]

meta_st = st.fixed_dictionaries(
    {
        "output_format": st.sampled_from(FORMATS),
        "language": st.sampled_from(LANGS),
        "expected_length": st.integers(5, 3000),
        "task_type": st.sampled_from(["email", "code", "poem", "essay", "list"]),
    }
)


@settings(max_examples=150, deadline=None)
@given(
    meta=meta_st,
    seed=st.integers(0, 2**32 - 1),
    lo=st.integers(1, 4),
    extra=st.integers(0, 4),
    families=st.sampled_from([["ifeval"], ["ifeval", "ifevalg", "ifgen"], ["ifgen"], ["ifbench"]]),
    eval_only=st.booleans(),
)
def test_draw_never_conflicts_and_terminates(meta, seed, lo, extra, families, eval_only):
    rng = random.Random(seed)
    pool = candidate_pool(meta, families, eval_only)
    n = target_count(rng, lo, lo + extra, None, None)
    ctx = {
        **meta,
        "topic_words": topic_words("Write a friendly note about the river garden festival"),
        "task_text": "Write a friendly note about the river garden festival.",
    }
    res = draw_constraints(rng, pool, n, ctx, max_resamples=30)
    assert len(res.constraints) <= n
    assert not find_conflicts([(c.id, p) for c, p in res.constraints])
    assert len({c.id for c, _ in res.constraints}) == len(res.constraints)
    if pool and not eval_only and "ifbench" in families:
        assert not res.constraints  # eval_only ids stay out unless asked for


def test_level_counts():
    rng = random.Random(0)
    assert {target_count(rng, 1, 6, None, "L1") for _ in range(20)} == {1}
    assert {target_count(rng, 1, 6, None, "L4") for _ in range(50)} <= {5, 6}
