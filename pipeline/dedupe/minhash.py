"""Vectorised MinHash sketches and LSH banding: the sub-quadratic candidate search.

Why this design (measured, see bench/bench_dedupe.py):
- Shingles are character k-grams of the UTF-8 bytes (k <= 8), packed exactly
  into one uint64 each, so hashing is a handful of numpy passes over one byte
  buffer holding every text — no Python per shingle. Character shingles, not
  word shingles, because a single typo in a 10-word prompt destroys 2 of its 9
  word bigrams but only ~k of its ~60 character k-grams: near-duplicates at a
  0.9 edit ratio keep a high Jaccard only under character shingling.
- The sketch is one-permutation hashing (OPH): each shingle is hashed once,
  its top bits pick one of K bins and the bin keeps the minimum of the low
  bits (`np.minimum.at`, a single scatter pass). Classic K-permutation MinHash
  would cost K passes over ~135M shingles at 500k texts; OPH costs one.
  (datasketch, which hashes per text with K permutations, measured ~0.77 s
  per 1k texts here against ~0.02-0.05 s for this code, so it is not used.)
  Short texts leave bins empty; empty bins are filled by rotation
  densification (borrow the next non-empty bin to the right, offset by the
  distance) so two unrelated short texts do not "agree" on empty bins.
- LSH: K = bands * rows; texts whose `rows` values agree in any band become
  candidate pairs. Equal band keys are found by sorting 64-bit band hashes.
  A bucket larger than `window + 1` is not expanded to all its pairs (that is
  the quadratic trap for template-heavy corpora); each member is paired with
  its `window` successors, which keeps genuine clusters connected through
  union-find while bounding the work.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

_U64 = np.uint64
_MAX32 = np.uint32(0xFFFFFFFF)


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, in place on a uint64 array (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        x ^= x >> _U64(30)
        x *= _U64(0xBF58476D1CE4E5B9)
        x ^= x >> _U64(27)
        x *= _U64(0x94D049BB133111EB)
        x ^= x >> _U64(31)
    return x


def char_shingles(texts: Sequence[str], k: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """(shingle values uint64, local doc index int64) for the byte k-grams of texts.

    A text of L bytes yields L shingles: the last k-1 are padded with zero
    bytes, never mixed with the next text's bytes, so a text shorter than k
    still has shingles; an empty text has none. The k-gram at every byte offset is
    read in one pass through an unaligned, byte-strided uint64 view of the
    buffer (little-endian, so masking keeps the first k bytes).
    """
    if not 1 <= k <= 8:
        raise ValueError(f"shingle size k must be 1..8, got {k}")
    enc = [t.encode("utf-8") for t in texts]
    lens = np.fromiter((len(e) for e in enc), dtype=np.int64, count=len(enc))
    pad = b"\x00" * (k - 1)
    raw = pad.join(enc) + pad + b"\x00" * 8
    n_pos = len(raw) - 8 - (k - 1)
    if n_pos <= 0:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
    view = np.ndarray(shape=(n_pos,), dtype="<u8", buffer=raw, offset=0, strides=(1,))
    # positions whose k-gram starts in the padding after a text are not shingles
    ends = np.cumsum(lens + (k - 1)) - (k - 1)
    keep = np.ones(n_pos, dtype=bool)
    for j in range(k - 1):
        keep[ends[ends + j < n_pos] + j] = False
    # an empty text contributes only padding positions; they are already dropped
    vals = view[keep]
    if k < 8:
        vals &= _U64((1 << (8 * k)) - 1)
    # doc index per shingle: +1 at each text's first shingle, then a running sum
    # (cheaper than np.repeat on ~1e8 elements)
    firsts = np.cumsum(lens)[:-1]
    doc = np.zeros(len(vals), dtype=np.int64)
    np.add.at(doc, firsts[firsts < len(vals)], 1)
    np.cumsum(doc, out=doc)
    return vals, doc


def oph_signatures(
    texts: Sequence[str], num_perm: int = 128, k: int = 5, seed: int = 1, chunk: int = 1024
) -> np.ndarray:
    """(len(texts), num_perm) uint32 one-permutation MinHash signatures, densified.

    num_perm must be a power of two (the bin is the top bits of one multiply).
    Bin and value come from two multiply-shift hashes with seed-derived odd
    multipliers (2-universal), which is what MinHash needs and costs two
    passes instead of a full avalanche mix. Rows of texts with no shingles are
    all 0xFFFFFFFF (callers skip them).
    """
    if num_perm < 2 or num_perm & (num_perm - 1) or num_perm > 1024:
        raise ValueError(f"num_perm must be a power of two in 2..1024, got {num_perm}")
    shift = _U64(64 - (num_perm.bit_length() - 1))
    seeds = _mix64(np.array([seed, seed + 0x51ED27], dtype=np.uint64)) | _U64(1)
    m_bin, m_val = seeds[0], seeds[1]
    n = len(texts)
    sig = np.empty((n, num_perm), dtype=np.uint32)
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        vals, doc = char_shingles(texts[lo:hi], k)
        with np.errstate(over="ignore"):
            flat = (vals * m_bin) >> shift
            flat = flat.view(np.int64)
            flat += doc * num_perm
            vals *= m_val
            vals >>= _U64(32)
        block = np.full((hi - lo) * num_perm, _MAX32, dtype=np.uint32)
        np.minimum.at(block, flat, vals.astype(np.uint32))
        sig[lo:hi] = _densify(block.reshape(hi - lo, num_perm))
    return sig


def _densify(block: np.ndarray) -> np.ndarray:
    """Fill empty bins from the next non-empty bin to the right (circular),
    adding a distance-dependent offset so borrowed values differ per bin.
    Only rows with an empty bin are touched; rows with no shingles stay empty."""
    empty_any = (block == _MAX32).any(axis=1)
    if not empty_any.any():
        return block
    sub = block[empty_any]
    K = sub.shape[1]
    empty = sub == _MAX32
    cols = np.arange(K, dtype=np.int16)
    big = np.int16(3 * K)
    idx2 = np.concatenate([np.where(empty, big, cols), np.where(empty, big, cols + np.int16(K))], axis=1)
    nxt = np.minimum.accumulate(idx2[:, ::-1], axis=1)[:, ::-1][:, :K]
    valid = nxt < big
    borrowed = np.take_along_axis(sub, np.where(valid, nxt % np.int16(K), 0).astype(np.intp), axis=1)
    dist = (nxt - cols).astype(np.uint32)
    with np.errstate(over="ignore"):
        filled = (borrowed + dist * np.uint32(0x9E3779B1)) & np.uint32(0xFFFFFFFE)
    block[empty_any] = np.where(empty & valid, filled, sub)
    return block


def band_keys(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(n, bands) uint64 hash of each band's `rows` signature values."""
    n, K = sig.shape
    if bands * rows > K:
        raise ValueError(f"bands*rows={bands * rows} exceeds signature width {K}")
    keys = np.empty((n, bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for b in range(bands):
            acc = np.full(n, _U64(b + 1) * _U64(0x9E3779B97F4A7C15), dtype=np.uint64)
            for r in range(rows):
                acc ^= sig[:, b * rows + r].astype(np.uint64)
                acc = _mix64(acc)
            keys[:, b] = acc
    return keys


def oph_band_keys(
    texts: Sequence[str], num_perm: int, k: int, seed: int, bands: int, rows: int, chunk: int = 1024
) -> np.ndarray:
    """(len(texts), bands) LSH band keys, computed chunk by chunk: the full signature matrix
    (num_perm values per text) is never held, only the `bands` keys per text."""
    keys = np.empty((len(texts), bands), dtype=np.uint64)
    for lo in range(0, len(texts), chunk):
        sig = oph_signatures(texts[lo : lo + chunk], num_perm=num_perm, k=k, seed=seed, chunk=chunk)
        keys[lo : lo + chunk] = band_keys(sig[:, : bands * rows], bands, rows)
    return keys


def candidate_pairs(
    sig: np.ndarray,
    bands: int,
    rows: int,
    window: int = 64,
    active: np.ndarray | None = None,
    groups: np.ndarray | None = None,
    lens: np.ndarray | None = None,
    min_len_ratio: float | None = None,
) -> np.ndarray:
    """Unique candidate pairs (i < j) of the signature rows; see `candidate_pairs_from_keys`."""
    return candidate_pairs_from_keys(band_keys(sig, bands, rows), window, active, groups, lens, min_len_ratio)


def candidate_pairs_from_keys(
    keys: np.ndarray,
    window: int = 64,
    active: np.ndarray | None = None,
    groups: np.ndarray | None = None,
    lens: np.ndarray | None = None,
    min_len_ratio: float | None = None,
) -> np.ndarray:
    """Unique candidate pairs (i < j) as an (m, 2) int64 array.

    `active` (bool, len n) excludes rows (e.g. texts without shingles).
    `groups` (int, len n) salts the band keys so buckets never mix groups: a
    text repeated across thousands of groups (a stock refusal in responses to
    many prompts) would otherwise fill one bucket whose bounded window hides
    the pairs that matter, the ones inside one group.
    `lens` with `min_len_ratio` drops, as they are found, pairs whose lengths alone rule them out
    (2 * min(len) < ratio * (len_a + len_b)), so memory follows plausible pairs only.
    """
    n, bands = keys.shape
    ids = np.arange(n, dtype=np.int64) if active is None else np.flatnonzero(active)
    if len(ids) < 2:
        return np.empty((0, 2), dtype=np.int64)
    if len(ids) < n:
        keys = keys[ids]
    if groups is not None:
        salt = _mix64(np.asarray(groups, dtype=np.int64)[ids].astype(np.uint64) + _U64(0x632BE59BD9B4E019))
        keys ^= salt[:, None]
    found: list[np.ndarray] = []
    pending = 0
    acc = np.empty(0, dtype=np.int64)  # unique codes so far: a pair met in many bands is held once
    for b in range(bands):
        order = np.argsort(keys[:, b], kind="stable")
        for codes in bucket_pair_codes(keys[order, b], ids[order], n, window, groups, lens, min_len_ratio):
            found.append(codes)
            pending += len(codes)
        if pending > max(len(acc), 1 << 20):  # merge now and then, so memory follows unique pairs, not hits
            acc = _merge_unique(acc, found)
            found, pending = [], 0
    codes = _merge_unique(acc, found)
    if not len(codes):
        return np.empty((0, 2), dtype=np.int64)
    return np.stack([codes // n, codes % n], axis=1)


def bucket_pair_codes(
    sk: np.ndarray,
    members: np.ndarray,
    n: int,
    window: int,
    groups: np.ndarray | None = None,
    lens: np.ndarray | None = None,
    min_len_ratio: float | None = None,
) -> Iterator[np.ndarray]:
    """Pair codes (min * n + max) of one band: `sk` its keys sorted (stable, so equal keys keep
    ascending `members` order), `members` the ids in that order. Each member of a bucket is paired
    with its `window` successors; see `candidate_pairs_from_keys` for `groups`, `lens`."""
    # positions i with sk[i] == sk[i+off]; shrinks as off grows (a run that
    # ends before i+off ends before i+off+1 too), so big buckets cost only
    # their own size per offset, not a pass over all n texts
    live = np.flatnonzero(sk[1:] == sk[:-1])
    off = 1
    while len(live) and off <= window:
        a, c = members[live], members[live + off]
        if lens is not None and min_len_ratio is not None:
            la, lc = lens[a], lens[c]
            ok = 2 * np.minimum(la, lc) >= min_len_ratio * (la + lc) - 1e-9
            if groups is not None:
                ok &= groups[a] == groups[c]
            a, c = a[ok], c[ok]
        yield np.minimum(a, c) * n + np.maximum(a, c)
        off += 1
        live = live[live + off < len(sk)]
        live = live[sk[live + off] == sk[live]]


def _merge_unique(acc: np.ndarray, found: list[np.ndarray]) -> np.ndarray:
    """Sorted unique union of `acc` (already sorted unique) and the arrays in `found`."""
    if not found:
        return acc
    codes = np.sort(np.concatenate([acc, *found]))  # sort + mask: np.unique's hash path is slower here
    return codes[np.concatenate(([True], codes[1:] != codes[:-1]))] if len(codes) else codes
