"""Durable files: atomic writes and the JSONL shards a stage produces.

A shard is written to a temp file in the same folder, fsynced, then renamed into
place, so a reader never sees half a shard and `kill -9` leaves at most a stray
temp file (cleaned on the next run). A write that fails (disk full, read-only
folder) removes its temp file and raises StorageError naming the file. Records inside a shard are sorted by id, so
a stage's output can be streamed back globally sorted with a k-way merge: memory
stays at one line per shard whatever the run size, and the order never depends on
how work was batched (which is what makes local and Ray runs identical).
"""

from __future__ import annotations

import hashlib
import heapq
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..jsonl import (  # noqa: F401 - re-exported
    StorageError,
    compact_dumps,
    iter_jsonl,
    iter_jsonl_lines,
    temp_beside,
    write_jsonl_atomic,
)

SHARD_PREFIX = "part-"
SHARD_SUFFIX = ".jsonl"
TMP_SUFFIX = ".tmp"


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all; a failure is a StorageError naming `path`."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = temp_beside(path)
    except OSError as e:
        raise StorageError(path, e) from e
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError) and not isinstance(e, StorageError):
            raise StorageError(path, e) from e
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


dumps = compact_dumps


def write_shard(folder: Path, name: str, records: list[dict[str, Any]]) -> Path:
    """Write records (sorted by id) as shard `name` in `folder`, atomically."""
    path = folder / f"{SHARD_PREFIX}{name}{SHARD_SUFFIX}"
    records = sorted(records, key=lambda r: (str(r.get("id", "")), dumps(r)))
    write_jsonl_atomic(path, records)
    return path


def list_shards(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.startswith(SHARD_PREFIX) and p.name.endswith(SHARD_SUFFIX))


def remove_temp_files(folder: Path) -> int:
    n = 0
    if folder.is_dir():
        for p in folder.iterdir():
            if p.name.endswith(TMP_SUFFIX):
                p.unlink(missing_ok=True)
                n += 1
    return n


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Records of one JSONL file; a bad line raises ValueError naming file and line."""
    for _, obj in iter_jsonl(path):
        yield obj


def read_shards_sorted(paths: list[Path]) -> Iterator[dict[str, Any]]:
    """All records of the shards, merged in id order (each shard is already sorted)."""
    streams = [read_jsonl(p) for p in paths]
    return heapq.merge(*streams, key=lambda r: str(r.get("id", "")))


def _record_lines(path: Path) -> Iterator[tuple[dict[str, Any], str]]:
    for _, obj, line in iter_jsonl_lines(path):
        yield obj, line


def read_shards_sorted_lines(paths: list[Path]) -> Iterator[tuple[dict[str, Any], str]]:
    """(record, its JSON line) of all shards in id order: `read_shards_sorted` for readers that copy records
    on to disk as they are, without encoding them again. The runner's `_item` key is still in both."""
    streams = [_record_lines(p) for p in paths]
    return heapq.merge(*streams, key=lambda t: str(t[0].get("id", "")))


_DIGESTS: dict[tuple[str, int, int], str] = {}  # (path, size, mtime_ns) -> sha256, per process


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes, streamed; remembered per process while its size and mtime hold."""
    st = path.stat()
    memo = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if memo not in _DIGESTS:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        _DIGESTS[memo] = h.hexdigest()
    return _DIGESTS[memo]


def file_digests(path: Path, label: str | None = None) -> dict[str, str]:
    """{label: sha256} of a file, or of every file under a folder ({label/relative path: sha256}); `label`
    (default: the path) is how the path is written in the config, so moving the checkout changes nothing.
    A path that does not exist gives {label: "missing"}."""
    path = Path(path)
    label = label or str(path)
    if path.is_file():
        return {label: file_sha256(path)}
    if path.is_dir():
        return {
            f"{label}/{p.relative_to(path).as_posix()}": file_sha256(p)
            for p in sorted(path.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        }
    return {label: "missing"}
