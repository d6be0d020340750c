"""IFEvalG copy constraints: the answer repeats the request (whole, a span, several times) or varies a phrase."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from typing import Any

from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, ConstraintError, Param, exclusive, fails, passes
from . import define
from ._common import same_text
from ._samplers import PROMPT

PROMPT_TEXT = "Write a haiku about autumn leaves."

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


def repeat_phrase(response: str, *, phrase: str, small_n: int) -> bool:
    """`small_n` lazy matches of "<first word> ... <last word>" (case-sensitive; the
    end words are regex text); each must have the phrase's word count and at
    most one changed word, and the last one exactly one."""
    ref = phrase.split()
    if not ref:
        raise ConstraintError("phrase must contain at least one word")
    try:
        found = re.findall(f"{ref[0]} .*? {ref[-1]}", response)
    except re.error:
        return False
    if len(found) != small_n or not found:  # small_n == 0 would crash upstream
        return False
    changed = 0
    for hit in found:
        words = hit.split()
        if len(words) != len(ref):
            return False
        changed = sum(a != b for a, b in zip(words, ref))
        if changed > 1:
            return False
    return changed == 1


define(
    "copy:repeat_phrase",
    category="copy",
    description="Repeat a phrase small_n times, each time changing exactly one inner word.",
    params=[
        Param("phrase", "choice", choices=PHRASES, sample=S.choice(PHRASES)),
        Param("small_n", "int", 2, 3, sample=S.int_range(2, 3)),
    ],
    phrasings=[
        (
            'Write the phrase "{phrase}" exactly {small_n} times, and each time swap out just one word from the '
            "middle of it while keeping its first and last words."
        ),
        (
            'Include {small_n} variations of "{phrase}": in every copy, replace exactly one word in the middle and '
            "leave all other words as they are."
        ),
        'Repeat "{phrase}" {small_n} times in total, altering a single middle word in each repetition.',
    ],
    check=repeat_phrase,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes(
            "The early cat catches the worm. The early bird eats the worm.",
            phrase="The early bird catches the worm",
            small_n=2,
        ),
        fails(
            "The early cat catches the worm. The late cat catches the worm.",
            "two words changed in the second copy",
            phrase="The early bird catches the worm",
            small_n=2,
        ),
        fails(
            "The early cat catches the worm. The early bird eats the worm.",
            "only two copies found",
            phrase="The early bird catches the worm",
            small_n=3,
        ),
        fails(
            "The early bird catches the worm.",
            "the (last) copy must change exactly one word",
            phrase="The early bird catches the worm",
            small_n=1,
        ),
        passes(
            "The early bird catches the worm. The early cat catches the worm.",
            "only the last copy must change a word; an earlier one may be unchanged",
            phrase="The early bird catches the worm",
            small_n=2,
        ),
    ],
)


def copy_exact(response: str, *, prompt_to_repeat: str) -> bool:
    """Response equals the prompt, ignoring case and surrounding whitespace."""
    return same_text(response, prompt_to_repeat)


define(
    "copy:copy",
    category="copy",
    description="Reply with the request itself, verbatim, without answering it.",
    params=[PROMPT],
    phrasings=[
        "Do not carry out the following request; reply only with an exact copy of it: {prompt_to_repeat}",
        "Your whole reply must be this text, reproduced word for word and not answered: {prompt_to_repeat}",
        "Copy the request below character for character and add nothing else.\n{prompt_to_repeat}",
    ],
    check=copy_exact,
    tags=("needs_prompt",),
    conflicts=exclusive("the answer is a verbatim copy of the prompt"),
    facts=None,
    examples=[
        passes(
            "  write a HAIKU about autumn leaves.\n",
            "case and surrounding whitespace are ignored",
            prompt_to_repeat=PROMPT_TEXT,
        ),
        fails("Write a haiku about autumn leaves. Leaves fall...", prompt_to_repeat=PROMPT_TEXT),
    ],
)


def copying_simple(response: str, *, prompt_to_repeat: str) -> bool:
    """The same rule as copy:copy: the response is the prompt, ignoring case and surrounding whitespace."""
    return same_text(response, prompt_to_repeat)


define(
    "copy:copying_simple",
    category="copy",
    description="Repeat the request verbatim and do not answer it.",
    params=[PROMPT],
    phrasings=[
        "Repeat this request exactly as written and do not answer it: {prompt_to_repeat}",
        "Say nothing but the following request, unchanged: {prompt_to_repeat}",
        "Your response must be a verbatim repetition of this text, with no answer added:\n{prompt_to_repeat}",
    ],
    check=copying_simple,
    tags=("needs_prompt",),
    conflicts=exclusive("the answer is a verbatim copy of the request"),
    facts=None,
    examples=[
        passes("Write a haiku about autumn leaves.", prompt_to_repeat=PROMPT_TEXT),
        fails("Here: Write a haiku about autumn leaves.", prompt_to_repeat=PROMPT_TEXT),
    ],
)


def copying_multiple(response: str, *, prompt_to_repeat: str, N: int) -> bool:
    """Exactly N pieces around "******", each equal to the prompt (case-insensitive)."""
    pieces = response.split("******")
    return len(pieces) == N and all(same_text(p, prompt_to_repeat) for p in pieces)


define(
    "copy:copying_multiple",
    category="copy",
    description="Repeat the request N times separated by ******.",
    params=[PROMPT, Param("N", "int", 2, 3, sample=S.int_range(2, 3))],
    phrasings=[
        (
            "Repeat the following request {N} times without answering it, separating the copies with six asterisks "
            "(******): {prompt_to_repeat}"
        ),
        (
            "Write this text out {N} times, unchanged, with ****** between consecutive copies and nothing else: "
            "{prompt_to_repeat}"
        ),
        "Do not answer; instead copy the request below {N} times, each copy separated by ******.\n{prompt_to_repeat}",
    ],
    check=copying_multiple,
    tags=("needs_prompt",),
    conflicts=exclusive("the answer is repeated copies of the request"),
    facts=None,
    examples=[
        passes(
            "Write a haiku about autumn leaves.\n******\nwrite a haiku about autumn leaves.",
            prompt_to_repeat=PROMPT_TEXT,
            N=2,
        ),
        fails(
            "Write a haiku about autumn leaves.\n******\nWrite a haiku about autumn leaves.",
            "two copies where three are asked for",
            prompt_to_repeat=PROMPT_TEXT,
            N=3,
        ),
        fails(
            "Write a haiku about autumn leaves.\n******\nLeaves drift down.",
            "the second piece is not the prompt",
            prompt_to_repeat=PROMPT_TEXT,
            N=2,
        ),
        fails(
            "Say hi.\n*******\nSay hi.",
            "seven stars: the split on six leaves a stray '*' in the second copy",
            prompt_to_repeat="Say hi.",
            N=2,
        ),
    ],
)


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


def copy_span_idx(response: str, *, prompt_to_repeat: str, n_start: int, n_end: int) -> bool:
    """Response equals prompt[n_start:n_end] (n_end exclusive, despite the
    instruction saying "including"), ignoring case and surrounding whitespace."""
    return same_text(response, prompt_to_repeat[int(n_start) : int(n_end)])


define(
    "new:copy_span_idx",
    category="copy",
    description="Reply with the character span [n_start, n_end) of the request.",
    params=[PROMPT, Param("n_start", "int", sample=span_start), Param("n_end", "int", sample=span_end)],
    phrasings=[
        (
            "Take this text: {prompt_to_repeat}\nReply only with its characters from index {n_start} up to, but not "
            "including, index {n_end} (indices count characters from 0)."
        ),
        (
            'Output nothing except the part of "{prompt_to_repeat}" that starts at character index {n_start} and '
            "stops just before character index {n_end}, counting from 0."
        ),
        (
            "Counting characters from 0, copy the slice [{n_start}, {n_end}) of the following text and write nothing "
            "else: {prompt_to_repeat}"
        ),
    ],
    check=copy_span_idx,
    tags=("needs_prompt",),
    conflicts=exclusive("the answer is a verbatim span of the prompt"),
    facts=None,
    examples=[
        passes("haiku", prompt_to_repeat=PROMPT_TEXT, n_start=8, n_end=13),
        passes("haiku ", "surrounding whitespace is ignored", prompt_to_repeat=PROMPT_TEXT, n_start=8, n_end=13),
        fails("a haiku", prompt_to_repeat=PROMPT_TEXT, n_start=8, n_end=13),
        fails(
            "haiku",
            "n_end is exclusive: index 12 ('u') is not part of the span",
            prompt_to_repeat=PROMPT_TEXT,
            n_start=8,
            n_end=12,
        ),
    ],
)
