"""Item state in SQLite: one row per (stage, item id), plus shards and usage.

The ordering rule that makes resume exact: a batch's shard is durable on disk
BEFORE the transaction that marks its items done commits. If the process dies
between the two, `reconcile` finds the shard that no row points to and registers
it (its `_item` keys say which items it holds), so nothing is redone and nothing
is written twice.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..jsonl import StorageError
from ..redact import redact

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
  stage TEXT NOT NULL, item_id TEXT NOT NULL, status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, shard TEXT,
  created_at REAL NOT NULL, updated_at REAL NOT NULL,
  PRIMARY KEY (stage, item_id)
);
CREATE TABLE IF NOT EXISTS shards (
  stage TEXT NOT NULL, name TEXT NOT NULL, records INTEGER NOT NULL, created_at REAL NOT NULL,
  PRIMARY KEY (stage, name)
);
CREATE TABLE IF NOT EXISTS usage (
  stage TEXT NOT NULL, model TEXT NOT NULL, requests INTEGER NOT NULL DEFAULT 0,
  cache_hits INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0,
  prompt_tokens INTEGER NOT NULL DEFAULT 0, completion_tokens INTEGER NOT NULL DEFAULT 0,
  cost REAL NOT NULL DEFAULT 0, PRIMARY KEY (stage, model)
);
CREATE TABLE IF NOT EXISTS stage_runs (
  stage TEXT NOT NULL, started_at REAL NOT NULL, finished_at REAL, summary TEXT
);
"""

DONE, FAILED, PENDING = "done", "failed", "pending"


