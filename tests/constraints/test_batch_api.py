"""check_many (strict, loose and both) must give exactly the per-id verdicts of check / check_loose.

Cases: generated responses (bullets, sections, JSON, foreign text, blank ones)
with 1-6 ids each drawn from every registered family, params bound by each
constraint's own samplers; the same (id, params) twice in one batch; errors.
"""

from __future__ import annotations

import random

import pytest

from pipeline.constraints import MissingParameterError, UnknownConstraintError
from pipeline.constraints.core import registry
from tests.oracles import responses as gen

HARD = sorted(c.id for c in registry.all_constraints().values() if not c.soft)


def _batch(rng: random.Random) -> tuple[str, list[tuple[str, dict]]]:
    resp = rng.choice([gen.response(rng), gen.response(rng), "", "   \n ", "*\n**\n*", gen.prose(rng, "fr")])
    ctx = {
        "task_text": "Write a short story about a lighthouse keeper.",
        "expected_length": 80,
        "topic_words": ["river", "garden", "market"],
    }
    pairs = []
    for cid in rng.sample(HARD, rng.randint(1, 6)):
        pairs.append((cid, registry.get(cid).bind(rng, ctx)))
    if rng.random() < 0.3:
        pairs.append(pairs[0])
    return resp, pairs


@pytest.mark.parametrize("seed", range(4))
def test_batch_verdicts_equal_per_id_verdicts(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(30):
        resp, pairs = _batch(rng)
        strict = [registry.check(i, resp, p) for i, p in pairs]
        loose = [registry.check_loose(i, resp, p) for i, p in pairs]
        assert registry.check_many(resp, pairs) == strict, (resp, pairs)
        assert registry.check_many(resp, pairs, loose=True) == loose, (resp, pairs)
        assert registry.check_many(resp, pairs, mode="both") == list(zip(strict, loose)), (resp, pairs)


def test_loose_can_pass_where_strict_fails() -> None:
    resp = "Sure, here it is:\nthe whole answer is lowercase."
    assert registry.check_many(resp, [("change_case:english_lowercase", {})], mode="both") == [(False, True)]


def test_empty_batch_and_blank_response() -> None:
    assert registry.check_many("anything", []) == []
    assert registry.check_many("", [("punctuation:no_comma", {})], mode="both") == [(False, False)]


def test_errors_are_raised_like_check() -> None:
    with pytest.raises(UnknownConstraintError):
        registry.check_many("text", [("no:such_id", {})])
    with pytest.raises(MissingParameterError):
        registry.check_many("text", [("keywords:frequency", {"keyword": "a"})], mode="both")
