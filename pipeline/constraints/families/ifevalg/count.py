"""IFEvalG counting constraints: lowercase words, letters, one letter, unique tokens, and a fixed composition of
paragraphs, sentences and words."""

from __future__ import annotations

import re
from collections import Counter

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Conflicts, ConstraintError, Param, fails, passes
from ...core.relations import holds, relation_inverse, relation_param
from ...text import treebank_tokens
from . import define
from ._common import STARS
from ._text import split_sentences_g

_LOWER_WORD = re.compile(r"\b[a-z]+\b")


def lowercase_counting(response: str, *, N: int) -> bool:
    """At most N words made only of ASCII lowercase letters (a word = a maximal
    run of word characters, so "don't" holds two and "café" none)."""
    return len(_LOWER_WORD.findall(response)) <= N


define(
    "count:lowercase_counting",
    category="count",
    description="At most N all-lowercase words.",
    params=[Param("N", "int", 2, 3, sample=S.int_range(2, 3))],
    phrasings=[
        "Use at most {N} words written entirely in lowercase letters.",
        "No more than {N} of your words may be all lowercase.",
        "Keep the number of fully lowercase words to {N} or fewer.",
    ],
    check=lowercase_counting,
    tags=("no_code", "short"),
    conflicts=Conflicts(ids={"change_case:english_lowercase": "all words lowercase vs few lowercase words"}),
    facts=None,
    examples=[
        passes("THE SUN is UP and BRIGHT", "two lowercase words: 'is', 'and'", N=2),
        fails("The sun is up", "three lowercase words: 'sun', 'is', 'up'", N=2),
        fails("don't", "an apostrophe splits a word: 'don' and 't' are two lowercase words", N=1),
    ],
)

_ASCII_LETTER = re.compile(r"[A-Za-z]")


def letter_counting(response: str, *, N: int, relation: str) -> bool:
    return holds(len(_ASCII_LETTER.findall(response)), relation, N)


define(
    "letters:letter_counting",
    category="count",
    description="Total number of letters compared with N.",
    params=[Param("N", "int", sample=S.scaled_int(3.0, 6.0, floor=10)), relation_param("relation")],
    phrasings=[
        "Answer with {relation} {N} letters in total.",
        "Your response should contain {relation} {N} letters (A-Z, any case).",
        "Use {relation} {N} alphabetic letters altogether.",
    ],
    check=letter_counting,
    tags=("english",),
    inverse=relation_inverse("letters:letter_counting", "relation"),
    conflicts=NO_CONFLICTS,
    facts=lambda p: F.Facts().need("letters", *F.rel(p["N"], p["relation"])),
    examples=[
        passes("Hello", N=5, relation="at least"),
        fails("Hello", N=5, relation="less than"),
        passes("Hi 123!", "only ASCII letters count", N=5, relation="less than"),
    ],
)


def letter_counting2(response: str, *, letter: str, let_frequency: int, let_relation: str) -> bool:
    """Occurrences of one letter in the lowercased response (IFEval letter_frequency)."""
    letter = str(letter).strip().lower()
    if len(letter) != 1 or not ("a" <= letter <= "z"):
        raise ConstraintError(f"letter must be one ASCII letter, got {letter!r}")
    return holds(Counter(response.lower())[letter], let_relation, let_frequency)


define(
    "letters:letter_counting2",
    category="count",
    description="Occurrences of one letter compared with a threshold.",
    params=[
        Param("letter", "letter", sample=S.letter),
        Param("let_frequency", "int", 1, 10, sample=S.int_range(1, 10)),
        relation_param("let_relation"),
    ],
    phrasings=[
        'The letter "{letter}" should appear {let_relation} {let_frequency} times in your response.',
        "Use the letter {letter} {let_relation} {let_frequency} times (upper or lower case).",
        "Make sure the letter '{letter}' occurs {let_relation} {let_frequency} times.",
    ],
    check=letter_counting2,
    tags=("english",),
    inverse=relation_inverse("letters:letter_counting2", "let_relation"),
    conflicts=NO_CONFLICTS,
    facts=lambda p: F.Facts().need("letter:" + str(p["letter"]).lower(), *F.rel(p["let_frequency"], p["let_relation"])),
    examples=[
        passes("EeE", "any case counts", letter="e", let_frequency=3, let_relation="at least"),
        fails("EeE", letter="e", let_frequency=3, let_relation="less than"),
        passes("abc", letter="z", let_frequency=1, let_relation="less than"),
    ],
)


