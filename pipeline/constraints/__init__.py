"""Constraints: pure functions of text, and the registry that holds them.

Everything outside this package imports from here (never from the modules inside), so the package can be
reorganised without touching its users.
"""

from .base import Constraint, ConstraintError, MissingParameterError, Param, UnknownConstraintError
from .conflicts import conflicting_ids, find_conflicts
from .registry import all_constraints, check, check_loose, check_many, get
from .text import detect_language

__all__ = [
    "Constraint",
    "ConstraintError",
    "MissingParameterError",
    "Param",
    "UnknownConstraintError",
    "all_constraints",
    "check",
    "check_loose",
    "check_many",
    "conflicting_ids",
    "detect_language",
    "find_conflicts",
    "get",
]
