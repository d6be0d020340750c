"""The state database's tables, and how an existing file is opened read-only.

Schema versions: 1 (no keys, no fingerprints) is migrated in place on open (`StateDB._migrate` adds
`ADDED_COLUMNS` and the new tables); its done rows have no key, so they count as stale.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

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


def open_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection; on a read-only folder (where SQLite cannot make the WAL index) the file is
    opened as immutable, which is exact since nobody can be writing it."""
    uri = path.resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=60, isolation_level=None)
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return conn
    except sqlite3.OperationalError:
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)
