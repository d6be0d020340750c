"""The constraint contract, the registry and the helpers every family shares."""

from .contract import (
    FAMILIES,
    KNOWN_TAGS,
    NO_CONFLICTS,
    SPLITS,
    Conflicts,
    Constraint,
    ConstraintError,
    Example,
    MissingParameterError,
    Param,
    UnknownConstraintError,
    definer,
    exclusive,
    fails,
    passes,
)
from .registry import all_constraints, check, check_loose, check_many, get

__all__ = [
    "FAMILIES", "KNOWN_TAGS", "NO_CONFLICTS", "SPLITS", "Conflicts", "Constraint", "ConstraintError", "Example",
    "MissingParameterError", "Param", "UnknownConstraintError", "all_constraints", "check", "check_loose",
    "check_many", "definer", "exclusive", "fails", "passes", "get",
]  # fmt: skip
