"""Transitional shim while the families move to families/: the samplers live in core/samplers.py."""

from .core.relations import RELATIONS  # noqa: F401
from .core.relations import sample_relation as relation  # noqa: F401
from .core.samplers import *  # noqa: F403
from .core.samplers import GENERIC_KEYWORDS, LANGUAGES, LETTERS, _pool, expected_length  # noqa: F401
