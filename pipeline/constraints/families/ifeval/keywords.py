"""IFEval keyword constraints: words that must appear, how often, which must not, and letter counts."""

from __future__ import annotations

import re

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Param, fails, passes
from ...core.relations import holds, relation_inverse, relation_param
from . import define
from ._common import as_int, user_regex, word_list


def keywords_existence(response: str, keywords) -> bool:
    # regex search, case-insensitive: "cat" is found inside "category", as in the reference
    return all(user_regex(k, re.IGNORECASE).search(response) for k in word_list(keywords, "keywords"))


define(
    "keywords:existence",
    category="keywords",
    description="Mentions every listed keyword (case-insensitive substring match).",
    params=[Param("keywords", "keywords", low=1, high=3, sample=S.keywords(1, 3))],
    phrasings=[
        "Make sure your answer includes the keywords {keywords}.",
        "Work the following words into your response: {keywords}.",
        "Your reply has to contain each of these terms: {keywords}.",
    ],
    check=keywords_existence,
    conflicts=NO_CONFLICTS,
    groups=("fits_json",),
    facts=lambda p: F.each_kw(F.Facts(), p["keywords"], 1),
    examples=[
        passes("A BRIDGE over the river.", keywords=["river", "Bridge"]),
        passes("riverbank and bridges", "a keyword inside a longer word counts", keywords=["river", "Bridge"]),
        fails("Only a river here.", keywords=["river", "Bridge"]),
        fails("nothing", keywords=["river", "Bridge"]),
    ],
)


def keywords_frequency(response: str, keyword: str, frequency, relation: str) -> bool:
    found = user_regex(str(keyword).strip(), re.IGNORECASE).findall(response)
    return holds(len(found), relation, as_int("frequency", frequency))


define(
    "keywords:frequency",
    category="keywords",
    description="Uses a keyword less than / at least N times (case-insensitive).",
    params=[
        Param("keyword", "keyword", sample=S.keyword),
        Param("frequency", "int", 1, 5, sample=S.int_range(1, 5)),
        relation_param("relation"),
    ],
    phrasings=[
        'In your response, the word "{keyword}" should appear {relation} {frequency} times.',
        "Use the word {keyword} {relation} {frequency} times in your answer.",
        "Make the term '{keyword}' occur {relation} {frequency} times in what you write.",
    ],
    check=keywords_frequency,
    inverse=relation_inverse("keywords:frequency", "relation"),
    conflicts=NO_CONFLICTS,
    groups=("fits_data",),
    facts=lambda p: F.kw(F.Facts(), p["keyword"], *F.rel(p["frequency"], p["relation"])),
    examples=[
        passes("cat and Cat", keyword="cat", frequency=2, relation="at least"),
        passes("a category of cats", "substrings count", keyword="cat", frequency=2, relation="at least"),
        fails("one cat only", keyword="cat", frequency=2, relation="at least"),
        fails("dogs", keyword="cat", frequency=2, relation="at least"),
        passes("one cat only", keyword="cat", frequency=2, relation="less than"),
    ],
)


def keywords_forbidden(response: str, forbidden_words) -> bool:
    # unlike the keyword count, forbidden words match on word boundaries (as in the reference)
    for word in set(word_list(forbidden_words, "forbidden_words")):
        if user_regex(word, re.IGNORECASE, r"\b", r"\b").search(response):
            return False
    return True


define(
    "keywords:forbidden_words",
    category="keywords",
    description="Avoids every listed word (whole-word, case-insensitive).",
    params=[Param("forbidden_words", "keywords", low=1, high=4, sample=S.keywords(1, 4))],
    phrasings=[
        "Do not use any of these words in your response: {forbidden_words}.",
        "Avoid the following words entirely: {forbidden_words}.",
        "Your answer must not contain the words {forbidden_words}.",
    ],
    check=keywords_forbidden,
    conflicts=NO_CONFLICTS,
    groups=("content_ban",),
    facts=lambda p: F.each_kw(F.Facts(), p["forbidden_words"], 0, 0),
    examples=[
        passes(
            "A category of hotdogs.", "word boundaries: 'cat' in 'category' is fine", forbidden_words=["cat", "dog"]
        ),
        passes("birds only", forbidden_words=["cat", "dog"]),
        fails("My Cat sleeps.", forbidden_words=["cat", "dog"]),
        fails("the dog.", forbidden_words=["cat", "dog"]),
    ],
)


def letter_frequency(response: str, letter: str, let_frequency, let_relation: str) -> bool:
    """Occurrences of `letter` in the response, any case. A `letter` that is not an ASCII letter is counted as
    that literal character: IFEval's own data asks for at least 4 '#' and 6 '!' this way, and that is what its
    prompts say. (The reference swaps such a letter for a random one, so its verdict is a coin toss.)"""
    if not isinstance(letter, str) or len(letter) != 1:
        raise ValueError(f"letter must be one character, got {letter!r}")
    count = response.lower().count(letter.lower())
    return holds(count, let_relation, as_int("let_frequency", let_frequency))


define(
    "keywords:letter_frequency",
    category="keywords",
    description="A letter appears less than / at least N times (any case; any other character literally).",
    params=[
        Param("letter", "letter", sample=S.letter),
        Param("let_frequency", "int", 1, 12, sample=S.int_range(1, 12)),
        relation_param("let_relation"),
    ],
    phrasings=[
        "In your response, the letter {letter} should appear {let_relation} {let_frequency} times.",
        "Write your answer so that the letter '{letter}' occurs {let_relation} {let_frequency} times.",
        "Count your letters: '{letter}' must show up {let_relation} {let_frequency} times in the reply.",
    ],
    check=letter_frequency,
    inverse=relation_inverse("keywords:letter_frequency", "let_relation"),
    conflicts=NO_CONFLICTS,
    groups=("fits_data",),
    facts=lambda p: F.Facts().need("letter:" + str(p["letter"]).lower(), *F.rel(p["let_frequency"], p["let_relation"])),
    examples=[
        passes("one z here", letter="z", let_frequency=2, let_relation="less than"),
        passes("no such letter", letter="z", let_frequency=2, let_relation="less than"),
        fails("zz", letter="z", let_frequency=2, let_relation="less than"),
        fails("Zigzag", "any case counts", letter="z", let_frequency=2, let_relation="less than"),
        passes("Zigzag", letter="z", let_frequency=2, let_relation="at least"),
        passes(
            "#sun #sea #salt #sky",
            "a non-letter counts literally (IFEval asks for '#')",
            letter="#",
            let_frequency=4,
            let_relation="at least",
        ),
        fails("#sun #sea sky", letter="#", let_frequency=4, let_relation="at least"),
        passes(
            "Wow! Cold! Sweet! Yes! More! Now!",
            "IFEval asks for '!' too",
            letter="!",
            let_frequency=6,
            let_relation="at least",
        ),
        fails("Wow! Cold!", letter="!", let_frequency=6, let_relation="at least"),
    ],
)
