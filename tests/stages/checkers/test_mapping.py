"""checkers' test of an LLM-proposed mapping: accepted only when the registry checker agrees with the text's
generated test cases (at the accuracy a generated function needs) or with the kept functions."""

from __future__ import annotations

from pipeline.stages.checkers.mapping import CASES, FUNCTIONS, judge_mapping

VERY = {"id": "keywords:forbidden_words", "params": {"forbidden_words": ["very"]}}
CASES_VERY = [
    ("This is fine.", True),
    ("This is very fine.", False),
    ("Nothing here", True),
    ("Very good, very good.", False),
]


def test_agreeing_with_the_case_labels_accepts():
    got = judge_mapping(VERY, CASES_VERY, [], accuracy=0.8, min_cases=3)
    assert got["accepted"] and got["evidence"] == CASES
    assert got["accuracy"] == 1.0 and got["cases"] == 4


def test_a_proposal_that_reads_the_rule_wrongly_is_rejected():
    wrong = {"id": "keywords:existence", "params": {"keywords": ["very"]}}  # the opposite rule
    got = judge_mapping(wrong, CASES_VERY, [], accuracy=0.8, min_cases=3)
    assert not got["accepted"] and got["evidence"] is None and got["accuracy"] == 0.0
    no_comma = {"id": "punctuation:no_comma", "params": {}}  # unrelated: right only by chance
    assert not judge_mapping(no_comma, CASES_VERY, [], accuracy=0.8, min_cases=3)["accepted"]


def test_one_mislabelled_case_in_five_still_clears_the_functions_bar():
    cases = [*CASES_VERY, ("Quite fine.", False)]  # the case writer got one wrong
    got = judge_mapping(VERY, cases, [], accuracy=0.8, min_cases=3)
    assert got["accepted"] and got["accuracy"] == 0.8
    assert not judge_mapping(VERY, cases, [], accuracy=0.9, min_cases=3)["accepted"]


def test_agreeing_with_the_kept_functions_accepts_when_labels_are_poor():
    cases = [("This is fine.", False), ("This is very fine.", True), ("Nothing here", False)]  # labels flipped
    kept = [[True, False, True], [True, False, None]]  # the kept functions read the rule right
    got = judge_mapping(VERY, cases, kept, accuracy=0.8, min_cases=3)
    assert got["accepted"] and got["evidence"] == FUNCTIONS
    assert not judge_mapping(VERY, cases, [[True, True, True]], accuracy=0.8, min_cases=3)["accepted"]


def test_too_few_or_one_sided_cases_decide_nothing():
    few = judge_mapping(VERY, CASES_VERY[:2], [], accuracy=0.8, min_cases=3)
    assert not few["accepted"] and "need 3" in few["reason"]
    one_sided = [("a", True), ("b", True), ("c", True)]  # "always yes" would agree by construction
    assert not judge_mapping(VERY, one_sided, [[True, True, True]], accuracy=0.8, min_cases=3)["accepted"]
    assert not judge_mapping(VERY, [], [], accuracy=0.8, min_cases=3)["accepted"]


def test_a_checker_that_raises_on_a_case_counts_as_disagreeing(monkeypatch):
    import pipeline.stages.checkers.mapping as mapping

    def check(cid, response, params):
        if "very fine" in response:
            raise ValueError("cannot read this one")
        return "very" not in response.lower()

    monkeypatch.setattr(mapping, "check", check)
    got = judge_mapping(VERY, CASES_VERY, [[True, False, True, False]], accuracy=0.8, min_cases=3)
    assert not got["accepted"] and got["accuracy"] == 0.75
