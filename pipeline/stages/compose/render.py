"""How compose turns a task and its bound constraints into a prompt, and the gate it must pass.

Three patterns (templates under prompts/compose/): `listing` (the task, then the constraints as a list),
`incorporation` (woven into the request) and `example`. Three shapes (records.Shape), each rendering the
constraints in one message, its *carrier*: `single` puts task and constraints in one user turn
(prompts/compose/<pattern>.j2); `system` puts the constraints in a system message
(prompts/compose/system/<pattern>.j2) before the task alone; `multiturn` asks for the task, leaves an
assistant turn for the sample stage to draw, then asks for a rewrite carrying the constraints
(prompts/compose/multiturn/<pattern>.j2). `faithful` is the gate every carrier and every LLM rewrite
passes: each bound parameter value, and each rule stated in free-form words, must appear verbatim.
"""

from __future__ import annotations

import random
from typing import Any

from ...llm.prompts import render
from ...records import PATTERNS, ChatMessage, InstructionConstraint, Shape, ShapeName, is_freeform


def pick_pattern(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(PATTERNS, weights=[weights.get(p, 0) for p in PATTERNS], k=1)[0]


def pick_shape(rng: random.Random, multiturn: float, system: float) -> ShapeName:
    """One draw: multiturn with probability `multiturn`, system with `system`, else single."""
    u = rng.random()
    if u < multiturn:
        return Shape.MULTITURN
    if u < multiturn + system:
        return Shape.SYSTEM
    return Shape.SINGLE


def render_instruction(pattern: str, task_text: str, constraints: list[InstructionConstraint]) -> str:
    """A single-shape prompt: the task and its constraints in one user turn."""
    return render(f"compose/{pattern}", task=task_text, constraints=[c["text"] for c in constraints])


def render_prompt(
    shape: str, pattern: str, task_text: str, constraints: list[InstructionConstraint]
) -> list[ChatMessage]:
    """The prompt of one instruction as chat turns (a multiturn prompt's assistant turn is None: drawn later)."""
    texts = [c["text"] for c in constraints]
    if shape == Shape.SINGLE:
        return [{"role": "user", "content": render_instruction(pattern, task_text, constraints)}]
    if shape == Shape.SYSTEM:
        return [
            {"role": "system", "content": render(f"compose/system/{pattern}", constraints=texts)},
            {"role": "user", "content": task_text},
        ]
    if shape == Shape.MULTITURN:
        return [
            {"role": "user", "content": task_text},
            {"role": "assistant", "content": None},
            {"role": "user", "content": render(f"compose/multiturn/{pattern}", constraints=texts)},
        ]
    raise ValueError(f"unknown prompt shape {shape!r}")


def carrier(shape: str) -> int:
    """Index of the message that states the constraints (what the gate checks and a rewrite rewrites)."""
    return 0 if shape == Shape.SYSTEM else -1


def value_strings(params: dict[str, Any]) -> list[str]:
    """The literal strings an instruction must contain for these bound parameters."""
    out: list[str] = []
    for v in params.values():
        if isinstance(v, (list, tuple)):
            out += [str(x) for x in v]
        elif v is not None and v != "":
            out.append(str(v))
    return out


def stated(c: InstructionConstraint) -> list[str]:
    """What must appear verbatim for `c`: its words when free-form (or mapped from free-form words, whose
    parameters may be written differently: "at most 100 words" is `less than 101`), else its values."""
    return [c["text"]] if is_freeform(c) or c.get("mapped") else value_strings(c["params"])


def faithful(text: str, constraints: list[InstructionConstraint]) -> bool:
    """Every bound parameter value (and every rule stated in free-form words) still appears in `text`."""
    return all(v in text for c in constraints for v in stated(c))


def level(n: int) -> str:
    """MulDimIF difficulty level of an instruction with n constraints."""
    return "L1" if n <= 1 else "L2" if n == 2 else "L3" if n <= 4 else "L4"
