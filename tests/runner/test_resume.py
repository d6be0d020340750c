"""Runner acceptance: SIGKILL at random points + rerun == one uninterrupted run; failed items retried."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.config import RunConfig
from pipeline.runner.files import list_shards, read_jsonl
from pipeline.runner.run import run_stage

ROOT = Path(__file__).resolve().parents[2]
STAGE = "tests.runner.toy_stage:ToyStage"


def _config(out: Path, name: str) -> RunConfig:
    return RunConfig(
        run={"name": name, "output_dir": str(out), "batch_size": 7, "max_inflight_batches": 3, "progress": False}
    )


def _rows(run_dir: Path) -> list[dict]:
    rows = []
    for shard in list_shards(run_dir / "toy"):
        for r in read_jsonl(shard):
            r.pop("_item", None)
            rows.append(r)
    return sorted(rows, key=lambda r: r["id"])


DRIVER = """
import sys
sys.path.insert(0, {root!r})
from pipeline.config import RunConfig
from pipeline.runner.run import run_stage
cfg = RunConfig(run={{"name": {name!r}, "output_dir": {out!r}, "batch_size": 7, "max_inflight_batches": 3,
                     "progress": False}})
s = run_stage({stage!r}, cfg, quiet=True)
sys.exit(0 if s.ok else 1)
"""


def _spawn(out: Path, name: str, env: dict) -> subprocess.Popen:
    code = DRIVER.format(root=str(ROOT), name=name, out=str(out), stage=STAGE)
    return subprocess.Popen(
        [sys.executable, "-c", code], env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def test_sigkill_at_random_points_then_rerun_matches_clean_run(tmp_path, monkeypatch):
    env = {"TOY_ITEMS": "400", "TOY_SLEEP": "0.003"}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    clean = run_stage(STAGE, _config(tmp_path, "clean"), quiet=True)
    assert clean.ok and clean.done == 400
    expected = _rows(tmp_path / "clean")
    assert len(expected) == 600

    rng = random.Random(1234)
    kills = 0
    for _ in range(12):
        p = _spawn(tmp_path, "killed", env)
        time.sleep(rng.uniform(0.2, 1.2))
        if p.poll() is None:
            os.kill(p.pid, signal.SIGKILL)
            kills += 1
        p.wait()
    assert kills >= 3, "the stage finished too fast to be interrupted; raise TOY_ITEMS"
    final = _spawn(tmp_path, "killed", env)
    _, err = final.communicate(timeout=120)
    assert final.returncode == 0, err.decode()[-2000:]

    got = _rows(tmp_path / "killed")
    ids = [r["id"] for r in got]
    assert len(ids) == len(set(ids)), "duplicate rows after kill + resume"
    assert got == expected
    db = sqlite3.connect(tmp_path / "killed" / "state.sqlite")
    status = dict(db.execute("SELECT status, COUNT(*) FROM items WHERE stage='toy' GROUP BY status").fetchall())
    assert status == {"done": 400}
    assert not [p for p in (tmp_path / "killed" / "toy").iterdir() if p.name.endswith(".tmp")]


def test_failed_items_are_recorded_and_retried(tmp_path, monkeypatch):
    flag = tmp_path / "flaky.flag"
    flag.write_text("1")
    monkeypatch.setenv("TOY_ITEMS", "60")
    monkeypatch.setenv("TOY_FLAKY_FILE", str(flag))
    cfg = _config(tmp_path, "flaky")
    first = run_stage(STAGE, cfg, quiet=True)
    n_flaky = len([i for i in range(60) if i % 13 == 0])
    assert first.failed == n_flaky and first.done == 60 - n_flaky
    assert all("flaky item" in e for _, e in first.errors)
    flag.unlink()
    second = run_stage(STAGE, cfg, quiet=True)
    assert second.ok and second.done == n_flaky and second.skipped == 60 - n_flaky
    third = run_stage(STAGE, cfg, quiet=True)
    assert third.done == 0 and third.skipped == 60
    db = sqlite3.connect(tmp_path / "flaky" / "state.sqlite")
    attempts = dict(db.execute("SELECT item_id, attempts FROM items WHERE stage='toy'").fetchall())
    assert sorted(set(attempts.values())) == [1, 2]


def test_force_redoes_and_status_matches_db(tmp_path, monkeypatch):
    monkeypatch.setenv("TOY_ITEMS", "30")
    cfg = _config(tmp_path, "force")
    run_stage(STAGE, cfg, quiet=True)
    again = run_stage(STAGE, cfg, force=True, quiet=True)
    assert again.done == 30 and again.skipped == 0
    assert len(_rows(tmp_path / "force")) == 45

    (tmp_path / "cfg.yaml").write_text(f"run: {{name: force, output_dir: {tmp_path}}}\n")
    out = subprocess.run(
        [sys.executable, "-m", "pipeline", "status", "--config", str(tmp_path / "cfg.yaml"), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    status = json.loads(out.stdout)
    db = sqlite3.connect(tmp_path / "force" / "state.sqlite")
    done = db.execute("SELECT COUNT(*) FROM items WHERE stage='toy' AND status='done'").fetchone()[0]
    assert status["toy"]["done"] == done == 30


def test_crash_between_shard_and_commit_is_reconciled(tmp_path, monkeypatch):
    """A shard on disk that the DB does not know (death after rename, before commit) is adopted, not redone."""
    monkeypatch.setenv("TOY_ITEMS", "20")
    cfg = _config(tmp_path, "orphan")
    run_stage(STAGE, cfg, quiet=True)
    db = sqlite3.connect(tmp_path / "orphan" / "state.sqlite")
    shard = db.execute("SELECT name FROM shards LIMIT 1").fetchone()[0]
    items = [r[0] for r in db.execute("SELECT item_id FROM items WHERE shard=?", (shard,))]
    with db:
        db.execute("DELETE FROM shards WHERE name=?", (shard,))
        db.execute("UPDATE items SET status='pending', shard=NULL WHERE shard=?", (shard,))
    db.close()
    again = run_stage(STAGE, cfg, quiet=True)
    assert again.done == 0 and again.skipped == 20
    assert len(items) > 0
    assert len(_rows(tmp_path / "orphan")) == 30


@pytest.mark.parametrize("bad", ["compose.nope=1", "run.batch_size=abc"])
def test_bad_config_one_line_exit_2(tmp_path, bad):
    out = subprocess.run(
        [sys.executable, "-m", "pipeline", "config", "show", "--set", bad], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1
    assert bad.split("=")[0] in out.stderr


def test_missing_config_file_exit_2(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "pipeline", "config", "show", "--config", str(tmp_path / "x.yaml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 2 and "x.yaml" in out.stderr and len(out.stderr.strip().splitlines()) == 1
