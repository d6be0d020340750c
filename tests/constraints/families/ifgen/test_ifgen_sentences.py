"""The helpers behind ifgen's sentence and readability blocks (their pass/fail cases are the blocks' examples,
run by tests/constraints/test_blocks.py)."""

from pipeline.constraints.families.ifgen._common import sentences
from pipeline.constraints.families.ifgen.readability import fk_grade

SIMPLE = "The cat sat on the mat. It was a good cat. We fed it fish."
HARD = (
    "Comprehensive institutional considerations necessitate substantial interdisciplinary deliberation. "
    "Organizational accountability mechanisms presuppose sophisticated administrative infrastructure."
)


def test_fk_grade_orders_texts_by_difficulty():
    assert fk_grade(SIMPLE) < 3
    assert fk_grade(HARD) > 15
    assert fk_grade("") is None


def test_sentences_ignore_list_and_quote_markers():
    text = "# Head\n1. Mix the flour.\n- A bullet\n> Quoted line.\n**Bold** start."
    assert sentences(text) == ["Mix the flour.", "A bullet", "Quoted line.", "**Bold** start."]
