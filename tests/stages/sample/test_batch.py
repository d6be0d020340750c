"""sample with `batch: true`: requests go out as provider batch jobs, chat answers from the cache (a multiturn
prompt's first answer in a job of its own, before the last turns that follow it)."""

from __future__ import annotations

import json

from pipeline.config import load_config
from pipeline.runner.run import run_stage
from pipeline.stages import STAGES
from pipeline.testkit.responder import pipeline_reply
from pipeline.testkit.threaded import ThreadedFakeServer


def _read(folder):
    return [json.loads(x) for p in sorted(folder.glob("part-*.jsonl")) for x in p.read_text().splitlines()]


def test_sample_through_the_batch_api(tmp_path):
    with ThreadedFakeServer(reply=pipeline_reply, batch_delay=0.05) as srv:
        sets = [
            f"llm.api_base={srv.url}",
            "llm.model=openai/fake",
            f"run.output_dir={tmp_path}",
            "run.progress=false",
            "llm.batch_poll_s=0.05",
            "sample.n=2",
            "run.batch_size=6",
        ]
        cfg = load_config("configs/demo.yaml", sets, "batch")
        for st in ("seeds", "expand", "compose"):
            assert run_stage(STAGES[st].target, cfg, quiet=True).ok
        chat_before = srv.stats()["requests"]
        cfg = load_config("configs/demo.yaml", [*sets, "sample.models.0.batch=true"], "batch")
        s = run_stage(STAGES["sample"].target, cfg, quiet=True)
        stats = srv.stats()
    assert s.ok
    rows = _read(tmp_path / "batch" / "sample")
    assert len(rows) == 12 * 2
    multiturn = [i for i in _read(tmp_path / "batch" / "compose") if i["shape"] == "multiturn"]
    assert multiturn, "the demo config draws multiturn prompts"
    assert stats["batch_lines"] == len(rows) + len(multiturn), "one first answer per multiturn prompt"
    assert all(r["history"][1]["content"] for r in rows if r["instruction_id"] in {i["id"] for i in multiturn})
    assert all(r["cached"] for r in rows), "chat must answer from what the batch put in the cache"
    assert stats["requests"] - chat_before == 0, "no request may take the normal chat path"
