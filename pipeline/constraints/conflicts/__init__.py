"""Which constraints cannot share a prompt: id-level declarations plus parameter rules.

Two layers, both data:
  * id level (`ids.py`): each block's declared conflicts and conflict groups (`groups.py`), read both ways.
  * parameter level (`rules.py`): after binding, each item's `facts` are compared by rules.

`find_conflicts` reports both kinds; compose calls `conflicting_ids` to prune its candidate pool before binding
and `find_conflicts` after.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ..core.contract import UnknownConstraintError
from ..core.registry import get
from .facts import Facts, facts_for
from .ids import conflicting_ids, id_conflict_reason, known_ids, members
from .rules import Item, param_conflicts

Kind = Literal["id", "param"]


@dataclass(frozen=True)
class Conflict:
    ids: tuple[str, str]
    reason: str
    kind: Kind


def bound_item(cid: str, params: dict | None) -> Item:
    """One (id, params) with its facts; an unknown id has none (its only conflict is with itself)."""
    try:
        facts = facts_for(get(cid), params)
    except UnknownConstraintError:
        facts = Facts()
    return Item(cid, dict(params or {}), facts)


def find_conflicts(items: Iterable[tuple[str, dict | None]]) -> list[Conflict]:
    """Every conflicting pair in a bound instruction list: id-level first, then parameter-level."""
    bound = [bound_item(cid, p) for cid, p in items]
    out: list[Conflict] = []
    for i, a in enumerate(bound):
        for b in bound[i + 1 :]:
            reason = id_conflict_reason(a.id, b.id)
            if reason:
                out.append(Conflict((a.id, b.id), reason, "id"))
            for msg in param_conflicts(a, b):
                out.append(Conflict((a.id, b.id), msg, "param"))
    return out


def is_compatible(items: Iterable[tuple[str, dict | None]]) -> bool:
    return not find_conflicts(items)


__all__ = [
    "Conflict", "conflicting_ids", "find_conflicts", "id_conflict_reason", "is_compatible", "known_ids", "members",
]  # fmt: skip
