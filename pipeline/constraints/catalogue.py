"""What `ifgen constraints list|show` prints: every constraint block as data and as a card.

A row carries everything a block declares that can be written as JSON (parameters, tags, conflicts, groups,
worked examples), so a user or a tool can read the whole registry without importing it.
"""

from __future__ import annotations

import json
import random
from typing import Any

from .conflicts import conflicting_ids
from .core.contract import Constraint, ConstraintError, Param
from .core.registry import all_constraints, get


def _param_row(p: Param) -> dict[str, Any]:
    return {
        "name": p.name,
        "kind": p.kind,
        "low": p.low,
        "high": p.high,
        "choices": list(p.choices),
        "optional": p.optional,
    }


def row(c: Constraint) -> dict[str, Any]:
    """One constraint as a JSON-able dict."""
    spec = c.conflicts
    return {
        "id": c.id,
        "category": c.category,
        "split": c.split,
        "family": c.family,
        "description": c.description,
        "params": [_param_row(p) for p in c.params],
        "phrasings": len(c.phrasings),
        "tags": sorted(c.tags),
        "soft": c.soft,
        "has_inverse": c.inverse is not None,
        "groups": sorted(c.groups),
        "conflicts": {
            "ids": dict(spec.ids),
            "groups": dict(spec.groups),
            "exclusive": {
                "reason": spec.reason,
                "only_with": list(spec.only_with or ()),
                "only_groups": list(spec.only_groups),
            }
            if spec.exclusive
            else None,
        },
        "has_facts": c.facts is not None,
        "examples": [
            {"text": e.text, "params": dict(e.params), "passes": e.passes, "loose": e.loose, "note": e.note}
            for e in c.examples
        ],
    }


def constraint_rows() -> list[dict[str, Any]]:
    """One row per registered constraint, sorted by id (for `constraints list`)."""
    return [row(c) for c in all_constraints().values()]


def describe(constraint_id: str) -> str:
    """Human-readable card for one id (for `constraints show ID`); an unknown id raises."""
    c = get(constraint_id)
    lines = [
        c.id,
        f"  {c.description}",
        f"  category: {c.category}   family: {c.family}   split: {c.split}"
        + ("   soft (LLM-judged)" if c.soft else ""),
        f"  tags: {', '.join(sorted(c.tags)) or '-'}",
    ]
    if c.params:
        lines.append("  params:")
        for p in c.params:
            rng = f" [{p.low:g}..{p.high:g}]" if p.low is not None and p.high is not None else ""
            choices = f" one of {', '.join(map(str, p.choices))}" if p.choices else ""
            lines.append(f"    {p.name} ({p.kind}){rng}{choices}{' optional' if p.optional else ''}")
    else:
        lines.append("  params: none")
    lines.append(f"  phrasings ({len(c.phrasings)}):")
    lines += [f"    - {t}".replace("\n", "\\n") for t in c.phrasings]
    try:
        example = c.bind(random.Random(0), {"task_text": "Describe your favourite place.", "expected_length": 200})
        lines.append(f"  example: {c.render(example, index=0)}")
        lines.append(f"  example params: {json.dumps(example, ensure_ascii=False)}")
    except (ConstraintError, KeyError, ValueError, TypeError) as e:  # a sampler needing context we lack
        lines.append(f"  example: (needs task context: {e})")
    if c.inverse is not None:
        lines.append("  inverse: yes (DPO reverse-constraint pairs)")
    if c.groups:
        lines.append(f"  conflict groups: {', '.join(sorted(c.groups))}")
    others = sorted(conflicting_ids(c.id) - {c.id})
    lines.append(
        f"  conflicts with ({len(others)}): {', '.join(others) if len(others) <= 12 else ', '.join(others[:12]) + ', ...'}"
    )
    if c.examples:
        lines.append(f"  worked examples ({len(c.examples)}):")
        for ex in c.examples:
            verdict = "passes" if ex.passes else "fails"
            mode = " (loose)" if ex.loose else ""
            text = json.dumps(ex.text, ensure_ascii=False)
            params = json.dumps(dict(ex.params), ensure_ascii=False)
            lines.append(f"    - {verdict}{mode}: {text} with {params}" + (f"  [{ex.note}]" if ex.note else ""))
    return "\n".join(lines)
