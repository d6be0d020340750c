"""The worked examples of the 25 IFEval blocks, held against the reference as well as against our checkers.

tests/constraints/test_blocks.py runs every example through our checker; here each one is also run through the
IFEval reference (if-verifiable), so a wrong expectation is caught as well as a wrong checker.
"""

from __future__ import annotations

import random

import pytest

from pipeline.constraints import all_constraints, check, check_loose, get
from tests.oracles import reference_check

LONG_EN = "The river flows past the old mill and the children play near the water every summer afternoon."

IFEVAL = {cid: c for cid, c in all_constraints().items() if c.family == "ifeval"}
EXAMPLES = [(cid, i, e) for cid, c in IFEVAL.items() for i, e in enumerate(c.examples)]


def test_every_ifeval_id_has_passing_and_failing_examples() -> None:
    assert len(IFEVAL) == 25
    for cid, c in IFEVAL.items():
        assert {e.passes for e in c.examples} == {True, False}, cid


def _reference_is_random(cid: str, params: dict) -> bool:
    """The reference swaps a letter outside a-z for a random one (test_ifeval_known_differences pins it)."""
    letter = params.get("letter")
    return cid == "keywords:letter_frequency" and not ("a" <= str(letter).lower() <= "z" and len(str(letter)) == 1)


@pytest.mark.parametrize("cid,i,example", EXAMPLES, ids=[f"{cid}[{i}]" for cid, i, _ in EXAMPLES])
def test_example_agrees_with_reference(cid: str, i: int, example) -> None:
    params = dict(example.params)
    fn = check_loose if example.loose else check
    assert fn(cid, example.text, params) is example.passes, example.note or example.text
    if _reference_is_random(cid, params):
        return
    assert reference_check("ifeval", cid, example.text, params, loose=example.loose) is example.passes, example.text


@pytest.mark.parametrize("cid", sorted(IFEVAL))
def test_blank_responses_fail_strict_and_loose(cid: str) -> None:
    kwargs = dict(IFEVAL[cid].examples[0].params)
    for resp in ("", "   ", "\n\n"):
        assert not check(cid, resp, kwargs)
        assert not check_loose(cid, resp, kwargs)


def test_loose_forgives_a_preamble_line_and_markdown() -> None:
    resp = "Sure, here you go:\n<<T>>\nno commas at all\nLet me know!"
    assert not check("punctuation:no_comma", resp)
    assert check_loose("punctuation:no_comma", resp)
    assert check_loose("startend:quotation", 'Here:\n"quoted"')
    assert check_loose("detectable_format:constrained_response", "**My answer is yes.**")
    assert not check_loose("punctuation:no_comma", "a, b\nc, d\ne, f")


def test_metadata() -> None:
    for cid in IFEVAL:
        c = get(cid)
        assert c.family == "ifeval" and c.split == "train" and len(c.phrasings) >= 3
    assert "needs_prompt" in get("combination:repeat_prompt").tags
    inv = get("length_constraints:number_words").inverse
    assert inv({"num_words": 9, "relation": "at least"}) == (
        "length_constraints:number_words",
        {"num_words": 9, "relation": "less than"},
    )


@pytest.mark.parametrize(
    "cid",
    [
        "keywords:frequency",
        "length_constraints:number_words",
        "keywords:letter_frequency",
        "change_case:capital_word_frequency",
        "length_constraints:number_sentences",
    ],
)
def test_inverse_flips_the_verdict(cid: str) -> None:
    c = get(cid)
    rng = random.Random(3)
    for _ in range(20):
        params = c.bind(rng, {"expected_length": 30})
        inv_id, inv_params = c.inverse(params)
        resp = LONG_EN + " THE END OF IT ALL."
        assert check(cid, resp, params) != check(inv_id, resp, inv_params)
