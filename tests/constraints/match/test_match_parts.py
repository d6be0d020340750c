"""The matcher's parts: numbers, bounds, keyword safety, refusal on ambiguity, and robustness to framing.

The perturbation tests take every mapped row of the labelled set and (a) re-frame it without changing its
meaning ("Please ...", "... in your response.", curly quotes, a list marker): the mapping must not change;
(b) narrow or condition it ("For the summary section, ...", "... in the title."): it must become None.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.constraints.match import RULES, lexicon, match
from pipeline.constraints.match.engine import Rule, _sources

ROWS = [
    json.loads(line) for line in (Path(__file__).parent / "labelled.jsonl").read_text().splitlines() if line.strip()
]
MAPPED = [r for r in ROWS if r["id"] is not None]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("7", 7),
        ("1,000", 1000),
        ("twelve", 12),
        ("twenty-five", 25),
        ("two hundred", 200),
        ("one hundred and fifty", 150),
        ("a dozen", 12),
        ("half a dozen", 6),
        ("a hundred", 100),
        ("three thousand two hundred", 3200),
        ("twice", 2),
        ("5 times", 5),
        ("a single time", 1),
        ("two three", None),
        ("twenty twenty", None),
        ("hundred", None),
        ("a", None),
        ("many", None),
    ],
)
def test_parse_number(text, value):
    assert lexicon.parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "params"),
    [
        ("Use at most 100 words.", {"num_words": 101, "relation": "less than"}),
        ("Use no more than 100 words.", {"num_words": 101, "relation": "less than"}),
        ("Use a maximum of 100 words.", {"num_words": 101, "relation": "less than"}),
        ("Use 100 words or fewer.", {"num_words": 101, "relation": "less than"}),
        ("Use fewer than 100 words.", {"num_words": 100, "relation": "less than"}),
        ("Use under 100 words.", {"num_words": 100, "relation": "less than"}),
        ("Use at least 100 words.", {"num_words": 100, "relation": "at least"}),
        ("Use no fewer than 100 words.", {"num_words": 100, "relation": "at least"}),
        ("Use more than 100 words.", {"num_words": 101, "relation": "at least"}),
        ("Use 100 or more words.", {"num_words": 100, "relation": "at least"}),
        ("Do not use more than 100 words.", {"num_words": 101, "relation": "less than"}),
        ("Do not use fewer than 100 words.", {"num_words": 100, "relation": "at least"}),
        ("Do not exceed 100 words.", {"num_words": 101, "relation": "less than"}),
    ],
)
def test_bounds_convert_exactly_onto_ifeval_relations(text, params):
    m = match(text)
    assert m is not None and m.id == "length_constraints:number_words" and m.params == params


@pytest.mark.parametrize(
    "text",
    [
        "Use exactly 100 words.",  # number_words has no exact relation
        "Use 100 words.",  # a bare number is no bound
        "Use at least 100 words or fewer.",  # contradictory bounds
        "Do not use exactly 100 words.",
        "Use fewer than zero words.",  # nothing to count
    ],
)
def test_bounds_the_id_cannot_state_are_refused(text):
    assert match(text) is None


@pytest.mark.parametrize(
    "text", ["Do not use the word 'c.t'.", "Do not use the word 'a+'.", "Include the keyword '[x]'."]
)
def test_keywords_with_regex_characters_are_refused(text):
    # the IFEval keyword checkers read keywords as regular expressions
    assert match(text) is None


def test_match_names_its_rule_and_clause():
    m = match("Please make sure that you never write the word awesome in your answer.")
    assert m is not None
    assert (m.id, m.params) == ("keywords:forbidden_words", {"forbidden_words": ["awesome"]})
    assert m.rule == "forbidden_words" and m.clause == "never write the word awesome"


def test_two_rules_that_disagree_give_none():
    assert match("No commas.") is not None
    RULES.append(Rule("test_other", "punctuation:punctuation_dot", _sources((r"no commas",)), lambda m: {}))
    try:
        assert match("No commas.") is None
    finally:
        RULES.pop()
    assert match("No commas.") is not None


def test_overlong_text_is_not_a_constraint():
    assert match("Do not use any commas. " + "x " * 300) is None


def _keep_meaning(t: str) -> list[str]:
    body = t[:-1] if t.endswith(".") else t
    return [
        "Please " + t[0].lower() + t[1:],
        body + " in your response.",
        "- " + t,
        t.replace("'", "\u2019"),
        "  " + t.replace(" ", "  ") + "  ",
    ]


def _change_meaning(t: str) -> list[str]:
    body = t[:-1] if t.endswith(".") else t
    return [
        "For the summary section, " + t[0].lower() + t[1:],
        body + " in the title.",
        body + ", but only in the first paragraph.",
        t + " Also, end with a question mark.",
        "If the reader is a child, " + t[0].lower() + t[1:],
    ]


@pytest.mark.parametrize("row", MAPPED, ids=lambda r: r["text"][:40])
def test_framing_does_not_change_a_mapping(row):
    for variant in _keep_meaning(row["text"]):
        m = match(variant)
        assert m is not None and (m.id, m.params) == (row["id"], row["params"]), variant


@pytest.mark.parametrize("row", MAPPED, ids=lambda r: r["text"][:40])
def test_narrowing_or_conditioning_a_constraint_unmaps_it(row):
    for variant in _change_meaning(row["text"]):
        m = match(variant)
        assert m is None, (variant, m)


def test_every_rule_targets_a_registered_train_id():
    from pipeline.constraints import get

    for r in RULES:
        assert get(r.id).split == "train", r.id
        assert all(re.compile(p) for p in r.sources)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["use", "at least", "no more than", "'very'", "words", "the word", "twice", "3", "two hundred", ",", "."]
            + ["do not", "commas", "in your response", "French", "exactly", "bullet points", "***", "P.S.", "<<t>>"]
        ),
        max_size=40,
    ).map(" ".join)
    | st.text(max_size=300)
)
def test_any_text_gives_a_valid_mapping_or_none(text):
    m = match(text)
    if m is not None:
        from pipeline.constraints import check, get

        assert set(m.params) <= set(get(m.id).param_names)
        check(m.id, "Some response text.", m.params)
