"""IFBench layouts: indentation staircases, list markers, bullets and sub-bullets, an italic thesis, a labelled
template, and answers restricted to given options.

Several IFBench format checkers are deliberately literal (format:sub-bullets only looks at text between '*'
characters; format:list only counts the marker) and we keep them literal: these ids score a benchmark, so our
verdicts must match it.
"""

from __future__ import annotations

import re
from itertools import pairwise

from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Param, exclusive, fails, passes
from . import define
from ._text import sentences, trim_punct


def _drop_blank_lines_like_ifbench(lines: list[str]) -> list[str]:
    """IFBench removes blank lines while iterating over the same list, so a
    blank line directly after a removed one survives; we reproduce that."""
    out = list(lines)
    i = 0
    while i < len(out):
        if not out[i].strip():
            del out[out.index(out[i])]
        i += 1
    return out


def line_indent(response: str) -> bool:
    lines = _drop_blank_lines_like_ifbench(response.split("\n"))
    depth = [len(ln) - len(ln.lstrip(" ")) for ln in lines]
    return all(b > a for a, b in pairwise(depth))


define(
    "format:line_indent",
    category="format",
    description="each non-blank line is indented further than the one above",
    phrasings=[
        "Create a staircase: indent each new line with more spaces than the previous one.",
        "Every line must start with more leading spaces than the line before it.",
        "Increase the indentation (in spaces) on each successive line.",
    ],
    check=line_indent,
    tags=("english", "no_code"),
    conflicts=NO_CONFLICTS,
    groups=("layout",),
    facts=None,
    examples=[
        passes("a\n b\n   c"),
        fails("a\n b\n b", "equal indentation is not deeper"),
        fails("  a\nb"),
        passes("a\n\n b", "a single blank line is removed"),
        fails(
            "a\n\n\n b",
            "IFBench deletes blank lines while iterating, so of two adjacent blank lines one survives (indent 0)",
        ),
    ],
)

LIST_MARKERS = ("...", "SEPARATOR", "!?!?", "-")


def marker_list(response: str, sep: str) -> bool:
    return len(re.findall(re.escape(str(sep)), response)) >= 2


define(
    "format:list",
    category="format",
    description="the marker `sep` appears at least twice",
    params=[Param("sep", "choice", choices=LIST_MARKERS, sample=S.choice(LIST_MARKERS))],
    phrasings=[
        "Answer with a list of items, using {sep} instead of bullet points.",
        "Format your list with {sep} as the item marker rather than bullets.",
        "Write a list in which each item starts with {sep} (no ordinary bullet points).",
    ],
    check=marker_list,
    conflicts=NO_CONFLICTS,
    groups=("layout",),
    facts=None,
    examples=[
        passes("SEPARATOR apples\nSEPARATOR pears", sep="SEPARATOR"),
        fails("SEPARATOR apples\n* pears", "the marker appears once", sep="SEPARATOR"),
    ],
)


def sub_bullets(response: str) -> bool:
    return all("-" in chunk for chunk in response.split("*")[1:])


define(
    "format:sub-bullets",
    category="format",
    description="every '*' bullet is followed by a '-' sub-bullet",
    phrasings=[
        "Use bullet points marked with * and give each at least one sub-bullet marked with -.",
        "Structure the answer as * bullets, each with one or more - sub-points.",
        "Every * bullet point needs at least one - sub-bullet beneath it.",
    ],
    check=sub_bullets,
    tags=("english", "list"),
    conflicts=NO_CONFLICTS,
    groups=("layout",),
    facts=None,
    examples=[
        passes("* fruit\n- apple\n* veg\n- leek"),
        fails("* fruit\n- apple\n* veg", "the last bullet has no sub-bullet"),
    ],
)


def no_bullets_bullets(response: str) -> bool:
    """Two or more sentences, then two or more '*' lines and nothing after them."""
    n_sentences = n_bullets = 0
    in_prose = True
    for line in response.split("\n"):
        if line.strip().startswith("*"):
            if n_sentences < 2:
                return False
            in_prose = False
            n_bullets += 1
        elif in_prose:
            found = sentences(line.strip())
            n_sentences += len(found)
            in_prose = bool(found)  # a blank line ends the prose part, as in IFBench
        else:
            return False
    return n_bullets >= 2


