"""IFBench counts: how many words, names, pronouns, numbers, conjunctions or punctuation marks a response holds.

The word lists (person names, pronouns, conjunctions) are IFBench's. Where IFBench tokenises in an unusual way
(e.g. distinct conjunction *spellings*) we keep that behaviour, because eval numbers must match the benchmark.
"""

from __future__ import annotations

import re

from ... import text
from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Conflicts, Param, fails, passes
from . import define
from ._samplers import sample_max_words, sample_min_words
from ._text import drop_punct, nltk_words, trim_punct
from ._words import COORDINATING_CONJUNCTIONS, PERSON_NAMES, PRONOUNS


def word_count_range(response: str, min_words: int, max_words: int) -> bool:
    return int(min_words) <= text.count_words(response) <= int(max_words)


define(
    "count:word_count_range",
    category="length",
    description="word count (\\w+ tokens) within [min_words, max_words]",
    params=[
        Param("min_words", "int", 10, 3300, sample=sample_min_words),
        Param("max_words", "int", 11, 3630, sample=sample_max_words),
    ],
    phrasings=[
        "Your answer should be between {min_words} and {max_words} words long.",
        "Keep the response to no fewer than {min_words} and no more than {max_words} words.",
        "Aim for a length of {min_words} to {max_words} words in total.",
    ],
    check=word_count_range,
    tags=("english", "long"),
    conflicts=Conflicts(ids={"length_constraints:number_words": "two different word-count requirements"}),
    groups=("fits_data",),
    facts=lambda p: F.Facts().need("words", int(p["min_words"]), int(p["max_words"])),
    examples=[
        passes("one two three", min_words=3, max_words=5),
        passes("a b c d e", "both bounds are inclusive", min_words=3, max_words=5),
        fails("a b", min_words=3, max_words=5),
        fails("a b c d e f", min_words=3, max_words=5),
    ],
)


def unique_word_count(response: str, N: int) -> bool:
    # An all-punctuation token trims to "" and still counts once, as in IFBench.
    return len({trim_punct(w) for w in response.lower().split()}) >= int(N)


define(
    "count:unique_word_count",
    category="count",
    description="at least N distinct lowercase words",
    params=[Param("N", "int", 10, 500, sample=S.scaled_int(0.3, 0.5, floor=10, cap=500))],
    phrasings=[
        "Use at least {N} different words in your response.",
        "Your vocabulary matters here: include no fewer than {N} unique words.",
        "Make sure the answer contains {N} or more distinct words.",
    ],
    check=unique_word_count,
    tags=("english", "long"),
    conflicts=NO_CONFLICTS,
    facts=lambda p: F.Facts().need("words", int(p["N"])),
    examples=[
        passes("Red, red blue green.", "case and edge punctuation are ignored: red, blue, green", N=3),
        fails("red red RED blue", N=3),
        passes("a b --", "an all-punctuation token trims to '' and still counts once, as in IFBench", N=3),
    ],
)


def conjunctions(response: str, small_n: int) -> bool:
    # IFBench counts distinct raw tokens ("and", "And", "and,") whose trimmed
    # lowercase form is a coordinating conjunction.
    found = {w for w in response.split() if trim_punct(w).lower() in COORDINATING_CONJUNCTIONS}
    return len(found) >= int(small_n)


define(
    "count:conjunctions",
    category="count",
    description="at least small_n different coordinating conjunctions",
    params=[Param("small_n", "int", 2, 6, sample=S.int_range(2, 6))],
    phrasings=[
        "Use at least {small_n} different coordinating conjunctions (and, but, for, nor, or, so, yet).",
        "Include {small_n} or more distinct coordinating conjunctions in your answer.",
        "Your text must contain no fewer than {small_n} different words from: and, but, for, nor, or, so, yet.",
    ],
    check=conjunctions,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("red and blue but green", small_n=2),
        passes("and And", "IFBench counts distinct spellings, so 'and' and 'And' are two", small_n=2),
        fails("and and and", small_n=2),
        fails("band border", "whole tokens only", small_n=2),
    ],
)

_NAME_SET = frozenset(PERSON_NAMES)
_NAME_LIST = ", ".join(PERSON_NAMES)
_WORD_RUN = re.compile(r"\w+")


def person_names(response: str, N: int) -> bool:
    # `\bName\b` for an all-letter name matches exactly when the name is a whole
    # maximal run of word chars, so one findall replaces fifty searches
    found = len(_NAME_SET.intersection(_WORD_RUN.findall(response)))
    return found >= int(N)


