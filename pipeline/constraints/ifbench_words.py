"""IFBench word- and sentence-level constraints (words:*, sentence:*).

Each checker states which tokenisation it uses (see ifbench_util), because the
benchmark's verdicts depend on it: e.g. words:repeats deletes punctuation before
splitting, while words:keywords_specific_position uses nltk word tokens.
"""

from __future__ import annotations

import functools
import re
import string
from collections import Counter
from itertools import pairwise

import syllapy

from . import samplers
from .base import Param
from .ifbench_util import PUNCT_SPACE, alnum_tokens, bare_words, drop_punct, make, nltk_words, sentences
from .ifbench_verbs import is_verb

_PRIMES = frozenset(p for p in range(2, 98) if all(p % d for d in range(2, int(p**0.5) + 1)))
_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxyz")


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


def vowel(response: str) -> bool:
    lines = response.strip().split("\n")
    return len(lines) == 1 and len(set(lines[0].lower()) & set("aeiou")) <= 3


def consonants(response: str) -> bool:
    def has_cluster(w: str) -> bool:
        return any(a in _CONSONANTS and b in _CONSONANTS for a, b in pairwise(w))

    return all(has_cluster(w) for w in response.lower().split())


def alliteration_increment(response: str) -> bool:
    previous = -1
    for sent in sentences(response):
        heads = [w.lstrip(PUNCT_SPACE)[0] for w in sent.lower().split() if w.lstrip(PUNCT_SPACE)]
        score, in_run = 0, False
        for a, b in pairwise(heads):
            if a == b:
                score += 1 if in_run else 2  # a run of k alliterating words scores k
                in_run = True
            else:
                in_run = False
        if score <= previous:
            return False
        previous = score
    return True


def palindrome(response: str) -> bool:
    words = drop_punct(response).lower().split()
    return sum(1 for w in words if len(w) >= 5 and w == w[::-1]) >= 10


def prime_lengths(response: str) -> bool:
    return all(len(w) in _PRIMES for w in drop_punct(response).split())


def start_verb(response: str) -> bool:
    toks = nltk_words(response)
    return bool(toks) and is_verb(toks[0])


def repeats(response: str, small_n: int) -> bool:
    counts = Counter(bare_words(response))
    return all(c <= int(small_n) for c in counts.values())


def keyword_sentence(response: str, word: str, N: int) -> bool:
    sents = sentences(response)
    n = int(N)
    if n < 1 or len(sents) < n:
        return False
    return re.search(rf"\b{re.escape(str(word))}\b", sents[n - 1], re.IGNORECASE) is not None


_syllables = functools.lru_cache(maxsize=1 << 14)(syllapy.count)  # pure per word; words repeat


def odd_even_syllables(response: str) -> bool:
    prev = None
    for w in drop_punct(response).lower().split():  # stops at the first pair of equal parities
        parity = _syllables(w) % 2
        if parity == prev:
            return False
        prev = parity
    return True


def last_first(response: str) -> bool:
    sents = sentences(response)
    for cur, nxt in pairwise(sents):
        tail = cur.rstrip(PUNCT_SPACE).split()
        head = nxt.lstrip(PUNCT_SPACE).split()
        if not tail or not head or tail[-1].lower() != head[0].lower():
            return False
    return True


def paragraph_last_first(response: str) -> bool:
    for para in response.split("\n"):
        words = para.strip().lower().strip(PUNCT_SPACE).split()
        if words and words[0] != words[-1]:
            return False
    return True


def increment(response: str, small_n: int) -> bool:
    counts = [len(drop_punct(s).split()) for s in sentences(response)]
    if not counts:
        return False
    return all(b == a + int(small_n) for a, b in pairwise(counts))


def no_consecutive(response: str) -> bool:
    words = bare_words(response)
    return all(a[0] != b[0] for a, b in pairwise(words))


def keywords_specific_position(response: str, keyword: str, n: int, m: int) -> bool:
    sents = sentences(response)
    n, m = int(n), int(m)
    if n < 1 or m < 1 or len(sents) < n:
        return False
    words = alnum_tokens(sents[n - 1])
    return len(words) >= m and words[m - 1].lower() == str(keyword).strip().lower()


def words_position(response: str, keyword: str) -> bool:
    words = alnum_tokens(response)
    kw = str(keyword).strip().lower()
    return len(words) >= 2 and words[1].lower() == words[-2].lower() == kw


