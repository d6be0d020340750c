"""Transitional shim while the families move to families/: the registry lives in core/registry.py."""

from .core.registry import *  # noqa: F403
from .core.registry import REGISTRY, _load, clean_params, distinct_variants, loose_variants, register  # noqa: F401
