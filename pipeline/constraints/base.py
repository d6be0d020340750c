"""Transitional shim while the families move to families/: the contract lives in core/contract.py."""

from .core.contract import *  # noqa: F403
from .core.contract import LANGUAGE_NAMES, _display  # noqa: F401
