"""The ifgen length and proportion blocks (families/ifgen/length.py): its ids, the boundaries of the character
limits, and inverses that accept the failing examples.

Each block's pass/fail examples live in the block and run in tests/constraints/test_blocks.py.
"""

import pytest

from pipeline.constraints import all_constraints, check

IDS = {
    "ifgen:max_chars", "ifgen:min_chars", "ifgen:line_max_chars", "ifgen:word_length_max",
    "ifgen:max_paragraph_words", "ifgen:balanced_paragraphs", "ifgen:lexical_diversity", "ifgen:quotes_count",
}  # fmt: skip
BLOCKS = [c for c in all_constraints().values() if c.check.__module__ == "pipeline.constraints.families.ifgen.length"]


def test_module_defines_its_blocks():
    assert {c.id for c in BLOCKS} == IDS


@pytest.mark.parametrize("n", [1, 12, 40])
def test_character_limits_meet_at_n(n):
    text = "x" * n
    assert check("ifgen:max_chars", text, {"max_chars": n})
    assert check("ifgen:min_chars", text, {"min_chars": n})
    assert not check("ifgen:max_chars", text + "y", {"max_chars": n})
    assert not check("ifgen:min_chars", text[:-1] + " ", {"min_chars": n})  # trailing space is stripped


@pytest.mark.parametrize("c", [c for c in BLOCKS if c.inverse], ids=lambda c: c.id)
def test_inverse_accepts_every_failing_example(c):
    failing = [e for e in c.examples if not e.passes]
    assert failing
    for e in failing:
        inv_id, inv_params = c.inverse(dict(e.params))
        assert check(inv_id, e.text, inv_params), (c.id, e.text)
