"""The character-count bound (pipeline/dedupe/bounds.py) never rules out a pair rapidfuzz would accept."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from pipeline.dedupe.bounds import BUCKETS, may_reach_ratio, signatures

ALPHABET = "ab cé1-ß字\U0001f600z."


def _may_reach(a: str, b: str, threshold: float) -> bool:
    lens = np.array([len(a), len(b)], dtype=np.int64)
    return bool(may_reach_ratio(signatures([a, b]), lens, np.array([[0, 1]]), threshold)[0])


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=ALPHABET, max_size=40),
    st.text(alphabet=ALPHABET, max_size=40),
    st.sampled_from([0.3, 0.5, 0.8, 0.9, 0.95, 1.0]),
)
def test_the_bound_never_rules_out_a_pair_rapidfuzz_accepts(a, b, threshold):
    if fuzz.ratio(a, b, score_cutoff=threshold * 100) >= threshold * 100 - 1e-6:
        assert _may_reach(a, b, threshold)


def test_long_texts_past_the_count_cap_keep_the_bound():
    a = "a" * 600 + "b" * 10
    assert _may_reach(a, a[:-5], 0.99)
    assert not _may_reach(a, "c" * 610, 0.9)  # capped counts still differ by 520 > 122


def test_the_bound_rules_out_texts_made_of_other_characters():
    assert not _may_reach("aaaa bbbb cccc", "xxxx yyyy zzzz", 0.9)
    assert _may_reach("the river runs", "the river ran", 0.8)  # close texts are left to rapidfuzz


def test_signatures_count_every_character_across_chunks(monkeypatch):
    import pipeline.dedupe.bounds as bounds

    monkeypatch.setattr(bounds, "_CHUNK_CHARS", 7)  # many chunks, and texts longer than one
    rng = random.Random(3)
    texts = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 20))) for _ in range(50)]
    sig = signatures(texts)
    assert sig.shape == (50, BUCKETS)
    assert sig.sum(axis=1).tolist() == [len(t) for t in texts]
    assert (signatures(texts[3:4]) == sig[3:4]).all()
    assert signatures([]).shape == (0, BUCKETS)
