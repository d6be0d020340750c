"""Samplers only the IFBench family uses: prompt-valued parameters and IFBench's narrow word-count band."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from ...core import samplers
from ...core.contract import ConstraintError


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


def sample_min_words(rng: random.Random, ctx: Mapping[str, Any]) -> int:
    n = samplers.expected_length(ctx)
    return rng.randint(max(10, int(n * 0.8)), max(12, int(n * 1.1)))


def sample_max_words(rng: random.Random, ctx: Mapping[str, Any]) -> int:
    """A narrow band above min_words (5-10 % wider), as IFBench draws it."""
    lo = int(ctx["min_words"])
    return lo + rng.randint(max(1, int(lo * 0.05)), max(2, int(lo * 0.1)))
