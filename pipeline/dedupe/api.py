"""`dedupe()`: exact + near-duplicate removal over records, keeping the best of each cluster.

Exact duplicates (same normalised text) are collapsed first with a dict, so
the near-duplicate search only sees distinct texts. Near-duplicate pairs are
linked with union-find, which is transitive: if A~B and B~C, all three form
one cluster even when A and C alone fall below the threshold. Each removed
record therefore reports its *direct* similarity to the kept member, which can
be below the threshold for such chained members — it is reported, not hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .near import LshParams, Scorer, _check_threshold, clusters_from_pairs, resolve_scorer, similar_pairs
from .normalize import normalize_text


@dataclass
class Removed:
    """A dropped record: `duplicate_of` is the input index of the kept record
    (`duplicate_of_id` its `id` key, if it has one); similarity is 0-1."""

    record: dict
    index: int
    duplicate_of: int
    duplicate_of_id: Any
    similarity: float
    kind: str  # "exact" | "near"


@dataclass
class DedupeResult:
    kept: list[dict] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _texts(records: list[dict], field_name: str) -> list[str]:
    out = []
    for i, r in enumerate(records):
        if not isinstance(r, dict):
            raise ValueError(f"record {i}: expected a dict, got {type(r).__name__}")  # noqa: TRY004 - bad input is a ValueError here, as the CLI contract says
        v = r.get(field_name)
        if not isinstance(v, str):
            raise ValueError(f"record {i}: field {field_name!r} missing or not a string")  # noqa: TRY004 - bad input is a ValueError here, as the CLI contract says
        out.append(v)
    return out


def _group_ids(records: list[dict], key: str | Callable[[dict], Hashable] | None) -> list[int]:
    if key is None:
        return [0] * len(records)
    get = (lambda r: r.get(key)) if isinstance(key, str) else key
    ids: dict[Any, int] = {}
    out = []
    for r in records:
        k = get(r)
        try:
            out.append(ids.setdefault(k, len(ids)))
        except TypeError:  # unhashable group value (e.g. a list): group by its JSON-ish repr
            out.append(ids.setdefault(repr(k), len(ids)))
    return out


def dedupe(
    records: Iterable[dict],
    field: str,
    *,
    threshold: float = 0.9,
    score: Callable[[dict], float] | None = None,
    key: str | Callable[[dict], Hashable] | None = None,
    scorer: str | Scorer | None = None,
    params: LshParams | None = None,
) -> DedupeResult:
    """Remove exact and near-duplicates of `record[field]`.

    threshold: 0-1 similarity (mapped to rapidfuzz's 0-100) at or above which
      two normalised texts are near-duplicates.
    score: higher is better; each cluster keeps its best-scored member, ties
      going to the first seen. None keeps the first seen.
    key: a field name or function; records are only compared within the same
      key value (e.g. responses of one prompt).
    """
    _check_threshold(threshold)
    fn = resolve_scorer(scorer)
    recs = list(records)
    raw = _texts(recs, field)
    norm = [normalize_text(t) for t in raw]
    gid = _group_ids(recs, key)

    # exact: one representative per (group, normalised text)
    rep_of: dict[tuple[int, str], int] = {}
    uniq_idx: list[int] = []
    uniq_of = []
    for i, (g, t) in enumerate(zip(gid, norm)):
        u = rep_of.get((g, t))
        if u is None:
            u = rep_of[(g, t)] = len(uniq_idx)
            uniq_idx.append(i)
        uniq_of.append(u)
    del rep_of, raw  # the near search is the peak: hold nothing it does not need

    pairs, _ = similar_pairs(
        [norm[i] for i in uniq_idx],
        threshold,
        scorer=fn,
        groups=np.asarray([gid[i] for i in uniq_idx], dtype=np.int64),
        params=params,
    )
    labels = clusters_from_pairs(len(uniq_idx), pairs)

    members: dict[int, list[int]] = {}
    for i in range(len(recs)):
        members.setdefault(labels[uniq_of[i]], []).append(i)

    keep = [False] * len(recs)
    removed: list[Removed] = []
    n_exact = n_near = 0
    for idx in members.values():
        best = idx[0]
        if score is not None and len(idx) > 1:
            best_s = score(recs[best])
            for i in idx[1:]:
                s = score(recs[i])
                if s > best_s:  # strict: ties keep the first seen
                    best, best_s = i, s
        keep[best] = True
        for i in idx:
            if i == best:
                continue
            if norm[i] == norm[best]:
                kind, sim = "exact", 1.0
                n_exact += 1
            else:
                kind, sim = "near", fn(norm[i], norm[best]) / 100.0
                n_near += 1
            removed.append(Removed(recs[i], i, best, recs[best].get("id"), sim, kind))
    removed.sort(key=lambda r: r.index)
    kept = [r for r, k in zip(recs, keep) if k]
    counts = {
        "input": len(recs),
        "kept": len(kept),
        "removed": len(removed),
        "exact": n_exact,
        "near": n_near,
        "clusters": sum(len(m) > 1 for m in members.values()),
    }
    return DedupeResult(kept, removed, counts)
