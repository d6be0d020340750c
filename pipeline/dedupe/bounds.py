"""A cheap, exact bound that lets the near-duplicate check skip pairs that cannot reach the threshold.

`fuzz.ratio(a, b)` is 100 * (1 - indel(a, b) / (len(a) + len(b))). An insertion or a deletion changes
the count of one character by one, so indel(a, b) >= the sum over characters of |count_a - count_b|;
adding the counts of several characters into one bucket, or capping a count, can only lower that sum,
so it stays a lower bound. Each text gets a signature of `BUCKETS` capped counts (one byte each, made
once as the texts stream past); a candidate pair whose signatures already differ by more than
(1 - threshold) * (len(a) + len(b)) can never reach the threshold, and dropping it before rapidfuzz
changes no verdict (tests/dedupe/test_bounds.py). Texts that share their characters (templated prompts)
pass and are compared as before.
"""

from __future__ import annotations

import numpy as np

BUCKETS = 32
_CHUNK_CHARS = 1 << 21  # characters counted at once (~10 bytes each while counted)


def _ascii_table() -> np.ndarray:
    """Bucket of each ASCII byte: every lower-case letter its own (texts are case-folded), the space, the
    digits, and the rest shared; any non-ASCII character counts in the last bucket."""
    table = np.full(128, BUCKETS - 2, dtype=np.uint8)
    for i, ch in enumerate("abcdefghijklmnopqrstuvwxyz"):
        table[ord(ch)] = i
    table[ord(" ")] = 26
    for ch in "0123456789":
        table[ord(ch)] = 27
    for ch in ".,;:!?'\"-":
        table[ord(ch)] = 28
    return table


_ASCII = _ascii_table()


def signatures(texts: list[str]) -> np.ndarray:
    """(len(texts), BUCKETS) uint8: each text's character counts per bucket, capped at 255."""
    n = len(texts)
    out = np.zeros((n, BUCKETS), dtype=np.uint8)
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    ends = np.cumsum(lens)
    lo = 0
    while lo < n:
        # texts lo..hi-1 hold at most _CHUNK_CHARS characters (at least one text)
        base = int(ends[lo - 1]) if lo else 0
        hi = max(lo + 1, int(np.searchsorted(ends, base + _CHUNK_CHARS, side="right")))
        block = "".join(texts[lo:hi])
        if block:
            if block.isascii():
                buckets = _ASCII[np.frombuffer(block.encode("ascii"), dtype=np.uint8)]
            else:
                cps = np.frombuffer(block.encode("utf-32-le", "surrogatepass"), dtype="<u4")
                buckets = np.where(cps < 128, _ASCII[np.minimum(cps, 127)], BUCKETS - 1).astype(np.uint8)
            rows = np.repeat(np.arange(hi - lo, dtype=np.int32), lens[lo:hi])
            counts = np.bincount(rows * BUCKETS + buckets, minlength=(hi - lo) * BUCKETS)
            out[lo:hi] = np.minimum(counts, 255).reshape(hi - lo, BUCKETS)
        lo = hi
    return out


def may_reach_ratio(
    sig: np.ndarray, lens: np.ndarray, pairs: np.ndarray, threshold: float, chunk: int = 1 << 16
) -> np.ndarray:
    """Mask over `pairs` (rows (u, v) of indices into `sig` / `lens`) that may still have fuzz.ratio >= 100 *
    threshold: False only where the signatures rule it out."""
    out = np.empty(len(pairs), dtype=bool)
    for lo in range(0, len(pairs), chunk):
        a, b = pairs[lo : lo + chunk, 0], pairs[lo : lo + chunk, 1]
        diff = np.abs(sig[a].astype(np.int16) - sig[b]).sum(axis=1, dtype=np.int64)
        # generous slack (the counts are integers): every pair the check's own tolerance (a float32 score
        # >= cutoff - 1e-6) could accept stays in
        out[lo : lo + chunk] = diff <= (1.0 - threshold + 1e-4) * (lens[a] + lens[b]) + 1e-6
    return out
