"""One synthetic run exported once per session (the export is the slow part)."""

from __future__ import annotations

import pytest

from pipeline.runner.run import run_stage

from .synth import make_run

EXPORT = "pipeline.stages.export:ExportSink"


@pytest.fixture(scope="session")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("runs")
    cfg = make_run(root)
    summary = run_stage(EXPORT, cfg, quiet=True)
    assert summary.ok, summary.errors
    return cfg, summary.stats
