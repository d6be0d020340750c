"""IFBench counting and ratio constraints (count:*, ratio:*).

Semantics follow the current allenai/IFBench checkers; the word lists (person
names, pronouns, conjunctions) are IFBench's. Where IFBench tokenises in an
unusual way (e.g. distinct conjunction *spellings*, trigram overlap over nltk
tokens) we keep that behaviour, because eval numbers must match the benchmark.
"""

from __future__ import annotations

import re

from . import samplers, text
from .base import Param
from .ifbench_util import (
    bare_words,
    drop_punct,
    make,
    max_words,
    min_words,
    nltk_words,
    sentences,
    task_text,
    trim_punct,
)

_COORDINATING = frozenset(["and", "but", "for", "nor", "or", "so", "yet"])

PERSON_NAMES = (
    "Emma",
    "Liam",
    "Sophia",
    "Jackson",
    "Olivia",
    "Noah",
    "Ava",
    "Lucas",
    "Isabella",
    "Mason",
    "Mia",
    "Ethan",
    "Charlotte",
    "Alexander",
    "Amelia",
    "Benjamin",
    "Harper",
    "Leo",
    "Zoe",
    "Daniel",
    "Chloe",
    "Samuel",
    "Lily",
    "Matthew",
    "Grace",
    "Owen",
    "Abigail",
    "Gabriel",
    "Ella",
    "Jacob",
    "Scarlett",
    "Nathan",
    "Victoria",
    "Elijah",
    "Layla",
    "Nicholas",
    "Audrey",
    "David",
    "Hannah",
    "Christopher",
    "Penelope",
    "Thomas",
    "Nora",
    "Andrew",
    "Aria",
    "Joseph",
    "Claire",
    "Ryan",
    "Stella",
    "Jonathan",
)

_PRONOUN_WORDS = (
    # personal, possessive, reflexive
    "i me we us you he him she her it they them my mine our ours your yours his hers its their theirs "
    "myself ourselves yourself yourselves himself herself itself themselves "
    # demonstrative, interrogative, relative
    "this that these those who whom whose which what whoever whomever whatever whichever "
    # indefinite
    "anybody anyone anything everybody everyone everything nobody nothing somebody someone something "
    "each either neither both all some any none"
)
PRONOUNS = frozenset(_PRONOUN_WORDS.split())

_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def word_count_range(response: str, min_words: int, max_words: int) -> bool:
    return int(min_words) <= text.count_words(response) <= int(max_words)


def unique_word_count(response: str, N: int) -> bool:
    # An all-punctuation token trims to "" and still counts once, as in IFBench.
    return len({trim_punct(w) for w in response.lower().split()}) >= int(N)


def stop_words(response: str, percentage: float) -> bool:
    words = text.word_tokens(response)
    if not words:
        return False
    stops = text.stopwords_en()
    share = 100 * sum(1 for w in words if w.lower() in stops) / len(words)
    return share <= float(percentage)


def _endings(response: str) -> tuple[int, int, int]:
    sents = sentences(response)
    return tuple(sum(1 for s in sents if s.endswith(c)) for c in ".?!")  # type: ignore[return-value]


def sentence_type(response: str) -> bool:
    declarative, questions, _ = _endings(response)
    return declarative == 2 * questions


def sentence_balance(response: str) -> bool:
    declarative, questions, exclamations = _endings(response)
    return declarative == questions == exclamations


def conjunctions(response: str, small_n: int) -> bool:
    # IFBench counts distinct raw tokens ("and", "And", "and,") whose trimmed
    # lowercase form is a coordinating conjunction.
    found = {w for w in response.split() if trim_punct(w).lower() in _COORDINATING}
    return len(found) >= int(small_n)


_NAME_SET = frozenset(PERSON_NAMES)
_WORD_RUN = re.compile(r"\w+")


def person_names(response: str, N: int) -> bool:
    # `\bName\b` for an all-letter name matches exactly when the name is a whole
    # maximal run of word chars, so one findall replaces fifty searches
    found = len(_NAME_SET.intersection(_WORD_RUN.findall(response)))
    return found >= int(N)


def _trigrams(s: str) -> set[tuple[str, ...]]:
    toks = nltk_words(s)
    return {tuple(toks[i : i + 3]) for i in range(len(toks) - 2)}


