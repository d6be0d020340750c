"""Lists and line layouts: numbered steps, nesting depth, short list items, Q:/A: pairs, an exact line count.

List items are bullets (-, *, +) or numbers (1. / 1)) outside code fences.
"""

from __future__ import annotations

import re

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Conflicts, Param, fails, passes
from . import define
from ._common import nonempty_lines, strip_fenced
from ._markdown import LIST_ITEM

_NUMBERED = re.compile(r"^\s{0,3}(\d+)[.)]\s+\S")


def numbered_steps(response: str, num_steps: int) -> bool:
    nums = [int(m.group(1)) for ln in strip_fenced(response).split("\n") if (m := _NUMBERED.match(ln))]
    return nums == list(range(1, num_steps + 1))


def steps_facts(p: dict) -> F.Facts:
    n = int(p["num_steps"])
    return F.Facts().need("char:digit", 1).need("lines", n).need("steps", n, n)


define(
    "ifgen:numbered_steps",
    category="format",
    description="Exactly n numbered steps, numbered 1..n.",
    params=[Param("num_steps", "int", 3, 10, sample=S.scaled_int(0.02, 0.04, floor=3, cap=10))],
    phrasings=[
        "Lay out your answer as exactly {num_steps} numbered steps (1., 2., ...).",
        "Give precisely {num_steps} steps, numbered from 1 to {num_steps}, one per line.",
        "Structure the response as a numbered list with {num_steps} steps, no more and no fewer.",
    ],
    check=numbered_steps,
    tags=("list",),
    conflicts=Conflicts(ids={"ifgen:qa_pairs": "two layouts for the whole answer"}),
    groups=("layout", "numbered"),
    facts=steps_facts,
    examples=[
        passes("1. Mix.\n2. Bake.\n3) Eat.\n\nEnjoy!", "1) counts like 1.; prose after the list is fine", num_steps=3),
        fails("1. Mix.\n2. Bake.", num_steps=3),
        fails("1. Mix.\n3. Bake.\n4. Eat.", "the numbers must run 1..n", num_steps=3),
    ],
)


def _list_depth(text: str) -> int:
    stack: list[int] = []
    deepest = 0
    for ln in strip_fenced(text).split("\n"):
        m = LIST_ITEM.match(ln)
        if not m:
            if ln.strip():
                stack = []
            continue
        indent = len(m.group(1).expandtabs(4))
        while stack and stack[-1] > indent:
            stack.pop()
        if not stack or stack[-1] < indent:
            stack.append(indent)
        deepest = max(deepest, len(stack))
    return deepest


def bullet_nesting_depth(response: str, depth: int) -> bool:
    return _list_depth(response) == depth


_NESTED2 = "- fruit\n  - apple\n  - pear\n- veg\n  - leek"

define(
    "ifgen:bullet_nesting_depth",
    category="format",
    description="A nested list whose deepest level is exactly d.",
    params=[Param("depth", "int", 2, 3, sample=S.int_range(2, 3))],
    phrasings=[
        "Use a nested bullet list that goes exactly {depth} levels deep.",
        "Organise the points as bullets with sub-bullets; the deepest nesting level must be {depth}.",
        "Include a hierarchical list nested to a depth of exactly {depth} levels.",
    ],
    check=bullet_nesting_depth,
    tags=("list",),
    conflicts=NO_CONFLICTS,
    groups=("layout",),
    facts=lambda p: F.Facts().need("lines", int(p["depth"])),
    examples=[
        passes(_NESTED2, depth=2),
        passes("- fruit\n  - apple\n    - green\n- veg", depth=3),
        fails(_NESTED2, "the deepest level must be exactly d", depth=3),
        fails("- flat\n- list", depth=2),
    ],
)


def list_item_max_words(response: str, max_words: int) -> bool:
    items = [m.group(2) for ln in strip_fenced(response).split("\n") if (m := LIST_ITEM.match(ln))]
    return len(items) >= 2 and all(len(re.findall(r"\w+", it)) <= max_words for it in items)


define(
    "ifgen:list_item_max_words",
    category="format",
    description="A list of at least two items, each at most n words.",
    params=[Param("max_words", "int", 4, 15, sample=S.int_range(5, 12))],
    phrasings=[
        "Use a bulleted list in which every item has at most {max_words} words.",
        "Keep each list item to {max_words} words or fewer, and include at least two items.",
        "Answer with list items no longer than {max_words} words each.",
    ],
    check=list_item_max_words,
    tags=("list",),
    conflicts=NO_CONFLICTS,
    groups=("layout",),
    facts=lambda p: F.Facts().need("lines", 2),
    examples=[
        passes("- short item\n- another short one\n* third", max_words=4),
        fails("- short item\n- this item is too long", max_words=3),
        fails("- lonely", "a list needs at least two items", max_words=3),
    ],
)


_Q = re.compile(r"^\s*(?:\*\*)?\s*(Q|Question)\s*(?:\d+)?\s*[:.]", re.IGNORECASE)
_A = re.compile(r"^\s*(?:\*\*)?\s*(A|Answer)\s*(?:\d+)?\s*[:.]", re.IGNORECASE)


def qa_pairs(response: str, num_pairs: int) -> bool:
    seq = []
    for ln in nonempty_lines(response):
        if _Q.match(ln):
            seq.append("Q")
        elif _A.match(ln):
            seq.append("A")
    return seq == ["Q", "A"] * num_pairs


define(
    "ifgen:qa_pairs",
    category="format",
    description="Exactly n Q:/A: pairs, alternating.",
    params=[Param("num_pairs", "int", 2, 6, sample=S.int_range(2, 5))],
    phrasings=[
        "Write the answer as an FAQ with exactly {num_pairs} pairs of lines starting 'Q:' and 'A:'.",
        "Format your response as {num_pairs} question-and-answer pairs, each question on a 'Q:' line followed by an 'A:' line.",
        "Use a Q:/A: format with precisely {num_pairs} questions, each followed by its answer.",
    ],
    check=qa_pairs,
    tags=("structured",),
    conflicts=NO_CONFLICTS,
    groups=("layout", "whole_layout"),
    facts=lambda p: F.Facts().need("lines", 2 * int(p["num_pairs"])).need("char::", 1),
    examples=[
        passes("Q: Why?\nA: Because.\n**Q:** How?\n**A:** Carefully.", "bold markers are allowed", num_pairs=2),
        fails("Q: Why?\nA: Because.\nQ: How?", num_pairs=2),
        fails("A: Answer first.\nQ: Then question?", "each question comes before its answer", num_pairs=1),
    ],
)


def exact_lines(response: str, num_lines: int) -> bool:
    return len(nonempty_lines(response.strip())) == num_lines


define(
    "ifgen:exact_lines",
    category="format",
    description="Exactly n non-empty lines.",
    params=[Param("num_lines", "int", 2, 12, sample=S.scaled_int(0.03, 0.08, floor=2, cap=12))],
    phrasings=[
        "Answer in exactly {num_lines} lines.",
        "Your response must consist of {num_lines} non-empty lines, no more and no fewer.",
        "Write precisely {num_lines} lines of text (blank lines do not count).",
    ],
    check=exact_lines,
    tags=("short",),
    conflicts=Conflicts(ids={"format:newline": "one word per line fixes the line count"}),
    groups=("layout",),
    facts=lambda p: F.Facts().need("lines", int(p["num_lines"]), int(p["num_lines"])),
    examples=[
        passes("one\n\ntwo\nthree\n", "blank lines do not count", num_lines=3),
        fails("one\ntwo", num_lines=3),
    ],
)
