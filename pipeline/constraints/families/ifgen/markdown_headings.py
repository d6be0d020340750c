"""Headings that organise an answer: how many, a table of contents that matches them, a given section order.

Headings are markdown ATX headings (`# ...`) outside code fences; the section order also accepts a line that is
entirely bold as a heading.
"""

from __future__ import annotations

import re

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Conflicts, Param, fails, passes
from . import define
from ._common import heading_texts, is_heading, sample_list, strip_fenced
from ._markdown import LIST_ITEM


def headings_count(response: str, num_headings: int) -> bool:
    return len(heading_texts(response)) == num_headings


def headings_facts(p: dict) -> F.Facts:
    n = int(p["num_headings"])
    f = F.Facts().need("headings", n, n).need("lines", n)
    return f.need("char:#", 1) if n else f


define(
    "ifgen:headings_count",
    category="format",
    description="Exactly n markdown headings (# ...).",
    params=[Param("num_headings", "int", 2, 8, sample=S.scaled_int(0.01, 0.02, floor=2, cap=8))],
    phrasings=[
        "Organise the answer under exactly {num_headings} markdown headings (lines starting with #).",
        "Use {num_headings} markdown headings in total, no more and no fewer.",
        "Your response must contain exactly {num_headings} headings written with markdown # syntax.",
    ],
    check=headings_count,
    tags=("structured",),
    conflicts=Conflicts(ids={"ifgen:section_order": "two rules for the headings"}),
    groups=("layout",),
    facts=headings_facts,
    examples=[
        passes(
            "# One\ntext\n## Two\n```\n# not a heading\n```",
            "a # line inside a code fence is not a heading",
            num_headings=2,
        ),
        fails("# One\n## Two\n### Three", num_headings=2),
    ],
)


def _clean_item(s: str) -> str:
    s = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", s)  # [text](#anchor) -> text
    return re.sub(r"^\d+(\.\d+)*\.?\s+", "", s.strip().strip("*_").strip()).lower()


def table_of_contents(response: str) -> bool:
    """A 'Table of Contents' line, then >= 2 list items, each matching a later heading."""
    ls = strip_fenced(response).split("\n")
    for i, ln in enumerate(ls):
        label = ln.strip().lstrip("#").strip().strip("*_:").strip().lower()
        if label not in ("table of contents", "contents"):
            continue
        items: list[str] = []
        j = i + 1
        while j < len(ls) and (not ls[j].strip() and not items or LIST_ITEM.match(ls[j])):
            m = LIST_ITEM.match(ls[j])
            if m:
                items.append(_clean_item(m.group(2)))
            j += 1
        later = [_clean_item(h) for h in heading_texts("\n".join(ls[j:]))]
        return len(items) >= 2 and all(it in later for it in items)
    return False


def toc_facts(p: dict) -> F.Facts:
    f = F.Facts(decor=True).need("lines", 3).need("headings", 2).need("char:#", 1)
    f.start.append(F.Anchor("block", "table of contents"))
    return f


_TOC = "Table of Contents\n- Overview\n- [Details](#details)\n\n## Overview\nText here.\n\n## Details\nMore text."

define(
    "ifgen:table_of_contents",
    category="format",
    description="A table of contents listing the headings that follow.",
    phrasings=[
        "Begin with a 'Table of Contents' list whose entries match the markdown headings used below it.",
        "Add a table of contents (titled 'Table of Contents') listing every section heading of your answer.",
        "Open with a Table of Contents: a list of at least two items, each one a heading that appears later.",
    ],
    check=table_of_contents,
    tags=("long", "structured"),
    conflicts=Conflicts(ids={"combination:repeat_prompt": "the response must start with the prompt"}),
    groups=("layout", "start_rule"),
    facts=toc_facts,
    examples=[
        passes(_TOC, "a [link](#anchor) entry counts as its text"),
        fails(_TOC.replace("## Details", "## Specifics"), "every entry must match a later heading"),
        fails("## Overview\nNo contents list."),
    ],
)


SECTION_POOL = tuple("Introduction Background Approach Analysis Results Risks Recommendations Conclusion".split())


def _section_positions(text: str) -> list[str]:
    """Heading-like lines: ATX headings or a line that is entirely bold."""
    out = []
    for ln in strip_fenced(text).split("\n"):
        s = ln.strip()
        if is_heading(s):
            out.append(s.lstrip("#").strip().strip("*").lower())
        elif re.fullmatch(r"\*\*[^*]+\*\*:?", s):
            out.append(s.strip(":").strip("*").lower())
    return out


def section_order(response: str, section_names: list[str]) -> bool:
    heads = _section_positions(response)
    last = -1
    for name in section_names:
        idx = next((k for k, h in enumerate(heads) if name.lower() in h), -1)
        if idx <= last:
            return False
        last = idx
    return True


define(
    "ifgen:section_order",
    category="format",
    description="Named sections appear as headings in the given order.",
    params=[Param("section_names", "keywords", sample=sample_list(SECTION_POOL, 2, 4))],
    phrasings=[
        "Include sections with these headings, in this order: {section_names}.",
        "Structure your answer with the headings {section_names}, appearing in exactly that sequence.",
        "Use the following section headings and keep their order: {section_names}.",
    ],
    check=section_order,
    tags=("long", "structured"),
    conflicts=NO_CONFLICTS,
    groups=("english_only", "layout"),
    facts=lambda p: F.Facts().need("lines", len(p["section_names"])),
    examples=[
        passes(
            "## Background\nx\n**Results**\ny",
            "a line that is entirely bold counts as a heading",
            section_names=["Background", "Results"],
        ),
        fails("## Results\ny\n## Background\nx", section_names=["Background", "Results"]),
        fails("## Background\nonly one", section_names=["Background", "Results"]),
    ],
)
