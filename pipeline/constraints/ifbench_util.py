"""Text helpers shared by the IFBench (OOD) constraint modules.

IFBench checkers tokenise text in several distinct ways, and a verdict depends on
which one a checker uses, so each way gets one named helper here:
whitespace split with punctuation trimmed, punctuation deleted, nltk's
Treebank-style word tokens, and punkt sentences (IFBench splits sentences with
nltk's punkt model, the same model `text.split_sentences` loads).
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Mapping
from typing import Any

from . import samplers, text
from .base import ConstraintError

PUNCT = string.punctuation
PUNCT_SPACE = PUNCT + " "

# Tags every IFBench id carries: they are out-of-distribution eval constraints.
SOURCE = "ifbench"
SPLIT = "eval_only"


_PUNCT_RUN = re.compile("[" + re.escape(PUNCT) + "]+")


def drop_punct(s: str) -> str:
    """`s` with every ASCII punctuation character deleted (a regex: str.translate
    with a deletion table is slow on non-ASCII text)."""
    return _PUNCT_RUN.sub("", s)


def trim_punct(s: str) -> str:
    """`s` without leading/trailing ASCII punctuation and spaces."""
    return s.strip(PUNCT_SPACE)


def bare_words(s: str) -> list[str]:
    """Lowercased whitespace words after deleting punctuation (IFBench `_split_words`)."""
    return drop_punct(s.lower()).split()


def sentences(s: str) -> list[str]:
    """Punkt sentences, as IFBench's `split_into_sentences` (nltk.sent_tokenize)."""
    return text.split_sentences(s)


def nltk_words(s: str) -> list[str]:
    """nltk.word_tokenize(s): punkt sentences, then Treebank tokens per sentence."""
    return text.treebank_tokens(s)


def alnum_tokens(s: str) -> list[str]:
    """Treebank tokens that hold at least one letter or digit (punctuation dropped)."""
    return [t for t in nltk_words(s) if any(ch.isalnum() for ch in t)]


def task_text(rng: random.Random, ctx: Mapping[str, Any]) -> str:
    """Bind a prompt-valued parameter from the task text compose passes in ctx."""
    value = ctx.get("task_text")
    if not isinstance(value, str) or not value.strip():
        raise ConstraintError("this constraint needs ctx['task_text'] (the task prompt) to bind its text parameter")
    return value


def span_start(rng: random.Random, ctx: Mapping[str, Any]) -> int:
    """A word index into the task text leaving room for a span of a few words."""
    n = len(task_text(rng, ctx).split())
    if n < 2:
        raise ConstraintError("repeat:repeat_span needs a task text of at least two words")
    return rng.randint(0, max(0, min(n - 2, n // 2)))


def span_end(rng: random.Random, ctx: Mapping[str, Any]) -> int:
    n = len(task_text(rng, ctx).split())
    start = int(ctx["n_start"])
    return rng.randint(start + 1, min(n - 1, start + 25))


def min_words(rng: random.Random, ctx: Mapping[str, Any]) -> int:
    n = samplers.expected_length(ctx)
    return rng.randint(max(10, int(n * 0.8)), max(12, int(n * 1.1)))


def max_words(rng: random.Random, ctx: Mapping[str, Any]) -> int:
    """A narrow band above min_words (5-10 % wider), as IFBench draws it."""
    lo = int(ctx["min_words"])
    return lo + rng.randint(max(1, int(lo * 0.05)), max(2, int(lo * 0.1)))


def make(cid: str, category: str, description: str, check, phrasings, params=(), tags=("english",)):
    """A Constraint with the IFBench source/split filled in."""
    from .base import Constraint

    return Constraint(
        id=cid,
        category=category,
        description=description,
        params=tuple(params),
        phrasings=tuple(phrasings),
        check=check,
        family=SOURCE,
        split=SPLIT,
        tags=frozenset(tags),
    )
