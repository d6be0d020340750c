"""Train/test split by group, with near-duplicate groups merged first.

Splitting by group (e.g. all responses of one prompt) stops a model from being
tested on a prompt it trained on; merging groups whose texts are
near-duplicates stops the same leak through a re-worded copy of the prompt.
Assignment is a hash of (seed, the merged component's smallest group key), so
it is deterministic, independent of record order, and stable when unrelated
groups are added or removed. The test share is therefore `test_fraction` of
*components* in expectation, not an exact record count. Merging is
transitive, so a corpus where near-duplicates link many groups can collapse
into one giant component that lands wholly on one side; `counts` reports
`largest_component_records` so callers can see and react to that.

`balanced=True` trades that stability for a predictable size (a published
dataset's test split should hold about `test_fraction` of the *records*):
components are visited in the order of the same hash and added to test until
it reaches round(test_fraction * records); a component that would take it past
1.5 x target + 1 records is skipped, and train is never left empty.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..records import canonical_json
from .near import LshParams, UnionFind, similar_pairs
from .normalize import normalize_text


@dataclass
class SplitResult:
    """Unpacks as (train, test)."""

    train: list[dict] = field(default_factory=list)
    test: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def __iter__(self):
        return iter((self.train, self.test))


def _unit_hash(seed: int, key: str) -> float:
    d = hashlib.blake2b(f"{seed}\x1f{key}".encode(), digest_size=8).digest()
    return int.from_bytes(d, "big") / 2.0**64


def split_by_group(
    records: Iterable[dict],
    group_field: str,
    test_fraction: float,
    seed: int = 0,
    near_dup_threshold: float | None = 0.9,
    *,
    text_field: str | None = None,
    params: LshParams | None = None,
    balanced: bool = False,
) -> SplitResult:
    """Split records so that no group — and no near-duplicate of a group — is on both sides.

    Near-duplicates are judged on `text_field` (default: the group value itself,
    which suits grouping by prompt text; when grouping by an id, pass the text
    field, or ids like "task-0001"/"task-0002" would look alike).
    near_dup_threshold=None disables merging. balanced: see the module docstring.
    """
    if not 0.0 <= test_fraction <= 1.0:
        raise ValueError(f"test_fraction must be in [0, 1], got {test_fraction}")
    recs = list(records)
    keys: list[str] = []
    for i, r in enumerate(recs):
        if not isinstance(r, dict) or group_field not in r:
            raise ValueError(f"record {i}: group field {group_field!r} missing")
        keys.append(canonical_json(r[group_field]))
    gidx: dict[str, int] = {}
    rec_group = [gidx.setdefault(k, len(gidx)) for k in keys]
    group_keys = list(gidx)
    uf = UnionFind(len(group_keys))

    if near_dup_threshold is not None:
        tf = text_field or group_field
        texts = []
        for r in recs:
            v = r.get(tf)
            texts.append(normalize_text(v if isinstance(v, str) else canonical_json(v)))
        # identical normalised texts link their groups directly; distinct texts go to the search
        first: dict[str, int] = {}
        for i, t in enumerate(texts):
            j = first.setdefault(t, i)
            if j != i:
                uf.union(rec_group[i], rec_group[j])
        uniq = list(first.values())
        pairs, _ = similar_pairs([texts[i] for i in uniq], near_dup_threshold, params=params)
        for a, b in pairs.tolist():
            uf.union(rec_group[uniq[a]], rec_group[uniq[b]])

    comp_key: dict[int, str] = {}
    for g, k in enumerate(group_keys):
        root = uf.find(g)
        if root not in comp_key or k < comp_key[root]:
            comp_key[root] = k
    rec_root = [uf.find(g) for g in rec_group]
    comp_size: dict[int, int] = {}
    for root in rec_root:
        comp_size[root] = comp_size.get(root, 0) + 1
    if balanced:
        is_test = _fill_to_target(comp_key, comp_size, seed, test_fraction, len(recs))
    else:
        is_test = {root: _unit_hash(seed, k) < test_fraction for root, k in comp_key.items()}
    train: list[dict] = []
    test: list[dict] = []
    for r, root in zip(recs, rec_root):
        (test if is_test[root] else train).append(r)
    counts = {
        "input": len(recs),
        "train": len(train),
        "test": len(test),
        "groups": len(group_keys),
        "components": len(comp_key),
        "test_components": sum(is_test.values()),
        "largest_component_records": max(comp_size.values(), default=0),
    }
    return SplitResult(train, test, counts)


def _fill_to_target(
    comp_key: dict[int, str], comp_size: dict[int, int], seed: int, test_fraction: float, n: int
) -> dict[int, bool]:
    """Components (root -> is test) filled in hash order up to round(test_fraction * n) records."""
    is_test = dict.fromkeys(comp_key, False)
    if test_fraction <= 0:
        return is_test
    target = max(1, round(test_fraction * n))
    taken = 0
    for root in sorted(comp_key, key=lambda r: (_unit_hash(seed, comp_key[r]), comp_key[r])):
        if taken >= target:
            break
        size = comp_size[root]
        if taken + size <= target * 1.5 + 1 and taken + size < n:
            is_test[root] = True
            taken += size
    return is_test
