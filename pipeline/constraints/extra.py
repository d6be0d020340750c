"""Transitional: ifgen's own constraints not yet moved to families/ifgen/, registered on import.

Each old module is imported if it still exists (the two engineers moving the ifgen family delete theirs as they
go); this file goes away with the last of them.
"""

from __future__ import annotations

import importlib

for _mod in ("extra_markdown", "extra_structured", "extra_sentences", "extra_length", "extra_bans"):
    try:
        importlib.import_module(f"{__package__}.{_mod}")
    except ModuleNotFoundError as e:
        if not e.name.endswith(f".{_mod}"):
            raise


def extra_ids() -> list[str]:
    """Ids of the ifgen family."""
    from .registry import REGISTRY

    return [cid for cid, c in REGISTRY.items() if c.family == "ifgen"]
