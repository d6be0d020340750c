"""ifgen keyword placement: which of two keywords comes first, a keyword in the first or the last sentence.

Keywords match as whole words, case-insensitively. The first / last sentence is punkt's split of the whole
response (not the markdown-aware `_common.sentences`), so a heading without a full stop joins the sentence after
it.
"""

from __future__ import annotations

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Param, fails, passes
from ...text import split_sentences
from . import define
from ._common import first_word_index, has_word


def keyword_order(response: str, first_keyword: str, second_keyword: str) -> bool:
    a, b = first_word_index(response, first_keyword), first_word_index(response, second_keyword)
    return a >= 0 and b >= 0 and a < b


def _swap_keywords(p: dict) -> tuple[str, dict]:
    return "ifgen:keyword_order", {"first_keyword": p["second_keyword"], "second_keyword": p["first_keyword"]}


define(
    "ifgen:keyword_order",
    category="keywords",
    description="Keyword A first appears before keyword B.",
    params=[Param("first_keyword", "keyword", sample=S.keyword), Param("second_keyword", "keyword", sample=S.keyword)],
    phrasings=[
        "Use the words '{first_keyword}' and '{second_keyword}', and mention '{first_keyword}' first.",
        "Include '{first_keyword}' and '{second_keyword}'; the first '{first_keyword}' must come before the first '{second_keyword}'.",
        "Mention {first_keyword} before you mention {second_keyword} (both must appear).",
    ],
    check=keyword_order,
    inverse=_swap_keywords,
    conflicts=NO_CONFLICTS,
    groups=("english_only",),
    facts=lambda p: F.each_kw(F.Facts(), [p["first_keyword"], p["second_keyword"]], 1),
    examples=[
        passes("The River runs under a bridge.", "case-insensitive", first_keyword="river", second_keyword="bridge"),
        fails("A bridge over the river.", first_keyword="river", second_keyword="bridge"),
        fails("Only the river.", "both keywords must appear", first_keyword="river", second_keyword="bridge"),
        fails("Rivers and bridges.", "whole words only", first_keyword="river", second_keyword="bridge"),
    ],
)


def keyword_in_first_sentence(response: str, keyword: str) -> bool:
    ss = split_sentences(response.strip())
    return bool(ss) and has_word(ss[0], keyword)


define(
    "ifgen:keyword_in_first_sentence",
    category="keywords",
    description="The keyword appears in the first sentence.",
    params=[Param("keyword", "keyword", sample=S.keyword)],
    phrasings=[
        "Use the word '{keyword}' in your very first sentence.",
        "Your opening sentence must contain the word {keyword}.",
        "Mention '{keyword}' within the first sentence of the response.",
    ],
    check=keyword_in_first_sentence,
    conflicts=NO_CONFLICTS,
    groups=("english_only",),
    facts=lambda p: F.kw(F.Facts(), p["keyword"], 1),
    examples=[
        passes("The harbor is calm. Boats rest.", keyword="harbor"),
        fails("Boats rest. The harbor is calm.", keyword="harbor"),
        passes(
            "# Harbor notes\nBoats rest. Calm water.",
            "punkt does not split at a line break: a heading without a full stop is part of the first sentence",
            keyword="harbor",
        ),
    ],
)


def keyword_in_last_sentence(response: str, keyword: str) -> bool:
    ss = split_sentences(response.strip())
    return bool(ss) and has_word(ss[-1], keyword)


define(
    "ifgen:keyword_in_last_sentence",
    category="keywords",
    description="The keyword appears in the last sentence.",
    params=[Param("keyword", "keyword", sample=S.keyword)],
    phrasings=[
        "Use the word '{keyword}' in your final sentence.",
        "The closing sentence of your answer must contain the word {keyword}.",
        "Make sure '{keyword}' appears in the last sentence you write.",
    ],
    check=keyword_in_last_sentence,
    conflicts=NO_CONFLICTS,
    groups=("english_only",),
    facts=lambda p: F.kw(F.Facts(), p["keyword"], 1),
    examples=[
        passes("Boats rest. The Harbor is calm.", "case-insensitive", keyword="harbor"),
        fails("The harbor is calm. Boats rest.", keyword="harbor"),
    ],
)
