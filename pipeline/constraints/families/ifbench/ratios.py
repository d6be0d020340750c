"""IFBench ratios: shares of stop words, of sentence types, and of word trigrams reused from a reference text.

Sentences are punkt sentences (as IFBench's nltk.sent_tokenize) and trigrams are built over nltk word tokens,
because the benchmark's verdicts depend on those tokenisations.
"""

from __future__ import annotations

from ... import text
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Param, fails, passes
from . import define
from ._samplers import task_text
from ._text import nltk_words, sentences


def stop_words(response: str, percentage: float) -> bool:
    words = text.word_tokens(response)
    if not words:
        return False
    stops = text.stopwords_en()
    share = 100 * sum(1 for w in words if w.lower() in stops) / len(words)
    return share <= float(percentage)


define(
    "ratio:stop_words",
    category="ratio",
    description="stop words are at most `percentage`% of all words",
    params=[Param("percentage", "int", 30, 60, sample=S.int_range(30, 60))],
    phrasings=[
        "Stop words (the, of, and, ...) may make up no more than {percentage}% of the words you write.",
        "Keep common function words to at most {percentage} percent of your total word count.",
        "No more than {percentage}% of your words may be English stop words.",
    ],
    check=stop_words,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("Cats chase the mice.", "one stop word ('the') in four words: 25%", percentage=40),
        fails("It is what it is.", percentage=40),
    ],
)


def _endings(response: str) -> tuple[int, int, int]:
    """How many sentences end in '.', '?' and '!'."""
    sents = sentences(response)
    return tuple(sum(1 for s in sents if s.endswith(c)) for c in ".?!")  # type: ignore[return-value]


def sentence_type(response: str) -> bool:
    declarative, questions, _ = _endings(response)
    return declarative == 2 * questions


define(
    "ratio:sentence_type",
    category="ratio",
    description="declarative sentences = 2 x interrogative sentences",
    phrasings=[
        "Write twice as many statements (ending in a period) as questions.",
        "Keep a 2:1 ratio between declarative sentences and questions.",
        "For every question you ask, include exactly two declarative sentences.",
    ],
    check=sentence_type,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("I am here. You are there. Are we?"),
        passes("No punctuation", "no statements and no questions: 0 = 2 x 0"),
        fails("Why? Because."),
    ],
)


def sentence_balance(response: str) -> bool:
    declarative, questions, exclamations = _endings(response)
    return declarative == questions == exclamations


define(
    "ratio:sentence_balance",
    category="ratio",
    description="equal counts of sentences ending in '.', '?' and '!'",
    phrasings=[
        "Use the same number of statements, questions and exclamations.",
        "Balance your sentence types: as many declarative as interrogative as exclamatory sentences.",
        "Every sentence type (ending with '.', '?' or '!') must appear equally often.",
    ],
    check=sentence_balance,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("Yes. No? Wow!"),
        fails("Yes. No?"),
    ],
)


def _trigrams(s: str) -> set[tuple[str, ...]]:
    toks = nltk_words(s)
    return {tuple(toks[i : i + 3]) for i in range(len(toks) - 2)}


def overlap(response: str, reference_text: str, percentage: float) -> bool:
    mine = _trigrams(response)
    if not mine:
        return False
    share = 100 * len(mine & _trigrams(reference_text)) / len(mine)
    return float(percentage) - 2 <= share <= float(percentage) + 2


define(
    "ratio:overlap",
    category="ratio",
    description="word-trigram overlap with reference_text within percentage +-2",
    params=[
        Param("reference_text", "text", sample=task_text),
        Param("percentage", "int", 1, 100, sample=S.int_range(10, 60)),
    ],
    phrasings=[
        (
            "Reuse the wording of this reference so that {percentage}% (plus or minus 2%) of your word trigrams "
            "also appear in it: {reference_text}"
        ),
        "Keep a trigram overlap of {percentage}% (+-2%) with the following reference text: {reference_text}",
        (
            "About {percentage}% (within 2 points) of your three-word sequences should come from this text: "
            "{reference_text}"
        ),
    ],
    check=overlap,
    tags=("english", "needs_prompt"),
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes(
            "the cat sat on a rug",
            "2 of its 4 trigrams (the cat sat, cat sat on) are in the reference: 50%",
            reference_text="the cat sat on the mat",
            percentage=50,
        ),
        fails("a dog ran far away today", reference_text="the cat sat on the mat", percentage=50),
        fails(
            "the cat",
            "fewer than three tokens: no trigrams at all",
            reference_text="the cat sat on the mat",
            percentage=50,
        ),
    ],
)
