"""verify: a checker that raises is reported against its own constraint; the others still get verdicts."""

from __future__ import annotations

import json

from pipeline.config import RunConfig
from pipeline.records import content_id
from pipeline.runner.files import write_shard
from pipeline.runner.run import run_stage


def test_checker_error_is_reported_per_constraint(tmp_path):
    cons = [
        {"id": "punctuation:no_comma", "params": {}, "source": "registry", "soft": False, "text": "no commas"},
        {"id": "keywords:existence", "params": {}, "source": "registry", "soft": False, "text": "broken"},
        {"id": "change_case:english_lowercase", "params": {}, "source": "registry", "soft": False, "text": "lc"},
    ]
    ins = {"id": content_id("i"), "task_id": "t", "text": "x", "constraints": cons, "_item": "i"}
    resp = {
        "id": content_id("r"),
        "instruction_id": ins["id"],
        "model": "m",
        "sample_index": 0,
        "text": "this is a plain lowercase answer written in simple english words",
        "_item": "i",
    }
    run = tmp_path / "v"
    write_shard(run / "compose", "a", [ins])
    write_shard(run / "sample", "a", [resp])
    cfg = RunConfig(run={"name": "v", "output_dir": str(tmp_path), "progress": False}, verify={"judge": False})
    assert run_stage("pipeline.stages.verify:VerifyStage", cfg, quiet=True).ok
    v = json.loads(next((run / "verify").glob("part-*.jsonl")).read_text())
    by = {r["id"]: r for r in v["results"]}
    assert by["punctuation:no_comma"]["passed"] is True
    assert by["change_case:english_lowercase"]["passed"] is True
    assert by["keywords:existence"]["passed"] is None
    assert "MissingParameterError" in by["keywords:existence"]["reason"]
    assert v["n_verifiable"] == 2 and not v["all_pass"] and v["fraction"] == 1.0
