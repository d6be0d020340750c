"""Each of the 58 IFBench ids has hand-written passing and failing responses, and any text gets a verdict.

The responses are the `examples=` of the blocks in pipeline/constraints/families/ifbench/ (including the pinned
IFBench quirks: blank lines in format:line_indent and format:no_bullets_bullets, exact letter options in
format:options); tests/constraints/test_blocks.py runs every one of them, strict.
"""

from __future__ import annotations

import pytest

from pipeline.constraints.core import registry

BLOCKS = {cid: c for cid, c in registry.all_constraints().items() if c.family == "ifbench"}


def test_every_id_has_passing_and_failing_examples() -> None:
    assert len(BLOCKS) == 58
    for cid, c in BLOCKS.items():
        assert {e.passes for e in c.examples} == {True, False}, cid


ODD = [
    "...",
    "?!",
    "\n\n\t",
    "*",
    "*\n*",
    "“”",
    "'\"'",
    "😀",
    "猫",
    "1",
    "a",
    "-\n-",
    '"""',
    "<i></i>",
    "<em>",
    "Question",
    "Question 1\nA) x",
    ",,,",
    '\t"x"\t',
    "((([[[{{{",
    ")]}",
    "İstanbul ß ǅ",
    "\u200b",
    "a\r\nb",
]


@pytest.mark.parametrize("cid", sorted(BLOCKS))
def test_odd_inputs_get_a_verdict_not_an_exception(cid: str) -> None:
    kwargs = dict(BLOCKS[cid].examples[0].params)
    for r in ODD:
        assert registry.check(cid, r, kwargs) in (True, False)
        assert registry.check_loose(cid, r, kwargs) in (True, False)
