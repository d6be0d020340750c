"""RL ground truth: scored the way open-instruct's IFEvalVerifier scores it, it agrees with our verdicts.

The harness below restates the upstream rule (ground_truth_utils.IFEvalVerifier):
`ast.literal_eval(label)[0]` (a JSON string inside is json-decoded), kwargs entry
None -> {}, None values dropped, the thinking section removed from the
prediction, empty prediction -> 0.0, each instruction checked strictly, score =
MEAN of the per-instruction 0/1 rewards. Instructions are run through our
registry (the checker implementations are tested against upstream elsewhere).
"""

from __future__ import annotations

import ast
import json

from pipeline.constraints.core import registry
from pipeline.rewards import reward
from tests.local_datasets import load_local

from ..synth import load_records


def _strip_thinking(prediction: str) -> str:
    p = prediction.replace("<|assistant|>", "").strip().split("</think>")[-1]
    return p.replace("<answer>", "").replace("</answer>", "").strip()


def open_instruct_score(prediction: str, label: str) -> float:
    spec = ast.literal_eval(label)[0]
    if isinstance(spec, str):
        spec = json.loads(spec)
    answer = _strip_thinking(prediction)
    if not prediction or not answer:
        return 0.0
    rewards = []
    for cid, args in zip(spec["instruction_id"], spec["kwargs"]):
        args = {k: v for k, v in (args or {}).items() if v is not None}
        rewards.append(1.0 if prediction.strip() and registry.check(cid, answer, args) else 0.0)
    return sum(rewards) / len(rewards)


def ifgen_score(prediction: str, label: str) -> float:
    spec = json.loads(label)
    assert spec["format"] == "ifgen"
    answer = _strip_thinking(prediction)
    ok = [registry.check(c["id"], answer, c["params"]) for c in spec["constraints"]]
    return sum(ok) / len(ok)


def test_rl_ground_truth_reproduces_verdicts(exported):
    cfg, _ = exported
    export = cfg.run_dir() / "export"
    verdicts = {v["id"]: v for v in load_records(cfg.run_dir(), "verify")}
    by_prompt: dict[str, list] = {}
    for r in load_records(cfg.run_dir(), "sample"):
        by_prompt.setdefault(r["instruction_id"], []).append(r)
    rl = [row for s in load_local(export, "rl").values() for row in s]
    datasets_seen = set()
    compared = 0
    for row in rl:
        datasets_seen.add(row["dataset"])
        if row["dataset"] == "ifeval":
            spec = ast.literal_eval(row["ground_truth"])
            assert isinstance(spec, list) and len(spec) == 1
            assert len(spec[0]["instruction_id"]) == len(spec[0]["kwargs"])
            assert all(registry.get(i).family in ("ifeval", "ifevalg") for i in spec[0]["instruction_id"])
            score = open_instruct_score
        else:
            score = ifgen_score
        for resp in by_prompt[row["id"]]:  # every response, passing (SFT) or not
            v = verdicts[resp["id"]]
            expected = v["fraction"]
            assert score(resp["text"], row["ground_truth"]) == expected, (row["id"], resp["id"])
            assert reward(resp["text"], row["ground_truth"]) == expected
            compared += 1
    assert datasets_seen == {"ifeval", "ifgen"}
    assert compared >= 40


def test_rl_rows_only_hold_registry_checkable_prompts(exported):
    cfg, stats = exported
    instr = {r["id"]: r for r in load_records(cfg.run_dir(), "compose")}
    rl = [row for s in load_local(cfg.run_dir() / "export", "rl").values() for row in s]
    for row in rl:
        assert all(c["source"] == "registry" for c in instr[row["id"]]["constraints"])
        assert row["messages"] == [{"role": "user", "content": instr[row["id"]]["text"]}]
    assert stats["funnel"]["rl_skipped_unverifiable"] > 0  # the freeform-constraint prompts
