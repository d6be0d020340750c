"""ifgen bans on words: first- and second-person pronouns, contractions, a word repeated right after itself."""

from __future__ import annotations

import re
from itertools import pairwise

from ...conflicts import facts as F
from ...core.contract import NO_CONFLICTS, Conflicts, fails, passes
from . import define
from ._common import words

# "US"/"WE" in capitals are usually the country or an acronym, so only I and lower/Title forms count.
_FIRST_PERSON = re.compile(
    r"\b(?:I|i|[Mm]e|[Mm]y|[Mm]ine|[Mm]yself|[Ww]e|[Uu]s|[Oo]ur|[Oo]urs|[Oo]urselves)\b"
    r"(?!\.e\.)"
)  # "i.e." is not a pronoun; I'm / I've match on the "I"


def no_first_person(response: str) -> bool:
    return _FIRST_PERSON.search(response) is None


define(
    "ifgen:no_first_person",
    category="words",
    description="No first-person pronouns (I, me, my, we, us, our...).",
    phrasings=[
        "Do not use first-person pronouns such as I, me, my, we, us or our.",
        "Write impersonally, with no first-person words (I, me, mine, we, our, ...).",
        "Avoid referring to yourself: no 'I', 'my', 'we' or 'our' anywhere.",
    ],
    check=no_first_person,
    tags=("english", "prose"),
    conflicts=NO_CONFLICTS,
    groups=("content_ban", "english_only"),
    facts=F.word_ban(F.FIRST_PERSON),
    examples=[
        passes("The US economy grew, i.e. it is known.", "capital US is the country; i.e. is not a pronoun"),
        fails("I think so."),
        fails("This is our plan."),
        fails("i'm sure.", "a lower-case i counts"),
    ],
)


_SECOND_PERSON = re.compile(r"(?i)\b(?:you|your|yours|yourself|yourselves|y['’]all|ya)\b")


def no_second_person(response: str) -> bool:
    return _SECOND_PERSON.search(response) is None


define(
    "ifgen:no_second_person",
    category="words",
    description="No second-person pronouns (you, your...).",
    phrasings=[
        "Do not address the reader directly: avoid 'you', 'your' and 'yours'.",
        "Write without any second-person pronouns (you, your, yourself).",
        "The words you, your and yourself must not appear in the response.",
    ],
    check=no_second_person,
    tags=("english", "prose"),
    conflicts=Conflicts(ids={"ifgen:email_format": "an email addresses its reader"}),
    groups=("content_ban", "english_only"),
    facts=F.word_ban(F.SECOND_PERSON),
    examples=[
        passes("The reader may disagree."),
        fails("Thank YOU.", "any case counts"),
    ],
)


_CONTRACTION = re.compile(
    r"(?i)\b\w+n['’]t\b|\b\w+['’](?:re|ve|ll|d|m)\b"
    r"|\b(?:it|that|there|here|what|who|where|he|she|let|how|when|why)['’]s\b"
)


def no_contractions(response: str) -> bool:
    return _CONTRACTION.search(response) is None


define(
    "ifgen:no_contractions",
    category="words",
    description="No contractions (don't, it's, we'll...).",
    phrasings=[
        "Do not use contractions; write 'do not' instead of 'don't', 'it is' instead of 'it's'.",
        "Avoid all contractions such as can't, won't, it's and we'll.",
        "Spell out every contracted form in full (no apostrophe contractions).",
    ],
    check=no_contractions,
    tags=("english", "prose"),
    conflicts=NO_CONFLICTS,
    groups=("content_ban", "english_only"),
    facts=None,
    examples=[
        passes("It is not done. John's book is here.", "a possessive 's is not a contraction"),
        fails("It's done."),
        fails("We don’t know.", "a curly apostrophe counts"),
        fails("They'll come."),
    ],
)


def no_repeated_adjacent_words(response: str) -> bool:
    ws = [w.lower() for w in words(response)]
    return all(a != b for a, b in pairwise(ws))


define(
    "ifgen:no_repeated_adjacent_words",
    category="words",
    description="No word immediately repeated (e.g. 'the the').",
    phrasings=[
        "Never write the same word twice in a row.",
        "Avoid immediate word repetitions such as 'very very' anywhere in the response.",
        "No word may directly follow an identical word.",
    ],
    check=no_repeated_adjacent_words,
    conflicts=NO_CONFLICTS,
    groups=("fits_data",),
    facts=None,
    examples=[
        passes("That is what that means."),
        fails("It was the the best."),
        fails("Very, VERY good.", "case and punctuation between the two are ignored"),
    ],
)
