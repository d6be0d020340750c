"""IFBench one-off tasks answered with wordplay: the US national animal written words-backwards or
letters-backwards, and a 26-sentence story running through the alphabet.

Each of these ids *is* a complete task with a single right shape of answer; sentences are punkt sentences, as
IFBench's nltk.sent_tokenize.
"""

from __future__ import annotations

import string

from ...core.contract import NO_CONFLICTS, fails, passes
from . import define
from ._text import sentences


def word_reverse(response: str) -> bool:
    """Reading the words backwards gives one sentence that mentions the bald eagle."""
    flipped = " ".join(response.lower().strip().translate(str.maketrans("", "", string.punctuation)).split()[::-1])
    return "bald eagle" in flipped and flipped in sentences(flipped)


define(
    "custom:word_reverse",
    category="custom",
    description="the answer (bald eagle) written with its word order reversed",
    phrasings=[
        "What animal is the national symbol of the US? Answer in one sentence, but write the words in reverse order.",
        "Name the national animal of the United States in a sentence whose words are in reverse order.",
        "Answer this: what animal is the US national symbol? Reverse the order of the words in your sentence.",
    ],
    check=word_reverse,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("eagle bald the is It"),
        fails("It is the bald eagle", "read backwards it says 'eagle bald'"),
    ],
)


def character_reverse(response: str) -> bool:
    return "elgae dlab" in response.lower()


define(
    "custom:character_reverse",
    category="custom",
    description="the answer (bald eagle) written backwards letter by letter",
    phrasings=[
        "What animal is the national symbol of the US? Answer with your sentence written backwards, letter by letter.",
        "Name the US national animal, but reverse your sentence character by character.",
        "Answer: what is the national symbol animal of the US? Write the answer with its letters in reverse order.",
    ],
    check=character_reverse,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes(".elgae dlab eht si tI"),
        fails("It is the bald eagle."),
    ],
)


def sentence_alphabet(response: str) -> bool:
    sents = sentences(response)
    if len(sents) != 26:
        return False
    for i, sent in enumerate(sents):
        head = sent.lstrip(string.punctuation + string.whitespace)
        if not head or head[0].lower() != chr(97 + i):
            return False
    return True


define(
    "custom:sentence_alphabet",
    category="custom",
    description="26 sentences starting with A..Z in order",
    phrasings=[
        "Tell me a 26-sentence story in which the sentences start with A, B, C, ... Z in order.",
        (
            "Write a story of exactly 26 sentences; the first word of each starts with the next letter of the "
            "alphabet, from A to Z."
        ),
        "Compose 26 sentences forming a story, their first letters running through the alphabet in order.",
    ],
    check=sentence_alphabet,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes(" ".join(f"{chr(65 + i)}x went home." for i in range(26))),
        fails(" ".join(f"{chr(66 + i % 25)}x went home." for i in range(26)), "the story starts at B"),
    ],
)