CONSTRAINTS = [
    make(
        "words:alphabet",
        "words",
        "consecutive words start with consecutive letters, wrapping z->a",
        alphabet,
        (
            "Each word must begin with the letter after the previous word's first letter, wrapping from Z back to A.",
            "Write so that word initials run through the alphabet in order (..., Y, Z, A, B, ...).",
            "Every word has to start with the next letter of the alphabet, looping back to 'A' after 'Z'.",
        ),
    ),
    make(
        "words:vowel",
        "words",
        "a single paragraph using at most three of the vowels a e i o u",
        vowel,
        (
            "Write one paragraph in which only three kinds of vowels (out of a, e, i, o, u) ever appear.",
            "Answer in a single paragraph whose words together use no more than three different vowels.",
            "Limit yourself to three distinct vowels across the whole answer, written as one paragraph.",
        ),
    ),
    make(
        "words:consonants",
        "words",
        "every word contains two adjacent consonants",
        consonants,
        (
            "Every word you write needs a consonant cluster (two consonants side by side).",
            "Make sure each word includes at least two consecutive consonants.",
            "Use only words that contain a consonant cluster, like 'str' in 'strong'.",
        ),
    ),
    make(
        "sentence:alliteration_increment",
        "sentence",
        "each sentence has a longer alliterative run than the one before",
        alliteration_increment,
        (
            "Each sentence must contain a longer run of consecutive alliterating words than the sentence before.",
            "Build up the alliteration: every new sentence needs more consecutive words sharing a first letter.",
            "Make the alliterative sequences grow from sentence to sentence.",
        ),
    ),
    make(
        "words:palindrome",
        "words",
        "at least 10 palindromic words of 5+ letters",
        palindrome,
        (
            "Include at least 10 palindrome words, each five or more letters long.",
            "Use ten or more single-word palindromes (like 'level' or 'radar') of at least 5 characters.",
            "Your text must contain no fewer than 10 words of length 5+ that read the same backwards.",
        ),
    ),
    make(
        "words:prime_lengths",
        "words",
        "every word's length is a prime number",
        prime_lengths,
        (
            "Use only words whose length is a prime number of letters.",
            "Every word must have 2, 3, 5, 7, 11, ... letters: prime lengths only.",
            "Write using words with prime-number lengths exclusively.",
        ),
    ),
    make(
        "words:start_verb",
        "words",
        "the response starts with a verb (lexicon, see ifbench_verbs)",
        start_verb,
        (
            "Begin your response with a verb.",
            "The very first word of your answer must be a verb.",
            "Start the answer with a verb, for example an imperative.",
        ),
    ),
    make(
        "words:repeats",
        "words",
        "no word occurs more than small_n times",
        repeats,
        (
            "Do not use any word more than {small_n} times.",
            "No single word may appear over {small_n} times in your answer.",
            "Repeat each word at most {small_n} times.",
        ),
        (Param("small_n", "int", 1, 5, sample=samplers.int_range(2, 5)),),
    ),
    make(
        "sentence:keyword",
        "sentence",
        "sentence N contains the whole word `word`",
        keyword_sentence,
        (
            'Sentence number {N} of your answer must include the word "{word}".',
            "Put the keyword {word} in the {N}-th sentence.",
            "Make sure your sentence #{N} contains '{word}'.",
        ),
        (Param("word", "keyword", sample=samplers.keyword), Param("N", "int", 1, 20, sample=samplers.int_range(1, 6))),
    ),
    make(
        "words:odd_even_syllables",
        "words",
        "words alternate between odd and even syllable counts",
        odd_even_syllables,
        (
            "Alternate between words with an odd and an even number of syllables.",
            "Write so that syllable counts switch parity word by word: odd, even, odd, ...",
            "Each word must differ from the previous one in whether its syllable count is odd or even.",
        ),
    ),
    make(
        "words:last_first",
        "words",
        "each sentence starts with the previous sentence's last word",
        last_first,
        (
            "The last word of each sentence must be the first word of the next sentence.",
            "Chain your sentences: start every sentence with the word that ended the one before.",
            "Begin each new sentence with the final word of the preceding sentence.",
        ),
    ),
    make(
        "words:paragraph_last_first",
        "words",
        "each line/paragraph ends with the word it starts with",
        paragraph_last_first,
        (
            "Each paragraph must end with the same word it begins with; separate paragraphs with a newline.",
            "Start and finish every paragraph with the same word, one paragraph per line.",
            "Write paragraphs (split by newlines) whose first and last words are identical.",
        ),
    ),
    make(
        "sentence:increment",
        "sentence",
        "each sentence has exactly small_n more words than the previous",
        increment,
        (
            "Each sentence must have exactly {small_n} more words than the sentence before it.",
            "Grow every sentence by precisely {small_n} words compared with the previous one.",
            "Make sentence lengths increase by {small_n} words at each step.",
        ),
        (Param("small_n", "int", 1, 5, sample=samplers.int_range(1, 5)),),
    ),
    make(
        "words:no_consecutive",
        "words",
        "no two adjacent words share a first letter",
        no_consecutive,
        (
            "No two consecutive words may start with the same letter.",
            "Adjacent words must always begin with different letters.",
            "Never let two words in a row share their first letter.",
        ),
    ),
    make(
        "words:keywords_specific_position",
        "keywords",
        "word m of sentence n is `keyword`",
        keywords_specific_position,
        (
            'In sentence {n}, the word at position {m} must be "{keyword}".',
            "Place the keyword {keyword} as word number {m} of your {n}-th sentence.",
            "Include {keyword} in the {n}-th sentence, as its {m}-th word.",
        ),
        (
            Param("keyword", "keyword", sample=samplers.keyword),
            Param("n", "int", 1, 30, sample=samplers.int_range(1, 5)),
            Param("m", "int", 1, 40, sample=samplers.int_range(1, 8)),
        ),
    ),
    make(
        "words:words_position",
        "keywords",
        "the 2nd and the 2nd-to-last words are both `keyword`",
        words_position,
        (
            'The second word and the second-to-last word of your response must both be "{keyword}".',
            "Use {keyword} as the second word of your answer and again as its penultimate word.",
            "Make '{keyword}' appear as word two and as the next-to-last word of the response.",
        ),
        (Param("keyword", "keyword", sample=samplers.keyword),),
    ),
]
