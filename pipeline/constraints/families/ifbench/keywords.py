"""IFBench keywords: exact keyword counts, and keywords at fixed positions (a sentence, a word of a sentence, the
second and second-to-last word).

Keywords match as whole words, case-insensitively, as in current IFBench (the packaged reference still matches
substrings; tests/constraints/families/ifbench/test_ifbench_known_differences.py shows the gap). Positions count
nltk word tokens that hold a letter or digit, so punctuation never takes a place.
"""

from __future__ import annotations

import re

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Param, fails, passes
from . import define
from ._text import alnum_tokens, sentences


def keywords_multiple(response: str, keyword1: str, keyword2: str, keyword3: str, keyword4: str, keyword5: str) -> bool:
    wanted = zip((keyword1, keyword2, keyword3, keyword4, keyword5), (1, 2, 3, 5, 7))
    return all(
        len(re.findall(rf"\b{re.escape(str(k).strip())}\b", response, flags=re.IGNORECASE)) == n for k, n in wanted
    )


def keywords_multiple_facts(p: dict) -> F.Facts:
    # each keyword at least its count: a lower bound only, though the check wants exactly that many
    f = F.Facts()
    for key, n in (("keyword1", 1), ("keyword2", 2), ("keyword3", 3), ("keyword4", 5), ("keyword5", 7)):
        if p.get(key):
            F.kw(f, p[key], n)
    return f


_KW5 = {"keyword1": "cat", "keyword2": "bird", "keyword3": "fish", "keyword4": "frog", "keyword5": "goat"}
_KW5_TEXT = "cat " + "bird " * 2 + "fish " * 3 + "frog " * 5 + "goat " * 7

define(
    "count:keywords_multiple",
    category="keywords",
    description="keyword1..5 appear exactly 1, 2, 3, 5 and 7 times (whole words)",
    params=[Param(f"keyword{i}", "keyword", sample=S.keyword) for i in range(1, 6)],
    phrasings=[
        (
            "Use the word {keyword1} once, {keyword2} twice, {keyword3} three times, {keyword4} five times and "
            "{keyword5} seven times."
        ),
        (
            "Word counts matter: '{keyword1}' exactly 1 time, '{keyword2}' exactly 2 times, '{keyword3}' exactly "
            "3 times, '{keyword4}' exactly 5 times, '{keyword5}' exactly 7 times."
        ),
        (
            "Include keyword {keyword1} one time, keyword {keyword2} two times, keyword {keyword3} three times, "
            "keyword {keyword4} five times, and keyword {keyword5} seven times."
        ),
    ],
    check=keywords_multiple,
    conflicts=NO_CONFLICTS,
    facts=keywords_multiple_facts,
    examples=[
        passes(_KW5_TEXT, **_KW5),
        passes(_KW5_TEXT + "concatenate", "whole words only: 'concatenate' is not a 'cat'", **_KW5),
        fails("cat " + _KW5_TEXT, "the counts are exact: two 'cat' is one too many", **_KW5),
    ],
)


def keyword_sentence(response: str, word: str, N: int) -> bool:
    sents = sentences(response)
    n = int(N)
    if n < 1 or len(sents) < n:
        return False
    return re.search(rf"\b{re.escape(str(word))}\b", sents[n - 1], re.IGNORECASE) is not None


define(
    "sentence:keyword",
    category="sentence",
    description="sentence N contains the whole word `word`",
    params=[Param("word", "keyword", sample=S.keyword), Param("N", "int", 1, 20, sample=S.int_range(1, 6))],
    phrasings=[
        'Sentence number {N} of your answer must include the word "{word}".',
        "Put the keyword {word} in the {N}-th sentence.",
        "Make sure your sentence #{N} contains '{word}'.",
    ],
    check=keyword_sentence,
    conflicts=NO_CONFLICTS,
    facts=lambda p: F.kw(F.Facts(), p["word"], 1).need("sentences", int(p["N"])),
    examples=[
        passes("A dog. A Cat sat.", "any case", word="cat", N=2),
        fails("A cat. A dog.", "the keyword is in the wrong sentence", word="cat", N=2),
        fails("A dog. A catalog.", "whole words only", word="cat", N=2),
    ],
)


def keywords_specific_position(response: str, keyword: str, n: int, m: int) -> bool:
    sents = sentences(response)
    n, m = int(n), int(m)
    if n < 1 or m < 1 or len(sents) < n:
        return False
    words = alnum_tokens(sents[n - 1])
    return len(words) >= m and words[m - 1].lower() == str(keyword).strip().lower()


define(
    "words:keywords_specific_position",
    category="keywords",
    description="word m of sentence n is `keyword`",
    params=[
        Param("keyword", "keyword", sample=S.keyword),
        Param("n", "int", 1, 30, sample=S.int_range(1, 5)),
        Param("m", "int", 1, 40, sample=S.int_range(1, 8)),
    ],
    phrasings=[
        'In sentence {n}, the word at position {m} must be "{keyword}".',
        "Place the keyword {keyword} as word number {m} of your {n}-th sentence.",
        "Include {keyword} in the {n}-th sentence, as its {m}-th word.",
    ],
    check=keywords_specific_position,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("Hello there. The Sun rose.", "any case", keyword="sun", n=2, m=2),
        fails("The sun rose.", "there is no second sentence", keyword="sun", n=2, m=2),
        fails("Hi. Sun, the sun.", "the keyword is word 1 and 3 of sentence 2, not word 2", keyword="sun", n=2, m=2),
    ],
)


def words_position(response: str, keyword: str) -> bool:
    words = alnum_tokens(response)
    kw = str(keyword).strip().lower()
    return len(words) >= 2 and words[1].lower() == words[-2].lower() == kw


define(
    "words:words_position",
    category="keywords",
    description="the 2nd and the 2nd-to-last words are both `keyword`",
    params=[Param("keyword", "keyword", sample=S.keyword)],
    phrasings=[
        'The second word and the second-to-last word of your response must both be "{keyword}".',
        "Use {keyword} as the second word of your answer and again as its penultimate word.",
        "Make '{keyword}' appear as word two and as the next-to-last word of the response.",
    ],
    check=words_position,
    conflicts=NO_CONFLICTS,
    facts=lambda p: F.kw(F.Facts(), p["keyword"], 1),
    examples=[
        passes("The sun rose and the sun set.", "the final '.' is not a word", keyword="sun"),
        fails("The sun rose and set.", keyword="sun"),
    ],
)
