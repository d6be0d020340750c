"""Constraints: pure functions of text, and the registry that holds them."""

from .base import Constraint, ConstraintError, MissingParameterError, Param, UnknownConstraintError
from .registry import all_constraints, check, check_all, check_loose, get

__all__ = [
    "Constraint",
    "ConstraintError",
    "MissingParameterError",
    "Param",
    "UnknownConstraintError",
    "all_constraints",
    "check",
    "check_all",
    "check_loose",
    "get",
]
