"""IdSet: a read-only set of string ids in one sorted numpy array, for the ids a selection keeps."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np


class IdSet:
    """A read-only set of string ids as one sorted numpy bytes array (~id length per id, not ~100 bytes).

    Built from ids given in ascending order (the order rows arrive in); `in` is a binary search."""

    def __init__(self, ids: Iterable[str]):
        chunks: list[np.ndarray] = []
        buf: list[bytes] = []
        for i in ids:
            b = i.encode("utf-8")
            if b.endswith(b"\x00"):
                raise ValueError("IdSet: an id ends with a NUL character")
            buf.append(b)
            if len(buf) >= 65536:
                chunks.append(np.array(buf, dtype=bytes))
                buf = []
        if buf:
            chunks.append(np.array(buf, dtype=bytes))
        width = max((c.dtype.itemsize for c in chunks), default=1)
        self._a = np.concatenate([c.astype(f"S{width}") for c in chunks]) if chunks else np.empty(0, dtype="S1")
        if len(self._a) > 1 and not bool(np.all(self._a[1:] > self._a[:-1])):
            raise ValueError("IdSet: ids must be given in strictly ascending order")

    def __len__(self) -> int:
        return len(self._a)

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, str) or not len(self._a):
            return False
        b = item.encode("utf-8")
        a = self._a
        if len(b) > a.dtype.itemsize:
            return False
        k = a.searchsorted(b)  # the method: half the cost of np.searchsorted per lookup
        return bool(k < len(a) and a[k] == b)

    def __iter__(self) -> Iterator[str]:
        for b in self._a.tolist():
            yield b.decode("utf-8")

    def _cut(self, s: str) -> int:
        """How many ids sort before `s`."""
        a = self._a
        b = s.encode("utf-8")
        if len(b) > a.dtype.itemsize:  # longer than any id: ids up to its first itemsize bytes sort before it
            return int(a.searchsorted(np.array(b[: a.dtype.itemsize], dtype=a.dtype), side="right"))
        return int(a.searchsorted(np.array(b, dtype=a.dtype), side="left"))

    def between(self, lo: str | None, hi: str | None) -> list[str]:
        """The ids in [lo, hi) in ascending order (None: unbounded on that side)."""
        i = 0 if lo is None or not len(self._a) else self._cut(lo)
        j = len(self._a) if hi is None or not len(self._a) else self._cut(hi)
        return [x.decode("utf-8") for x in self._a[i:j].tolist()]
