"""Item state: rows of items a stage no longer enumerates (the config changed) do not linger as unfinished."""

from __future__ import annotations

from pipeline.config import RunConfig
from pipeline.runner.run import input_problem, run_stage
from pipeline.runner.state import StateDB

STAGE = "tests.runner.toy_stage:ToyStage"


def test_unenumerated_pending_and_failed_rows_are_dropped(tmp_path):
    db = StateDB(tmp_path / "state.sqlite")
    db.add_pending("s", ["a", "b", "c", "d"])
    db.commit_batch("s", None, 0, ["b", "d"], [("c", "boom")])
    db.begin_enumeration()
    db.add_pending("s", ["a", "b"])
    assert db.drop_unenumerated("s") == 1  # c (failed, gone); d is done and stays; a is still wanted
    assert db.counts()["s"] == {"done": 2, "failed": 0, "pending": 1}
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
