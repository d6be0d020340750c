"""IFBench out-of-distribution constraints: 58 ids, all `split="eval_only"`.

These ids score the IFBench benchmark, so they are never used to build training
data. Semantics follow the current allenai/IFBench checkers (our own code); the
checkers live in four modules split by kind, and this module registers them.
"""

from __future__ import annotations

from . import ifbench_custom
from .registry import register

CONSTRAINTS = ifbench_custom.CONSTRAINTS
IDS = tuple(c.id for c in CONSTRAINTS)

register(*CONSTRAINTS)
