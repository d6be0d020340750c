"""compose's optional LLM steps: feasibility rollback and the rewrite faithfulness gate."""

from __future__ import annotations

import json
import re

from pipeline.config import load_config
from pipeline.runner.run import run_stage
from pipeline.stages import STAGES
from pipeline.stages.compose.render import carrier, faithful, value_strings
from pipeline.testkit.fake_rules import last_user_text
from pipeline.testkit.responder import pipeline_reply
from pipeline.testkit.threaded import ThreadedFakeServer


def reply(body):
    prompt = last_user_text(body)
    if "Can one answer to the task satisfy all these rules" in prompt:
        n = len(re.findall(r"^- ", prompt.split("Rules:", 1)[1], re.M))
        return json.dumps({"feasible": n <= 2, "reason": f"{n} rules"})
    if "Rewrite the instruction below" in prompt:
        text = prompt.split("Instruction:", 1)[-1].strip()
        # half the time a faithful rewrite, half the time one that drops every digit (loses values)
        return ("Please: " + text) if len(text) % 2 else re.sub(r"\d", "", "Please: " + text)
    return pipeline_reply(body)


def _read(folder):
    return [json.loads(x) for p in sorted(folder.glob("part-*.jsonl")) for x in p.read_text().splitlines()]


def test_feasibility_rolls_back_and_rewrite_gate(tmp_path):
    with ThreadedFakeServer(reply=reply) as srv:
        sets = [
            f"llm.api_base={srv.url}",
            "llm.model=openai/fake",
            f"run.output_dir={tmp_path}",
            "run.progress=false",
            "compose.feasibility_check=true",
            "compose.rewrite=true",
            "compose.min_constraints=3",
            "compose.max_constraints=5",
            "compose.instructions_per_task=2",
        ]
        cfg = load_config("configs/demo.yaml", sets, "llmchecks")
        for st in ("seeds", "expand", "compose"):
            assert run_stage(STAGES[st].target, cfg, quiet=True).ok
    rows = _read(tmp_path / "llmchecks" / "compose")
    assert rows
    rolled_back = 0
    for r in rows:
        assert len(r["constraints"]) <= 2, "the judge said no above 2 rules: the stage must roll back"
        fe = r["checks"].get("feasibility")
        if fe is None:  # the draw gave a single constraint: nothing to check
            assert len(r["constraints"]) == 1
            continue
        assert fe[-1]["feasible"] is True and all(v["feasible"] is False for v in fe[:-1])
        rolled_back += len(fe) > 1
        assert faithful(r["text"], r["constraints"])
        # the rewrite rewrites the message that states the constraints (the whole prompt when single)
        rules = r["messages"][carrier(r["shape"])]["content"] if "messages" in r else r["text"]
        assert faithful(rules, r["constraints"])
        if r["checks"]["rewrite"] == "kept":
            assert rules.startswith("Please: ")
        else:
            assert not rules.startswith("Please: ")
    assert rolled_back > 0
    outcomes = {r["checks"]["rewrite"] for r in rows}
    assert "kept" in outcomes
    stats = json.loads((tmp_path / "llmchecks" / "compose" / "stats.json").read_text())
    assert stats["rewrites_attempted"] == len(rows) and 0 < stats["rewrites_kept_share"] <= 1


def test_faithful_requires_every_value():
    cons = [
        {"source": "registry", "params": {"num_words": 120, "keywords": ["river", "bank"]}, "text": "x"},
        {"source": "freeform", "params": {}, "text": "Mention a date."},
    ]
    assert value_strings(cons[0]["params"]) == ["120", "river", "bank"]
    assert faithful("Use 120 words with river and bank. Mention a date.", cons)
    assert not faithful("Use 12 words with river and bank. Mention a date.", cons)
    assert not faithful("Use 120 words with river and bank.", cons)