def overlap(response: str, reference_text: str, percentage: float) -> bool:
    mine = _trigrams(response)
    if not mine:
        return False
    share = 100 * len(mine & _trigrams(reference_text)) / len(mine)
    return float(percentage) - 2 <= share <= float(percentage) + 2


def numbers(response: str, N: int) -> bool:
    # Punctuation is deleted first, so "3.14" and "1,000" count as one number each.
    return len(re.findall(r"\d+", drop_punct(response))) == int(N)


def punctuation(response: str) -> bool:
    if not any(mark in response for mark in ("?!", "!?", "\u203d")):
        return False
    # One interrobang pair is consumed, so "?" and "!" must also appear on their own.
    rest = response.replace("?!", "", 1)
    if rest == response:
        rest = response.replace("!?", "", 1)
    return set(".,!?;:") <= set(rest)


def sentence_words(response: str) -> bool:
    sents = sentences(response)
    if len(sents) != 3 or len({len(s.strip()) for s in sents}) != 1:
        return False
    words = bare_words(" ".join(sents))
    return len(words) == len(set(words))


def words_japanese(response: str, N: int) -> bool:
    n = int(N)
    for i, raw in enumerate(response.split(), start=1):
        w = trim_punct(raw)
        if i % n == 0 and w and not w.isdigit() and not _JAPANESE.search(w):
            return False
    return True


def pronouns(response: str, N: int) -> bool:
    toks = nltk_words(response.replace("/", " ").lower())
    return sum(1 for t in toks if t in PRONOUNS) >= int(N)


def keywords_multiple(response: str, keyword1: str, keyword2: str, keyword3: str, keyword4: str, keyword5: str) -> bool:
    wanted = zip((keyword1, keyword2, keyword3, keyword4, keyword5), (1, 2, 3, 5, 7))
    return all(
        len(re.findall(rf"\b{re.escape(str(k).strip())}\b", response, flags=re.IGNORECASE)) == n for k, n in wanted
    )


def _count_n(lo: int, hi: int):
    return samplers.int_range(lo, hi)


