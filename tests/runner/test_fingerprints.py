"""Fingerprinted items: a changed setting or input redoes exactly what it touches, records of items that are
gone or stale leave the shards, a crash at any point of that cleanup still resumes to a clean run's rows, and
a state DB from before fingerprints migrates (its rows count as stale)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.config import RunConfig
from pipeline.records import content_id
from pipeline.runner.files import list_shards, read_jsonl, write_shard
from pipeline.runner.run import run_stage
from pipeline.runner.state import StateDB

from .test_resume import STAGE, _rows

ROOT = Path(__file__).resolve().parents[2]
OLD = {"TOY_ITEMS": "200", "TOY_SALT": "", "TOY_ITEM_SALT": ""}
NEW = {"TOY_ITEMS": "150", "TOY_SALT": "", "TOY_ITEM_SALT": "b"}  # 50 items gone, every third changed


def _config(out: Path, name: str) -> RunConfig:
    return RunConfig(run={"name": name, "output_dir": str(out), "batch_size": 7, "progress": False})


def _run(out: Path, name: str, env: dict, monkeypatch):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return run_stage(STAGE, _config(out, name), quiet=True)


def _consistent(run_dir: Path) -> None:
    """Every shard is registered with its true record count, nothing is dirty, every record belongs to a done
    item that says it lives in that shard, and no record appears twice."""
    db = sqlite3.connect(run_dir / "state.sqlite")
    shards = {n: (r, d) for n, r, d in db.execute("SELECT name, records, dirty FROM shards WHERE stage='toy'")}
    where = dict(db.execute("SELECT item_id, shard FROM items WHERE stage='toy' AND status='done'"))
    on_disk = {p.name[len("part-") : -len(".jsonl")]: list(read_jsonl(p)) for p in list_shards(run_dir / "toy")}
    assert set(on_disk) == {n for n, (r, _) in shards.items() if r}
    assert all(not d for _, d in shards.values())
    ids = []
    for name, records in on_disk.items():
        assert shards[name][0] == len(records)
        for r in records:
            assert where.get(r["_item"]) == name
            ids.append(r["id"])
    assert len(ids) == len(set(ids))


def test_unchanged_rerun_redoes_nothing_and_a_setting_redoes_everything(tmp_path, monkeypatch):
    first = _run(tmp_path, "r", OLD, monkeypatch)
    assert first.done == 200
    again = _run(tmp_path, "r", OLD, monkeypatch)
    assert again.done == 0 and again.skipped == 200 and again.stale == 0
    changed = _run(tmp_path, "r", {**OLD, "TOY_SALT": "x"}, monkeypatch)
    assert changed.done == 200 and changed.stale == 200 and changed.skipped == 0
    expected = _run(tmp_path, "fresh", {**OLD, "TOY_SALT": "x"}, monkeypatch)
    assert _rows(tmp_path / "r") == _rows(tmp_path / "fresh") and expected.done == 200
    _consistent(tmp_path / "r")


def test_changed_and_gone_items_exactly(tmp_path, monkeypatch):
    _run(tmp_path, "r", OLD, monkeypatch)
    before = {r["id"]: r for r in _rows(tmp_path / "r")}
    s = _run(tmp_path, "r", NEW, monkeypatch)
    changed = len([i for i in range(150) if i % 3 == 0])
    assert (s.done, s.stale, s.removed, s.skipped) == (changed, changed, 50, 150 - changed)
    _run(tmp_path, "fresh", NEW, monkeypatch)
    got = _rows(tmp_path / "r")
    assert got == _rows(tmp_path / "fresh")
    assert max(r["i"] for r in got) == 149  # the records of the 50 gone items left the shards
    unchanged = [r for r in got if r["i"] % 3]
    assert all(before[r["id"]] == r for r in unchanged)
    _consistent(tmp_path / "r")
    # and back: the old config restores the old rows (items 150..199 come back, the changed ones revert)
    _run(tmp_path, "r", OLD, monkeypatch)
    assert _rows(tmp_path / "r") == sorted(before.values(), key=lambda r: r["id"])
    _consistent(tmp_path / "r")


DRIVER = """
import os, signal, sys
sys.path.insert(0, {root!r})
from pipeline.config import RunConfig
from pipeline.records import content_id
from pipeline.runner import shards, state
from pipeline.runner.run import run_stage

point, nth = {point!r}, {nth!r}
calls = [0]

def crashing(fn, after):
    def wrapped(*a, **k):
        if not after:
            calls[0] += 1
            if calls[0] == nth:
                os.kill(os.getpid(), signal.SIGKILL)
        out = fn(*a, **k)
        if after:
            os.kill(os.getpid(), signal.SIGKILL)
        return out
    return wrapped

if point == "sync":  # the sync committed (stale rows reopened, shards marked dirty), nothing cleaned
    state.StateDB.sync_items = crashing(state.StateDB.sync_items, after=True)
elif point == "rewrite":  # before the nth shard rewrite
    shards.write_shard = crashing(shards.write_shard, after=False)
elif point == "cleaned":  # after the nth shard was rewritten or deleted on disk, before the state says so
    state.StateDB.shard_cleaned = crashing(state.StateDB.shard_cleaned, after=False)
