"""Id-level conflicts: which constraint ids must never share a prompt, read from every block's declarations.

Symmetric by construction: a pair is declared once (in either block) and looked up both ways; every id conflicts
with itself, as in IFEval's conflict_make. Precedence for the reason shown: a declared pair, then a group's
`within` clash, then group-against-group and id-against-group clashes, then an exclusive constraint.
"""

from __future__ import annotations

import functools

from ..core.contract import Constraint, UnknownConstraintError
from ..core.registry import all_constraints, get
from .groups import GROUPS


def members(group: str) -> list[str]:
    """Ids in one conflict group, sorted."""
    return [cid for cid, c in all_constraints().items() if group in c.groups]


@functools.cache
def _explicit() -> dict[str, dict[str, str]]:
    """Neighbour -> reason for declared pairs and group clashes, filled both ways (first reason wins)."""
    table: dict[str, dict[str, str]] = {}

    def add(a: str, b: str, reason: str) -> None:
        if a != b:
            table.setdefault(a, {}).setdefault(b, reason)
            table.setdefault(b, {}).setdefault(a, reason)

    constraints = all_constraints()
    for cid, c in constraints.items():
        for other, reason in c.conflicts.ids.items():
            add(cid, other, reason)
    for name, g in GROUPS.items():
        if g.within:
            ids = members(name)
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    add(a, b, g.within)
    for name, g in GROUPS.items():
        for other, reason in g.against.items():
            for a in members(name):
                for b in members(other):
                    add(a, b, reason)
    for cid, c in constraints.items():
        for group, reason in c.conflicts.groups.items():
            for b in members(group):
                add(cid, b, reason)
    return table


def _allowed(c: Constraint, other: str) -> bool:
    """Whether an exclusive constraint `c` may share a prompt with `other`."""
    spec = c.conflicts
    if other in (spec.only_with or ()):
        return True
    try:
        groups = get(other).groups
    except UnknownConstraintError:
        return False
    return any(g in groups for g in spec.only_groups)


def id_conflict_reason(a: str, b: str) -> str | None:
    """Why ids a and b conflict, or None. Symmetric: the same answer for (b, a)."""
    if a == b:
        return "the same instruction twice"
    r = _explicit().get(a, {}).get(b)
    if r:
        return r
    constraints = all_constraints()
    for x, y in ((a, b), (b, a)):
        c = constraints.get(x)
        if c is not None and c.conflicts.exclusive and not _allowed(c, y):
            return f"{x}: {c.conflicts.reason}"
    return None


def known_ids() -> set[str]:
    """Every registered id."""
    return set(all_constraints())


@functools.cache
def _conflicting_ids(cid: str) -> frozenset[str]:
    return frozenset(other for other in known_ids() | {cid} if id_conflict_reason(cid, other))


def conflicting_ids(cid: str) -> set[str]:
    """Every known id that may not share a prompt with `cid` (including `cid` itself)."""
    return set(_conflicting_ids(cid))
