"""Report: one self-contained page whose charts a real (headless) browser draws; data is escaped."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from pipeline.config import RunConfig
from pipeline.runner.files import write_shard
from pipeline.runner.run import run_stage
from pipeline.stages.report.html import CHARTS

from ..synth import load_records, make_run

REPORT = "pipeline.stages.report:ReportSink"
EVIL = "</script><img src=x onerror=alert(1)> <b>bold</b> & done"


def _chromium() -> str | None:
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def report_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    cfg = make_run(root)
    data = cfg.model_dump(mode="json")
    data["report"] = {"sample_rows": 500}
    cfg = RunConfig(**data)
    run_dir = cfg.run_dir()
    # an instruction and its response carrying markup, to prove it is escaped everywhere
    ins = dict(load_records(run_dir, "compose")[0], id="0000-evil", text="Explain this: " + EVIL)
    write_shard(run_dir / "compose", "evil", [ins])
    resp = dict(load_records(run_dir, "sample")[0], id="0000-evil-r", instruction_id="0000-evil", text=EVIL)
    write_shard(run_dir / "sample", "evil", [resp])
    ver = dict(
        load_records(run_dir, "verify")[0], id="0000-evil-r", instruction_id="0000-evil", response_id="0000-evil-r"
    )
    write_shard(run_dir / "verify", "evil", [ver])
    assert run_stage("pipeline.stages.export:ExportSink", cfg, quiet=True).ok
    summary = run_stage(REPORT, cfg, quiet=True)
    assert summary.ok, summary.errors
    return cfg, run_dir / "report.html"


def test_report_is_self_contained_and_escaped(report_run):
    cfg, path = report_run
    page = path.read_text(encoding="utf-8")
    assert page.count("<script") == 2  # the JSON data block and our drawing code
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", page)  # nothing fetched
    urls = set(re.findall(r"https?://[^\s\"'<>]+", page)) - {"http://www.w3.org/2000/svg"}  # a namespace, not a fetch
    assert not urls
    assert "<img src=x" not in page and "<b>bold</b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; &lt;b&gt;bold&lt;/b&gt; &amp; done" in page
    assert page.count("data-chart=") == len(CHARTS)


def test_report_numbers_come_from_the_run(report_run):
    cfg, path = report_run
    page = path.read_text(encoding="utf-8")
    import json

    data = json.loads(re.search(r'<script type="application/json" id="ifgen-data">(.*?)</script>', page, re.S).group(1))
    assert data["usage"]["sample"]["prompt_tokens"] == 3000 and data["usage"]["compose"]["cost"] == 0.003
    verdicts = load_records(cfg.run_dir(), "verify")
    assert sum(m["n"] for m in data["pass_by_model"].values()) == len(verdicts)
    passed = sum(bool(r["passed"]) for v in verdicts for r in v["results"] if r["id"] == "punctuation:no_comma")
    n = sum(1 for v in verdicts for r in v["results"] if r["id"] == "punctuation:no_comma")
    assert data["pass_by_constraint"]["punctuation:no_comma"] == {
        "rate": round(passed / n, 4),
        "n": n,
        "unverifiable": 0,
    }
    assert data["checkers"]["agreement"] == [{"id": "punctuation:no_comma", "precision": 0.95, "recall": 0.9, "n": 40}]
    assert [f["stage"] for f in data["funnel"]][:4] == ["seeds", "expand", "compose", "sample"]
    assert list(data["lengths"]["model-a"])[:2] == ["0-24", "25-49"]
    # prompt pass rates: the export's histogram, overall and by number of constraints
    export_stats = json.loads((cfg.run_dir() / "export" / "stats.json").read_text(encoding="utf-8"))
    assert data["passrate"] == export_stats["passrate"] and data["passrate"]["prompts"] > 0
    assert sum(data["passrate"]["overall"].values()) == data["passrate"]["prompts"]


def test_headless_chromium_draws_every_chart(report_run, tmp_path):
    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium not found (apt-get install -y chromium); the browser rendering check needs it")
    _, path = report_run
    out = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=90,
    )
    dom = out.stdout
    assert f'data-charts-drawn="{len(CHARTS)}"' in dom, out.stderr[-2000:]
    assert dom.count('data-state="drawn"') == len(CHARTS)
    assert dom.count("<svg") >= len(CHARTS) and dom.count("<rect") > 40
    assert "<img" not in dom and "<b>bold</b>" not in dom  # the planted markup stayed text


def test_report_of_a_partial_run(tmp_path):
    cfg = make_run(tmp_path, n_topics=2)
    shutil.rmtree(cfg.run_dir() / "checkers")
    (cfg.run_dir() / "state.sqlite").unlink()
    summary = run_stage(REPORT, cfg, quiet=True)
    assert summary.ok, summary.errors
    assert "<html" in (cfg.run_dir() / "report.html").read_text()
    assert "verify" in summary.stats["stages"] and "checkers" not in summary.stats["stages"]


@pytest.mark.parametrize(
    "setup, why", [("none", "nothing has run"), ("seeds", "verify has not run"), ("empty", "no verdicts")]
)
def test_report_without_verified_data_exits_2_saying_so(tmp_path, capsys, setup, why):
    from pipeline.cli import main

    run_dir = tmp_path / "r"
    if setup != "none":
        make_run(tmp_path, name="r")
        for stage in ("verify", "export") if setup == "seeds" else ("export",):
            shutil.rmtree(run_dir / stage, ignore_errors=True)
        if setup == "empty":
            for shard in (run_dir / "verify").glob("part-*.jsonl"):
                shard.unlink()
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    rc = main(["report", "--config", "configs/demo.yaml", "--run", "r", "--set", f"run.output_dir={tmp_path}", "-q"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2
    assert "no report for run 'r': it has no verified data" in err[-1] and why in err[-1]
    assert "run `ifgen verify`" in err[-1]
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # nothing written
