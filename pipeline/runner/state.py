"""Item state in SQLite: one row per (stage, item id), plus shards, usage and the fingerprints steps ran under.

The ordering rule that makes resume exact: a batch's shard is durable on disk
BEFORE the transaction that marks its items done commits. If the process dies
between the two, `reconcile` finds the shard that no row points to and registers
it (its `_item` keys say which items it holds), so nothing is redone and nothing
is written twice.

Each item row carries `key`, the hash of what the item was made from (the stage's settings, the lookups it
reads, the item's content), and `out`, the hash of the records it produced. `sync_items` compares the keys
of a fresh enumeration with the stored ones in one transaction: rows that are gone or whose key changed stop
being done, and the shards holding their records are marked dirty in that same transaction. A dirty shard is
rewritten without the records of items that are no longer done in it (or deleted when none is left) before
any new work, so a crash at any point leaves either a dirty mark to finish or a clean shard.

`data_fingerprint(stage)` hashes (item, status, out) over a stage's rows in id order: what the stage's
output is, independent of batching. `fingerprints` holds, per step, the settings, input data fingerprints
and input files it last ran under (what `ifgen status` compares with the current config).

Schema versions: 1 (no keys, no fingerprints) is migrated in place on open; its done rows have no key, so
they count as stale.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..jsonl import StorageError
from ..redact import redact

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
  stage TEXT NOT NULL, item_id TEXT NOT NULL, status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, shard TEXT,
  created_at REAL NOT NULL, updated_at REAL NOT NULL, key TEXT, out TEXT,
  PRIMARY KEY (stage, item_id)
);
CREATE TABLE IF NOT EXISTS shards (
  stage TEXT NOT NULL, name TEXT NOT NULL, records INTEGER NOT NULL, created_at REAL NOT NULL,
  dirty INTEGER NOT NULL DEFAULT 0,
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
CREATE TABLE IF NOT EXISTS fingerprints (
  stage TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, settings TEXT NOT NULL, inputs TEXT NOT NULL,
  files TEXT NOT NULL, recorded_at REAL NOT NULL
);
"""
INDEXES = "CREATE INDEX IF NOT EXISTS items_by_shard ON items(stage, shard);"
SCHEMA_VERSION = 2
# columns added since version 1 (table, column, declaration)
ADDED_COLUMNS = (("items", "key", "TEXT"), ("items", "out", "TEXT"), ("shards", "dirty", "INTEGER NOT NULL DEFAULT 0"))

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
    """The run's state. `readonly=True` (status, report readers) neither creates nor migrates anything, so it
    works beside a running writer and on a run folder from an older version."""

    def __init__(self, path: Path, readonly: bool = False):
        """`readonly`: for readers (`ifgen status`), which must work on a folder they cannot write."""
        self.path = Path(path)
        self.readonly = readonly
        try:
            if readonly:
                if not self.path.is_file():
                    raise FileNotFoundError(f"{self.path}: no state database")
                self.conn = _open_readonly(self.path)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=FULL")
                self._migrate()
            self.columns = {
                t: {r[1] for r in self.conn.execute(f"PRAGMA table_info({t})")}
                for t in ("items", "shards", "fingerprints")
            }
        except (OSError, sqlite3.Error) as e:
            raise StorageError(self.path, e) from e

    def _migrate(self) -> None:
        """Create the schema, or bring a version-1 database up to date (new columns and tables)."""
        if self.conn.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            return
        with self.tx() as c:
            for stmt in SCHEMA.split(";"):
                if stmt.strip():
                    c.execute(stmt)
            for table, column, decl in ADDED_COLUMNS:
                if column not in {r[1] for r in c.execute(f"PRAGMA table_info({table})")}:
                    c.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
            c.execute(INDEXES)
            c.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    @property
    def has_keys(self) -> bool:
        """False for a version-1 database opened read-only (its rows were made before fingerprints)."""
        return "key" in self.columns["items"]

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
    def add_pending(self, stage: str, item_ids: Iterable[str]) -> None:
        now = time.time()
        ids = list(item_ids)
        with self.tx() as c:
            c.executemany(
                "INSERT OR IGNORE INTO items(stage, item_id, status, created_at, updated_at) VALUES (?,?,?,?,?)",
                ((stage, i, PENDING, now, now) for i in ids),
            )

    def begin_enumeration(self) -> None:
        """Start collecting (item id, key) pairs of a fresh enumeration (a temp table of this connection)."""
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS enumerated (item_id TEXT PRIMARY KEY, key TEXT NOT NULL)")
        self.conn.execute("DELETE FROM temp.enumerated")

    def add_enumerated(self, pairs: Iterable[tuple[str, str]]) -> None:
        """(item id, key) pairs; the first of a repeated id wins (as the runner processes only the first)."""
        with self.tx() as c:
            c.executemany("INSERT OR IGNORE INTO temp.enumerated(item_id, key) VALUES (?,?)", pairs)

    def sync_items(self, stage: str) -> dict[str, int]:
        """Make the stage's rows match the enumeration, in one transaction:

        - rows not enumerated any more are deleted (`gone`: done ones, `dropped`: pending or failed ones);
        - done rows whose key differs from the enumerated one (made under other settings or from other input
          content, or before keys existed) become pending (`stale`);
        - new ids are added as pending (`new`); every pending / failed row takes the enumerated key.
        The shards holding records of gone or stale items, and registered shards no done item points to, are
        marked dirty in the same transaction (see `clean_shard`). Returns the counts."""
        now = time.time()
        enumerated_key = "(SELECT e.key FROM temp.enumerated e WHERE e.item_id = items.item_id)"
        not_enumerated = "item_id NOT IN (SELECT item_id FROM temp.enumerated)"
        changed = f"(key IS NULL OR key != {enumerated_key})"
        with self.tx() as c:
            c.execute(
                f"UPDATE shards SET dirty=1 WHERE stage=? AND name IN (SELECT shard FROM items WHERE stage=? "
                f"AND status=? AND shard IS NOT NULL AND ({not_enumerated} OR {changed}))",
                (stage, stage, DONE),
            )
            c.execute(
                "UPDATE shards SET dirty=1 WHERE stage=? AND records > 0 AND NOT EXISTS "
                "(SELECT 1 FROM items i WHERE i.stage=shards.stage AND i.shard=shards.name AND i.status=?)",
                (stage, DONE),
            )
            gone = c.execute(
                f"DELETE FROM items WHERE stage=? AND status=? AND {not_enumerated}", (stage, DONE)
            ).rowcount
            dropped = c.execute(f"DELETE FROM items WHERE stage=? AND {not_enumerated}", (stage,)).rowcount
            stale = c.execute(
                f"UPDATE items SET status=?, shard=NULL, out=NULL, key={enumerated_key}, updated_at=? "
                f"WHERE stage=? AND status=? AND {changed}",
                (PENDING, now, stage, DONE),
            ).rowcount
            c.execute(f"UPDATE items SET key={enumerated_key} WHERE stage=? AND status!=?", (stage, DONE))
            new = c.execute(
                "INSERT OR IGNORE INTO items(stage, item_id, status, key, created_at, updated_at) "
                "SELECT ?, item_id, ?, key, ?, ? FROM temp.enumerated",
                (stage, PENDING, now, now),
            ).rowcount
        return {"gone": gone, "dropped": dropped, "stale": stale, "new": new}

    def done_ids(self, stage: str) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT item_id FROM items WHERE stage=? AND status=?", (stage, DONE))}

    def commit_batch(
        self,
        stage: str,
        shard: str | None,
        records: int,
        done: list[str],
        failed: list[tuple[str, str]],
        outs: dict[str, str] | None = None,
    ) -> None:
        """Register a durable shard and mark its items done (with the hash of their records, `outs`) / failed,
        in one transaction. An item keeps the key it was enumerated with."""
        now = time.time()
        outs = outs or {}
        with self.tx() as c:
            if shard is not None:
                c.execute(
                    "INSERT INTO shards(stage, name, records, created_at, dirty) VALUES (?,?,?,?,0) "
                    "ON CONFLICT(stage, name) DO UPDATE SET records=excluded.records, dirty=0",
                    (stage, shard, records, now),
                )
            c.executemany(
                "INSERT INTO items(stage, item_id, status, attempts, shard, out, created_at, updated_at) "
                "VALUES (?,?,?,1,?,?,?,?) ON CONFLICT(stage, item_id) DO UPDATE SET status=excluded.status, "
                "attempts=items.attempts+1, last_error=NULL, shard=excluded.shard, out=excluded.out, "
                "updated_at=excluded.updated_at",
                ((stage, i, DONE, shard, outs.get(i), now, now) for i in done),
            )
            c.executemany(
                "INSERT INTO items(stage, item_id, status, attempts, last_error, created_at, updated_at) "
                "VALUES (?,?,?,1,?,?,?) ON CONFLICT(stage, item_id) DO UPDATE SET status=excluded.status, "
                "attempts=items.attempts+1, last_error=excluded.last_error, updated_at=excluded.updated_at",
                ((stage, i, FAILED, redact(err)[:2000], now, now) for i, err in failed),
            )

    def registered_shards(self, stage: str) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT name FROM shards WHERE stage=?", (stage,))}

    # -- stale records: dirty shards ----------------------------------------------------------------
    def dirty_shards(self, stage: str) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM shards WHERE stage=? AND dirty=1", (stage,))]

    def shard_items(self, stage: str, shard: str) -> set[str]:
        """The done items whose records the shard holds (one batch's worth)."""
        return {
            r[0]
            for r in self.conn.execute(
                "SELECT item_id FROM items WHERE stage=? AND shard=? AND status=?", (stage, shard, DONE)
            )
        }

    def shard_cleaned(self, stage: str, shard: str, records: int | None) -> None:
        """The dirty shard was rewritten with `records` records, or deleted (None)."""
        with self.tx() as c:
            if records is None:
                c.execute("DELETE FROM shards WHERE stage=? AND name=?", (stage, shard))
            else:
                c.execute("UPDATE shards SET records=?, dirty=0 WHERE stage=? AND name=?", (records, stage, shard))

    def reset_stage(self, stage: str) -> None:
        with self.tx() as c:
            c.execute("DELETE FROM items WHERE stage=?", (stage,))
            c.execute("DELETE FROM shards WHERE stage=?", (stage,))
            c.execute("DELETE FROM usage WHERE stage=?", (stage,))
            c.execute("DELETE FROM fingerprints WHERE stage=?", (stage,))

    # -- what a stage's output is, and what each step last ran under ----------------------------------
    def data_fingerprint(self, stage: str) -> str:
        """A hash of the stage's rows (item id, status, hash of its records) in id order: equal exactly when
        the stage holds the same records for the same items, however they were batched."""
        h = hashlib.sha256()
        out = "out" if "out" in self.columns["items"] else "NULL"
        for item_id, status, digest in self.conn.execute(
            f"SELECT item_id, status, {out} FROM items WHERE stage=? ORDER BY item_id", (stage,)
        ):
            h.update(f"{item_id}\x1f{status}\x1f{digest or ''}\n".encode())
        return h.hexdigest()[:32]

    def item_digest(self, stage: str, item_id: str) -> str | None:
        """The hash of the records a done item produced (None when it is not done or not hashed)."""
        if "out" not in self.columns["items"]:
            return None
        row = self.conn.execute(
            "SELECT out FROM items WHERE stage=? AND item_id=? AND status=?", (stage, item_id, DONE)
        ).fetchone()
        return row[0] if row else None

    def record_fingerprint(
        self, stage: str, fingerprint: str, settings: Any, inputs: dict[str, str], files: dict[str, str]
    ) -> None:
        with self.tx() as c:
            c.execute(
                "INSERT OR REPLACE INTO fingerprints(stage, fingerprint, settings, inputs, files, recorded_at) "
                "VALUES (?,?,?,?,?,?)",
                (
                    stage,
                    fingerprint,
                    redact(json.dumps(settings, sort_keys=True, default=str)),  # e.g. a token in extra_body
                    json.dumps(inputs, sort_keys=True),
                    json.dumps(files, sort_keys=True),
                    time.time(),
                ),
            )

    def recorded_fingerprint(self, stage: str) -> dict[str, Any] | None:
        """{fingerprint, settings, inputs, files} the step last ran under; None if never (or before v2)."""
        if "stage" not in self.columns["fingerprints"]:
            return None
        row = self.conn.execute(
            "SELECT fingerprint, settings, inputs, files FROM fingerprints WHERE stage=?", (stage,)
        ).fetchone()
        if row is None:
            return None
        return {
            "fingerprint": row[0],
            "settings": json.loads(row[1]),
            "inputs": json.loads(row[2]),
            "files": json.loads(row[3]),
        }

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
