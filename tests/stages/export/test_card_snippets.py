"""The card's open-instruct and verl snippets, run as far as this machine allows.

open-instruct: not installable here, so the launcher and command from the card run against the harness of
its verifier interface (tests/rewards/open_instruct_harness), which scores the run's own responses to every
`rl` row. verl: not installed either; the card's `python -c` finds the reward file, which is loaded the way
verl loads a custom reward and called the way its reward manager calls it, on the `verl` rows the command
names. (The TRL snippets train for real: test_trainers.py.)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import pipeline
from tests.rewards.harness import HARNESS
from tests.rewards.test_verl import load_like_verl, naive_manager_call

from ..synth import load_records
from .snippets import card_block, command


def _card(demo_export: Path) -> str:
    return (demo_export / "export" / "README.md").read_text(encoding="utf-8")


def _env(**extra) -> dict:
    env = dict(os.environ)
    env.update(extra)
    return env


def _responses(run: Path) -> tuple[dict[str, list[dict]], dict[str, float]]:
    by_prompt: dict[str, list[dict]] = {}
    for r in load_records(run, "sample"):
        by_prompt.setdefault(r["instruction_id"], []).append(r)
    fractions = {v["id"]: v["fraction"] for v in load_records(run, "verify")}
    return by_prompt, fractions


def test_open_instruct_launcher_scores_every_rl_row(demo_export, tmp_path):
    card = _card(demo_export)
    launcher = tmp_path / "train_ifgen.py"
    launcher.write_text(card_block(card, "open-instruct", "python"), encoding="utf-8")
    argv = command(card_block(card, "open-instruct", "bash"), demo_export / "export", "tiny-model")
    assert argv[:2] == ["python", "train_ifgen.py"]
    by_prompt, fractions = _responses(demo_export)
    responses = tmp_path / "responses.jsonl"
    with open(responses, "w", encoding="utf-8") as f:
        for pid, rs in sorted(by_prompt.items()):
            for r in rs:
                f.write(json.dumps({"id": pid, "response_id": r["id"], "text": r["text"]}) + "\n")
    out = tmp_path / "scores.json"
    harness_args = ["--harness_responses", str(responses), "--harness_output", str(out)]
    env = _env(PYTHONPATH=os.pathsep.join([str(HARNESS), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run(
        [sys.executable, *argv[1:], *harness_args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "No reward function found" not in proc.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert {"ifeval", "ifgen"} <= set(result["verifiers"])
    rows = result["rows"]
    assert {r["dataset"] for r in rows} == {"ifeval", "ifgen"}  # both kinds of rows in the demo's rl train split
    for r in rows:
        assert list(r["by"]) == [r["dataset"]]  # scored by its own verifier, never skipped
        assert r["score"] == pytest.approx(fractions[r["response"]], abs=1e-6), r  # what verify recorded
    # (without the launcher's import the same rows are skipped: tests/rewards/test_open_instruct.py)


def test_verl_command_finds_the_reward_and_the_rows(demo_export, tiny_model_dir):
    from datasets import load_dataset
    from transformers import AutoTokenizer

    argv = command(card_block(_card(demo_export), "verl", "bash"), demo_export / "export", tiny_model_dir)
    opts = dict(a.split("=", 1) for a in argv if "=" in a and not a.startswith("$"))
    # the card's $(python -c "...") names the reward file; run it as a shell would
    bash = card_block(_card(demo_export), "verl", "bash")
    m = re.search(r'\$\(python -c "(.*?)"\)', bash)
    assert m, bash
    code = m.group(1)
    found = subprocess.run([sys.executable, "-c", code], env=_env(), capture_output=True, text=True, timeout=120)
    assert found.returncode == 0, found.stderr
    path = found.stdout.strip()
    assert Path(path) == Path(pipeline.__file__).parent / "verl_reward.py"
    fn = load_like_verl(path, opts["custom_reward_function.name"])
    tok = AutoTokenizer.from_pretrained(opts["actor_rollout_ref.model.path"])
    by_prompt, fractions = _responses(demo_export)
    scored = 0
    for key in ("data.train_files", "data.val_files"):
        rows = load_dataset("parquet", data_files=opts[key], split="train")  # as verl's RLHFDataset reads it
        assert len(rows) > 0
        for row in rows:
            assert tok.apply_chat_template(row["prompt"], add_generation_prompt=True, tokenize=False).endswith(
                "<|assistant|>\n"
            )
            for r in by_prompt[row["extra_info"]["id"]]:
                assert naive_manager_call(fn, row, r["text"]) == pytest.approx(fractions[r["id"]], abs=1e-6)
                scored += 1
    assert scored >= 30
