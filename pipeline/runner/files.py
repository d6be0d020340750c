"""Durable files: atomic writes and the JSONL shards a stage produces.

A shard is written to a temp file in the same folder, fsynced, then renamed into
place, so a reader never sees half a shard and `kill -9` leaves at most a stray
temp file (cleaned on the next run). Records inside a shard are sorted by id, so
a stage's output can be streamed back globally sorted with a k-way merge: memory
stays at one line per shard whatever the run size, and the order never depends on
how work was batched (which is what makes local and Ray runs identical).
"""

from __future__ import annotations

import heapq
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..jsonl import compact_dumps, iter_jsonl, iter_jsonl_lines, write_jsonl_atomic  # noqa: F401 - re-exported

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
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
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
