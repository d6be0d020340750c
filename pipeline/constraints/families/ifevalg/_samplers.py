"""Samplers shared by the IFEvalG copy constraints: the prompt to repeat is the task text itself."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from ...core.contract import ConstraintError, Param


def task_text(rng: random.Random, ctx: Mapping[str, Any]) -> str:
    """The task text itself: copy constraints are checked against it."""
    text = ctx.get("task_text")
    if not isinstance(text, str) or not text.strip():
        raise ConstraintError("this constraint needs ctx['task_text'] (the task text to copy)")
    return text


PROMPT = Param("prompt_to_repeat", "text", sample=task_text, doc="the task text, bound from ctx['task_text']")