def _open_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection; on a read-only folder (where SQLite cannot make the WAL index) the file is
    opened as immutable, which is exact since nobody can be writing it."""
    uri = path.resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=60, isolation_level=None)
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return conn
    except sqlite3.OperationalError:
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)


class StateDB:
    def __init__(self, path: Path, readonly: bool = False):
        """`readonly`: for readers (`ifgen status`), which must work on a folder they cannot write."""
        self.path = Path(path)
        try:
            if readonly:
                self.conn = _open_readonly(self.path)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=FULL")
                self.conn.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as e:
            raise StorageError(self.path, e) from e
        self._enumerating = False

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction. Any failure (the caller's, or SQLite's: disk full, read-only) rolls back what
        is left to roll back (SQLite may have done it already: a disk-full COMMIT ends the transaction) and a
        SQLite error becomes a StorageError naming the database file."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise StorageError(self.path, e) from e
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as e:
            if self.conn.in_transaction:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # nothing left to undo
            if isinstance(e, sqlite3.Error):
                raise StorageError(self.path, e) from e
            raise

    # -- items -----------------------------------------------------------------------------
    def begin_enumeration(self) -> None:
        """Start remembering which ids `add_pending` registers (in a temp table of this connection)."""
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS enumerated (item_id TEXT PRIMARY KEY)")
        self.conn.execute("DELETE FROM temp.enumerated")
        self._enumerating = True

    def add_pending(self, stage: str, item_ids: Iterable[str]) -> None:
        now = time.time()
        ids = list(item_ids)
        with self.tx() as c:
            c.executemany(
                "INSERT OR IGNORE INTO items(stage, item_id, status, created_at, updated_at) VALUES (?,?,?,?,?)",
                ((stage, i, PENDING, now, now) for i in ids),
            )
            if self._enumerating:
                c.executemany("INSERT OR IGNORE INTO temp.enumerated(item_id) VALUES (?)", ((i,) for i in ids))

    def drop_unenumerated(self, stage: str) -> int:
        """Delete the stage's pending / failed rows whose ids the enumeration since `begin_enumeration` did not
        register; returns how many. Done rows are kept (their records are on disk)."""
        with self.tx() as c:
            n = c.execute(
                "DELETE FROM items WHERE stage=? AND status!=? "
                "AND item_id NOT IN (SELECT item_id FROM temp.enumerated)",
                (stage, DONE),
            ).rowcount
        self._enumerating = False
        return n

    def done_ids(self, stage: str) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT item_id FROM items WHERE stage=? AND status=?", (stage, DONE))}

    def commit_batch(
        self, stage: str, shard: str | None, records: int, done: list[str], failed: list[tuple[str, str]]
    ) -> None:
        """Register a durable shard and mark its items done / failed, in one transaction."""
        now = time.time()
        with self.tx() as c:
            if shard is not None:
                c.execute(
                    "INSERT OR IGNORE INTO shards(stage, name, records, created_at) VALUES (?,?,?,?)",
                    (stage, shard, records, now),
                )
            c.executemany(
                "INSERT INTO items(stage, item_id, status, attempts, shard, created_at, updated_at) "
                "VALUES (?,?,?,1,?,?,?) ON CONFLICT(stage, item_id) DO UPDATE SET status=excluded.status, "
                "attempts=items.attempts+1, last_error=NULL, shard=excluded.shard, updated_at=excluded.updated_at",
                ((stage, i, DONE, shard, now, now) for i in done),
            )
            c.executemany(
                "INSERT INTO items(stage, item_id, status, attempts, last_error, created_at, updated_at) "
                "VALUES (?,?,?,1,?,?,?) ON CONFLICT(stage, item_id) DO UPDATE SET status=excluded.status, "
                "attempts=items.attempts+1, last_error=excluded.last_error, updated_at=excluded.updated_at",
                ((stage, i, FAILED, redact(err)[:2000], now, now) for i, err in failed),
            )

    def registered_shards(self, stage: str) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT name FROM shards WHERE stage=?", (stage,))}

    def reset_stage(self, stage: str) -> None:
        with self.tx() as c:
            c.execute("DELETE FROM items WHERE stage=?", (stage,))
            c.execute("DELETE FROM shards WHERE stage=?", (stage,))
            c.execute("DELETE FROM usage WHERE stage=?", (stage,))

    # -- sinks: one row per sink, its item id the fingerprint of what it last wrote ----------------------
    def sink_done(self, stage: str, fingerprint: str) -> bool:
        """Whether the sink's last write, of exactly these inputs and settings, succeeded."""
        row = self.conn.execute("SELECT status FROM items WHERE stage=? AND item_id=?", (stage, fingerprint)).fetchone()
        return row is not None and row[0] == DONE

    def start_sink(self, stage: str, fingerprint: str) -> None:
        """The sink is about to write: its state is this fingerprint, pending (a crash leaves it unfinished)."""
        now = time.time()
        with self.tx() as c:
            c.execute("DELETE FROM items WHERE stage=?", (stage,))
            c.execute(
                "INSERT INTO items(stage, item_id, status, created_at, updated_at) VALUES (?,?,?,?,?)",
                (stage, fingerprint, PENDING, now, now),
            )

    def finish_sink(self, stage: str, fingerprint: str, error: str | None) -> None:
        with self.tx() as c:
            c.execute(
                "UPDATE items SET status=?, attempts=attempts+1, last_error=?, updated_at=? "
                "WHERE stage=? AND item_id=?",
                (
                    DONE if error is None else FAILED,
                    None if error is None else redact(error)[:2000],
                    time.time(),
                    stage,
                    fingerprint,
                ),
            )

    # -- what a later stage asks ------------------------------------------------------------------------
    def has_run(self, stage: str) -> bool:
        """Whether the stage ever ran to its end (it may have done nothing)."""
        return self.conn.execute("SELECT 1 FROM stage_runs WHERE stage=? LIMIT 1", (stage,)).fetchone() is not None

    def shard_records(self, stage: str) -> int:
        """Records in the stage's registered shards."""
        return int(
            self.conn.execute("SELECT COALESCE(SUM(records), 0) FROM shards WHERE stage=?", (stage,)).fetchone()[0]
        )

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for stage, status, n in self.conn.execute("SELECT stage, status, COUNT(*) FROM items GROUP BY stage, status"):
            out.setdefault(stage, {DONE: 0, FAILED: 0, PENDING: 0})[status] = n
        return out

    def failure_causes(self, stage: str) -> list[tuple[str, int]]:
        """(cause, items) of the stage's failed items, most common first: the cause is the first line of an
        item's last error (a stable summary such as "HTTP 401 from http://host/v1 (key refused)")."""
        return list(
            self.conn.execute(
                "SELECT substr(last_error, 1, instr(last_error || char(10), char(10)) - 1) AS cause, COUNT(*) AS n "
                "FROM items WHERE stage=? AND status=? GROUP BY cause ORDER BY n DESC, cause",
                (stage, FAILED),
            )
        )

    def errors(self, stage: str, limit: int = 5) -> list[tuple[str, str]]:
        return list(
            self.conn.execute(
                "SELECT item_id, last_error FROM items WHERE stage=? AND status=? ORDER BY updated_at LIMIT ?",
                (stage, FAILED, limit),
            )
        )

    # -- usage ------------------------------------------------------------------------------
    def add_usage(self, stage: str, by_model: dict[str, dict]) -> None:
        with self.tx() as c:
            for model, u in by_model.items():
                c.execute(
                    "INSERT INTO usage(stage, model, requests, cache_hits, failures, prompt_tokens, completion_tokens,"
                    " cost) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(stage, model) DO UPDATE SET "
                    "requests=requests+excluded.requests, cache_hits=cache_hits+excluded.cache_hits, "
                    "failures=failures+excluded.failures, prompt_tokens=prompt_tokens+excluded.prompt_tokens, "
                    "completion_tokens=completion_tokens+excluded.completion_tokens, cost=cost+excluded.cost",
                    (
                        stage,
                        model,
                        int(u.get("requests", 0)),
                        int(u.get("cache_hits", 0)),
                        int(u.get("failures", 0)),
                        int(u.get("prompt_tokens", 0)),
                        int(u.get("completion_tokens", 0)),
                        float(u.get("cost", 0.0)),
                    ),
                )

    def usage(self) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for row in self.conn.execute(
            "SELECT stage, SUM(requests), SUM(cache_hits), SUM(failures), SUM(prompt_tokens), SUM(completion_tokens),"
            " SUM(cost) FROM usage GROUP BY stage"
        ):
            out[row[0]] = dict(
                zip(("requests", "cache_hits", "failures", "prompt_tokens", "completion_tokens", "cost"), row[1:])
            )
        return out

    def record_run(self, stage: str, started: float, summary: str) -> None:
        with self.tx() as c:
            c.execute(
                "INSERT INTO stage_runs(stage, started_at, finished_at, summary) VALUES (?,?,?,?)",
                (stage, started, time.time(), summary),
            )
