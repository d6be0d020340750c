"""IFEval letter-case constraints: how many words are in capitals, or the whole answer in English capitals or
lowercase."""

from __future__ import annotations

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Conflicts, Param, fails, passes
from ...core.relations import holds, relation_inverse, relation_param
from ...text import treebank_tokens
from . import define
from ._common import as_int, in_language


def capital_word_frequency(response: str, capital_frequency, capital_relation: str) -> bool:
    # words are Treebank tokens (as nltk.word_tokenize): "NASA's" is "NASA" + "'s"
    n = sum(1 for tok in treebank_tokens(response) if tok.isupper())
    return holds(n, capital_relation, as_int("capital_frequency", capital_frequency))


define(
    "change_case:capital_word_frequency",
    category="case",
    description="Less than / at least N all-capital words.",
    params=[
        Param("capital_frequency", "int", 1, 20, sample=S.int_range(1, 20)),
        relation_param("capital_relation"),
    ],
    phrasings=[
        "In your response, words written in all capital letters should appear {capital_relation} {capital_frequency} times.",
        "Use {capital_relation} {capital_frequency} fully capitalised words (like THIS) in your answer.",
        "The number of ALL-CAPS words in your reply should be {capital_relation} {capital_frequency}.",
    ],
    check=capital_word_frequency,
    tags=("english",),
    inverse=relation_inverse("change_case:capital_word_frequency", "capital_relation"),
    conflicts=Conflicts(
        ids={
            "change_case:english_lowercase": "capital words vs all lowercase",
            "change_case:english_capital": "a capital-word count vs all capitals",
        }
    ),
    facts=F.counted("capwords", "capital_frequency", "capital_relation", char="upper"),
    examples=[
        passes("THIS is VERY important", capital_frequency=2, capital_relation="at least"),
        passes("NASA and ESA", capital_frequency=2, capital_relation="at least"),
        passes(
            "NASA's and ESA's", "a possessive 's is its own token", capital_frequency=2, capital_relation="at least"
        ),
        fails("Only ONE here", capital_frequency=2, capital_relation="at least"),
        fails("none", capital_frequency=2, capital_relation="at least"),
        passes("Only ONE here", capital_frequency=2, capital_relation="less than"),
    ],
)


def english_capital(response: str) -> bool:
    return response.isupper() and in_language(response, "en")


define(
    "change_case:english_capital",
    category="case",
    description="English, and entirely in capital letters.",
    phrasings=[
        "Your entire response should be in English, and in all capital letters.",
        "Write the whole answer in English using only UPPERCASE letters.",
        "Reply in English, all caps, with no lowercase letters anywhere.",
    ],
    check=english_capital,
    tags=("english",),
    conflicts=NO_CONFLICTS,
    facts=F.bans("char:lower"),
    examples=[
        passes("THE WEATHER IS VERY NICE TODAY AND WE ARE GOING TO THE PARK."),
        fails("This is not all caps at all, sadly."),
        fails(
            "DER HUND SCHLÄFT IM GARTEN UNTER DEM BAUM UND WIR FAHREN MORGEN NACH BERLIN.",
            "all capitals, but German",
        ),
        fails(
            "THIS IS AN ENGLISH SENTENCE ABOUT RIVERS AND BRIDGES.",
            "langdetect reads this all-caps English as German: a reference quirk we keep",
        ),
    ],
)


def english_lowercase(response: str) -> bool:
    return response.islower() and in_language(response, "en")


define(
    "change_case:english_lowercase",
    category="case",
    description="English, and entirely in lowercase letters.",
    phrasings=[
        "Your entire response should be in English and in all lowercase letters; no capital letters are allowed.",
        "Write the whole answer in English using lowercase letters only.",
        "Reply in English without a single capital letter.",
    ],
    check=english_lowercase,
    tags=("english",),
    conflicts=Conflicts(ids={"change_case:english_capital": "all lowercase vs all capitals"}),
    facts=F.bans("char:upper", "capwords"),
    examples=[
        passes("this is an english sentence about rivers and bridges."),
        fails("This is English."),
        fails("le chat dort sur le canapé depuis ce matin et il reste là.", "all lowercase, but French"),
    ],
)
