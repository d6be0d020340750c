"""AutoIF cross-validation: keep the test cases and functions that agree.

Given K candidate functions and their pooled labelled test cases, and the
matrix of each function's output on each case (True / False / None for a
crash), keep the cases that at least one function gets right, keep the
functions whose accuracy on the kept cases reaches the threshold, and keep the
constraint only when enough of both survive. Pure; the stage feeds it sandbox
results. Defaults follow AutoIF's released code (3 functions, 10 cases, 0.8).

One guard of ours on top of AutoIF: the kept cases must hold at least one
passing and one failing example. Otherwise a constant function (`return True`)
"agrees" with every case it was not contradicted on and validates itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_FENCE = re.compile(r"```(?:python|py)?\s*\n(.*?)```", re.S)


@dataclass
class Candidate:
    code: str
    cases: list[tuple[str, bool]] = field(default_factory=list)
    sample_index: int = 0


def normalise_code(code: str) -> str:
    """Whitespace- and comment-insensitive form, for deduplicating candidate functions."""
    lines = []
    for line in code.splitlines():
        line = line.split("#", 1)[0].rstrip()
        if line.strip():
            lines.append(line)
    return "\n".join(lines)


def parse_candidate(text: str, sample_index: int = 0) -> Candidate | None:
    """A function (and cases) from a model reply: JSON {function, cases}, or a code fence + a JSON list."""
    code = None
    cases: list[tuple[str, bool]] = []
    obj = _first_json(text)
    if isinstance(obj, dict):
        f = obj.get("function") or obj.get("code")
        if isinstance(f, str):
            code = f
        cases = _cases(obj.get("cases") or obj.get("test_cases"))
    if code is None:
        m = _FENCE.search(text)
        if m:
            code = m.group(1)
    if not code or "def evaluate" not in code:
        return None
    return Candidate(code=code.strip() + "\n", cases=cases, sample_index=sample_index)


def _first_json(text: str) -> Any:
    dec = json.JSONDecoder()
    for i, ch in enumerate(text):
        if ch in "{[":
            try:
                return dec.raw_decode(text[i:])[0]
            except json.JSONDecodeError:
                continue
    return None


def _cases(raw: Any) -> list[tuple[str, bool]]:
    out = []
    if isinstance(raw, list):
        for c in raw:
            if isinstance(c, dict) and isinstance(c.get("response"), str):
                label = c.get("label", c.get("expected", c.get("pass")))
                if isinstance(label, bool):
                    out.append((c["response"], label))
    return out


def pool_cases(candidates: list[Candidate], limit: int) -> list[tuple[str, bool]]:
    """Pooled unique cases; a response given both labels is ambiguous and dropped."""
    labels: dict[str, set[bool]] = {}
    order: list[str] = []
    for cand in candidates:
        for resp, label in cand.cases:
            if resp not in labels:
                labels[resp] = set()
                order.append(resp)
            labels[resp].add(label)
    out = [(r, next(iter(labels[r]))) for r in order if len(labels[r]) == 1]
    return out[: max(limit, 0)] if limit else out


@dataclass
class Selection:
    kept_functions: list[int]
    kept_cases: list[int]
    accuracy: dict[int, float]
    kept: bool
    reason: str  # for people
    outcome: str = "kept"  # for counting: records.CHECKER_OUTCOMES


def select(
    outputs: list[list[bool | None]], labels: list[bool], threshold: float, min_functions: int, min_cases: int
) -> Selection:
    """outputs[f][c] = function f's verdict on case c (None = crashed)."""
    n_cases = len(labels)
    kept_cases = [c for c in range(n_cases) if any(o[c] is labels[c] for o in outputs)]
    acc: dict[int, float] = {}
    for f, o in enumerate(outputs):
        acc[f] = (sum(o[c] is labels[c] for c in kept_cases) / len(kept_cases)) if kept_cases else 0.0
    kept_functions = [f for f in range(len(outputs)) if kept_cases and acc[f] >= threshold]
    if len(kept_cases) < min_cases:
        return Selection(
            kept_functions, kept_cases, acc, False, f"only {len(kept_cases)} test case(s) survived", "too_few_cases"
        )
    if len({labels[c] for c in kept_cases}) < 2:
        return Selection(
            [], kept_cases, acc, False, "one-sided: the kept cases hold no passing or no failing example", "one_sided"
        )
    if len(kept_functions) < min_functions:
        return Selection(
            kept_functions,
            kept_cases,
            acc,
            False,
            f"only {len(kept_functions)} function(s) reached accuracy {threshold}",
            "too_few_functions",
        )
    return Selection(kept_functions, kept_cases, acc, True, "kept")
