"""ifgen bans on surface features: emoji (and their count), digits, web links.

Emoji are what the `emoji` package's table lists, so ASCII smileys such as ":)" are not emoji. `ifgen:emoji_count`
is the counting counterpart and the inverse of the ban. Exclamation marks are already banned by IFEvalG's
`punctuation:punctuation_exclamation`, so no duplicate id is added here.
"""

from __future__ import annotations

import re

import emoji

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Conflicts, Param, fails, passes
from ...core.relations import holds, relation_inverse, relation_param
from . import define

SMILE, ROCKET = "\U0001f600", "\U0001f680"


def no_emoji(response: str) -> bool:
    return emoji.emoji_count(response) == 0


def _no_emoji_inverse(p: dict) -> tuple[str, dict]:
    return "ifgen:emoji_count", {"num_emoji": 1, "relation": "at least"}


define(
    "ifgen:no_emoji",
    category="punctuation",
    description="No emoji anywhere.",
    phrasings=[
        "Do not use any emoji.",
        "Keep the response free of emoji characters.",
        "No emoji are allowed anywhere in your answer.",
    ],
    check=no_emoji,
    inverse=_no_emoji_inverse,
    conflicts=Conflicts(
        ids={
            "format:emoji": "no emoji vs an emoji after every sentence",
            "ifgen:emoji_count": "no emoji vs counting emoji",
        }
    ),
    groups=("content_ban",),
    facts=F.bans("emoji"),
    examples=[
        passes("Plain text :) only.", "an ASCII smiley is not an emoji"),
        fails(f"Nice {SMILE}"),
    ],
)


def emoji_count(response: str, num_emoji: int, relation: str) -> bool:
    return holds(emoji.emoji_count(response), relation, num_emoji)


define(
    "ifgen:emoji_count",
    category="count",
    description="Number of emoji compared with n.",
    params=[Param("num_emoji", "int", 1, 6, sample=S.int_range(1, 5)), relation_param("relation")],
    phrasings=[
        "Use {relation} {num_emoji} emoji in your response.",
        "Your text must contain {relation} {num_emoji} emoji characters.",
        "Sprinkle in emoji: {relation} {num_emoji} of them.",
    ],
    check=emoji_count,
    tags=("short",),
    inverse=relation_inverse("ifgen:emoji_count"),
    conflicts=NO_CONFLICTS,
    facts=F.counted("emoji", "num_emoji", "relation"),
    examples=[
        passes(f"Launch {ROCKET} day {SMILE}", num_emoji=2, relation="at least"),
        passes(f"Just one {ROCKET}", num_emoji=2, relation="less than"),
        fails(f"Just one {ROCKET}", num_emoji=2, relation="at least"),
        fails(f"{ROCKET}{ROCKET}", "each emoji counts, adjacent ones too", num_emoji=2, relation="less than"),
    ],
)


def no_digits(response: str) -> bool:
    return not any(ch.isdigit() for ch in response)


define(
    "ifgen:no_digits",
    category="punctuation",
    description="No digit characters; numbers must be spelled out.",
    phrasings=[
        "Do not use any digits; spell out every number in words.",
        "Your response must not contain the characters 0-9 (or any other digit).",
        "Write all numbers as words, never as numerals.",
    ],
    check=no_digits,
    tags=("no_code",),
    conflicts=Conflicts(groups={"numbered": "the instruction needs numerals"}),
    groups=("fits_json",),
    facts=F.bans("char:digit"),
    examples=[
        passes("Twenty-two apples and seven pears."),
        fails("We have 3 apples."),
        fails("Arabic-Indic digit \u0663.", "any Unicode digit counts, not only 0-9"),
    ],
)


_URL = re.compile(
    r"(?i)\bhttps?://|\bftp://|\bwww\.[\w-]+|\b[\w-]+\.(?:com|org|net|io|gov|edu|ai|dev|co|uk|de|info)\b(?:/\S*)?"
)


def no_urls(response: str) -> bool:
    return _URL.search(response) is None


define(
    "ifgen:no_urls",
    category="content",
    description="No URLs or web addresses.",
    phrasings=[
        "Do not include any URLs or web addresses.",
        "Leave out links: no http(s) addresses, www. names or domain names.",
        "Your answer must not contain a single web link.",
    ],
    check=no_urls,
    conflicts=NO_CONFLICTS,
    groups=("content_ban",),
    facts=None,
    examples=[
        passes("See the documentation for details. Version two. e.g. this.", "'e.g.' is not a domain name"),
        fails("Visit https://example.org now."),
        fails("Go to www.example", "a www. name needs no top-level domain"),
        fails("It is on example.com/page.", "a bare domain name counts"),
    ],
)
