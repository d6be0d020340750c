"""The leak-free split on a `Corpus` (see stream.py): components of "same group or identical / near-duplicate
text" go wholly to one side, ordered by the hash of their smallest group key, filled to `test_fraction`.
Same decisions as `split.split_by_group` on the same rows, in bounded memory."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .components import ArrayUnionFind
from .near import LshParams
from .partitioned import search_pairs
from .spill import Budget, Partitions, Workdir
from .split import _unit_hash
from .stream import Corpus, Masks, _linker, first_of


def split_mask(
    corpus: Corpus,
    mask: np.ndarray,
    test_fraction: float,
    seed: int = 0,
    near_dup_threshold: float | None = 0.9,
    *,
    params: LshParams | None = None,
    balanced: bool = False,
) -> Masks:
    """`split_by_group(rows in mask, group, test_fraction, seed, threshold, text_field=text)`:
    `keep` is the test mask (rows outside `mask` are neither train nor test)."""
    if not 0.0 <= test_fraction <= 1.0:
        raise ValueError(f"test_fraction must be in [0, 1], got {test_fraction}")
    budget = corpus.budget
    mask = np.asarray(mask, dtype=bool)
    rows = np.flatnonzero(mask)
    nr = len(rows)
    with Workdir(corpus.workdir.path, prefix="split-") as wd:
        # row of each group's first record
        gfirst = first_of(corpus.group_hash.chunks(), len(mask), budget, wd.sub("groups"), mask)
        pos_first = np.searchsorted(rows, gfirst)
        is_first = pos_first == np.arange(nr)
        g = (np.cumsum(is_first) - 1)[pos_first]  # group index per selected row, first-seen order
        group_row = rows[is_first]  # a row holding each group's key
        del gfirst, pos_first, is_first
        uf = ArrayUnionFind(len(group_row))
        stats = None
        if near_dup_threshold is not None:
            tfirst = first_of(corpus.text_hash.chunks(), len(mask), budget, wd.sub("texts"), mask)
            dup = tfirst != rows
            uf.union_pairs(g[dup], g[np.searchsorted(rows, tfirst[dup])])
            uniq = rows[~dup]
            gu = g[~dup]
            del tfirst, dup
            stats = search_pairs(
                corpus.texts,
                uniq,
                near_dup_threshold,
                _linker(uf, gu),
                params=params,
                budget=budget,
                workdir=wd.path,
            )
            del uniq, gu
        root = uf.labels()
        del uf
        comp_of_row = root[g]
        size = np.bincount(comp_of_row, minlength=len(group_row))
        roots = np.flatnonzero(size)
        comp_hash, comp_key_row = _component_keys(corpus, root, group_row, seed, budget, wd.sub("comps"))
    if balanced:
        order = _hash_order(corpus, roots, comp_hash, comp_key_row)
        is_test = _fill_to_target(order, size, test_fraction, nr)
    else:
        is_test = np.zeros(len(size), dtype=bool)
        is_test[roots] = comp_hash[roots] < test_fraction
    test = np.zeros(len(mask), dtype=bool)
    test[rows] = is_test[comp_of_row]
    n_test = int(test.sum())
    counts = {
        "input": nr,
        "train": nr - n_test,
        "test": n_test,
        "groups": len(group_row),
        "components": len(roots),
        "test_components": int(is_test[roots].sum()),
        "largest_component_records": int(size.max()) if len(size) else 0,
    }
    return Masks(test, counts, stats)


_COMP_ROW = np.dtype([("root", "<i8"), ("g", "<i8")])


def _component_keys(
    corpus: Corpus, root: np.ndarray, group_row: np.ndarray, seed: int, budget: Budget, folder: Path
) -> tuple[np.ndarray, np.ndarray]:
    """Per component root: the unit hash of its smallest group key, and the row holding that key.

    Components are partitioned by root, so each partition reads only its own groups' keys."""
    G = len(root)
    comp_hash = np.zeros(G, dtype=np.float64)
    key_row = np.zeros(G, dtype=np.int64)
    multi = np.bincount(root, minlength=G) > 1
    single = np.flatnonzero(~multi[root])  # groups alone in their component: their own key
    for lo in range(0, len(single), 65536):
        gs = single[lo : lo + 65536]
        keys = corpus.groups.get_many(group_row[gs].tolist())
        comp_hash[gs] = [_unit_hash(seed, k) for k in keys]
        key_row[gs] = group_row[gs]
    shared = np.flatnonzero(multi[root])
    if len(shared):
        from .minhash import _mix64

        parts = Partitions(folder, budget.parts(len(shared), 512), _COMP_ROW)
        for lo in range(0, len(shared), 1 << 18):
            gs = shared[lo : lo + (1 << 18)]
            block = np.empty(len(gs), dtype=_COMP_ROW)
            block["root"], block["g"] = root[gs], gs
            parts.add(_mix64(root[gs].astype(np.uint64)), block)
        for block in parts:
            best: dict[int, tuple[str, int]] = {}
            keys = corpus.groups.get_many(group_row[block["g"]].tolist())
            for r, g, k in zip(block["root"].tolist(), block["g"].tolist(), keys):
                cur = best.get(r)
                if cur is None or k < cur[0]:
                    best[r] = (k, int(group_row[g]))
            for r, (k, row) in best.items():
                comp_hash[r] = _unit_hash(seed, k)
                key_row[r] = row
    return comp_hash, key_row


def _hash_order(corpus: Corpus, roots: np.ndarray, comp_hash: np.ndarray, key_row: np.ndarray) -> np.ndarray:
    """Roots sorted by (unit hash, smallest group key), as `split._fill_to_target` visits them."""
    order = roots[np.argsort(comp_hash[roots], kind="stable")]
    h = comp_hash[order]
    starts = np.flatnonzero(np.concatenate(([True], h[1:] != h[:-1])))
    ends = np.concatenate((starts[1:], [len(h)]))
    for lo, hi in zip(starts.tolist(), ends.tolist()):
        if hi - lo > 1:  # equal floats of different keys (rare): that run goes by key text
            seg = order[lo:hi]
            keys = corpus.groups.get_many(key_row[seg].tolist())
            order[lo:hi] = seg[sorted(range(len(seg)), key=lambda i: keys[i])]
    return order


def _fill_to_target(order: np.ndarray, size: np.ndarray, test_fraction: float, n: int) -> np.ndarray:
    is_test = np.zeros(len(size), dtype=bool)
    if test_fraction <= 0:
        return is_test
    target = max(1, round(test_fraction * n))
    taken = 0
    limit = target * 1.5 + 1
    for lo in range(0, len(order), 65536):  # in blocks: no Python list of every component
        block = order[lo : lo + 65536]
        for root, s in zip(block.tolist(), size[block].tolist()):
            if taken >= target:
                return is_test
            if taken + s <= limit and taken + s < n:
                is_test[root] = True
                taken += s
    return is_test
