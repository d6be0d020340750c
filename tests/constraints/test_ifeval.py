"""Hand-written passing and failing responses for each of the 25 IFEval ids.

Each case is also run through the reference, so a wrong expectation here is
caught as well as a wrong checker.
"""

from __future__ import annotations

import pytest

from pipeline.constraints import check, check_loose, get, registry
from tests.oracles import reference_check

LONG_EN = "The river flows past the old mill and the children play near the water every summer afternoon."

# id -> (kwargs, [strict passes], [strict fails])
CASES: dict[str, tuple[dict, list[str], list[str]]] = {
    "keywords:existence": (
        {"keywords": ["river", "Bridge"]},
        ["A BRIDGE over the river.", "riverbank and bridges"],
        ["Only a river here.", "nothing"],
    ),
    "keywords:frequency": (
        {"keyword": "cat", "frequency": 2, "relation": "at least"},
        ["cat and Cat", "a category of cats"],
        ["one cat only", "dogs"],
    ),
    "keywords:forbidden_words": (
        {"forbidden_words": ["cat", "dog"]},
        ["A category of hotdogs.", "birds only"],
        ["My Cat sleeps.", "the dog."],
    ),
    "keywords:letter_frequency": (
        {"letter": "z", "let_frequency": 2, "let_relation": "less than"},
        ["one z here", "no such letter"],
        ["Zigzag", "zz"],
    ),
    "language:response_language": (
        {"language": "fr"},
        ["Le chat dort sur le canapé depuis ce matin et il ne veut pas bouger."],
        [LONG_EN],
    ),
    "length_constraints:number_sentences": (
        {"num_sentences": 3, "relation": "less than"},
        ["One. Two.", "Dr. Smith came home. He slept."],
        ["One. Two. Three.", "Hi! Yes? No."],
    ),
    "length_constraints:number_paragraphs": (
        {"num_paragraphs": 2},
        ["First part.\n***\nSecond part.", "***\nOne\n***\nTwo\n***"],
        ["One\n***\n***\nTwo", "Only one", "A\n***\nB\n***\nC"],
    ),
    "length_constraints:number_words": (
        {"num_words": 5, "relation": "at least"},
        ["one two three four five", "it's a well-known fact"],
        ["one two", "a-b"],
    ),
    "length_constraints:nth_paragraph_first_word": (
        {"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "however"},
        ["Intro text.\n\nHowever, this works.", 'Intro.\n\n"However." said she.'],
        ["Intro.\n\nBut not this.", "However only one paragraph.", "\n\nIntro.\n\nHowever, shifted."],
    ),
    "detectable_content:number_placeholders": (
        {"num_placeholders": 2},
        ["Dear [name], at [address].", "[a][b]"],
        ["Dear [name].", "none"],
    ),
    "detectable_content:postscript": (
        {"postscript_marker": "P.S."},
        ["Bye.\nP.S. See you.", "bye\np. s. later"],
        ["Bye. PS see you.", "P.P.S nope"],
    ),
    "detectable_format:number_bullet_lists": (
        {"num_bullets": 2},
        ["* one\n* two", "- a\n  - b\nText"],
        ["* one", "* a\n* b\n- c", "**a**\n**b**"],
    ),
    "detectable_format:constrained_response": (
        {},
        ["My answer is yes.", "Well... My answer is maybe. Sorry"],
        ["my answer is yes.", "My answer is yes"],
    ),
    "detectable_format:number_highlighted_sections": (
        {"num_highlights": 2},
        ["*one* and *two*", "**bold** and *it*"],
        ["*one* only", "* * and ** **"],
    ),
    "detectable_format:multiple_sections": (
        {"section_spliter": "Section", "num_sections": 2},
        ["Section 1\nA\nSection 2\nB", "Section1 a Section2 b"],
        ["Section 1\nA", "section 1 a section 2 b"],
    ),
    "detectable_format:json_format": (
        {},
        ['{"a": 1}', '```json\n{"a": [1, 2]}\n```', "  42  "],
        ["{'a': 1}", 'Here: {"a": 1}'],
    ),
    "detectable_format:title": ({}, ["<<My Title>>\nText", "x <<a>> y"], ["<< >>", "<<a\nb>>", "No title"]),
    "combination:two_responses": (
        {},
        ["First answer.\n******\nSecond answer.", "******\nA\n******\nB\n******"],
        ["Same\n******\nSame", "A\n******\n******\nB", "A ****** B ****** C"],
    ),
    "combination:repeat_prompt": (
        {"prompt_to_repeat": "Write a poem about rivers."},
        ["  write a POEM about rivers. Here it is...", "Write a poem about rivers."],
        ["Sure! Write a poem about rivers.", "Write a poem about lakes."],
    ),
    "startend:end_checker": (
        {"end_phrase": "Any other questions?"},
        ["That is all. Any other questions?", '"Done. any other questions?"\n'],
        ["Any other questions? Thanks.", "Any other questions"],
    ),
    "change_case:capital_word_frequency": (
        {"capital_frequency": 2, "capital_relation": "at least"},
        ["THIS is VERY important", "NASA and ESA"],
        ["Only ONE here", "none"],
    ),
    # all-caps text is often not detected as English (langdetect says "de" for
    # "THIS IS AN ENGLISH SENTENCE ABOUT RIVERS AND BRIDGES."): a reference quirk we keep
    "change_case:english_capital": (
        {},
        ["THE WEATHER IS VERY NICE TODAY AND WE ARE GOING TO THE PARK."],
        [
            "This is not all caps at all, sadly.",
            "DER HUND SCHLÄFT IM GARTEN UNTER DEM BAUM UND WIR FAHREN MORGEN NACH BERLIN.",
        ],
    ),
    "change_case:english_lowercase": (
        {},
        ["this is an english sentence about rivers and bridges."],
        ["This is English.", "le chat dort sur le canapé depuis ce matin et il reste là."],
    ),
    "punctuation:no_comma": ({}, ["No commas here.", "Full stop; semicolon."], ["One, two.", "a，b and c, d"]),
    "startend:quotation": ({}, ['"Wrapped."', '  "x"  \n'], ['"', 'Not "wrapped"', '"open only']),
}


def test_every_ifeval_id_has_hand_written_cases() -> None:
    ids = {c.id for c in registry.all_constraints().values() if c.family == "ifeval"}
    assert ids == set(CASES) and len(ids) == 25


@pytest.mark.parametrize("cid", sorted(CASES))
def test_hand_written_cases(cid: str) -> None:
    kwargs, passing, failing = CASES[cid]
    for resp in passing:
        assert check(cid, resp, kwargs), resp
        assert reference_check("ifeval", cid, resp, kwargs, loose=False), resp
    for resp in failing:
        assert not check(cid, resp, kwargs), resp
        assert not reference_check("ifeval", cid, resp, kwargs, loose=False), resp


@pytest.mark.parametrize("cid", sorted(CASES))
def test_blank_responses_fail_strict_and_loose(cid: str) -> None:
    kwargs = CASES[cid][0]
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
    for cid in CASES:
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
    import random

    rng = random.Random(3)
    for _ in range(20):
        params = c.bind(rng, {"expected_length": 30})
        inv_id, inv_params = c.inverse(params)
        resp = LONG_EN + " THE END OF IT ALL."
        assert check(cid, resp, params) != check(inv_id, resp, inv_params)
