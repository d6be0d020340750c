"""Disk-backed building blocks of the partitioned search: a text column, hash partitions, a budget.

Why these exist: the in-memory search holds every text, every band key and every candidate pair
at once, so its peak grows with the corpus. Here texts live in one append-only file (read back by
offset with `pread`, so nothing is memory-mapped and nothing counts against resident memory), and
fixed-width rows (band keys, pair codes, hashes) are appended to partition files chosen by a hash,
so that everything that must meet (one LSH bucket, one pair, one exact-duplicate identity) lands in
the same partition. A partition is then loaded, processed and dropped; `Budget` decides how many
partitions are needed so that one loaded partition fits the memory budget.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import DTypeLike

#: default working-set budget of the partitioned search (the export's `run.memory_mb` will set it)
DEFAULT_MEMORY_MB = 128


@dataclass(frozen=True)
class Budget:
    """Bytes one loaded partition may use. `parts(rows, bytes_per_row)` is the number of hash
    partitions such that a partition's rows, times the working-set factor of the step that
    processes them, fit; always a power of two so partitions are a hash's top bits."""

    memory_mb: float = DEFAULT_MEMORY_MB

    def __post_init__(self):
        if not self.memory_mb > 0:
            raise ValueError(f"memory_mb must be > 0, got {self.memory_mb}")

    @property
    def bytes(self) -> int:
        return int(self.memory_mb * 2**20)

    def parts(self, rows: int, bytes_per_row: int) -> int:
        need = max(1, -(-rows * bytes_per_row // max(1, self.bytes)))
        return 1 << (need - 1).bit_length()

    def rows(self, bytes_per_row: int) -> int:
        """Rows of `bytes_per_row` that fit the budget (at least 1024, so tiny budgets still progress)."""
        return max(1024, self.bytes // max(1, bytes_per_row))


class Workdir:
    """A scratch folder removed on close (or exit of a with-block)."""

    def __init__(self, parent: str | Path | None = None, prefix: str = "ifgen-dedupe-"):
        if parent is not None:
            Path(parent).mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))

    def sub(self, name: str) -> Path:
        p = self.path / name
        p.mkdir(parents=True, exist_ok=True)
        return p

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def __enter__(self) -> Workdir:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class TextFile:
    """Append-only UTF-8 texts on disk; offsets (int64, one per text + 1) are the only per-text memory."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._f = open(self.path, "wb")  # noqa: SIM115 - held open for appends, closed in close()
        self._ends: list[np.ndarray] = []
        self._pending: list[int] = []
        self._pos = 0
        self._offsets: np.ndarray | None = None
        self._fd: int | None = None

    def append_many(self, texts: Sequence[str]) -> None:
        data = [t.encode("utf-8") for t in texts]
        self._f.write(b"".join(data))
        ends = np.cumsum(np.fromiter(map(len, data), dtype=np.int64, count=len(data))) + self._pos
        if len(ends):
            self._pos = int(ends[-1])
            self._ends.append(ends)

    def seal(self) -> None:
        """Finish writing; reads are allowed from here on."""
        if self._offsets is not None:
            return
        self._f.close()
        self._offsets = np.concatenate([np.zeros(1, dtype=np.int64), *self._ends])
        self._ends = []
        self._fd = os.open(self.path, os.O_RDONLY)

    def __len__(self) -> int:
        if self._offsets is None:
            return sum(len(e) for e in self._ends)
        return len(self._offsets) - 1

    def mean_bytes(self) -> float:
        n = len(self)
        return float(self._offsets[-1]) / n if n and self._offsets is not None else 0.0

    def _sealed(self) -> tuple[np.ndarray, int]:
        if self._offsets is None or self._fd is None:
            raise RuntimeError(f"{self.path}: read before seal()")
        return self._offsets, self._fd

    def get_many(self, idx: Iterable[int], gap: int = 1024, run_bytes: int = 1 << 20) -> list[str]:
        """Texts at the given positions (any order, repeats allowed). Positions near each other on disk are
        read together: one `pread` per run of texts less than `gap` bytes apart (a run at most about
        `run_bytes`), not one per text (the near-duplicate check fetches millions)."""
        off, fd = self._sealed()
        want = np.fromiter(idx, dtype=np.int64) if not isinstance(idx, np.ndarray) else idx.astype(np.int64)
        if not len(want):
            return []
        order = np.argsort(want, kind="stable")
        pos = want[order]
        starts, ends = off[pos], off[pos + 1]
        # a new run where the next text starts more than `gap` bytes after the previous one ends
        cut = np.flatnonzero(starts[1:] - ends[:-1] > gap) + 1
        out: list[str] = [""] * len(pos)
        firsts = [0, *cut.tolist()]
        lasts = [*cut.tolist(), len(pos)]
        s_list, e_list, o_list = starts.tolist(), ends.tolist(), order.tolist()
        for lo, hi in zip(firsts, lasts):
            k = lo
            while k < hi:
                base = s_list[k]
                j = k + 1
                while j < hi and e_list[j] - base <= run_bytes:
                    j += 1
                buf = os.pread(fd, e_list[j - 1] - base, base)  # positions ascend, so their ends do too
                for t in range(k, j):
                    out[o_list[t]] = buf[s_list[t] - base : e_list[t] - base].decode("utf-8")
                k = j
        return out

    def iter_range(self, lo: int, hi: int, block_bytes: int = 8 << 20) -> Iterator[list[str]]:
        """Texts lo..hi-1 in order, in blocks of about `block_bytes` (one read per block)."""
        off, fd = self._sealed()
        i = lo
        while i < hi:
            j = int(np.searchsorted(off, off[i] + block_bytes, side="right")) - 1
            j = min(hi, max(j, i + 1))
            buf = os.pread(fd, int(off[j] - off[i]), int(off[i]))
            base = off[i]
            yield [buf[off[k] - base : off[k + 1] - base].decode("utf-8") for k in range(i, j)]
            i = j

    def close(self) -> None:
        if not self._f.closed:
            self._f.close()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class Column:
    """A fixed-width numpy column appended in chunks to a file and read back in chunks,
    so per-row values that are only needed now and then do not stay resident."""

    def __init__(self, path: Path, dtype: DTypeLike, width: int = 1):
        self.path = Path(path)
        self.dtype = np.dtype(dtype)
        self.width = width
        self.rows = 0
        self.path.write_bytes(b"")

    def append(self, values: np.ndarray) -> None:
        values = np.ascontiguousarray(values, dtype=self.dtype)
        with open(self.path, "ab") as f:
            values.tofile(f)
        self.rows += len(values)

    def _shape(self, a: np.ndarray) -> np.ndarray:
        return a.reshape(-1, self.width) if self.width > 1 else a

    def read(self, lo: int = 0, hi: int | None = None) -> np.ndarray:
        hi = self.rows if hi is None else min(hi, self.rows)
        count = max(0, hi - lo) * self.width
        a = np.fromfile(self.path, dtype=self.dtype, count=count, offset=lo * self.width * self.dtype.itemsize)
        return self._shape(a)

    def chunks(self, size: int = 1 << 18) -> Iterator[tuple[int, np.ndarray]]:
        """(first row, values) blocks in row order."""
        for lo in range(0, self.rows, size):
            yield lo, self.read(lo, lo + size)


class Partitions:
    """Rows of one numpy dtype appended to `n` partition files by a uint64 hash's top bits.

    The same hash always lands in the same partition, so rows that must meet do. Rows keep their
    append order inside a partition (callers append in ascending id order and rely on it)."""

    def __init__(self, folder: Path, n: int, dtype: DTypeLike):
        if n < 1 or n & (n - 1):
            raise ValueError(f"partition count must be a power of two, got {n}")
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.n = n
        self.dtype = np.dtype(dtype)
        self._shift = np.uint64(64 - (n.bit_length() - 1))
        self.rows = np.zeros(n, dtype=np.int64)

    def path(self, p: int) -> Path:
        return self.folder / f"{p:05d}.bin"

    def add(self, hashes: np.ndarray, rows: np.ndarray) -> None:
        if not len(rows):
            return
        if self.n == 1:
            part = np.zeros(len(rows), dtype=np.int64)
        else:
            part = (np.asarray(hashes, dtype=np.uint64) >> self._shift).astype(np.int64)
        order = np.argsort(part, kind="stable")
        part = part[order]
        rows = rows[order]
        bounds = np.flatnonzero(np.diff(part)) + 1
        starts = np.concatenate(([0], bounds))
        ends = np.concatenate((bounds, [len(part)]))
        for s, e in zip(starts.tolist(), ends.tolist()):
            p = int(part[s])
            with open(self.path(p), "ab") as f:
                rows[s:e].tofile(f)
            self.rows[p] += e - s

    def load(self, p: int) -> np.ndarray:
        path = self.path(p)
        if not self.rows[p]:
            return np.empty(0, dtype=self.dtype)
        out = np.fromfile(path, dtype=self.dtype)
        path.unlink()
        return out

    def __iter__(self) -> Iterator[np.ndarray]:
        """Each partition's rows once (the file is removed after loading)."""
        for p in range(self.n):
            yield self.load(p)


def blake_u64(values: Iterable[str | bytes], salt: bytes = b"") -> np.ndarray:
    """Stable (unsalted by the interpreter) 64-bit hashes as uint64, one per value."""
    out = []
    for v in values:
        b = v.encode("utf-8") if isinstance(v, str) else v
        out.append(hashlib.blake2b(b, digest_size=8, key=salt).digest())
    return np.frombuffer(b"".join(out), dtype="<u8").copy() if out else np.empty(0, dtype=np.uint64)


def blake_u128(values: Iterable[str | bytes]) -> np.ndarray:
    """(n, 2) uint64 128-bit hashes: an identity of a text (collisions are negligible at 2**-128)."""
    out = []
    for v in values:
        b = v.encode("utf-8") if isinstance(v, str) else v
        out.append(hashlib.blake2b(b, digest_size=16).digest())
    if not out:
        return np.empty((0, 2), dtype=np.uint64)
    return np.frombuffer(b"".join(out), dtype="<u8").reshape(-1, 2).copy()
