"""IFEval length constraints: sentence and word counts, paragraphs split by *** or by blank lines."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from typing import Any

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Conflicts, Param, fails, passes
from ...core.relations import holds, relation_inverse, relation_param
from ...text import count_sentences, count_words
from . import define
from ._common import as_int


def number_sentences(response: str, num_sentences, relation: str) -> bool:
    # sentences as nltk's punkt splits them: "Dr." does not end one
    return holds(count_sentences(response), relation, as_int("num_sentences", num_sentences))


define(
    "length_constraints:number_sentences",
    category="length",
    description="Has less than / at least N sentences (punkt).",
    params=[
        Param("num_sentences", "int", 1, 40, sample=S.scaled_int(1 / 25, 1 / 12, floor=1, cap=40)),
        relation_param("relation"),
    ],
    phrasings=[
        "Your response should contain {relation} {num_sentences} sentences.",
        "Write {relation} {num_sentences} sentences.",
        "Keep the sentence count of your answer at {relation} {num_sentences}.",
    ],
    check=number_sentences,
    inverse=relation_inverse("length_constraints:number_sentences", "relation"),
    conflicts=NO_CONFLICTS,
    facts=F.counted("sentences", "num_sentences", "relation"),
    examples=[
        passes("One. Two.", num_sentences=3, relation="less than"),
        passes(
            "Dr. Smith came home. He slept.",
            "an abbreviation does not end a sentence",
            num_sentences=3,
            relation="less than",
        ),
        fails("One. Two. Three.", num_sentences=3, relation="less than"),
        fails("Hi! Yes? No.", num_sentences=3, relation="less than"),
        passes("Hi! Yes? No.", num_sentences=3, relation="at least"),
    ],
)


_DIVIDER = re.compile(r"\s?\*\*\*\s?")


def number_paragraphs(response: str, num_paragraphs) -> bool:
    """Paragraphs split by `***`; an empty piece is allowed only at either end."""
    pieces = _DIVIDER.split(response)
    last = len(pieces) - 1
    count = 0
    for i, piece in enumerate(pieces):
        if piece.strip():
            count += 1
        elif 0 < i < last:
            return False
    return count == as_int("num_paragraphs", num_paragraphs)


define(
    "length_constraints:number_paragraphs",
    category="length",
    description="Exactly N paragraphs separated by the divider ***.",
    params=[Param("num_paragraphs", "int", 2, 6, sample=S.int_range(2, 6))],
    phrasings=[
        "Write exactly {num_paragraphs} paragraphs, separated from each other by the markdown divider ***.",
        "Your answer should have {num_paragraphs} paragraphs; put a line with *** between consecutive paragraphs.",
        "Structure the reply as {num_paragraphs} paragraphs divided by ***.",
    ],
    check=number_paragraphs,
    tags=("prose",),
    conflicts=Conflicts(
        ids={
            "length_constraints:nth_paragraph_first_word": "different paragraph separators (*** vs blank lines)",
            "length_constraints:number_sentences": "paragraph and sentence counts are easily contradictory",
        }
    ),
    facts=F.counted("paragraphs", "num_paragraphs"),
    examples=[
        passes("First part.\n***\nSecond part.", num_paragraphs=2),
        passes("***\nOne\n***\nTwo\n***", "an empty piece at either end is allowed", num_paragraphs=2),
        fails("One\n***\n***\nTwo", "an empty paragraph in the middle fails", num_paragraphs=2),
        fails("Only one", num_paragraphs=2),
        fails("A\n***\nB\n***\nC", num_paragraphs=2),
    ],
)


def number_words(response: str, num_words, relation: str) -> bool:
    # words are \w+ runs: "it's" and "well-known" are two words each
    return holds(count_words(response), relation, as_int("num_words", num_words))


define(
    "length_constraints:number_words",
    category="length",
    description="Has less than / at least N words (\\w+ tokens).",
    params=[
        Param("num_words", "int", 10, 1500, sample=S.scaled_int(0.5, 1.5, floor=10)),
        relation_param("relation"),
    ],
    phrasings=[
        "Answer with {relation} {num_words} words.",
        "Your response should be {relation} {num_words} words long.",
        "Use {relation} {num_words} words in total.",
    ],
    check=number_words,
    inverse=relation_inverse("length_constraints:number_words", "relation"),
    conflicts=NO_CONFLICTS,
    groups=("fits_data",),
    facts=F.counted("words", "num_words", "relation"),
    examples=[
        passes("one two three four five", num_words=5, relation="at least"),
        passes(
            "it's a well-known fact",
            "'it's' and 'well-known' count as two words each",
            num_words=5,
            relation="at least",
        ),
        fails("one two", num_words=5, relation="at least"),
        fails("a-b", num_words=5, relation="at least"),
        passes("one two", num_words=5, relation="less than"),
    ],
)


def _nth_paragraph(rng: random.Random, ctx: Mapping[str, Any]) -> int:
    """A paragraph index within the number of paragraphs bound just before."""
    return rng.randint(1, int(ctx.get("num_paragraphs") or 1))


_FIRST_WORD_STOP = frozenset(".,?!'\"")


def nth_paragraph_first_word(response: str, num_paragraphs, nth_paragraph, first_word: str) -> bool:
    """Paragraphs split by a blank line. The count ignores empty pieces, but the
    nth piece is taken from the raw split (so a leading blank paragraph shifts it)."""
    total = as_int("num_paragraphs", num_paragraphs)
    nth = as_int("nth_paragraph", nth_paragraph)
    if nth < 1 or nth > total:
        raise ValueError(f"nth_paragraph must be within 1..num_paragraphs ({total}), got {nth}")
    pieces = response.split("\n\n")
    non_empty = sum(1 for p in pieces if p.strip())
    if nth > non_empty:
        return False
    chosen = pieces[nth - 1].strip()
    if not chosen:
        return False
    token = chosen.split()[0].strip().lstrip("'").lstrip('"')
    head = []
    for ch in token:
        if ch in _FIRST_WORD_STOP:
            break
        head.append(ch.lower())
    return non_empty == total and "".join(head) == str(first_word).lower()


def nth_paragraph_facts(p: dict) -> F.Facts:
    n = int(p["num_paragraphs"])
    f = F.Facts().need("paragraphs", n, n)
    if int(p.get("nth_paragraph", 0)) == 1 and p.get("first_word"):
        f.start.append(F.Anchor("word", str(p["first_word"])))
    return f


define(
    "length_constraints:nth_paragraph_first_word",
    category="length",
    description="Exactly N paragraphs split by blank lines; paragraph i starts with a given word.",
    params=[
        Param("num_paragraphs", "int", 2, 5, sample=S.int_range(2, 5)),
        Param("nth_paragraph", "int", 1, 5, sample=_nth_paragraph),
        Param("first_word", "keyword", sample=S.keyword),
    ],
    phrasings=[
        "Write {num_paragraphs} paragraphs separated by a blank line (two newlines); paragraph {nth_paragraph} must begin with the word {first_word}.",
        'Your answer needs {num_paragraphs} paragraphs, separated by empty lines, and the first word of paragraph number {nth_paragraph} has to be "{first_word}".',
        "Use {num_paragraphs} paragraphs split by blank lines. Start paragraph {nth_paragraph} with '{first_word}'.",
    ],
    check=nth_paragraph_first_word,
    tags=("prose",),
    conflicts=NO_CONFLICTS,
    facts=nth_paragraph_facts,
    examples=[
        passes("Intro text.\n\nHowever, this works.", num_paragraphs=2, nth_paragraph=2, first_word="however"),
        passes(
            'Intro.\n\n"However." said she.',
            "leading quotes and trailing punctuation are not part of the word",
            num_paragraphs=2,
            nth_paragraph=2,
            first_word="however",
        ),
        fails("Intro.\n\nBut not this.", num_paragraphs=2, nth_paragraph=2, first_word="however"),
        fails("However only one paragraph.", num_paragraphs=2, nth_paragraph=2, first_word="however"),
        fails(
            "\n\nIntro.\n\nHowever, shifted.",
            "a leading blank piece shifts the nth paragraph but not the count",
            num_paragraphs=2,
            nth_paragraph=2,
            first_word="however",
        ),
    ],
)
