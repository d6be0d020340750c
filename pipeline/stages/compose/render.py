"""How compose turns a task and its bound constraints into one instruction text, and the gate it must pass.

Three patterns (templates under prompts/compose/): `listing` (the task, then the constraints as a list),
`incorporation` (woven into the request) and `example`. `faithful` is the gate every rendering and every
LLM rewrite passes: each bound parameter value, and each free-form rule, must appear verbatim.
"""

from __future__ import annotations

import random
from typing import Any

from ...llm.prompts import render
from ...records import PATTERNS, InstructionConstraint, is_freeform


def pick_pattern(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(PATTERNS, weights=[weights.get(p, 0) for p in PATTERNS], k=1)[0]


def render_instruction(pattern: str, task_text: str, constraints: list[InstructionConstraint]) -> str:
    return render(f"compose/{pattern}", task=task_text, constraints=[c["text"] for c in constraints])


def value_strings(params: dict[str, Any]) -> list[str]:
    """The literal strings an instruction must contain for these bound parameters."""
    out: list[str] = []
    for v in params.values():
        if isinstance(v, (list, tuple)):
            out += [str(x) for x in v]
        elif v is not None and v != "":
            out.append(str(v))
    return out


def faithful(text: str, constraints: list[InstructionConstraint]) -> bool:
    """Every bound parameter value (and every free-form rule) still appears in `text`."""
    for c in constraints:
        values = [c["text"]] if is_freeform(c) else value_strings(c["params"])
        if any(v not in text for v in values):
            return False
    return True


def level(n: int) -> str:
    """MulDimIF difficulty level of an instruction with n constraints."""
    return "L1" if n <= 1 else "L2" if n == 2 else "L3" if n <= 4 else "L4"
