"""The near-duplicate search in partitions that spill to disk: same pairs as `similar_pairs`, bounded memory.

`similar_pairs` holds every text, the (n, bands) band-key matrix and all candidate pairs at once.
Here the same three steps run partition by partition:

1. band keys: unique texts are read from a `TextFile` in order, a block at a time; each block's
   OPH band keys (salted by group, exactly as in memory) are appended to per-band partition files
   chosen by the key's top bits, so every LSH bucket lands whole in one partition and, appended in
   ascending text order, keeps the order the in-memory stable sort gives it;
2. candidates: one band partition at a time is sorted and scanned with the same bounded window
   (`bucket_pair_codes`), and the pair codes go to pair partitions by the range of their smaller
   id (a pair met in several bands lands in one partition and is counted once);
3. verification: one pair partition at a time is made unique and checked with rapidfuzz in
   slices, reading only the texts those pairs name (`pread`), and handed to a callback (usually a
   union into an `ArrayUnionFind`), so verified pairs are never collected either.

Per-text memory is a few numpy entries (lengths, a 32-byte character-count signature that rules out
hopeless candidates before rapidfuzz (bounds.py), group hashes, the text file's offsets); everything
else is bounded by the `Budget`. The result equals `similar_pairs` on the same unique
texts (tests/test_dedupe_partitioned.py), because buckets, their order and the window are the same.
Group ids differ (a 64-bit hash of the group here, an index there); that only changes which
unrelated buckets could collide in 64 bits, never which pairs a bucket holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from .bounds import BUCKETS, may_reach_ratio, signatures
from .minhash import _U64, _merge_unique, _mix64, bucket_pair_codes, oph_band_keys
from .near import LshParams, Scorer, _check_threshold, resolve_scorer
from .spill import Budget, Partitions, TextFile, Workdir

_KEY_ROW = np.dtype([("key", "<u8"), ("u", "<i8")])
_GROUP_SALT = _U64(0x632BE59BD9B4E019)
# bytes per row while one partition is processed (the rows, an argsort, sorted copies, scan arrays)
_BAND_BYTES = 16 * 5
_CODE_BYTES = 8 * 12  # a code, its merge copy, the (a, b) pair columns and filter copies
_PAIRS_PER_TEXT = 64  # sizing guess for pair partitions; a heavier partition is still processed whole


@dataclass
class SearchStats:
    texts: int = 0
    band_partitions: int = 0
    candidate_pairs: int = 0
    verified_pairs: int = 0
    largest_partition_rows: int = 0
    resplit_partitions: int = 0  # pair partitions over the budget, read back in finer ranges
    ruled_out_pairs: int = 0  # candidates the character-count bound showed cannot reach the threshold


def group_hashes(values: Iterable[str]) -> np.ndarray:
    from .spill import blake_u64

    return blake_u64(values, salt=b"ifgen-group")


def search_pairs(
    texts: TextFile,
    uniq: np.ndarray,
    threshold: float,
    on_pairs: Callable[[np.ndarray, np.ndarray], None],
    *,
    scorer: str | Scorer | None = None,
    groups: np.ndarray | None = None,
    params: LshParams | None = None,
    budget: Budget | None = None,
    workdir: str | Path | None = None,
    workers: int = -1,
) -> SearchStats:
    """Verified near-duplicate pairs among the texts at positions `uniq` (ascending) of `texts`.

    Pairs are (u, v) with u < v indices into `uniq`, handed to `on_pairs(pairs, sims)` one
    partition at a time (each call's pairs sorted; sims 0-1). `groups` (uint64 per entry of
    `uniq`) keeps pairs inside one group, as `similar_pairs(groups=...)` does.
    """
    _check_threshold(threshold)
    fn = resolve_scorer(scorer)
    params = params or LshParams()
    budget = budget or Budget()
    uniq = np.asarray(uniq, dtype=np.int64)
    m = len(uniq)
    stats = SearchStats(texts=m)
    if m < 2:
        return stats
    with Workdir(workdir, prefix="ifgen-near-") as wd:
        lens, sig, band_parts = _spill_band_keys(texts, uniq, params, groups, budget, wd.sub("bands"))
        stats.band_partitions = sum(p.n for p in band_parts)
        bound = threshold if fn is fuzz.ratio else None
        span = max(1, budget.rows(_CODE_BYTES) // _PAIRS_PER_TEXT)  # texts per pair-partition range
        n_ranges = -(-m // span)
        pair_parts = Partitions(wd.sub("pairs"), 1 << (n_ranges - 1).bit_length(), np.int64)
        flush_at = max(4096, budget.bytes // (8 * 12))  # pending codes before they spill (merging copies them)

        def spill(found: list[np.ndarray]) -> None:
            codes = _merge_unique(np.empty(0, dtype=np.int64), found)
            if len(codes):  # range partition by the smaller id, so a pair met in many bands meets itself again
                _add_by_range(pair_parts, codes, m, span)

        for parts in band_parts:
            for p in range(parts.n):
                rows = parts.load(p)
                stats.largest_partition_rows = max(stats.largest_partition_rows, len(rows))
                if len(rows) < 2:
                    continue
                order = np.argsort(rows["key"], kind="stable")
                sk, members = rows["key"][order], rows["u"][order]
                del rows, order
                found: list[np.ndarray] = []
                pending = 0
                for codes in bucket_pair_codes(
                    sk, members, m, params.window, groups, lens if bound is not None else None, bound
                ):
                    found.append(codes)
                    pending += len(codes)
                    if pending >= flush_at:
                        spill(found)
                        found, pending = [], 0
                spill(found)
                del sk, members, found
        del band_parts
        limit = max(1024, budget.bytes // _CODE_BYTES)
        for q in range(pair_parts.n):
            lo = q * span if pair_parts.n > 1 else 0
            for codes in _code_blocks(pair_parts, q, lo, min(m, lo + span) - lo, m, limit, wd.path, stats):
                codes = _merge_unique(np.empty(0, dtype=np.int64), [codes])
                stats.candidate_pairs += len(codes)
                stats.largest_partition_rows = max(stats.largest_partition_rows, len(codes))
                pairs = np.stack([codes // m, codes % m], axis=1)
                del codes
                if groups is not None:
                    pairs = pairs[groups[pairs[:, 0]] == groups[pairs[:, 1]]]
                if fn is fuzz.ratio and len(pairs):
                    la, lb = lens[pairs[:, 0]], lens[pairs[:, 1]]
                    pairs = pairs[2 * np.minimum(la, lb) >= threshold * (la + lb) - 1e-9]
                    n_before = len(pairs)
                    pairs = pairs[may_reach_ratio(sig, lens, pairs, threshold)]  # bounds.py
                    stats.ruled_out_pairs += n_before - len(pairs)
                stats.verified_pairs += _verify(texts, uniq, pairs, fn, threshold, budget, workers, on_pairs)
    return stats


def _add_by_range(parts: Partitions, codes: np.ndarray, m: int, span: int, lo: int = 0) -> None:
    """Append pair codes to `parts` by the range (of width `span`, from `lo`) of their smaller id."""
    rng = ((codes // m) - lo) // span
    if parts.n == 1:
        parts.add(rng, codes)
    else:
        parts.add(rng.astype(np.uint64) << _U64(64 - (parts.n.bit_length() - 1)), codes)


def _code_blocks(parts: Partitions, q: int, lo: int, width: int, m: int, limit: int, tmp: Path, stats: SearchStats):
    """The codes of range partition q (smaller ids lo..lo+width-1) in blocks of at most ~`limit` codes.

    A partition over the limit (many pairs per text, or the same pair met in many bands) is
    streamed from its file into finer ranges and those are read in turn, recursively; a block
    whose range is one id is returned whole (a text meets at most bands * window partners)."""
    n = int(parts.rows[q])
    if n <= limit or width <= 1:
        yield parts.load(q)
        return
    stats.resplit_partitions += 1
    k = min(1 << (-(-n // limit) - 1).bit_length(), 1 << (width - 1).bit_length())
    sub_span = -(-width // k)
    k = -(-width // sub_span)
    sub = Partitions(tmp / f"split-{q:05d}-{lo}", 1 << (k - 1).bit_length(), np.int64)
    path = parts.path(q)
    for off in range(0, n, limit):
        chunk = np.fromfile(path, dtype=np.int64, count=limit, offset=off * 8)
        _add_by_range(sub, chunk, m, sub_span, lo)
    path.unlink()
    parts.rows[q] = 0
    for r in range(sub.n):
        r_lo = lo + r * sub_span
        if r_lo < lo + width:
            yield from _code_blocks(sub, r, r_lo, min(lo + width, r_lo + sub_span) - r_lo, m, limit, tmp, stats)


def _spill_band_keys(
    texts: TextFile,
    uniq: np.ndarray,
    params: LshParams,
    groups: np.ndarray | None,
    budget: Budget,
    folder: Path,
) -> tuple[np.ndarray, np.ndarray, list[Partitions]]:
    """Character lengths and count signatures (bounds.py) of the unique texts, and per band the partitioned
    (key, u) rows."""
    m = len(uniq)
    per_band = budget.parts(m, _BAND_BYTES)
    parts = [Partitions(folder / f"b{b:03d}", per_band, _KEY_ROW) for b in range(params.bands)]
    lens = np.empty(m, dtype=np.int64)
    sig = np.empty((m, BUCKETS), dtype=np.uint8)
    chunk = max(1024, min(65536, budget.rows(params.bands * 8 * 4 + 2048)))
    u = 0
    for block in _uniq_blocks(texts, uniq, chunk):
        n_b = len(block)
        lens[u : u + n_b] = np.fromiter(map(len, block), dtype=np.int64, count=n_b)
        sig[u : u + n_b] = signatures(block)
        keys = oph_band_keys(block, params.num_perm, params.k, params.seed, params.bands, params.rows)
        ids = np.arange(u, u + n_b, dtype=np.int64)
        active = lens[u : u + n_b] > 0
        keys, ids = keys[active], ids[active]
        if groups is not None:
            salt = _mix64(np.asarray(groups[ids], dtype=np.uint64) + _GROUP_SALT)
            keys ^= salt[:, None]
        for b in range(params.bands):
            rows = np.empty(len(ids), dtype=_KEY_ROW)
            rows["key"] = keys[:, b]
            rows["u"] = ids
            parts[b].add(keys[:, b], rows)
        u += n_b
    return lens, sig, parts


def _uniq_blocks(texts: TextFile, uniq: np.ndarray, chunk: int):
    """Lists of the texts at positions `uniq` (ascending), about `chunk` at a time, read in order."""
    out: list[str] = []
    if not len(uniq):
        return
    want = np.zeros(int(uniq[-1]) + 1, dtype=bool)
    want[uniq] = True
    pos = 0
    for block in texts.iter_range(0, int(uniq[-1]) + 1):
        sel = want[pos : pos + len(block)]
        out.extend(t for t, w in zip(block, sel.tolist()) if w)
        pos += len(block)
        if len(out) >= chunk:
            yield out
            out = []
    if out:
        yield out


def _verify(texts, uniq, pairs, fn, threshold, budget, workers, on_pairs) -> int:
    """rapidfuzz check of pairs (u-space), in slices whose texts fit the budget; returns verified count."""
    if not len(pairs):
        return 0
    # a pair holds up to two texts as Python strings (~bytes + 49 header + list slots) while checked;
    # a slice uses a quarter of the budget, so index arrays, scores and allocator slack fit beside it
    per_pair = 2 * (texts.mean_bytes() + 64) + 64
    step = max(1024, int(budget.bytes // (4 * per_pair)))
    cutoff = threshold * 100.0
    done = 0
    for lo in range(0, len(pairs), step):
        part = pairs[lo : lo + step]
        need = np.unique(part)
        got = texts.get_many(uniq[need])
        a = [got[i] for i in np.searchsorted(need, part[:, 0]).tolist()]
        b = [got[i] for i in np.searchsorted(need, part[:, 1]).tolist()]
        sims = process.cpdist(a, b, scorer=fn, score_cutoff=cutoff, workers=workers, dtype=np.float32)
        ok = sims >= cutoff - 1e-6
        if ok.any():
            on_pairs(part[ok], sims[ok].astype(np.float64) / 100.0)
            done += int(ok.sum())
    return done


def similar_pairs_partitioned(
    texts: Sequence[str],
    threshold: float = 0.9,
    *,
    scorer: str | Scorer | None = None,
    groups: np.ndarray | None = None,
    params: LshParams | None = None,
    memory_mb: float | None = None,
    workdir: str | Path | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """`similar_pairs` through the partitioned search: the same (pairs, sims), sorted by pair.

    For callers holding a list anyway (and for the equality tests); streaming callers use
    `search_pairs` with a `TextFile` and a callback. `groups`: ints, as for `similar_pairs`."""
    budget = Budget(memory_mb) if memory_mb is not None else Budget()
    with Workdir(workdir, prefix="ifgen-near-") as wd:
        tf = TextFile(wd.path / "texts.bin")
        try:
            tf.append_many(list(texts))
            tf.seal()
            g = None
            if groups is not None:
                g = np.asarray(groups, dtype=np.int64).astype(np.uint64)  # the in-memory salt input
            got_p: list[np.ndarray] = []
            got_s: list[np.ndarray] = []

            def on_pairs(p: np.ndarray, s: np.ndarray) -> None:
                got_p.append(p)
                got_s.append(s)

            search_pairs(
                tf,
                np.arange(len(tf), dtype=np.int64),
                threshold,
                on_pairs,
                scorer=scorer,
                groups=g,
                params=params,
                budget=budget,
                workdir=wd.path,
            )
        finally:
            tf.close()
    if not got_p:
        return np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.float64)
    pairs, sims = np.concatenate(got_p), np.concatenate(got_s)
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))
    return pairs[order], sims[order]
