"""IFEval copy constraint: the response opens with the request, repeated verbatim."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from ...conflicts import facts as F
from ...core.contract import ConstraintError, Param, exclusive, fails, passes
from . import define


def _task_text(rng: random.Random, ctx: Mapping[str, Any]) -> str:
    """The task itself is the text to repeat; compose passes it as ctx['task_text']."""
    txt = ctx.get("task_text")
    if not txt:
        raise ConstraintError("combination:repeat_prompt needs ctx['task_text'] (the task to repeat)")
    return str(txt)


def repeat_prompt(response: str, prompt_to_repeat: str) -> bool:
    if not prompt_to_repeat:
        raise ValueError("prompt_to_repeat must be a non-empty string")
    return response.strip().lower().startswith(str(prompt_to_repeat).strip().lower())


def repeat_prompt_facts(p: dict) -> F.Facts:
    text = str(p.get("prompt_to_repeat") or "").strip()
    f = F.literal(F.Facts(decor=True), text, case_sensitive=False)
    if text:
        f.start.append(F.Anchor("phrase", text))
    return f


define(
    "combination:repeat_prompt",
    category="copy",
    description="Starts by repeating the request verbatim (case-insensitive).",
    params=[Param("prompt_to_repeat", "text", sample=_task_text)],
    phrasings=[
        "First repeat the request below word for word without change, then give your answer. Do not say anything before the repetition. Request: {prompt_to_repeat}",
        "Begin your reply by copying this request exactly, then answer it: {prompt_to_repeat}",
        "Repeat the following request verbatim before responding (nothing may come before it): {prompt_to_repeat}",
    ],
    check=repeat_prompt,
    tags=("needs_prompt",),
    conflicts=exclusive(
        "the response must begin with a verbatim copy of the prompt",
        ids=(
            "keywords:existence",
            "detectable_format:title",
            "punctuation:no_comma",
            "ifgen:formal_tone",
            "ifgen:explain_to_child",
            "ifgen:persuasive_tone",
        ),
    ),
    groups=("start_rule",),
    facts=repeat_prompt_facts,
    examples=[
        passes(
            "  write a POEM about rivers. Here it is...",
            "case and leading whitespace are ignored",
            prompt_to_repeat="Write a poem about rivers.",
        ),
        passes("Write a poem about rivers.", prompt_to_repeat="Write a poem about rivers."),
        fails(
            "Sure! Write a poem about rivers.",
            "nothing may come before the copy",
            prompt_to_repeat="Write a poem about rivers.",
        ),
        fails("Write a poem about lakes.", prompt_to_repeat="Write a poem about rivers."),
    ],
)