define(
    "count:person_names",
    category="count",
    description="at least N different names from IFBench's list of 50",
    params=[Param("N", "int", 1, 50, sample=S.int_range(1, 8))],
    phrasings=[
        "Mention at least {N} different people by name, choosing names from this list: " + _NAME_LIST + ".",
        "Refer to {N} or more distinct people, using only these first names: " + _NAME_LIST + ".",
        "Include no fewer than {N} different names taken from: " + _NAME_LIST + ".",
    ],
    check=person_names,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("Emma met Noah.", N=2),
        fails("Emma met emma.", "names are case-sensitive and counted once each", N=2),
        fails("Emmanuel and Noah.", "whole words only", N=2),
    ],
)


def numbers(response: str, N: int) -> bool:
    # Punctuation is deleted first, so "3.14" and "1,000" count as one number each.
    return len(re.findall(r"\d+", drop_punct(response))) == int(N)


define(
    "count:numbers",
    category="count",
    description="exactly N digit runs after deleting punctuation",
    params=[Param("N", "int", 1, 6, sample=S.int_range(1, 6))],
    phrasings=[
        "Include exactly {N} numbers in your response.",
        "Your answer must contain precisely {N} numbers, no more and no fewer.",
        "Use {N} numbers in total (written in digits).",
    ],
    check=numbers,
    tags=("english", "no_code"),
    conflicts=NO_CONFLICTS,
    groups=("numbered",),
    facts=lambda p: F.Facts().need("char:digit", 1) if int(p["N"]) >= 1 else F.Facts(),
    examples=[
        passes("Pi is 3.14 and e is 2.71.", "punctuation is deleted first: 3.14 is one number", N=2),
        fails("In 2020 we had 3 cats and 4 dogs.", N=2),
    ],
)


def pronouns(response: str, N: int) -> bool:
    toks = nltk_words(response.replace("/", " ").lower())
    return sum(1 for t in toks if t in PRONOUNS) >= int(N)


define(
    "count:pronouns",
    category="count",
    description="at least N pronouns (IFBench's list, nltk tokens)",
    params=[Param("N", "int", 1, 25, sample=S.int_range(1, 25))],
    phrasings=[
        "Include at least {N} pronouns in your answer.",
        "Use {N} or more pronouns (I, you, they, this, someone, ...).",
        "Your response should contain no fewer than {N} pronouns.",
    ],
    check=pronouns,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("She/her/hers", "a slash separates words", N=3),
        passes("Everyone saw this and that.", "indefinite and demonstrative pronouns count", N=3),
        fails("The cat sat.", N=3),
    ],
)


def punctuation(response: str) -> bool:
    if not any(mark in response for mark in ("?!", "!?", "\u203d")):
        return False
    # One interrobang pair is consumed, so "?" and "!" must also appear on their own.
    rest = response.replace("?!", "", 1)
    if rest == response:
        rest = response.replace("!?", "", 1)
    return set(".,!?;:") <= set(rest)


define(
    "count:punctuation",
    category="punctuation",
    description="uses . , ! ? ; : and an interrobang (?! or !?)",
    phrasings=[
        (
            "Use every standard punctuation mark at least once: period, comma, exclamation mark, question mark, "
            "semicolon, colon, and also an interrobang (?!)."
        ),
        "Somewhere in your text include . , ! ? ; : and the combined mark ?! as well.",
        "Your answer must contain each of these marks: '.', ',', '!', '?', ';', ':' plus an interrobang '?!'.",
    ],
    check=punctuation,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("Wait, what?! Really? Wow! Yes; here: done."),
        fails("Wait, what?! Really? Yes; here: done.", "the '!' of the interrobang does not count on its own"),
    ],
)

_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def words_japanese(response: str, N: int) -> bool:
    n = int(N)
    for i, raw in enumerate(response.split(), start=1):
        w = trim_punct(raw)
        if i % n == 0 and w and not w.isdigit() and not _JAPANESE.search(w):
            return False
    return True


define(
    "count:words_japanese",
    category="language",
    description="every N-th whitespace word contains Japanese script",
    params=[Param("N", "int", 2, 30, sample=S.int_range(2, 12))],
    phrasings=[
        "Every {N}th word of your response must be written in Japanese.",
        "Write word number {N}, {N}x2, {N}x3 and so on in Japanese; the rest may be English.",
        "Make each {N}th word of the answer a Japanese word.",
    ],
    check=words_japanese,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("I 猫 like 東京 very 123", "a number in an N-th place is let through", N=2),
        fails("I cat like 東京", N=2),
    ],
)