define(
    "format:no_bullets_bullets",
    category="format",
    description="at least two sentences, then at least two '*' bullets",
    phrasings=[
        "Start with at least two sentences ending in a period, then give at least two bullet points marked *.",
        "Write two or more plain sentences first, followed by two or more * bullet points and nothing else.",
        "Open with a short paragraph of two or more sentences, then list at least two * bullets.",
    ],
    check=no_bullets_bullets,
    tags=("english", "list"),
    conflicts=NO_CONFLICTS,
    groups=("layout",),
    facts=None,
    examples=[
        passes("I like fruit. Here is a list.\n* apple\n* pear"),
        passes("One. Two.\n\n* a\n* b", "a blank line between the prose and the bullets is fine"),
        fails("I like fruit.\n* apple\n* pear", "one sentence only"),
        fails("I like fruit. Here.\n* apple\n* pear\nEnd.", "text after the bullets"),
        fails("One. Two.\n\nThree.\n* a\n* b", "a blank line ends the prose part, as in IFBench"),
    ],
)


def thesis(response: str) -> bool:
    start = response.find("<i>")
    if start == -1:
        start = response.find("<em>")
        if start == -1:
            return False
    rest = response[start:]
    end = rest.find("</i>")
    if end == -1:
        end = rest.find("</em>")
        if end == -1:
            return False
    # offsets as in IFBench (3 for the opening tag, 4 for the closing one)
    return rest[3:end].strip() != "" and rest[end + 4 :].strip() != ""


define(
    "format:thesis",
    category="format",
    description="an HTML-italic thesis followed by more text",
    phrasings=[
        "Begin each section with a thesis statement in italics, marked with HTML <i> tags.",
        "Open with a thesis sentence in italics using HTML (<i>...</i>), then continue normally.",
        "Each section must start with an italic thesis statement written in HTML, e.g. <i>...</i>.",
    ],
    check=thesis,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("<i>Cats rule.</i> Here is why."),
        fails("<i>Cats rule.</i>", "nothing follows the thesis"),
        fails("Cats rule. Here is why.", "no italics"),
    ],
)


def output_template(response: str) -> bool:
    return all(part in response for part in ("My Answer:", "My Conclusion:", "Future Outlook:"))


define(
    "format:output_template",
    category="format",
    description="contains 'My Answer:', 'My Conclusion:', 'Future Outlook:'",
    phrasings=[
        "Use this exact template: My Answer: [answer] My Conclusion: [conclusion] Future Outlook: [outlook]",
        "Structure your reply with the labels 'My Answer:', 'My Conclusion:' and 'Future Outlook:'.",
        "Fill in this template: My Answer: ... My Conclusion: ... Future Outlook: ...",
    ],
    check=output_template,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("My Answer: yes My Conclusion: ok Future Outlook: good"),
        fails("My Answer: yes My Conclusion: ok", "no 'Future Outlook:'"),
    ],
)

OPTION_SETS = ("yes/no/maybe", "I know or I don't know", "a), b), c), d)", "My answer is yes./My answer is no.")


def _split_options(options: str) -> tuple[list[str], bool]:
    strict = re.match(r"\W*[aA]\W*[bB]\W*[cC]\W*", options) is not None
    sep = "/" if "/" in options else "or" if "or" in options else ","
    return [o.strip() for o in options.split(sep)], strict


def options(response: str, options: str) -> bool:
    choices, strict = _split_options(str(options))
    if strict:  # letter options must be reproduced exactly, e.g. "b)"
        return response in choices
    answer = trim_punct(response).lower()
    return any(trim_punct(o).lower() == answer for o in choices)


define(
    "format:options",
    category="format",
    description="the response is exactly one of the given options",
    params=[Param("options", "choice", choices=OPTION_SETS, sample=S.choice(OPTION_SETS))],
    phrasings=[
        "Answer with one of the following options and nothing else: {options}",
        "Reply using only one of these options, without any explanation: {options}",
        "Your entire response must be one of: {options}",
    ],
    check=options,
    conflicts=exclusive("the answer is one of the given options, without explanation"),
    facts=None,
    examples=[
        passes("Yes.", "case and edge punctuation are ignored", options="yes/no/maybe"),
        passes("maybe", options="yes/no/maybe"),
        fails("Yes, because it is.", "an explanation is not an option", options="yes/no/maybe"),
        fails("perhaps", options="yes/no/maybe"),
        passes("b)", options="a), b), c), d)"),
        fails("b", "letter options must be reproduced exactly", options="a), b), c), d)"),
        fails("B)", "letter options are case-sensitive", options="a), b), c), d)"),
    ],
)
