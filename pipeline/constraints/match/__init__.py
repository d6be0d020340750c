"""Free English text -> one registry constraint (id + params), or None.

Why: free-form constraints (an LLM's, a user's) that are really registry constraints should be verified
by the registry's exact checker, not by generated checker code. "Do not use the word 'very'." is
`keywords:forbidden_words {forbidden_words: ["very"]}`; "Use 'very' sparingly" is not anything the
registry checks, and must stay None.

How: deterministic regex rules (no model, no network), one per way of saying a constraint, each matching
the whole clause once politeness and "in your response" framing are removed (engine.py). Precision
comes first, because a wrong mapping silently mislabels training data: soft or conditional wording, a
second constraint, a scope narrower than the whole response, a bound the id cannot state exactly, or
two rules disagreeing all give None. Bounds are converted exactly onto IFEval's two relations ("at most
100 words" is `less than 101`).

Only the public registry facade is used (`get`, `check`), so the registry's internals can move freely.
"""

from __future__ import annotations

from typing import Any

from . import rules_counts, rules_layout, rules_markdown, rules_style, rules_words  # noqa: F401  (they register rules)
from .engine import RULES, Match, fits, run


def match(text: str) -> Match | None:
    """The registry constraint `text` states, whole and alone, or None when unsure."""
    return run(text)


def match_row(text: str) -> dict[str, Any]:
    """`{"text", "id", "params"}` for one text, id and params null when nothing fits (`ifgen constraints match`)."""
    m = run(text)
    return {"text": text, "id": m.id if m else None, "params": m.params if m else None}


__all__ = ["RULES", "Match", "fits", "match", "match_row"]
