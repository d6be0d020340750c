"""Three IFEvalG ids reuse IFEval checker logic; cross-check them with the packaged
IFEval reference (if-verifiable, via tests.oracles), a second, third-party oracle:

- letters:letter_counting2 is IFEvalG's LetterFrequencyChecker = IFEval keywords:letter_frequency
- keywords:word_count_different_numbers checks exactly like IFEval keywords:frequency
- paragraphs:paragraphs counts like IFEval length_constraints:number_paragraphs with 2
"""

from __future__ import annotations

import random

import pytest

from pipeline.constraints import check, check_loose

oracles = pytest.importorskip("tests.oracles")
pytest.importorskip("if_verifiable")

PAIRS = [
    ("letters:letter_counting2", "keywords:letter_frequency", lambda p: p),
    ("keywords:word_count_different_numbers", "keywords:frequency", lambda p: p),
    ("paragraphs:paragraphs", "length_constraints:number_paragraphs", lambda p: {"num_paragraphs": 2}),
]
WORDS = ["tea", "Tea", "TEA", "teapot", "steam", "cat", "the", "river", "a", "e", "eee", "***"]
SEPS = [" ", " ", "\n", "\n***\n", " *** ", "***", "\n\n"]


def _response(rng: random.Random) -> str:
    out = rng.choice(WORDS)
    for _ in range(rng.randint(0, 10)):
        out += rng.choice(SEPS) + rng.choice(WORDS)
    return out


def _params(cid: str, rng: random.Random) -> dict:
    relation = rng.choice(["less than", "at least"])
    if cid == "letters:letter_counting2":
        return {"letter": rng.choice("ate"), "let_frequency": rng.randint(1, 6), "let_relation": relation}
    if cid == "keywords:word_count_different_numbers":
        return {"keyword": "tea", "frequency": rng.randint(1, 4), "relation": relation}
    return {}


@pytest.mark.parametrize("cid,ref_id,to_ref", PAIRS)
def test_agrees_with_packaged_ifeval_reference(cid, ref_id, to_ref):
    rng = random.Random(cid)
    seen = set()
    for _ in range(120):
        params, response = _params(cid, rng), _response(rng)
        for loose in (False, True):
            ours = (check_loose if loose else check)(cid, response, params)
            ref = oracles.reference_check("ifeval", ref_id, response, to_ref(params), loose=loose)
            assert ours == ref, (cid, loose, response, params)
            seen.add(ours)
    assert seen == {True, False}
