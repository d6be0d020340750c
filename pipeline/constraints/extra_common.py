"""Transitional shim while the ifgen family moves: its shared helpers live in families/ifgen/_common.py."""

from .families.ifgen._common import *  # noqa: F403
from .families.ifgen._common import RELATIONS  # noqa: F401