CONSTRAINTS = [
    make(
        "count:word_count_range",
        "length",
        "word count (\\w+ tokens) within [min_words, max_words]",
        word_count_range,
        (
            "Your answer should be between {min_words} and {max_words} words long.",
            "Keep the response to no fewer than {min_words} and no more than {max_words} words.",
            "Aim for a length of {min_words} to {max_words} words in total.",
        ),
        (Param("min_words", "int", 10, 3300, sample=min_words), Param("max_words", "int", 11, 3630, sample=max_words)),
        tags=("english", "long"),
    ),
    make(
        "count:unique_word_count",
        "count",
        "at least N distinct lowercase words",
        unique_word_count,
        (
            "Use at least {N} different words in your response.",
            "Your vocabulary matters here: include no fewer than {N} unique words.",
            "Make sure the answer contains {N} or more distinct words.",
        ),
        (Param("N", "int", 10, 500, sample=samplers.scaled_int(0.3, 0.5, floor=10, cap=500)),),
        tags=("english", "long"),
    ),
    make(
        "ratio:stop_words",
        "ratio",
        "stop words are at most `percentage`% of all words",
        stop_words,
        (
            "Stop words (the, of, and, ...) may make up no more than {percentage}% of the words you write.",
            "Keep common function words to at most {percentage} percent of your total word count.",
            "No more than {percentage}% of your words may be English stop words.",
        ),
        (Param("percentage", "int", 30, 60, sample=_count_n(30, 60)),),
    ),
    make(
        "ratio:sentence_type",
        "ratio",
        "declarative sentences = 2 x interrogative sentences",
        sentence_type,
        (
            "Write twice as many statements (ending in a period) as questions.",
            "Keep a 2:1 ratio between declarative sentences and questions.",
            "For every question you ask, include exactly two declarative sentences.",
        ),
    ),
    make(
        "ratio:sentence_balance",
        "ratio",
        "equal counts of sentences ending in '.', '?' and '!'",
        sentence_balance,
        (
            "Use the same number of statements, questions and exclamations.",
            "Balance your sentence types: as many declarative as interrogative as exclamatory sentences.",
            "Every sentence type (ending with '.', '?' or '!') must appear equally often.",
        ),
    ),
    make(
        "count:conjunctions",
        "count",
        "at least small_n different coordinating conjunctions",
        conjunctions,
        (
            "Use at least {small_n} different coordinating conjunctions (and, but, for, nor, or, so, yet).",
            "Include {small_n} or more distinct coordinating conjunctions in your answer.",
            "Your text must contain no fewer than {small_n} different words from: and, but, for, nor, or, so, yet.",
        ),
        (Param("small_n", "int", 2, 6, sample=_count_n(2, 6)),),
    ),
    make(
        "count:person_names",
        "count",
        "at least N different names from IFBench's list of 50",
        person_names,
        (
            "Mention at least {N} different people by name, choosing names from this list: "
            + ", ".join(PERSON_NAMES)
            + ".",
            "Refer to {N} or more distinct people, using only these first names: " + ", ".join(PERSON_NAMES) + ".",
            "Include no fewer than {N} different names taken from: " + ", ".join(PERSON_NAMES) + ".",
        ),
        (Param("N", "int", 1, 50, sample=_count_n(1, 8)),),
    ),
    make(
        "ratio:overlap",
        "ratio",
        "word-trigram overlap with reference_text within percentage +-2",
        overlap,
        (
            (
                "Reuse the wording of this reference so that {percentage}% (plus or minus 2%) of your word trigrams "
                "also appear in it: {reference_text}"
            ),
            "Keep a trigram overlap of {percentage}% (+-2%) with the following reference text: {reference_text}",
            (
                "About {percentage}% (within 2 points) of your three-word sequences should come from this text: "
                "{reference_text}"
            ),
        ),
        (
            Param("reference_text", "text", sample=task_text),
            Param("percentage", "int", 1, 100, sample=_count_n(10, 60)),
        ),
        tags=("english", "needs_prompt"),
    ),
    make(
        "count:numbers",
        "count",
        "exactly N digit runs after deleting punctuation",
        numbers,
        (
            "Include exactly {N} numbers in your response.",
            "Your answer must contain precisely {N} numbers, no more and no fewer.",
            "Use {N} numbers in total (written in digits).",
        ),
        (Param("N", "int", 1, 6, sample=_count_n(1, 6)),),
        tags=("english", "no_code"),
    ),
    make(
        "count:punctuation",
        "punctuation",
        "uses . , ! ? ; : and an interrobang (?! or !?)",
        punctuation,
        (
            (
                "Use every standard punctuation mark at least once: period, comma, exclamation mark, question mark, "
                "semicolon, colon, and also an interrobang (?!)."
            ),
            "Somewhere in your text include . , ! ? ; : and the combined mark ?! as well.",
            "Your answer must contain each of these marks: '.', ',', '!', '?', ';', ':' plus an interrobang '?!'.",
        ),
    ),
    make(
        "ratio:sentence_words",
        "sentence",
        "three sentences of equal character length, no word reused",
        sentence_words,
        (
            "Respond with exactly three sentences that all have the same number of characters and share no words.",
            "Write three sentences of identical character length, never repeating a word.",
            "Answer in three sentences, each with the same character count, using all different words.",
        ),
    ),
    make(
        "count:words_japanese",
        "language",
        "every N-th whitespace word contains Japanese script",
        words_japanese,
        (
            "Every {N}th word of your response must be written in Japanese.",
            "Write word number {N}, {N}x2, {N}x3 and so on in Japanese; the rest may be English.",
            "Make each {N}th word of the answer a Japanese word.",
        ),
        (Param("N", "int", 2, 30, sample=_count_n(2, 12)),),
    ),
    make(
        "count:pronouns",
        "count",
        "at least N pronouns (IFBench's list, nltk tokens)",
        pronouns,
        (
            "Include at least {N} pronouns in your answer.",
            "Use {N} or more pronouns (I, you, they, this, someone, ...).",
            "Your response should contain no fewer than {N} pronouns.",
        ),
        (Param("N", "int", 1, 25, sample=_count_n(1, 25)),),
    ),
    make(
        "count:keywords_multiple",
        "keywords",
        "keyword1..5 appear exactly 1, 2, 3, 5 and 7 times (whole words)",
        keywords_multiple,
        (
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
        ),
        tuple(Param(f"keyword{i}", "keyword", sample=samplers.keyword) for i in range(1, 6)),
    ),
]
