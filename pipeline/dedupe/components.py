"""Connected components over integer ids, held as one numpy array (8 bytes per id).

The in-memory `UnionFind` keeps two Python lists (~70 bytes per id); this one keeps a parent
array and links whole batches of pairs with vectorised min-label hooking, so the partitioned
search can union each partition's verified pairs as they come and never hold all pairs.
The root of every component is its smallest id, whatever order the pairs came in.
"""

from __future__ import annotations

import numpy as np


class ArrayUnionFind:
    def __init__(self, n: int):
        self.parent = np.arange(n, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.parent)

    def _roots(self, x: np.ndarray) -> np.ndarray:
        parent = self.parent
        r = parent[x]
        while True:
            nxt = parent[r]
            if np.array_equal(nxt, r):
                return r
            r = nxt

    def union_pairs(self, a: np.ndarray, b: np.ndarray) -> None:
        """Link a[k] with b[k] for every k."""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        while len(a):
            ra, rb = self._roots(a), self._roots(b)
            diff = ra != rb
            if not diff.any():
                return
            a, b, ra, rb = a[diff], b[diff], ra[diff], rb[diff]
            lo, hi = np.minimum(ra, rb), np.maximum(ra, rb)
            # hook the larger root under the smallest root it meets; hi is a root, so this only
            # merges trees, and the smallest id of a component stays its root
            np.minimum.at(self.parent, hi, lo)
            self.compress()

    def compress(self) -> None:
        """Point every id straight at its root (pointer jumping)."""
        parent = self.parent
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                return
            parent[:] = grand

    def labels(self) -> np.ndarray:
        """Root (smallest member id) of each id's component."""
        self.compress()
        return self.parent
