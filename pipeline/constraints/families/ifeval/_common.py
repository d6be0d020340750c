"""Parameter coercion shared by the IFEval checkers: the reference's way of reading kwargs, made total."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ...text import detect_language


def as_int(name: str, value) -> int:
    """An integer kwarg; integral floats and numeric strings are accepted as the reference's int() does."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"{name} must be an integer, got {value!r}")  # noqa: TRY004
    try:
        f = float(value)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {value!r}") from None
    if f != int(f):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    return int(f)


def user_regex(user: str, flags: int = 0, before: str = "", after: str = "") -> re.Pattern:
    """`before + user + after` as a regex, the user's text used as a pattern the
    way the reference uses it; the user part is escaped when it does not compile
    (where the reference would raise)."""
    try:
        return re.compile(before + user + after, flags)
    except re.error:
        return re.compile(before + re.escape(user) + after, flags)


def word_list(value, name: str) -> list[str]:
    """A non-empty list of words (a single string is a one-word list)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        words = [str(v) for v in value]
        if words:
            return words
    raise ValueError(f"{name} must be a non-empty list of strings, got {value!r}")


def in_language(response: str, code: str) -> bool:
    """langdetect says `code`; undecidable counts as followed, as in the reference."""
    lang = detect_language(response)
    return True if lang is None else lang == code
