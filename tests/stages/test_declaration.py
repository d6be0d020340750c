"""The stage order and inputs are declared once (pipeline/stages/__init__.py); cli, runner, report and README
follow that declaration."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.cli import build_parser, main
from pipeline.config import RunConfig
from pipeline.runner.executors import load_stage_class
from pipeline.runner.summary import StageSummary
from pipeline.stages import ORDER, PIPELINE
from pipeline.stages.base import StageError
from pipeline.stages.report.data import funnel
from pipeline.stages.sample import SampleStage

ROOT = Path(__file__).resolve().parents[2]


def _readme_rows() -> list[str]:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## What it does", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("|") and "`ifgen " in line]


def test_the_readme_stage_table_is_the_declaration():
    rows = _readme_rows()
    assert [re.search(r"`ifgen (\w+)", r).group(1) for r in rows] == list(ORDER)
    header = next(line for line in (ROOT / "README.md").read_text().splitlines() if line.startswith("| stage |"))
    needs_col = [c.strip() for c in header.split("|")].index("needs")
    for row, spec in zip(rows, PIPELINE):
        cell = row.split("|")[needs_col]
        mentioned = {name for name in ORDER if re.search(rf"\b{name}\b", cell)}
        assert mentioned == {r.stage for r in spec.requires}, (spec.name, cell)


def test_every_entry_is_a_step_of_its_declared_kind():
    for spec in PIPELINE:
        cls = load_stage_class(spec.target)
        assert cls.name == spec.name and cls.kind == spec.kind, spec
        assert set(spec.inputs) < set(ORDER) and spec.name not in spec.inputs


def test_cli_subcommands_follow_the_declaration():
    sub = next(a for a in build_parser()._actions if a.dest == "cmd")
    assert [c for c in sub.choices if c in ORDER] == list(ORDER)
    run = sub.choices["run"]
    assert next(a for a in run._actions if a.dest == "until_stage").choices == ORDER


def test_the_report_lists_stages_in_declared_order(tmp_path):
    for name in reversed(ORDER):
        (tmp_path / name).mkdir()
    assert [f["stage"] for f in funnel(tmp_path)] == list(ORDER)


def test_a_stage_reads_only_what_it_declares(tmp_path):
    stage = SampleStage(RunConfig(run={"output_dir": str(tmp_path)}), tmp_path)
    with pytest.raises(StageError, match="does not declare"):
        stage.read("verify")


@pytest.mark.parametrize(
    "extra, expected",
    [
        ([], [s for s in ORDER if s != "push"]),
        (["--set", "push.repo_id=org/name"], list(ORDER)),
        (["--until", "verify"], ["seeds", "expand", "compose", "sample", "checkers", "verify"]),
        (["--from", "export"], ["export", "report"]),
        (["--from", "export", "--until", "push"], ["export", "report", "push"]),
    ],
)
def test_ifgen_run_runs_the_declared_order(tmp_path, monkeypatch, extra, expected):
    import pipeline.runner.run as runner

    ran = []
    targets = {s.target: s.name for s in PIPELINE}

    def fake_run_stage(target, cfg, **kw):
        ran.append(targets[target])
        return StageSummary(targets[target])

    monkeypatch.setattr(runner, "run_stage", fake_run_stage)
    monkeypatch.setattr(runner, "refuse_early", lambda *a, **k: None)  # nothing has run here: only the order counts
    rc = main(["run", "--config", "configs/demo.yaml", "--run", "order", "--set", f"run.output_dir={tmp_path}", *extra])
    assert rc == 0 and ran == expected
