"""End to end against the fake OpenAI server: every stage through verify, valid records, resumability."""

from __future__ import annotations

import json

from pipeline.cli import main
from pipeline.config import load_config
from pipeline.constraints.conflicts import find_conflicts
from pipeline.runner.run import run_stage
from pipeline.stages import STAGES
from pipeline.stages.compose.render import stated

from .conftest import overrides

UPTO_VERIFY = ["seeds", "expand", "compose", "sample", "checkers", "verify"]


def _records(run_dir, stage):
    out = []
    for p in sorted((run_dir / stage).glob("part-*.jsonl")):
        out += [json.loads(line) for line in p.read_text().splitlines()]
    return out


def test_stages_through_verify(fake_llm, tmp_path):
    cfg = load_config("configs/demo.yaml", overrides(fake_llm, tmp_path), "fake")
    for st in UPTO_VERIFY:
        s = run_stage(STAGES[st].target, cfg, quiet=True)
        assert s.ok, (st, s.errors)
    run = tmp_path / "fake"
    tasks = _records(run, "expand")
    assert len(tasks) == 12
    assert all(
        set(t["metadata"])
        >= {
            "domain",
            "task_type",
            "skills",
            "audience",
            "expected_length",
            "output_format",
            "language",
            "freeform_constraints",
        }
        for t in tasks
    )
    assert any(t["fallback_fields"] for t in tasks), "the responder sends broken JSON now and then"
    instructions = _records(run, "compose")
    assert len(instructions) == 24
    for ins in instructions:
        reg = [(c["id"], c["params"]) for c in ins["constraints"] if c["source"] == "registry"]
        assert not find_conflicts(reg)
        for c in ins["constraints"]:
            assert [v for v in stated(c) if v not in ins["text"]] == [], ins["text"]
    responses = _records(run, "sample")
    assert len(responses) == 24 * 3
    assert len({r["text"] for r in responses}) > 24, "n samples of one prompt must differ"
    verdicts = _records(run, "verify")
    assert len(verdicts) == len(responses)
    assert {v["id"] for v in verdicts} == {r["id"] for r in responses}
    assert 0 < sum(v["all_pass"] for v in verdicts) < len(verdicts)
    verifiers = {r["verifier"] for v in verdicts for r in v["results"]}
    assert "builtin" in verifiers


def test_rerun_sends_no_requests(fake_llm, tmp_path):
    cfg = load_config("configs/demo.yaml", overrides(fake_llm, tmp_path), "cached")
    for st in UPTO_VERIFY:
        run_stage(STAGES[st].target, cfg, quiet=True)
    before = fake_llm.stats()["requests"]
    for st in UPTO_VERIFY:
        s = run_stage(STAGES[st].target, cfg, force=True, quiet=True)
        assert s.ok
    assert fake_llm.stats()["requests"] == before, "a forced rerun must be served from the LLM cache"


def test_cli_stage_and_status(fake_llm, tmp_path, capsys):
    args = []
    for o in overrides(fake_llm, tmp_path):
        args += ["--set", o]
    assert main(["seeds", "--config", "configs/demo.yaml", "--run", "cli", *args]) == 0
    assert main(["expand", "--config", "configs/demo.yaml", "--run", "cli", *args]) == 0
    capsys.readouterr()
    assert main(["status", "--config", "configs/demo.yaml", "--run", "cli", "--json", *args]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["seeds"]["done"] == 12 and status["expand"]["done"] == 12
    assert status["expand"]["requests"] >= 12


def test_stage_without_inputs_is_a_clear_error(tmp_path, capsys):
    rc = main(["compose", "--config", "configs/demo.yaml", "--run", "empty", "--set", f"run.output_dir={tmp_path}"])
    assert rc == 2
    assert "run `ifgen expand` first" in capsys.readouterr().err
