"""Records of a stage looked up by id without holding them: an index of where each record's line is.

A stage that needs another stage's records by id for every item (verify: each response's instruction) used to
load them all into a dict, so its memory grew with the run. `RecordIndex` keeps only, per record, its id (as
fixed-width bytes, sorted), the shard it is in and the byte offset of its line — a few dozen bytes per record
in numpy arrays, whatever the records hold — and reads and parses a record's line when it is asked for. The
shards are files the runner has finished (atomically renamed), so offsets stay valid while the index lives.

Same answers as `{r["id"]: r for r in read_shards_sorted(shards)}` (the runner's `_item` key dropped): when
an id repeats, the record the k-way merge yields last wins, i.e. the one in the later shard (list order),
then the later line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np


class RecordIndex:
    def __init__(self, paths: list[Path]):
        self.paths = [Path(p) for p in paths]
        keys: list[np.ndarray] = []  # per shard: Python objects only for one shard at a time
        files: list[np.ndarray] = []
        offsets: list[np.ndarray] = []
        for k, path in enumerate(self.paths):
            found = list(_ids_with_offsets(path))
            keys.append(np.array([rid for _, rid in found] or [b""], dtype=bytes)[: len(found)])
            offsets.append(np.array([o for o, _ in found], dtype=np.int64))
            files.append(np.full(len(found), k, dtype=np.int32))
        width = max([1] + [a.dtype.itemsize for a in keys])
        key = np.concatenate([a.astype(f"S{width}") for a in keys]) if keys else np.empty(0, dtype="S1")
        del keys
        # stable sort by id; of a repeated id the last entry in (file, line) order is the one kept
        order = np.argsort(key, kind="stable")
        key = key[order]
        last = np.ones(len(key), dtype=bool)
        last[:-1] = key[:-1] != key[1:]
        keep = order[last]
        self._ids = key[last]
        self._files = np.concatenate(files)[keep] if files else np.empty(0, dtype=np.int32)
        self._offsets = np.concatenate(offsets)[keep] if offsets else np.empty(0, dtype=np.int64)
        self._handles: dict[int, Any] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def get(self, rid: str) -> dict[str, Any] | None:
        """The record with this id (a fresh dict, `_item` dropped), or None."""
        b = rid.encode("utf-8")
        if len(b) > self._ids.dtype.itemsize or not len(self._ids):
            return None
        i = int(np.searchsorted(self._ids, np.array(b, dtype=self._ids.dtype)))
        if i >= len(self._ids) or self._ids[i] != b:
            return None
        k = int(self._files[i])
        f = self._handles.get(k)
        if f is None:
            f = self._handles[k] = open(self.paths[k], "rb")  # noqa: SIM115 - closed by close()
        f.seek(int(self._offsets[i]))
        rec = json.loads(f.readline())
        rec.pop("_item", None)
        return rec

    def close(self) -> None:
        for f in self._handles.values():
            f.close()
        self._handles.clear()


def _ids_with_offsets(path: Path) -> Iterator[tuple[int, bytes]]:
    """(byte offset, id as UTF-8) of every non-blank line; a bad line raises ValueError naming file and line."""
    offset = 0
    with open(path, "rb") as f:
        for n, line in enumerate(f, 1):
            start, offset = offset, offset + len(line)
            if not line.strip():
                continue
            try:
                rid = json.loads(line)["id"]
            except (ValueError, KeyError, TypeError):
                raise ValueError(f"{path}:{n}: expected a JSON object with an id") from None
            yield start, str(rid).encode("utf-8")
