"""Helpers shared by the ifgen family's category modules.

Markdown-aware splitting (lines, paragraphs, sentences, fences) and a few local samplers. Pure text functions
only; the sentence splitter is the punkt model from the text package, applied line by line so that headings and
list items do not glue onto the following prose.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from typing import Any

from ...core import samplers
from ...text import split_sentences, word_tokens

_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+\S")
_SEPARATOR_RE = re.compile(r"^\s*([-*_]\s*){3,}$")  # ***, ---, * * *
_MARKER_RE = re.compile(r"^(?:>\s*)*(?:(?:[-*+]|\d+[.)])\s+)?")


def nonempty_lines(text: str) -> list[str]:
    return [ln for ln in text.split("\n") if ln.strip()]


def strip_fenced(text: str) -> str:
    """The text with fenced code blocks removed (their lines dropped)."""
    out, inside = [], False
    for ln in text.split("\n"):
        if _FENCE_RE.match(ln):
            inside = not inside
            continue
        if not inside:
            out.append(ln)
    return "\n".join(out)


def is_heading(line: str) -> bool:
    return bool(_HEADING_RE.match(line))


def heading_texts(text: str) -> list[str]:
    """Text of markdown ATX headings outside code fences, in order."""
    return [
        ln.strip().lstrip("#").strip().strip("*").strip() for ln in strip_fenced(text).split("\n") if is_heading(ln)
    ]


def paragraphs(text: str) -> list[str]:
    """Blocks separated by blank lines; separator-only blocks (***, ---) dropped."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return [b.strip() for b in blocks if b.strip() and not _SEPARATOR_RE.match(b.strip())]


def sentences(text: str) -> list[str]:
    """Sentences of the prose: punkt per line (list and quote markers removed), skipping headings, fences, rules."""
    out: list[str] = []
    for ln in strip_fenced(text).split("\n"):
        s = ln.strip()
        if not s or is_heading(s) or _SEPARATOR_RE.match(s):
            continue
        s = _MARKER_RE.sub("", s)  # list bullets, "1." numbers and "> " would split off as sentences
        out.extend(x for x in split_sentences(s) if word_tokens(x))
    return out


def words(text: str) -> list[str]:
    return word_tokens(text)


def has_word(text: str, word: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text, flags=re.IGNORECASE) is not None


def first_word_index(text: str, word: str) -> int:
    m = re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text, flags=re.IGNORECASE)
    return m.start() if m else -1


def unfence(text: str, *langs: str) -> str:
    """Strip one surrounding ``` fence (optionally tagged with one of `langs`)."""
    s = text.strip()
    m = re.match(r"^```([\w+-]*)\s*\n(.*?)\n?```$", s, flags=re.DOTALL)
    if m and (not m.group(1) or m.group(1).lower() in langs):
        return m.group(2)
    return s


# ---- local samplers -------------------------------------------------------------------------------------------


def chars_scaled(per_word_lo: float, per_word_hi: float, floor: int = 40):
    """A character count proportional to the expected length in words, rounded to tens."""

    def sample(rng: random.Random, ctx: Mapping[str, Any]) -> int:
        n = samplers.expected_length(ctx)
        v = rng.uniform(n * per_word_lo, n * per_word_hi)
        return max(floor, round(v / 10.0) * 10)

    return sample


def sample_list(pool: tuple[str, ...], lo: int, hi: int):
    """`lo`..`hi` distinct items of `pool`, kept in pool order."""

    def sample(rng: random.Random, ctx: Mapping[str, Any]) -> list[str]:
        k = rng.randint(lo, hi)
        picked = set(rng.sample(range(len(pool)), k))
        return [pool[i] for i in sorted(picked)]

    return sample


def by_length(short: tuple[Any, ...], long: tuple[Any, ...], threshold: int = 300):
    """Choose from `short` for short expected outputs, from `long` otherwise."""

    def sample(rng: random.Random, ctx: Mapping[str, Any]) -> Any:
        return rng.choice(long if samplers.expected_length(ctx) >= threshold else short)

    return sample
