"""The one comparison behind every "less than N" / "at least N" constraint.

IFEval's wording, which IFEvalG, IFBench-style counts and ifgen's own ids share: "less than" is `<`, "at least"
is `>=`. Anything else is a misuse of the registry (ConstraintError), never a failing response.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

from .contract import ConstraintError, Param

LESS_THAN = "less than"
AT_LEAST = "at least"
RELATIONS = (LESS_THAN, AT_LEAST)


def holds(count: float, relation: str, threshold: float) -> bool:
    """Whether `count` stands in `relation` to `threshold`."""
    if relation == LESS_THAN:
        return count < threshold
    if relation == AT_LEAST:
        return count >= threshold
    raise ConstraintError(f"relation must be one of {RELATIONS}, got {relation!r}")


def flip(relation: str) -> str:
    """The other relation: the inverse instruction of "less than N" is "at least N"."""
    return AT_LEAST if relation == LESS_THAN else LESS_THAN


def sample_relation(rng: random.Random, ctx: Mapping[str, Any]) -> str:
    return rng.choice(RELATIONS)


def relation_param(name: str = "relation") -> Param:
    """A relation parameter, drawn uniformly."""
    return Param(name, "choice", choices=RELATIONS, sample=sample_relation)


def relation_inverse(cid: str, key: str = "relation") -> Callable[[dict], tuple[str, dict]]:
    """Inverse for `<count> <relation> n` constraints: same id, the other relation."""

    def inverse(p: dict) -> tuple[str, dict]:
        return cid, {**p, key: flip(p[key])}

    return inverse
