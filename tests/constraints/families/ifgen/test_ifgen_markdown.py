"""The ifgen markdown blocks (families/ifgen/markdown_*.py): which module holds which id, the markdown readers
behind their checkers, and inverses that accept the failing examples.

Each block's pass/fail examples live in the block and run in tests/constraints/test_blocks.py.
"""

import pytest

from pipeline.constraints import all_constraints, check
from pipeline.constraints.families.ifgen import markdown_elements, markdown_headings, markdown_lists
from pipeline.constraints.families.ifgen._markdown import LIST_ITEM

MODULES = {
    "markdown_elements": {"ifgen:markdown_table", "ifgen:bold_count", "ifgen:blockquote_count"},
    "markdown_code": {"ifgen:code_block_language", "ifgen:inline_code_count", "ifgen:no_code_blocks"},
    "markdown_headings": {"ifgen:headings_count", "ifgen:table_of_contents", "ifgen:section_order"},
    "markdown_lists": {
        "ifgen:numbered_steps", "ifgen:bullet_nesting_depth", "ifgen:list_item_max_words", "ifgen:qa_pairs",
        "ifgen:exact_lines",
    },
}  # fmt: skip


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_defines_its_blocks(module):
    name = f"pipeline.constraints.families.ifgen.{module}"
    defined = {cid for cid, c in all_constraints().items() if c.check.__module__ == name}
    assert defined == MODULES[module]
    assert all(all_constraints()[cid].family == "ifgen" for cid in defined)


def test_tables_report_rows_columns_and_ragged_rows():
    text = "| a | b |\n|---|:-:|\n| 1 | 2 |\n| 3 |\n\nx | y | z\n--|--|--\n1 | 2 | 3"
    assert markdown_elements._tables(text) == [(2, 2, False), (1, 3, True)]


def test_list_items_and_nesting_depth():
    assert LIST_ITEM.match("  - item").group(1, 2) == ("  ", "item")
    assert LIST_ITEM.match("10) tenth").group(2) == "tenth"
    assert LIST_ITEM.match("-no space") is None
    assert markdown_lists._list_depth("- a\n  - b\n    - c\n- d") == 3
    # a prose line ends the list: the second list starts again at depth 1
    assert markdown_lists._list_depth("- a\n  - b\ntext\n  - c") == 2


def test_section_positions_read_headings_and_bold_lines():
    text = "# Intro\n**Results**:\n**Risks:**\nsome **bold** words\n```\n## Hidden\n```"
    # a colon inside the bold stays (names are matched as substrings, so it does no harm)
    assert markdown_headings._section_positions(text) == ["intro", "results", "risks:"]


INVERTIBLE = [c for c in all_constraints().values() if c.inverse and c.check.__module__.endswith(tuple(MODULES))]


@pytest.mark.parametrize("c", INVERTIBLE, ids=lambda c: c.id)
def test_inverse_accepts_every_failing_example(c):
    failing = [e for e in c.examples if not e.passes]
    assert failing
    for e in failing:
        inv_id, inv_params = c.inverse(dict(e.params))
        assert check(inv_id, e.text, inv_params), (c.id, e.text)
