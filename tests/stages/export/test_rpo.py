"""Reverse-constraint pairs' prompt editing (pipeline/stages/export/rpo.py): a dropped rule leaves a clean list."""

from __future__ import annotations

import pytest

from pipeline.stages.export.rpo import _replace_text

RULES = "Write a poem.\n\nFollow these rules:\n" + "\n".join(
    ["1. Use no commas.", "2. End with hi.", "3. Write 3 lines.", "4. Mention rivers."]
)


@pytest.mark.parametrize(
    "dropped, left",
    [
        ("Use no commas.", ["End with hi.", "Write 3 lines.", "Mention rivers."]),
        ("End with hi.", ["Use no commas.", "Write 3 lines.", "Mention rivers."]),
        ("Mention rivers.", ["Use no commas.", "End with hi.", "Write 3 lines."]),
    ],
)
def test_dropping_a_numbered_rule_renumbers_the_rest(dropped, left):
    out = _replace_text(RULES, dropped, None)
    assert out is not None and dropped not in out
    assert out.split("Follow these rules:\n", 1)[1].splitlines() == [f"{i}. {t}" for i, t in enumerate(left, 1)]


def test_only_the_list_that_held_the_rule_is_renumbered():
    text = "Rules:\n1) keep it short\n2) no lists\n\nStep 5) of the plan stays as written."
    assert _replace_text(text, "keep it short", None) == "Rules:\n1) no lists\n\nStep 5) of the plan stays as written."


def test_bullets_and_inverted_rules_are_left_as_they_were():
    assert _replace_text("Rules:\n- a\n- b", "a", None) == "Rules:\n- b"
    assert _replace_text(RULES, "End with hi.", "Do not end with hi.") == RULES.replace("End with", "Do not end with")
