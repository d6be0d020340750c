"""SQLite response cache: a rerun of a stage sends zero HTTP requests for replies it already has.

Key = sha256 over (model string, messages, temperature, top_p, max_tokens, effective seed, extra_body,
sample_index). The api_base is deliberately NOT part of the key: the same model served by a local
llama.cpp server or a hosted vLLM should give interchangeable samples, and moving a run between
machines (different ports/hosts) must not invalidate its cache. The model string IS in the key, so a
different model never answers from another model's cache. Nothing secret is in the key or the value:
the API key is read from the environment at send time and never passed here.

Only successful replies are stored (including `finish_reason == "length"` and empty ones: those are
real answers). Failures are not cached, so a rerun retries them.

Concurrency: one sqlite connection per process per file (shared by every client opened on that path),
WAL mode so several worker processes can read while one writes, and a busy timeout for cross-process
write contention. Lookups are a primary-key read (tens of microseconds) done inline; writes are buffered
and flushed in one transaction every `FLUSH_EVERY` entries or `FLUSH_SECONDS`, and on close.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from ..jsonl import StorageError

FLUSH_EVERY = 128
FLUSH_SECONDS = 2.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    value TEXT NOT NULL,
    created REAL NOT NULL
)
"""


def cache_key(
    model: str,
    messages: list[dict],
    temperature: float,
    top_p: float,
    max_tokens: int,
    seed: int | None,
    extra_body: dict[str, Any],
    sample_index: int,
) -> str:
    payload = {
        "model": model,
        "messages": messages,
        "temperature": temperature,
        "top_p": top_p,
        "max_tokens": max_tokens,
        "seed": seed,
        "extra_body": extra_body,
        "sample_index": sample_index,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ResponseCache:
    """Use `open_cache(path)` to get the per-process shared instance; `release()` when done."""

    def __init__(self, path: Path):
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(str(path), timeout=30.0, isolation_level=None, check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as e:
            raise StorageError(path, e) from e
        self._pending: dict[str, tuple[str, str]] = {}
        self._last_flush = time.monotonic()
        self._refs = 0

    def get(self, key: str) -> dict[str, Any] | None:
        hit = self._pending.get(key)
        if hit is not None:
            return json.loads(hit[1])
        row = self._conn.execute("SELECT value FROM responses WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, model: str, value: dict[str, Any]) -> None:
        self._pending[key] = (model, json.dumps(value, ensure_ascii=False, separators=(",", ":")))
        if len(self._pending) >= FLUSH_EVERY or time.monotonic() - self._last_flush >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        self._last_flush = time.monotonic()
        if not self._pending:
            return
        now = time.time()
        rows = [(k, m, v, now) for k, (m, v) in self._pending.items()]
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.executemany(
                "INSERT OR REPLACE INTO responses (key, model, value, created) VALUES (?, ?, ?, ?)", rows
            )
            self._conn.execute("COMMIT")
        except BaseException as e:
            if self._conn.in_transaction:  # a disk-full COMMIT may have rolled back already
                try:
                    self._conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            if isinstance(e, sqlite3.Error):
                raise StorageError(self.path, e) from e
            raise
        self._pending.clear()

    def __len__(self) -> int:
        self.flush()
        return self._conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0]

    def release(self) -> None:
        self._refs -= 1
        if self._refs <= 0:
            self.flush()
            self._conn.close()
            _OPEN.pop(self.path, None)


_OPEN: dict[Path, ResponseCache] = {}


def open_cache(path: Path | str) -> ResponseCache:
    """The process-wide cache for `path` (one connection per process per file)."""
    p = Path(path).resolve()
    cache = _OPEN.get(p)
    if cache is None:
        cache = _OPEN[p] = ResponseCache(p)
    cache._refs += 1
    return cache
