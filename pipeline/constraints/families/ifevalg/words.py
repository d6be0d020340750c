"""IFEvalG word-shape constraints: neighbouring first letters, palindromes."""

from __future__ import annotations

import itertools

from ...core.contract import NO_CONFLICTS, fails, passes
from . import define


def no_adjacent_consecutive(response: str) -> bool:
    """No two neighbouring tokens whose lowercased first characters are successive
    code points (a then b, 1 then 2, ( then ) all fail)."""
    toks = response.split()
    for left, right in itertools.pairwise(toks):
        a, b = left[0].lower(), right[0].lower()
        if len(a) != 1 or len(b) != 1:
            return False
        if ord(b) - ord(a) == 1:
            return False
    return True


define(
    "keywords:no_adjacent_consecutive",
    category="words",
    description="No two neighbouring words start with consecutive letters.",
    phrasings=[
        "Make sure no two neighbouring words begin with letters that follow each other in the alphabet.",
        (
            "Avoid placing a word right after one whose first letter comes just before its own in the alphabet "
            '(for example, no "a" word followed by a "b" word).'
        ),
        "Two adjacent words must never start with consecutive letters of the alphabet.",
    ],
    check=no_adjacent_consecutive,
    tags=("english", "no_code"),
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("Zebras eat grass quietly"),
        fails("A big dog", "a then b, compared lowercased"),
        passes("big apple", "b then a is allowed"),
        fails("Item 1 2", "any first characters count: '1' then '2'"),
    ],
)


def palindrome(response: str) -> bool:
    """Some whitespace token reads the same reversed (case and punctuation count;
    one-character tokens such as "a" or "I" qualify)."""
    return any(t == t[::-1] for t in response.split())


define(
    "keywords:palindrome",
    category="words",
    description="Include a palindrome.",
    phrasings=[
        "Include at least one palindrome in your response.",
        "Use a word that reads the same backwards as forwards.",
        "Somewhere in your answer, write a palindrome.",
    ],
    check=palindrome,
    tags=("english",),
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("we saw a racecar"),
        fails("Good morning everyone"),
        fails("Racecar", "case matters"),
        passes("I think so", "a one-letter word is a palindrome"),
    ],
)
