"""IFEvalG punctuation constraints: no dots, no exclamation marks."""

from __future__ import annotations

from ...conflicts import facts as F
from ...core.contract import NO_CONFLICTS, fails, passes
from . import define


def no_dot(response: str) -> bool:
    return "." not in response


define(
    "punctuation:punctuation_dot",
    category="punctuation",
    description="No dots anywhere.",
    phrasings=[
        "Do not use any periods (.) in your response, not even in numbers or abbreviations.",
        "Write your answer without a single dot character.",
        "Avoid the . character entirely.",
    ],
    check=no_dot,
    tags=("no_code",),
    conflicts=NO_CONFLICTS,
    groups=("fits_data",),
    facts=F.bans("char:."),
    examples=[
        passes("No dots here, none at all!"),
        fails("Pi is 3.14", "a decimal point is a dot too"),
    ],
)


def no_exclamation(response: str) -> bool:
    return "!" not in response


define(
    "punctuation:punctuation_exclamation",
    category="punctuation",
    description="No exclamation marks anywhere.",
    phrasings=[
        "Do not use any exclamation marks (!) in your response.",
        "Write your answer without a single ! character.",
        "Avoid exclamation points entirely.",
    ],
    check=no_exclamation,
    tags=("no_code",),
    conflicts=NO_CONFLICTS,
    groups=("fits_data",),
    facts=F.bans("char:!"),
    examples=[
        passes("Calm and quiet."),
        fails("Wow!"),
    ],
)