def counting_composition(response: str, *, n_sent: int, n_words: int) -> bool:
    """Three ***-separated paragraphs, each of exactly n_sent rule-split sentences,
    each of exactly n_words Treebank tokens (punctuation tokens count). An empty
    leading/trailing piece is still checked for sentences, so it fails."""
    parts = STARS.split(response)
    count = len(parts)
    for i, part in enumerate(parts):
        if not part.strip():
            if i not in (0, len(parts) - 1):
                return False
            count -= 1
        sentences = split_sentences_g(part)
        if len(sentences) != n_sent:
            return False
        if any(len(treebank_tokens(s)) != n_words for s in sentences):
            return False
    return count == 3


define(
    "count:counting_composition",
    category="count",
    description="Three ***-separated paragraphs of n_sent sentences of n_words tokens.",
    params=[
        Param("n_sent", "int", 2, 3, sample=S.int_range(2, 3)),
        Param("n_words", "int", 3, 6, sample=S.int_range(3, 6)),
    ],
    phrasings=[
        (
            "Write 3 paragraphs separated by ***, each with exactly {n_sent} sentences of exactly {n_words} words "
            "(a punctuation mark counts as a word)."
        ),
        (
            "Give three paragraphs divided by the *** divider; every paragraph has {n_sent} sentences and every "
            "sentence has {n_words} words, where punctuation marks count as words."
        ),
        (
            "Compose 3 ***-separated paragraphs. Each must contain {n_sent} sentences, each sentence exactly "
            "{n_words} tokens long, counting words and punctuation marks."
        ),
    ],
    check=counting_composition,
    tags=("english", "no_code", "short"),
    conflicts=Conflicts(
        ids={
            "count:count_unique": "fixed sentence shapes vs no repeated word",
            "count:count_increment_word": "fixed sentence shapes vs keyword counts",
            "paragraphs:paragraphs": "3 paragraphs vs 2 paragraphs",
            "paragraphs:paragraphs2": "3 paragraphs vs 2 paragraphs",
            "keywords:letter_frequency": "fixed word counts vs letter counts",
            "keywords:frequency": "fixed word counts vs keyword counts",
            "length_constraints:number_sentences": "the composition fixes the sentence count",
            "length_constraints:number_paragraphs": "the composition fixes the paragraphs",
            "length_constraints:number_words": "the composition fixes the word count",
        }
    ),
    facts=lambda p: F.Facts().need("paragraphs", 3, 3).need("sentences", 3 * int(p["n_sent"]), 3 * int(p["n_sent"])),
    examples=[
        passes(
            "Birds sing. Dogs bark.\n***\nCats nap. Fish swim.\n***\nSun shines. Rain falls.",
            "each sentence is two words and '.': three tokens",
            n_sent=2,
            n_words=3,
        ),
        fails(
            "Birds sing loudly. Dogs bark.\n***\nCats nap. Fish swim.\n***\nSun shines. Rain falls.",
            "the first sentence has four tokens",
            n_sent=2,
            n_words=3,
        ),
        fails("Birds sing. Dogs bark.\n***\nCats nap. Fish swim.", "two paragraphs, not three", n_sent=2, n_words=3),
        fails(
            "Birds sing. Dogs bark.\n* * *\nCats nap. Fish swim.\n* * *\nSun shines. Rain falls.",
            "only '***' separates paragraphs, not '* * *'",
            n_sent=2,
            n_words=3,
        ),
    ],
)


def count_unique(response: str) -> bool:
    """No Treebank token repeats (case-sensitive; punctuation tokens included)."""
    toks = treebank_tokens(response)
    return len(toks) == len(set(toks))


define(
    "count:count_unique",
    category="count",
    description="No word (or punctuation token) is repeated.",
    phrasings=[
        "Never repeat a word: every word in your response must be different.",
        "Use each word at most once, and do not repeat punctuation marks either.",
        "Only unique words are allowed; nothing may appear twice.",
    ],
    check=count_unique,
    tags=("no_code", "short"),
    conflicts=NO_CONFLICTS,
    facts=lambda p: F.Facts().need("max_word_repeat", 0, 1),
    examples=[
        passes("Every word differs here"),
        passes("The cat saw the dog", "case-sensitive: 'The' and 'the' differ"),
        fails("One. Two.", "'.' twice"),
        fails("Red, green, blue", "punctuation tokens count: two commas"),
    ],
)
