"""Keeping a stage's shards and its item rows in agreement, whatever a crash interrupted.

Two repairs, both run before a stage does new work:

- `reconcile`: a shard on disk that no row registers (the process died between the shard's rename and the
  state commit) is adopted: its records' `_item` keys say which items it holds, and they are marked done.
- `clean_dirty`: a shard marked dirty (`StateDB.sync_items`: it holds records of items that are gone or
  stale) is rewritten without them, atomically, or deleted when nothing in it is still done; only then is
  the mark cleared. The file changes first and the state after, and the rewrite keeps exactly the records
  of items the state says are done in that shard, so repeating it after a crash changes nothing. A deleted
  shard is deleted from disk before its row: a shard file without a row would be adopted back.

One shard is in memory at a time (a batch's records).
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..records import content_id
from .files import SHARD_PREFIX, SHARD_SUFFIX, dumps, list_shards, read_jsonl, write_shard
from .state import StateDB


def shard_path(folder: Path, name: str) -> Path:
    return folder / f"{SHARD_PREFIX}{name}{SHARD_SUFFIX}"


def record_digests(records: list[dict[str, Any]], items: list[str]) -> dict[str, str]:
    """{item: hash of the records it produced} for `items` (an item with no records hashes the empty list)."""
    by_item: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        by_item[r.get("_item", "")].append({k: v for k, v in r.items() if k != "_item"})
    return {i: content_id(sorted(by_item.get(i, []), key=lambda r: (str(r.get("id", "")), dumps(r)))) for i in items}


def reconcile(state: StateDB, stage: str, folder: Path) -> int:
    """Register shards that are on disk but not in the DB (the run died between the two)."""
    known = state.registered_shards(stage)
    n = 0
    for path in list_shards(folder):
        name = path.name[len(SHARD_PREFIX) : -len(SHARD_SUFFIX)]
        if name in known:
            continue
        records = list(read_jsonl(path))
        items = sorted({r["_item"] for r in records if "_item" in r})
        state.commit_batch(stage, name, len(records), items, [], record_digests(records, items))
        n += 1
    return n


def clean_dirty(state: StateDB, stage: str, folder: Path) -> int:
    """Rewrite (or delete) every dirty shard of the stage; returns the records removed."""
    removed = 0
    for name in state.dirty_shards(stage):
        path = shard_path(folder, name)
        if not path.is_file():  # deleted by a run that died before clearing the row
            state.shard_cleaned(stage, name, None)
            continue
        keep = state.shard_items(stage, name)
        records = list(read_jsonl(path))
        kept = [r for r in records if r.get("_item") in keep]
        removed += len(records) - len(kept)
        if kept:
            if len(kept) < len(records):
                write_shard(folder, name, kept)
            state.shard_cleaned(stage, name, len(kept))
        else:
            path.unlink()
            _fsync_dir(folder)
            state.shard_cleaned(stage, name, None)
    return removed


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
