"""Transitional: the families not yet moved into `families/`, and their conflict data from the old tables.

`load()` imports the old family modules (each registers its constraints) and fills in, for exactly those ids,
what a block in `families/` declares itself: its conflicts, conflict groups and facts, derived from the old
id-level table and facts extractors. A pair belongs to the block of the id from the later family (ifeval,
ifevalg, ifbench, ifgen); within one family, to the first id of the old entry. This module goes away when the
last family has moved.
"""

from __future__ import annotations

import dataclasses
import importlib

from ..core.contract import FAMILIES, Conflicts
from ..core.registry import REGISTRY

OLD_MODULES = ("ifeval", "iftrain", "ifbench", "extra")

SINGLE_VALUE = {
    "language:response_language": "language", "ifgen:code_block_language": "code_language",
    "startend:end_checker": "end_phrase", "first_word:first_word_answer": "first_word",
    "first_word:first_word_sent": "first_word", "last_word:last_word_answer": "last_word",
    "last_word:last_word_sent": "last_word", "ifgen:email_format": "sign_off", "ifgen:start_phrase": "start_phrase",
    "ifgen:wrap_in_tags": "tag_name", "detectable_format:multiple_sections": "section_spliter",
}  # fmt: skip


def _group_members() -> dict[str, tuple[str, ...]]:
    from . import conflicts_table as T

    json_ok = tuple(i for i in T._JSON_OK if i not in T.CONTENT_BANS)
    return {
        "token_wrapper": T.TOKEN_WRAPPERS,
        "layout": T.LAYOUTS,
        "start_rule": T.GROUPS[1][0],
        "whole_layout": T.GROUPS[2][0],
        "english_only": T.ENGLISH_ONLY,
        "numbered": T.NUMBERED,
        "content_ban": T.CONTENT_BANS,
        "fits_json": json_ok,
        "fits_data": tuple(i for i in T._DATA_OK if i not in T._JSON_OK),
    }


def declarations() -> dict[str, dict]:
    """id -> {"conflicts": Conflicts, "groups": frozenset, "facts": fn | None} for every id of the old tables."""
    from . import conflicts_table as T
    from .conflicts_facts import EXTRACTORS

    order = {f: i for i, f in enumerate(FAMILIES)}

    def fam(cid: str) -> int:
        c = REGISTRY.get(cid)
        return order[c.family] if c is not None else -1

    ids_of: dict[str, dict[str, str]] = {}
    seen: set[frozenset] = set()
    for a, b, reason in T.PAIRS:
        key = frozenset((a, b))
        if key in seen or a == b:
            continue
        seen.add(key)
        owner, other = (b, a) if fam(b) > fam(a) else (a, b)
        ids_of.setdefault(owner, {})[other] = reason
    group_conflicts: dict[str, dict[str, str]] = {
        "language:response_language": {"english_only": T.CROSS[0][2]},
        "ifgen:no_digits": {"numbered": T.CROSS[2][2]},
    }
    groups_of: dict[str, set[str]] = {}
    for g, ids in _group_members().items():
        for i in ids:
            groups_of.setdefault(i, set()).add(g)
    members = _group_members()
    exclusive: dict[str, Conflicts] = {}
    for cid, allowed, reason in T.EXCLUSIVE:
        allowed_set = set(allowed)
        groups = tuple(g for g in ("content_ban", "fits_json", "fits_data") if set(members[g]) <= allowed_set)
        covered = {i for g in groups for i in members[g]}
        only = tuple(i for i in dict.fromkeys(allowed) if i not in covered)
        exclusive[cid] = (only, groups, reason)
    out: dict[str, dict] = {}
    for cid in REGISTRY:
        if cid in exclusive:
            only, groups, reason = exclusive[cid]
            spec = Conflicts(
                ids=ids_of.get(cid, {}),
                groups=group_conflicts.get(cid, {}),
                only_with=only,
                only_groups=groups,
                reason=reason,
            )
        else:
            spec = Conflicts(ids=ids_of.get(cid, {}), groups=group_conflicts.get(cid, {}))
        facts = EXTRACTORS.get(cid)
        if cid in SINGLE_VALUE:
            from ..conflicts.facts import one_value

            facts = one_value(SINGLE_VALUE[cid], facts)
        out[cid] = {"conflicts": spec, "groups": frozenset(groups_of.get(cid, ())), "facts": facts}
    return out


LEGACY_IDS: set[str] = set()


def load() -> None:
    before = set(REGISTRY)
    for mod in OLD_MODULES:
        try:  # a family whose old module is gone has moved to families/
            importlib.import_module(f"{__package__.rpartition('.')[0]}.{mod}")
        except ModuleNotFoundError as e:
            if not e.name.endswith(f".{mod}"):
                raise
    legacy = [cid for cid in REGISTRY if cid not in before]
    LEGACY_IDS.update(legacy)
    decl = declarations()
    for cid in legacy:
        REGISTRY[cid] = dataclasses.replace(REGISTRY[cid], **decl[cid])
