"""Constraints: pure functions of text, and the registry that holds them.

Layout: `core/` (the contract every constraint block follows, the registry, the one relation helper, shared
samplers), `text/` (sentences, words, tokens, language: the text facts checkers share), `conflicts/` (which
constraints cannot share a prompt), `families/<family>/<category>.py` (the constraints themselves, one block
each), `match/` (free text -> a registry constraint), `catalogue.py` (what `ifgen constraints` prints).

Everything outside this package imports from here (never from the modules inside), so the package can be
reorganised without touching its users.
"""

from .conflicts import conflicting_ids, find_conflicts
from .core.contract import Constraint, ConstraintError, MissingParameterError, Param, UnknownConstraintError
from .core.registry import all_constraints, check, check_loose, check_many, get
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
