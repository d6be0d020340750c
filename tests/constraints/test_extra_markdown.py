"""Passing and failing responses for the markdown-structure ids (extra_markdown)."""

import pytest

from pipeline.constraints import registry

TABLE_3x2 = "Intro line.\n\n| Name | Age |\n|---|---:|\n| Ann | 3 |\n| Bo | 4 |\n| Cy | 5 |\n\nDone."
TOC = """Table of Contents
- Overview
- [Details](#details)

## Overview
Text here.

## Details
More text."""
NESTED2 = "- fruit\n  - apple\n  - pear\n- veg\n  - leek"
NESTED3 = "- fruit\n  - apple\n    - green\n- veg"

PASS = [
    ("ifgen:markdown_table", {"num_rows": 3, "num_columns": 2}, TABLE_3x2),
    ("ifgen:markdown_table", {"num_rows": 1, "num_columns": 3}, "a | b | c\n:-- | --- | ---\n1 | 2 | 3"),
    ("ifgen:code_block_language", {"code_language": "python"}, "Here:\n```py\nprint(1)\n```\n"),
    ("ifgen:code_block_language", {"code_language": "c++"}, "```cpp\nint main(){}\n```"),
    ("ifgen:numbered_steps", {"num_steps": 3}, "1. Mix.\n2. Bake.\n3) Eat.\n\nEnjoy!"),
    ("ifgen:headings_count", {"num_headings": 2}, "# One\ntext\n## Two\n```\n# not a heading\n```"),
    ("ifgen:bold_count", {"num_bold": 2, "relation": "at least"}, "**a** and **b** and __c__"),
    ("ifgen:bold_count", {"num_bold": 2, "relation": "less than"}, "only **one** here"),
    ("ifgen:table_of_contents", {}, TOC),
    ("ifgen:bullet_nesting_depth", {"depth": 2}, NESTED2),
    ("ifgen:bullet_nesting_depth", {"depth": 3}, NESTED3),
    ("ifgen:section_order", {"section_names": ["Background", "Results"]}, "## Background\nx\n**Results**\ny"),
    ("ifgen:exact_lines", {"num_lines": 3}, "one\n\ntwo\nthree\n"),
    ("ifgen:blockquote_count", {"num_blockquotes": 2}, "> a\n> still a\n\ntext\n\n> b"),
    ("ifgen:inline_code_count", {"num_inline_code": 2}, "Use `ls` and `cd`."),
    ("ifgen:no_code_blocks", {}, "Just `inline` code and prose."),
    ("ifgen:qa_pairs", {"num_pairs": 2}, "Q: Why?\nA: Because.\n**Q:** How?\n**A:** Carefully."),
    ("ifgen:list_item_max_words", {"max_words": 4}, "- short item\n- another short one\n* third"),
]

FAIL = [
    ("ifgen:markdown_table", {"num_rows": 3, "num_columns": 2}, TABLE_3x2.replace("| Cy | 5 |\n", "")),
    ("ifgen:markdown_table", {"num_rows": 3, "num_columns": 3}, TABLE_3x2),
    ("ifgen:markdown_table", {"num_rows": 2, "num_columns": 2}, "| a | b |\n| 1 | 2 |\n| 3 | 4 |"),  # no separator
    ("ifgen:code_block_language", {"code_language": "python"}, "```js\nx()\n```"),
    ("ifgen:code_block_language", {"code_language": "python"}, "```python\nprint(1)\n"),  # never closed
    ("ifgen:numbered_steps", {"num_steps": 3}, "1. Mix.\n2. Bake."),
    ("ifgen:numbered_steps", {"num_steps": 3}, "1. Mix.\n3. Bake.\n4. Eat."),
    ("ifgen:headings_count", {"num_headings": 2}, "# One\n## Two\n### Three"),
    ("ifgen:bold_count", {"num_bold": 2, "relation": "at least"}, "only **one**"),
    ("ifgen:table_of_contents", {}, TOC.replace("## Details", "## Specifics")),
    ("ifgen:table_of_contents", {}, "## Overview\nNo contents list."),
    ("ifgen:bullet_nesting_depth", {"depth": 3}, NESTED2),
    ("ifgen:bullet_nesting_depth", {"depth": 2}, "- flat\n- list"),
    ("ifgen:section_order", {"section_names": ["Background", "Results"]}, "## Results\ny\n## Background\nx"),
    ("ifgen:section_order", {"section_names": ["Background", "Results"]}, "## Background\nonly one"),
    ("ifgen:exact_lines", {"num_lines": 3}, "one\ntwo"),
    ("ifgen:blockquote_count", {"num_blockquotes": 2}, "> a\n> still one block"),
    ("ifgen:inline_code_count", {"num_inline_code": 2}, "Use `ls` only.\n```\n`x` `y`\n```"),
    ("ifgen:no_code_blocks", {}, "```\ncode\n```"),
    ("ifgen:qa_pairs", {"num_pairs": 2}, "Q: Why?\nA: Because.\nQ: How?"),
    ("ifgen:qa_pairs", {"num_pairs": 1}, "A: Answer first.\nQ: Then question?"),
    ("ifgen:list_item_max_words", {"max_words": 3}, "- short item\n- this item is too long"),
    ("ifgen:list_item_max_words", {"max_words": 3}, "- lonely"),
]


@pytest.mark.parametrize("cid,params,response", PASS)
def test_pass(cid, params, response):
    assert registry.check(cid, response, params)


@pytest.mark.parametrize("cid,params,response", FAIL)
def test_fail(cid, params, response):
    assert not registry.check(cid, response, params)
