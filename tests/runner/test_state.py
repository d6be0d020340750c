"""Item state: rows of items a stage no longer enumerates (the config changed) do not linger as unfinished."""

from __future__ import annotations

from pipeline.config import RunConfig
from pipeline.runner.run import input_problem, run_stage
from pipeline.runner.state import StateDB

STAGE = "tests.runner.toy_stage:ToyStage"


def test_sync_drops_gone_rows_and_reopens_stale_ones(tmp_path):
    db = StateDB(tmp_path / "state.sqlite")
    db.begin_enumeration()
    db.add_enumerated([("a", "ka"), ("b", "kb"), ("c", "kc"), ("d", "kd"), ("e", "ke")])
    assert db.sync_items("s") == {"gone": 0, "dropped": 0, "stale": 0, "new": 5}
    db.commit_batch("s", "x1", 2, ["b", "d"], [("c", "boom")])
    db.commit_batch("s", "x2", 1, ["e"], [])
    db.begin_enumeration()
    db.add_enumerated([("a", "ka"), ("b", "kb"), ("e", "ke2"), ("f", "kf")])
    # c (failed) and d (done) are gone; e's key changed; b is still done; f is new
    assert db.sync_items("s") == {"gone": 1, "dropped": 1, "stale": 1, "new": 1}
    assert db.counts()["s"] == {"done": 1, "failed": 0, "pending": 3}
    assert sorted(db.dirty_shards("s")) == ["x1", "x2"]  # x1 held d, x2 held e
    assert db.shard_items("s", "x1") == {"b"} and db.shard_items("s", "x2") == set()
    db.close()


def test_a_stage_with_fewer_items_after_failures_is_finished(tmp_path, monkeypatch):
    flag = tmp_path / "flaky.flag"
    flag.touch()
    monkeypatch.setenv("TOY_FLAKY_FILE", str(flag))
    monkeypatch.setenv("TOY_ITEMS", "40")
    cfg = RunConfig(run={"name": "shrink", "output_dir": str(tmp_path), "batch_size": 7, "progress": False})
    assert run_stage(STAGE, cfg, quiet=True).failed == 4  # items 0, 13, 26, 39
    flag.unlink()
    monkeypatch.setenv("TOY_ITEMS", "20")  # items 26 and 39 no longer exist
    again = run_stage(STAGE, cfg, quiet=True)
    assert again.ok and again.done == 2 and again.total == 20
    db = StateDB(cfg.run_dir() / "state.sqlite")
    assert db.counts()["toy"]["failed"] == 0 and db.counts()["toy"]["pending"] == 0
    assert input_problem(db, cfg.run_dir(), "toy") is None  # a later stage may start
    db.close()
