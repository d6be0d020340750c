"""Run files are written with the process umask (0644 under the usual 022), not mkstemp's 0600."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pipeline.config import RunConfig
from pipeline.jsonl import write_jsonl_atomic
from pipeline.runner.files import atomic_write_text, write_shard
from pipeline.runner.run import run_stage


@pytest.fixture
def umask():
    old = os.umask(0o022)

    def set_mask(mask: int) -> None:
        os.umask(mask)

    yield set_mask
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_atomic_writes_follow_the_umask(tmp_path, umask, mask, expected):
    umask(mask)
    atomic_write_text(tmp_path / "a.txt", "x")
    write_jsonl_atomic(tmp_path / "b.jsonl", [{"id": 1}])
    shard = write_shard(tmp_path, "abc", [{"id": "1"}])
    assert [_mode(p) for p in (tmp_path / "a.txt", tmp_path / "b.jsonl", shard)] == [expected] * 3
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_every_file_of_a_run_is_0644_under_umask_022(tmp_path, umask, monkeypatch):
    monkeypatch.setenv("TOY_ITEMS", "20")
    cfg = RunConfig(run={"name": "modes", "output_dir": str(tmp_path), "batch_size": 7, "progress": False})
    assert run_stage("tests.runner.toy_stage:ToyStage", cfg, quiet=True).ok
    files = [p for p in cfg.run_dir().rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"config.resolved.yaml", "config.resolved.json", "state.sqlite", "stats.json"}
    assert any(p.name.startswith("part-") for p in files)
    assert {str(p.relative_to(tmp_path)): oct(_mode(p)) for p in files if _mode(p) != 0o644} == {}