cfg = RunConfig(run={{"name": {name!r}, "output_dir": {out!r}, "batch_size": 7, "progress": False}})
run_stage({stage!r}, cfg, quiet=True)
"""


def _crash(out: Path, name: str, env: dict, point: str, nth: int) -> None:
    code = DRIVER.format(root=str(ROOT), point=point, nth=nth, name=name, out=str(out), stage=STAGE)
    p = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, timeout=120)
    assert p.returncode == -signal.SIGKILL, p.stderr.decode()[-2000:]


@pytest.mark.parametrize(
    "crashes",
    [
        [("sync", 1)],
        [("rewrite", 1)],
        [("rewrite", 5)],
        [("cleaned", 1)],
        [("cleaned", 9)],
        [("cleaned", 3), ("rewrite", 2), ("sync", 1)],  # crash again while repairing the first crash
    ],
    ids=lambda c: "+".join(f"{p}{n}" for p, n in c),
)
def test_kill_during_stale_cleanup_then_rerun_matches_clean_run(tmp_path, monkeypatch, crashes):
    _run(tmp_path, "fresh", NEW, monkeypatch)
    expected = _rows(tmp_path / "fresh")
    _run(tmp_path, "r", OLD, monkeypatch)
    for point, nth in crashes:
        _crash(tmp_path, "r", NEW, point, nth)
    final = _run(tmp_path, "r", NEW, monkeypatch)
    assert final.ok
    assert _rows(tmp_path / "r") == expected
    _consistent(tmp_path / "r")


def test_kill_during_cleanup_then_the_old_config_again(tmp_path, monkeypatch):
    """The cleanup died half way; the user goes back to the old config: the old rows, none lost."""
    _run(tmp_path, "r", OLD, monkeypatch)
    expected = _rows(tmp_path / "r")
    _crash(tmp_path, "r", NEW, "cleaned", 7)
    _run(tmp_path, "r", OLD, monkeypatch)
    assert _rows(tmp_path / "r") == expected
    _consistent(tmp_path / "r")


V1_SCHEMA = """
CREATE TABLE items (
  stage TEXT NOT NULL, item_id TEXT NOT NULL, status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, shard TEXT,
  created_at REAL NOT NULL, updated_at REAL NOT NULL,
  PRIMARY KEY (stage, item_id)
);
CREATE TABLE shards (
  stage TEXT NOT NULL, name TEXT NOT NULL, records INTEGER NOT NULL, created_at REAL NOT NULL,
  PRIMARY KEY (stage, name)
);
CREATE TABLE usage (
  stage TEXT NOT NULL, model TEXT NOT NULL, requests INTEGER NOT NULL DEFAULT 0,
  cache_hits INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0,
  prompt_tokens INTEGER NOT NULL DEFAULT 0, completion_tokens INTEGER NOT NULL DEFAULT 0,
  cost REAL NOT NULL DEFAULT 0, PRIMARY KEY (stage, model)
);
CREATE TABLE stage_runs (
  stage TEXT NOT NULL, started_at REAL NOT NULL, finished_at REAL, summary TEXT
);
"""


def test_a_version_1_state_db_is_read_migrated_and_its_rows_redone(tmp_path, monkeypatch):
    """A run folder from before fingerprints: readable as it is (read-only), migrated on the next write, and
    its done items count as stale (nothing says what made them), so the rerun equals a clean run."""
    monkeypatch.setenv("TOY_ITEMS", "30")
    run_dir = tmp_path / "old"
    (run_dir / "toy").mkdir(parents=True)
    db = sqlite3.connect(run_dir / "state.sqlite")
    db.executescript(V1_SCHEMA)
    # the toy's items, with records of an older version (other "h"), as a v1 run left them
    for b in range(3):
        items = [content_id("toy", i) for i in range(b * 10, b * 10 + 10)]
        write_shard(run_dir / "toy", f"b{b}", [{"id": content_id("out", i, 0), "h": "old", "_item": i} for i in items])
        db.execute("INSERT INTO shards VALUES ('toy', ?, 10, 0)", (f"b{b}",))
        db.executemany("INSERT INTO items VALUES ('toy', ?, 'done', 1, NULL, ?, 0, 0)", [(i, f"b{b}") for i in items])
    db.execute("INSERT INTO stage_runs VALUES ('toy', 0, 1, 'x')")
    db.commit()
    db.close()

    ro = StateDB(run_dir / "state.sqlite", readonly=True)
    assert ro.counts()["toy"]["done"] == 30 and ro.recorded_fingerprint("toy") is None and not ro.has_keys
    ro.data_fingerprint("toy")
    ro.close()
    assert sqlite3.connect(run_dir / "state.sqlite").execute("PRAGMA user_version").fetchone()[0] == 0

    s = run_stage(STAGE, _config(tmp_path, "old"), quiet=True)
    assert s.ok and s.done == 30 and s.stale == 30  # nothing says what made them: redone
    run_stage(STAGE, _config(tmp_path, "fresh"), quiet=True)
    assert _rows(run_dir) == _rows(tmp_path / "fresh")
    db = StateDB(run_dir / "state.sqlite")
    assert db.has_keys and db.recorded_fingerprint("toy") is not None
    db.close()
