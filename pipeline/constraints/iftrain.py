"""The 29 open-instruct IFEvalG training constraints (source "ifevalg", split "train").

Ids and kwarg names are those of `open_instruct/IFEvalG/instructions_registry.py`;
the rules live in `iftrain_checks.py`, the sentence/word tokenisation they need
in `iftrain_text.py`. This module only declares parameters, samplers and our
own instruction phrasings, and registers everything at import time.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from . import iftrain_checks as ck
from . import samplers as S
from .base import Constraint, ConstraintError, Param
from .registry import register

# The phrases IFEvalG samples for copy:repeat_phrase.
PHRASES = (
    "Dance like nobody is watching you",
    "The early bird catches the worm",
    "Time flies when having fun",
    "Every cloud has a silver lining",
    "Actions speak louder than words",
    "Don't judge a book by cover",
    "Live each day to the fullest",
    "All that glitters is not gold",
    "Laughter is the best medicine",
    "The pen is mightier than sword",
)


# ---------------------------------------------------------------- local samplers


def task_text(rng: random.Random, ctx: Mapping[str, Any]) -> str:
    """The task text itself: copy constraints are checked against it."""
    text = ctx.get("task_text")
    if not isinstance(text, str) or not text.strip():
        raise ConstraintError("this constraint needs ctx['task_text'] (the task text to copy)")
    return text


def _word_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], None
    for i, ch in enumerate(text + " "):
        if ch.isspace():
            if start is not None:
                spans.append((start, i))
                start = None
        elif start is None:
            start = i
    return spans


def span_start(rng: random.Random, ctx: Mapping[str, Any]) -> int:
    """Start of a word of the bound prompt. Never 0 when avoidable: upstream treats
    a 0 start as "unset" and re-draws it at random."""
    text = ctx.get("prompt_to_repeat") or ctx.get("task_text") or ""
    starts = [s for s, _ in _word_spans(text) if s > 0] or [s for s, _ in _word_spans(text)]
    if not starts:
        raise ConstraintError("copy_span_idx needs a non-empty prompt_to_repeat")
    return rng.choice(starts[:-1] or starts)


def span_end(rng: random.Random, ctx: Mapping[str, Any]) -> int:
    """End (exclusive) of a run of 2-12 whole words starting at the bound n_start."""
    text = ctx.get("prompt_to_repeat") or ctx.get("task_text") or ""
    start = int(ctx.get("n_start", 0))
    ends = [e for s, e in _word_spans(text) if s >= start]
    if not ends:
        raise ConstraintError("copy_span_idx: n_start lies past the last word")
    return ends[min(len(ends) - 1, rng.randint(1, 11))]


def second_keyword(rng: random.Random, ctx: Mapping[str, Any]) -> str:
    """A keyword that neither contains nor is contained in keyword1 (upstream counts
    substrings, so "plan"/"planet" would make the pair unsatisfiable)."""
    first = str(ctx.get("keyword1", "")).lower()
    for _ in range(50):
        w = S.keyword(rng, ctx)
        if first not in w and w not in first:
            return w
    return next(w for w in S.GENERIC_KEYWORDS if first not in w and w not in first)


_PUNCT = "\"'.,;:!?()[]{}<>*`"


def _keyword_candidates(text: str) -> list[str]:
    from .text import stopwords_en

    words = (w.strip(_PUNCT) for w in text.split())
    return [w for w in words if len(w) > 3 and w.isascii() and w.isalpha() and w.lower() not in stopwords_en()]


def instruction_excerpt(rng: random.Random, ctx: Mapping[str, Any]) -> str:
    """Up to 8 words of the task text around a content word. Upstream's
    exclude_word_harder draws its keyword from the `instruction` text (that is
    what makes it "harder": the word is in the request), and so do we."""
    words = str(ctx.get("task_text") or "").split()
    spots = [i for i, w in enumerate(words) if _keyword_candidates(w)]
    if not spots:
        return " ".join(rng.sample(S.GENERIC_KEYWORDS, 4))
    i = rng.choice(spots)
    lo = max(0, i - rng.randint(0, 4))
    return " ".join(words[lo : lo + 8])


def keyword_from_instruction(rng: random.Random, ctx: Mapping[str, Any]) -> str:
    cands = _keyword_candidates(str(ctx.get("instruction") or ""))
    return rng.choice(cands).lower() if cands else S.keyword(rng, ctx)


def _c(
    cid: str,
    category: str,
    description: str,
    params: tuple[Param, ...],
    phrasings: tuple[str, ...],
    check,
    tags: str = "",
    inverse_key: str | None = None,
) -> Constraint:
    """One IFEvalG constraint; `inverse_key` names the relation kwarg whose flip
    (less than <-> at least) gives the natural inverse instruction."""
    inverse = None
    if inverse_key:

        def inverse(p: dict, _k: str = inverse_key, _id: str = cid) -> tuple[str, dict]:
            return _id, {**p, _k: ck.AT_LEAST if p[_k] == ck.LESS else ck.LESS}

    return Constraint(
        id=cid,
        category=category,
        description=description,
        params=params,
        phrasings=phrasings,
        check=check,
        family="ifevalg",
        split="train",
        tags=frozenset(tags.split()),
        inverse=inverse,
    )


PROMPT = Param("prompt_to_repeat", "text", sample=task_text, doc="the task text, bound from ctx['task_text']")
KEYWORD = Param("keyword", "keyword", sample=S.keyword)
RELATION = Param("relation", "choice", choices=(ck.LESS, ck.AT_LEAST), sample=S.relation)

CONSTRAINTS = (
    _c(
        "keywords:word_once",
        "keywords",
        "Use the keyword exactly once.",
        (KEYWORD,),
        (
            'Use the word "{keyword}" exactly one time in your answer.',
            'Mention "{keyword}" once, and only once.',
            "The word {keyword} must appear in your response a single time.",
        ),
        ck.word_once,
    ),
    _c(
        "keywords:word_count_different_numbers",
        "keywords",
        "Keyword count compared with a threshold.",
        (KEYWORD, Param("frequency", "int", 1, 4, sample=S.int_range(1, 4)), RELATION),
        (
            'Use the word "{keyword}" {relation} {frequency} times.',
            "The word {keyword} should occur {relation} {frequency} times in your reply.",
            'Make sure "{keyword}" shows up {relation} {frequency} times.',
        ),
        ck.word_count_different_numbers,
        "",
        "relation",
    ),
    _c(
        "keywords:exclude_word_harder",
        "keywords",
        "Never use the keyword as a standalone word.",
        (
            Param(
                "instruction",
                "text",
                sample=instruction_excerpt,
                optional=True,
                doc="excerpt of the task text holding the keyword; the checker ignores it",
            ),
            Param("keyword", "keyword", sample=keyword_from_instruction),
        ),
        (
            'The request says "{instruction}"; answer it without ever using the word "{keyword}".',
            'Avoid the word {keyword} entirely in your response, even though it appears in "{instruction}".',
            'Do not write the word "{keyword}" anywhere (it comes from "{instruction}").',
        ),
        ck.exclude_word_harder,
    ),
    _c(
        "first_word:first_word_sent",
        "startend",
        "Every sentence starts with the given word.",
        (Param("first_word", "keyword", sample=S.keyword),),
        (
            'Begin every sentence with the word "{first_word}".',
            "Each of your sentences must start with {first_word}.",
            'Make "{first_word}" the first word of every sentence you write.',
        ),
        ck.first_word_sent,
        "english",
    ),
    _c(
        "first_word:first_word_answer",
        "startend",
        "The response starts with the given word.",
        (Param("first_word", "keyword", sample=S.keyword),),
        (
            'Start your response with the word "{first_word}".',
            "The very first word of your answer must be {first_word}.",
            'Open your reply with "{first_word}".',
        ),
        ck.first_word_answer,
    ),
    _c(
        "last_word:last_word_sent",
        "startend",
        "Every sentence ends with the given word (before punctuation).",
        (Param("last_word", "keyword", sample=S.keyword),),
        (
            'End every sentence with the word "{last_word}" (punctuation may follow it).',
            "The last word of each sentence, before its punctuation, must be {last_word}.",
            'Finish each of your sentences with "{last_word}".',
        ),
        ck.last_word_sent,
        "english",
    ),
    _c(
        "last_word:last_word_answer",
        "startend",
        "The response ends with the given word.",
        (Param("last_word", "keyword", sample=S.keyword),),
        (
            'Make "{last_word}" the final word of your response.',
            "Your answer must end with the word {last_word}.",
            'Close your reply with the word "{last_word}"; nothing but punctuation may follow it.',
        ),
        ck.last_word_answer,
    ),
    _c(
        "count:lowercase_counting",
        "count",
        "At most N all-lowercase words.",
        (Param("N", "int", 2, 3, sample=S.int_range(2, 3)),),
        (
            "Use at most {N} words written entirely in lowercase letters.",
            "No more than {N} of your words may be all lowercase.",
            "Keep the number of fully lowercase words to {N} or fewer.",
        ),
        ck.lowercase_counting,
        "no_code short",
    ),
    _c(
        "letters:letter_counting",
        "count",
        "Total number of letters compared with N.",
        (Param("N", "int", sample=S.scaled_int(3.0, 6.0, floor=10)), RELATION),
        (
            "Answer with {relation} {N} letters in total.",
            "Your response should contain {relation} {N} letters (A-Z, any case).",
            "Use {relation} {N} alphabetic letters altogether.",
        ),
        ck.letter_counting,
        "english",
        "relation",
    ),
    _c(
        "letters:letter_counting2",
        "count",
        "Occurrences of one letter compared with a threshold.",
        (
            Param("letter", "letter", sample=S.letter),
            Param("let_frequency", "int", 1, 10, sample=S.int_range(1, 10)),
            Param("let_relation", "choice", choices=(ck.LESS, ck.AT_LEAST), sample=S.relation),
        ),
        (
            'The letter "{letter}" should appear {let_relation} {let_frequency} times in your response.',
            "Use the letter {letter} {let_relation} {let_frequency} times (upper or lower case).",
            "Make sure the letter '{letter}' occurs {let_relation} {let_frequency} times.",
        ),
        ck.letter_counting2,
        "english",
        "let_relation",
    ),
    _c(
        "count:counting_composition",
        "count",
        "Three ***-separated paragraphs of n_sent sentences of n_words tokens.",
        (
            Param("n_sent", "int", 2, 3, sample=S.int_range(2, 3)),
            Param("n_words", "int", 3, 6, sample=S.int_range(3, 6)),
        ),
        (
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
        ),
        ck.counting_composition,
        "english no_code short",
    ),
    _c(
        "count:count_unique",
        "count",
        "No word (or punctuation token) is repeated.",
        (),
        (
            "Never repeat a word: every word in your response must be different.",
            "Use each word at most once, and do not repeat punctuation marks either.",
            "Only unique words are allowed; nothing may appear twice.",
        ),
        ck.count_unique,
        "no_code short",
    ),
    _c(
        "count:count_increment_word",
        "keywords",
        "keyword1 exactly once and keyword2 exactly twice.",
        (Param("keyword1", "keyword", sample=S.keyword), Param("keyword2", "keyword", sample=second_keyword)),
        (
            'Use the word "{keyword1}" exactly once and the word "{keyword2}" exactly twice.',
            "Include {keyword1} one time and {keyword2} two times.",
            'Mention "{keyword1}" once and "{keyword2}" twice, no more and no less.',
        ),
        ck.count_increment_word,
    ),
    _c(
        "keywords:keyword_specific_position",
        "keywords",
        "Keyword as the m-th word of the n-th sentence.",
        (
            KEYWORD,
            Param("n", "int", 1, 5, sample=S.int_range(1, 5)),
            Param(
                "m",
                "int",
                2,
                10,
                sample=S.int_range(2, 10),
                doc="from 2: the check is case-sensitive, so a sentence-initial keyword would need odd casing",
            ),
        ),
        (
            'Put the word "{keyword}" in sentence number {n}, as word number {m} of that sentence.',
            "In the {n}-th sentence of your answer, the {m}-th word must be {keyword}.",
            'Make "{keyword}" the word at position {m} in sentence {n}.',
        ),
        ck.keyword_specific_position,
        "english",
    ),
    _c(
        "keywords:start_end",
        "startend",
        "Start and end with the same word, nothing after it.",
        (),
        (
            "Begin and end your response with the same word, and put no punctuation after that last word.",
            "Your first word and your last word must be identical; do not add anything after the final word.",
            "Open and close your answer with one and the same word, with no trailing punctuation.",
        ),
        ck.start_end,
        "english",
    ),
)

register(*CONSTRAINTS)
IDS = tuple(c.id for c in CONSTRAINTS)
