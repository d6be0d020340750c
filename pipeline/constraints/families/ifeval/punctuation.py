"""IFEval punctuation constraint: no commas."""

from __future__ import annotations

from ...conflicts import facts as F
from ...core.contract import NO_CONFLICTS, fails, passes
from . import define


def no_comma(response: str) -> bool:
    # only the ASCII comma: a full-width "，" is not one
    return "," not in response


define(
    "punctuation:no_comma",
    category="punctuation",
    description="Contains no comma.",
    phrasings=[
        "In your entire response, refrain from using any commas.",
        "Do not use a single comma anywhere in your answer.",
        "Write the reply without commas.",
    ],
    check=no_comma,
    conflicts=NO_CONFLICTS,
    groups=("fits_data",),
    facts=F.bans("char:,"),
    examples=[
        passes("No commas here."),
        passes("Full stop; semicolon."),
        passes("a，b", "a full-width comma is not a comma"),
        fails("One, two."),
        fails("a，b and c, d"),
    ],
)
