"""Markdown elements an answer must contain: a table of a given shape, bold spans, blockquotes.

Each checker reads the markdown with small regexes, outside code fences, so a table or bold text shown as code
does not count.
"""

from __future__ import annotations

import re

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Conflicts, Param, fails, passes
from ...core.relations import holds, relation_inverse, relation_param
from . import define
from ._common import strip_fenced

_SEP_CELL = re.compile(r"^\s*:?-+:?\s*$")


def _cells(line: str) -> list[str]:
    s = line.strip()
    s = s.removeprefix("|")
    s = s.removesuffix("|")
    return [c.strip() for c in s.split("|")]


def _tables(text: str) -> list[tuple[int, int, bool]]:
    """(data rows, columns, every row has that many cells) for each pipe table."""
    out = []
    ls = strip_fenced(text).split("\n")
    i = 0
    while i < len(ls) - 1:
        head, sep = ls[i], ls[i + 1]
        if "|" in head and "|" in sep and all(_SEP_CELL.match(c) for c in _cells(sep)):
            ncol = len(_cells(head))
            ok = len(_cells(sep)) == ncol
            j = i + 2
            while j < len(ls) and "|" in ls[j] and ls[j].strip():
                ok = ok and len(_cells(ls[j])) == ncol
                j += 1
            out.append((j - i - 2, ncol, ok))
            i = j
        else:
            i += 1
    return out


def markdown_table(response: str, num_rows: int, num_columns: int) -> bool:
    return any(r == num_rows and c == num_columns and ok for r, c, ok in _tables(response))


def table_facts(p: dict) -> F.Facts:
    return F.Facts().need("char:|", 1).need("char:-", 3).need("lines", int(p["num_rows"]) + 2)


_TABLE_3x2 = "Intro line.\n\n| Name | Age |\n|---|---:|\n| Ann | 3 |\n| Bo | 4 |\n| Cy | 5 |\n\nDone."

define(
    "ifgen:markdown_table",
    category="format",
    description="A markdown table with exactly n data rows and m columns.",
    params=[
        Param("num_rows", "int", 2, 8, sample=S.int_range(2, 6)),
        Param("num_columns", "int", 2, 6, sample=S.int_range(2, 5)),
    ],
    phrasings=[
        "Include a markdown table with exactly {num_rows} data rows (not counting the header) and {num_columns} columns.",
        "Present the key information as a markdown table: {num_columns} columns, {num_rows} rows below the header row.",
        "Your answer must contain one markdown table whose body has {num_rows} rows and whose header has {num_columns} columns.",
    ],
    check=markdown_table,
    tags=("structured",),
    conflicts=Conflicts(ids={"ifgen:valid_yaml": "a table is not YAML data"}),
    groups=("layout", "whole_layout"),
    facts=table_facts,
    examples=[
        passes(_TABLE_3x2, num_rows=3, num_columns=2),
        passes("a | b | c\n:-- | --- | ---\n1 | 2 | 3", "outer pipes are optional", num_rows=1, num_columns=3),
        fails(_TABLE_3x2.replace("| Cy | 5 |\n", ""), num_rows=3, num_columns=2),
        fails(_TABLE_3x2, num_rows=3, num_columns=3),
        fails("| a | b |\n| 1 | 2 |\n| 3 | 4 |", "no separator row, so no table", num_rows=2, num_columns=2),
        fails(
            "| a | b |\n|---|---|\n| 1 | 2 | 3 |", "every row needs the header's cell count", num_rows=1, num_columns=2
        ),
        fails(
            "```\n| a | b |\n|---|---|\n| 1 | 2 |\n```",
            "a table inside a code fence does not count",
            num_rows=1,
            num_columns=2,
        ),
    ],
)


_BOLD = re.compile(r"\*\*[^*\n]+?\*\*|__[^_\n]+?__")


def bold_count(response: str, num_bold: int, relation: str) -> bool:
    return holds(len(_BOLD.findall(strip_fenced(response))), relation, num_bold)


define(
    "ifgen:bold_count",
    category="format",
    description="Number of **bold** spans compared with n.",
    params=[Param("num_bold", "int", 1, 8, sample=S.int_range(2, 6)), relation_param("relation")],
    phrasings=[
        "Use {relation} {num_bold} bold phrases (**like this**) in your response.",
        "The number of **bold** spans in your answer must be {relation} {num_bold}.",
        "Highlight with markdown bold: {relation} {num_bold} bold segments.",
    ],
    check=bold_count,
    inverse=relation_inverse("ifgen:bold_count"),
    conflicts=NO_CONFLICTS,
    facts=F.counted("bold", "num_bold", "relation", char="*"),
    examples=[
        passes("**a** and **b** and __c__", "__underscores__ are bold too", num_bold=2, relation="at least"),
        passes("only **one** here", num_bold=2, relation="less than"),
        fails("only **one**", num_bold=2, relation="at least"),
        fails("**a** and **b**", num_bold=2, relation="less than"),
    ],
)


def blockquote_count(response: str, num_blockquotes: int) -> bool:
    blocks, inside = 0, False
    for ln in strip_fenced(response).split("\n"):
        q = ln.lstrip().startswith(">")
        if q and not inside:
            blocks += 1
        inside = q
    return blocks >= num_blockquotes


define(
    "ifgen:blockquote_count",
    category="format",
    description="At least n markdown blockquotes (> ...).",
    params=[Param("num_blockquotes", "int", 1, 3, sample=S.int_range(1, 3))],
    phrasings=[
        "Include at least {num_blockquotes} markdown blockquotes (lines starting with >).",
        "Quote material in {num_blockquotes} or more separate > blockquotes.",
        "Use no fewer than {num_blockquotes} blockquote blocks in markdown.",
    ],
    check=blockquote_count,
    conflicts=NO_CONFLICTS,
    groups=("layout",),
    facts=lambda p: F.Facts().need("char:>", 1) if int(p["num_blockquotes"]) else F.Facts(),
    examples=[
        passes("> a\n> still a\n\ntext\n\n> b", num_blockquotes=2),
        fails("> a\n> still one block", "consecutive > lines are one blockquote", num_blockquotes=2),
    ],
)
