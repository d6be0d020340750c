"""Helpers shared by the IFEvalG checkers: how upstream reads word kwargs, counts keywords, compares copies and
counts paragraphs.

Each restates a piece of `open_instruct/IFEvalG/instructions.py` that several checkers use, with its corners.
"""

from __future__ import annotations

import re

from ...core.contract import ConstraintError


def first_if_list(value):
    """Upstream accepts a list for some word parameters and uses its first item."""
    return value[0] if isinstance(value, (list, tuple)) else value


def pattern_hits(pattern: str, response: str) -> int:
    """Upstream counts keywords with re.findall(keyword, ..., IGNORECASE): the keyword
    is a regex (unescaped) and matches inside longer words."""
    if not pattern:
        raise ConstraintError("keyword must be a non-empty string")
    try:
        return len(re.findall(pattern, response, flags=re.IGNORECASE))
    except re.error as e:
        raise ConstraintError(f"keyword {pattern!r} is not a valid pattern: {e}") from None


def same_text(a: str, b: str) -> bool:
    """The copy rule: equal ignoring case and surrounding whitespace."""
    return a.strip().lower() == b.strip().lower()


STARS = re.compile(r"\s?\*\*\*\s?")  # the *** paragraph divider, with at most one whitespace either side


def blocks_ok(parts: list[str], want: int) -> bool:
    """Paragraph count rule: empty first/last pieces are ignored, an empty piece
    in the middle fails, and the rest must number exactly `want`."""
    count = len(parts)
    for i, part in enumerate(parts):
        if not part.strip():
            if i in (0, len(parts) - 1):
                count -= 1
            else:
                return False
    return count == want


_NOT_WORD = re.compile(r"[^\w\s]")


def bare(token: str) -> str:
    """A token with its non-word characters removed, as the last-word checkers compare it."""
    return _NOT_WORD.sub("", token)
