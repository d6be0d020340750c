"""IFEval content constraints: [bracketed] placeholders and a closing postscript."""

from __future__ import annotations

import re

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Param, fails, passes
from . import define
from ._common import as_int, user_regex

_PLACEHOLDER = re.compile(r"\[.*?\]")


def number_placeholders(response: str, num_placeholders) -> bool:
    return len(_PLACEHOLDER.findall(response)) >= as_int("num_placeholders", num_placeholders)


define(
    "detectable_content:number_placeholders",
    category="content",
    description="At least N [bracketed] placeholders.",
    params=[Param("num_placeholders", "int", 1, 4, sample=S.int_range(1, 4))],
    phrasings=[
        "Include at least {num_placeholders} placeholders in square brackets, like [name].",
        "Leave {num_placeholders} or more fill-in placeholders written in square brackets, e.g. [date].",
        "The response must contain no fewer than {num_placeholders} bracketed placeholders such as [address].",
    ],
    check=number_placeholders,
    conflicts=NO_CONFLICTS,
    facts=lambda p: F.Facts().need("char:[", 1).need("char:]", 1) if int(p["num_placeholders"]) >= 1 else F.Facts(),
    examples=[
        passes("Dear [name], at [address].", num_placeholders=2),
        passes("[a][b]", num_placeholders=2),
        passes("[] and []", "an empty pair of brackets counts", num_placeholders=2),
        fails("Dear [name].", num_placeholders=2),
        fails("none", num_placeholders=2),
    ],
)


POSTSCRIPT_MARKERS = ("P.S.", "P.P.S")


def postscript(response: str, postscript_marker: str) -> bool:
    # case-insensitive, anywhere in the text (not only at the end), as in the reference
    marker = str(postscript_marker).strip()
    if marker == "P.P.S":
        pattern = re.compile(r"\s*p\.\s?p\.\s?s.*$", re.MULTILINE)
    elif marker == "P.S.":
        pattern = re.compile(r"\s*p\.\s?s\..*$", re.MULTILINE)
    else:
        pattern = user_regex(marker.lower(), re.MULTILINE, r"\s*", r".*$")
    return bool(pattern.findall(response.lower()))


def postscript_facts(p: dict) -> F.Facts:
    f = F.literal(F.Facts(decor=True), p.get("postscript_marker", "P.S."), case_sensitive=False)
    f.end.append(F.Anchor("block", "postscript"))
    return f


define(
    "detectable_content:postscript",
    category="content",
    description="Contains a postscript line starting with the marker.",
    params=[Param("postscript_marker", "choice", choices=POSTSCRIPT_MARKERS, sample=S.choice(POSTSCRIPT_MARKERS))],
    phrasings=[
        "At the end of your response, add a postscript starting with {postscript_marker}",
        "Finish with a short postscript that begins with {postscript_marker}",
        "Close your reply with a note introduced by {postscript_marker}",
    ],
    check=postscript,
    conflicts=NO_CONFLICTS,
    facts=postscript_facts,
    examples=[
        passes("Bye.\nP.S. See you.", postscript_marker="P.S."),
        passes("bye\np. s. later", "case-insensitive, one space allowed inside", postscript_marker="P.S."),
        passes(
            "P.S. this comes first.\nThen the letter.",
            "the marker may sit anywhere, not only at the end",
            postscript_marker="P.S.",
        ),
        fails("Bye. PS see you.", postscript_marker="P.S."),
        fails("P.P.S nope", postscript_marker="P.S."),
        passes("Bye.\nP.P.S see you.", postscript_marker="P.P.S"),
        fails("Bye.\nP.S. see you.", postscript_marker="P.P.S"),
    ],
)
