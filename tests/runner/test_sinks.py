"""The runner's sink kind: skipped while the fingerprint holds, recorded in the state DB, stats.json written by
the runner, failures reported like failed items, never handed to an executor."""

from __future__ import annotations

import json
import sqlite3

import pytest

from pipeline.config import RunConfig
from pipeline.runner import run as runner
from pipeline.runner.run import run_stage

SINK = "tests.runner.toy_sink:ToySink"


@pytest.fixture
def cfg(tmp_path, monkeypatch):
    def no_executor(*a, **k):
        raise AssertionError("a sink must never reach an executor")

    monkeypatch.setattr(runner, "make_executor", no_executor)
    monkeypatch.delenv("TOY_SINK_FAIL", raising=False)
    monkeypatch.setenv("TOY_SINK_INPUT", "a")
    return RunConfig(run={"name": "s", "output_dir": str(tmp_path), "progress": False})


def _writes(cfg) -> int:
    f = cfg.run_dir() / "toysink-writes.txt"
    return int(f.read_text()) if f.is_file() else 0


def _state(cfg) -> list[tuple]:
    with sqlite3.connect(cfg.run_dir() / "state.sqlite") as c:
        return list(c.execute("SELECT item_id, status, last_error FROM items WHERE stage='toysink'"))


def test_written_once_then_skipped_until_the_inputs_change(cfg, monkeypatch):
    first = run_stage(SINK, cfg, quiet=True)
    out = cfg.run_dir() / "toysink"
    assert first.ok and first.done == 1 and first.stats == {"wrote": "a"}
    assert json.loads((out / "stats.json").read_text()) == {"wrote": "a"}
    assert sorted(p.name for p in out.iterdir()) == ["out.txt", "stats.json"]  # no side files
    assert [(s, e) for _, s, e in _state(cfg)] == [("done", None)]

    again = run_stage(SINK, cfg, quiet=True)
    assert again.ok and again.skipped == 1 and again.done == 0 and again.stats == {"wrote": "a"}
    assert _writes(cfg) == 1

    monkeypatch.setenv("TOY_SINK_INPUT", "b")
    changed = run_stage(SINK, cfg, quiet=True)
    assert changed.done == 1 and _writes(cfg) == 2 and (out / "out.txt").read_text() == "b"
    assert len(_state(cfg)) == 1  # one row: the fingerprint of what is on disk

    assert run_stage(SINK, cfg, force=True, quiet=True).done == 1 and _writes(cfg) == 3


def test_a_failed_write_is_recorded_reported_and_retried(cfg, monkeypatch):
    assert run_stage(SINK, cfg, quiet=True).ok
    monkeypatch.setenv("TOY_SINK_INPUT", "b")
    monkeypatch.setenv("TOY_SINK_FAIL", "1")
    failed = run_stage(SINK, cfg, quiet=True)
    assert not failed.ok and failed.failed == 1 and "the disk is on fire" in failed.errors[0][1]
    assert [s for _, s, _ in _state(cfg)] == ["failed"]
    assert not (cfg.run_dir() / "toysink" / "stats.json").exists()  # stats never describe a failed write
    monkeypatch.delenv("TOY_SINK_FAIL")
    retried = run_stage(SINK, cfg, quiet=True)
    assert retried.ok and retried.done == 1 and _writes(cfg) == 3
