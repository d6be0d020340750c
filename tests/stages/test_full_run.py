"""`ifgen run` end to end on the fake server: all three datasets, card and report; Ray == local."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from tests.local_datasets import load_local

from .conftest import overrides


def _export_rows(run_dir):
    out = {}
    for f in sorted((run_dir / "export").rglob("*.parquet")):
        out[str(f.relative_to(run_dir / "export"))] = pq.read_table(f).to_pylist()
    return out


def _run(fake_llm, tmp_path, name, *extra):
    args = ["run", "--config", "configs/demo.yaml", "--run", name, *extra]
    for o in overrides(fake_llm, tmp_path):
        args += ["--set", o]
    return main(args)


def test_run_produces_datasets_card_and_report(fake_llm, tmp_path, capsys):
    assert _run(fake_llm, tmp_path, "full") == 0
    printed = capsys.readouterr().out
    run = tmp_path / "full"
    for kind in ("sft", "dpo", "rl"):
        assert (run / "export" / kind).is_dir() and str(run / "export" / kind) in printed
    assert (run / "export" / "README.md").is_file() and (run / "report.html").is_file()
    rows = _export_rows(run)
    assert any(k.startswith("sft") for k in rows) and any(k.startswith("rl") for k in rows)

    for cfg in ("sft", "rl"):
        ds = load_local(run / "export", cfg)
        assert "train" in ds and len(ds["train"]) > 0
    # resumable: a second run does no work and changes nothing
    before = {k: json.dumps(v, sort_keys=True, default=str) for k, v in rows.items()}
    assert _run(fake_llm, tmp_path, "full") == 0
    after = {k: json.dumps(v, sort_keys=True, default=str) for k, v in _export_rows(run).items()}
    assert before == after


@pytest.mark.ray
def test_ray_and_local_exports_identical(fake_llm, tmp_path):
    pytest.importorskip("ray")
    assert _run(fake_llm, tmp_path, "local", "--executor", "local") == 0
    assert _run(fake_llm, tmp_path, "ray", "--executor", "ray") == 0
    a, b = _export_rows(tmp_path / "local"), _export_rows(tmp_path / "ray")
    assert a and a == b
