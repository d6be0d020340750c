"""The partitioned export gives the same files however it is cut and wherever its per-range tasks run: one
range in this process, one range per instruction in local worker processes, or Ray tasks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import pipeline.stages.export as export_pkg
from pipeline.runner.run import run_stage
from pipeline.stages.export.store import JoinedRanges

from ...runner.test_ray import ray_cluster  # noqa: F401 - the module's local 2-CPU Ray cluster
from ..conftest import EXPORT
from ..synth import make_run

FORMATS = ["sft", "dpo", "rl", "verl"]


def _files(cfg) -> dict[str, bytes]:
    out = cfg.run_dir() / "export"
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _export(cfg, monkeypatch, *, workers: int, tiny_ranges: bool, executor: str | None = None) -> dict[str, bytes]:
    monkeypatch.setattr(export_pkg, "local_workers", lambda: workers)
    monkeypatch.setattr(export_pkg, "RANGE_SHARE", 1e-12 if tiny_ranges else export_pkg.RANGE_SHARE)
    ranges: list[int] = []
    real_select = export_pkg.ExportSink._select

    def counting(self, join: JoinedRanges):
        ranges.append(len(join.ranges))
        return real_select(self, join)

    monkeypatch.setattr(export_pkg.ExportSink, "_select", counting)
    summary = run_stage(EXPORT, cfg, force=True, quiet=True, executor=executor)
    assert summary.ok, summary.errors
    n_instructions = summary.stats["funnel"]["instructions"]
    assert ranges == [n_instructions if tiny_ranges else 1]  # each instruction its own range, or one range
    return _files(cfg)


@pytest.fixture(scope="module", params=["id", "curriculum"])
def run_cfg(request, tmp_path_factory):
    cfg = make_run(tmp_path_factory.mktemp("part"), n_topics=6, formats=FORMATS, rl={"order": request.param})
    return cfg


def test_ranges_and_worker_processes_change_nothing(run_cfg, monkeypatch):
    whole = _export(run_cfg, monkeypatch, workers=1, tiny_ranges=False)
    assert {"sft/train.parquet", "dpo/train.parquet", "rl/train.parquet", "verl/train.parquet"} <= set(whole)
    cut = _export(run_cfg, monkeypatch, workers=2, tiny_ranges=True)
    assert sorted(cut) == sorted(whole)
    for name, data in whole.items():
        assert cut[name] == data, name
    assert not (run_cfg.run_dir() / "export" / ".join").exists()  # scratch ranges are removed


@pytest.mark.ray
def test_ray_tasks_give_the_local_files(run_cfg, monkeypatch, ray_cluster):  # noqa: F811 - fixture
    local = _export(run_cfg, monkeypatch, workers=1, tiny_ranges=True)
    shutil.rmtree(Path(run_cfg.run_dir()) / "export")
    on_ray = _export(run_cfg, monkeypatch, workers=1, tiny_ranges=True, executor="ray")
    assert sorted(on_ray) == sorted(local)
    for name, data in local.items():
        assert on_ray[name] == data, name
