"""Checkers for the markdown structure constraints (tables, fences, steps, headings, lists).

Pure functions of text; `extra_markdown.py` registers them with their parameters and phrasings.
"""

from __future__ import annotations

import re

from .extra_common import compare, heading_texts, is_heading, nonempty_lines, strip_fenced

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


def check_markdown_table(response: str, num_rows: int, num_columns: int) -> bool:
    return any(r == num_rows and c == num_columns and ok for r, c, ok in _tables(response))


CODE_LANGUAGES = {
    "python": ("python", "py", "python3"),
    "javascript": ("javascript", "js", "node"),
    "typescript": ("typescript", "ts"),
    "bash": ("bash", "sh", "shell", "zsh"),
    "sql": ("sql", "postgresql", "mysql", "sqlite"),
    "rust": ("rust", "rs"),
    "go": ("go", "golang"),
    "java": ("java",),
    "c++": ("cpp", "c++", "cxx"),
}


def check_code_block_language(response: str, code_language: str) -> bool:
    aliases = CODE_LANGUAGES.get(code_language.lower(), (code_language.lower(),))
    ls = response.split("\n")
    for i, ln in enumerate(ls):
        m = re.match(r"^\s*```\s*([\w+#.-]+)", ln)
        if m and m.group(1).lower() in aliases and any(re.match(r"^\s*```\s*$", x) for x in ls[i + 1 :]):
            return True
    return False


_NUMBERED = re.compile(r"^\s{0,3}(\d+)[.)]\s+\S")


def check_numbered_steps(response: str, num_steps: int) -> bool:
    nums = [int(m.group(1)) for ln in strip_fenced(response).split("\n") if (m := _NUMBERED.match(ln))]
    return nums == list(range(1, num_steps + 1))


def check_headings_count(response: str, num_headings: int) -> bool:
    return len(heading_texts(response)) == num_headings


_BOLD = re.compile(r"\*\*[^*\n]+?\*\*|__[^_\n]+?__")


def check_bold_count(response: str, num_bold: int, relation: str) -> bool:
    return compare(len(_BOLD.findall(strip_fenced(response))), relation, num_bold)


_LIST_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+(\S.*)$")


def _clean_item(s: str) -> str:
    s = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", s)  # [text](#anchor) -> text
    return re.sub(r"^\d+(\.\d+)*\.?\s+", "", s.strip().strip("*_").strip()).lower()


def check_table_of_contents(response: str) -> bool:
    """A 'Table of Contents' line, then >= 2 list items, each matching a later heading."""
    ls = strip_fenced(response).split("\n")
    for i, ln in enumerate(ls):
        label = ln.strip().lstrip("#").strip().strip("*_:").strip().lower()
        if label not in ("table of contents", "contents"):
            continue
        items, j = [], i + 1
        while j < len(ls) and (not ls[j].strip() and not items or _LIST_ITEM.match(ls[j])):
            m = _LIST_ITEM.match(ls[j])
            if m:
                items.append(_clean_item(m.group(2)))
            j += 1
        later = [_clean_item(h) for h in heading_texts("\n".join(ls[j:]))]
        return len(items) >= 2 and all(it in later for it in items)
    return False


def _list_depth(text: str) -> int:
    stack: list[int] = []
    deepest = 0
    for ln in strip_fenced(text).split("\n"):
        m = _LIST_ITEM.match(ln)
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


def check_bullet_nesting_depth(response: str, depth: int) -> bool:
    return _list_depth(response) == depth


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


def check_section_order(response: str, section_names: list[str]) -> bool:
    heads = _section_positions(response)
    last = -1
    for name in section_names:
        idx = next((k for k, h in enumerate(heads) if name.lower() in h), -1)
        if idx <= last:
            return False
        last = idx
    return True


def check_exact_lines(response: str, num_lines: int) -> bool:
    return len(nonempty_lines(response.strip())) == num_lines


def check_blockquote_count(response: str, num_blockquotes: int) -> bool:
    blocks, inside = 0, False
    for ln in strip_fenced(response).split("\n"):
        q = ln.lstrip().startswith(">")
        if q and not inside:
            blocks += 1
        inside = q
    return blocks >= num_blockquotes


def check_inline_code_count(response: str, num_inline_code: int) -> bool:
    spans = re.findall(r"(?<!`)`[^`\n]+`(?!`)", strip_fenced(response))
    return len(spans) >= num_inline_code


def check_no_code_blocks(response: str) -> bool:
    return not any(re.match(r"^\s*(```|~~~)", ln) for ln in response.split("\n"))


_Q = re.compile(r"^\s*(?:\*\*)?\s*(Q|Question)\s*(?:\d+)?\s*[:.]", re.IGNORECASE)
_A = re.compile(r"^\s*(?:\*\*)?\s*(A|Answer)\s*(?:\d+)?\s*[:.]", re.IGNORECASE)


def check_qa_pairs(response: str, num_pairs: int) -> bool:
    seq = []
    for ln in nonempty_lines(response):
        if _Q.match(ln):
            seq.append("Q")
        elif _A.match(ln):
            seq.append("A")
    return seq == ["Q", "A"] * num_pairs


def check_list_item_max_words(response: str, max_words: int) -> bool:
    items = [m.group(2) for ln in strip_fenced(response).split("\n") if (m := _LIST_ITEM.match(ln))]
    return len(items) >= 2 and all(len(re.findall(r"\w+", it)) <= max_words for it in items)
