"""ifgen's own constraints (source "ifgen", split "train"), registered on import.

The ids live in modules split by what they look at; importing them registers
them. `EXTRA_MODULES` names them for tests and docs.
"""

from __future__ import annotations

from . import extra_bans, extra_length, extra_markdown, extra_sentences, extra_structured

EXTRA_MODULES = (extra_markdown, extra_structured, extra_sentences, extra_length, extra_bans)


def extra_ids() -> list[str]:
    """Ids registered by the ifgen-native modules, in registration order."""
    from .registry import REGISTRY

    return [cid for cid, c in REGISTRY.items() if c.family == "ifgen"]
