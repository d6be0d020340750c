"""IFBench word games: rules every word (or every pair of neighbouring words) must follow — initials, vowels,
consonant clusters, palindromes, prime lengths, syllable parity, repeats, and a verb first.

Each checker states which tokenisation it uses (see _text.py), because the benchmark's verdicts depend on it: e.g.
words:repeats deletes punctuation before splitting, while words:start_verb looks at the first nltk word token.
"""

from __future__ import annotations

import functools
import string
from collections import Counter
from itertools import pairwise

import syllapy

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Param, fails, passes
from . import define
from ._text import bare_words, drop_punct, nltk_words
from ._words import is_verb


def alphabet(response: str) -> bool:
    words = drop_punct(response).split()
    if not words:
        return False
    letter = words[0][0].lower()
    if letter not in string.ascii_lowercase:
        return False
    for w in words[1:]:
        letter = chr((ord(letter) - 97 + 1) % 26 + 97)
        if w.lower()[0] != letter:
            return False
    return True


define(
    "words:alphabet",
    category="words",
    description="consecutive words start with consecutive letters, wrapping z->a",
    phrasings=[
        "Each word must begin with the letter after the previous word's first letter, wrapping from Z back to A.",
        "Write so that word initials run through the alphabet in order (..., Y, Z, A, B, ...).",
        "Every word has to start with the next letter of the alphabet, looping back to 'A' after 'Z'.",
    ],
    check=alphabet,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("Yellow zebras always bite.", "z wraps round to a"),
        passes("apple, banana; cherry", "punctuation is deleted first"),
        fails("apple cherry", "b is skipped"),
        fails("1 apple", "the first word must start with a letter"),
    ],
)


def vowel(response: str) -> bool:
    lines = response.strip().split("\n")
    return len(lines) == 1 and len(set(lines[0].lower()) & set("aeiou")) <= 3


define(
    "words:vowel",
    category="words",
    description="a single paragraph using at most three of the vowels a e i o u",
    phrasings=[
        "Write one paragraph in which only three kinds of vowels (out of a, e, i, o, u) ever appear.",
        "Answer in a single paragraph whose words together use no more than three different vowels.",
        "Limit yourself to three distinct vowels across the whole answer, written as one paragraph.",
    ],
    check=vowel,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("A cat sat on a mat.", "only a and o"),
        fails("A cat sat on a mat with the bit.", "a, o, i and e: four vowels"),
        fails("A cat.\nA mat.", "two lines are not one paragraph"),
    ],
)

_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxyz")


def consonants(response: str) -> bool:
    def has_cluster(w: str) -> bool:
        return any(a in _CONSONANTS and b in _CONSONANTS for a, b in pairwise(w))

    return all(has_cluster(w) for w in response.lower().split())


define(
    "words:consonants",
    category="words",
    description="every word contains two adjacent consonants",
    phrasings=[
        "Every word you write needs a consonant cluster (two consonants side by side).",
        "Make sure each word includes at least two consecutive consonants.",
        "Use only words that contain a consonant cluster, like 'str' in 'strong'.",
    ],
    check=consonants,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("Strong black myths", "y counts as a consonant"),
        fails("Strong idea"),
    ],
)


def palindrome(response: str) -> bool:
    words = drop_punct(response).lower().split()
    return sum(1 for w in words if len(w) >= 5 and w == w[::-1]) >= 10


define(
    "words:palindrome",
    category="words",
    description="at least 10 palindromic words of 5+ letters",
    phrasings=[
        "Include at least 10 palindrome words, each five or more letters long.",
        "Use ten or more single-word palindromes (like 'level' or 'radar') of at least 5 characters.",
        "Your text must contain no fewer than 10 words of length 5+ that read the same backwards.",
    ],
    check=palindrome,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("level radar civic kayak rotor refer stats madam racecar tenet"),
        fails("level radar civic kayak rotor refer stats madam racecar wow", "'wow' is shorter than 5 letters"),
    ],
)

_PRIMES = frozenset(p for p in range(2, 98) if all(p % d for d in range(2, int(p**0.5) + 1)))


def prime_lengths(response: str) -> bool:
    return all(len(w) in _PRIMES for w in drop_punct(response).split())


define(
    "words:prime_lengths",
    category="words",
    description="every word's length is a prime number",
    phrasings=[
        "Use only words whose length is a prime number of letters.",
        "Every word must have 2, 3, 5, 7, 11, ... letters: prime lengths only.",
        "Write using words with prime-number lengths exclusively.",
    ],
    check=prime_lengths,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("The world is seven", "3, 5, 2 and 5 letters"),
        fails("The world is four", "'four' has 4 letters"),
    ],
)


def start_verb(response: str) -> bool:
    toks = nltk_words(response)
    return bool(toks) and is_verb(toks[0])


define(
    "words:start_verb",
    category="words",
    description="the response starts with a verb (lexicon, see ifbench_verbs)",  # the lexicon: _words.py
    phrasings=[
        "Begin your response with a verb.",
        "The very first word of your answer must be a verb.",
        "Start the answer with a verb, for example an imperative.",
    ],
    check=start_verb,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("Write it down."),
        passes("Is it here?", "auxiliaries are verbs"),
        fails("The dog barks."),
        fails("Should we go?", "modals are tagged MD, not VB"),
    ],
)


def repeats(response: str, small_n: int) -> bool:
    counts = Counter(bare_words(response))
    return all(c <= int(small_n) for c in counts.values())


define(
    "words:repeats",
    category="words",
    description="no word occurs more than small_n times",
    params=[Param("small_n", "int", 1, 5, sample=S.int_range(2, 5))],
    phrasings=[
        "Do not use any word more than {small_n} times.",
        "No single word may appear over {small_n} times in your answer.",
        "Repeat each word at most {small_n} times.",
    ],
    check=repeats,
    conflicts=NO_CONFLICTS,
    facts=lambda p: F.Facts().need("max_word_repeat", 0, int(p["small_n"])),
    examples=[
        passes("the cat and the dog", small_n=2),
        fails("the the the cat", small_n=2),
        fails("The, the; THE!", "case and punctuation are ignored", small_n=2),
    ],
)

_syllables = functools.lru_cache(maxsize=1 << 14)(syllapy.count)  # pure per word; words repeat


def odd_even_syllables(response: str) -> bool:
    prev = None
    for w in drop_punct(response).lower().split():  # stops at the first pair of equal parities
        parity = _syllables(w) % 2
        if parity == prev:
            return False
        prev = parity
    return True


define(
    "words:odd_even_syllables",
    category="words",
    description="words alternate between odd and even syllable counts",
    phrasings=[
        "Alternate between words with an odd and an even number of syllables.",
        "Write so that syllable counts switch parity word by word: odd, even, odd, ...",
        "Each word must differ from the previous one in whether its syllable count is odd or even.",
    ],
    check=odd_even_syllables,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("cat apple dog river", "1, 2, 1, 2 syllables"),
        fails("cat dog apple", "1 then 1"),
    ],
)


def no_consecutive(response: str) -> bool:
    words = bare_words(response)
    return all(a[0] != b[0] for a, b in pairwise(words))


define(
    "words:no_consecutive",
    category="words",
    description="no two adjacent words share a first letter",
    phrasings=[
        "No two consecutive words may start with the same letter.",
        "Adjacent words must always begin with different letters.",
        "Never let two words in a row share their first letter.",
    ],
    check=no_consecutive,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("The cat ran home."),
        fails("The tall cat ran.", "'The tall': case is ignored"),
    ],
)
