"""The card's TRL snippets, run as written on a demo-shaped export: SFT, DPO and GRPO each train two steps.

The snippets come out of the export's README.md; the only substitutions are the two lines the card tells
users to edit (`data`, `model`: the export folder and a tiny local model, random weights, tokenizer trained
on the export's texts) and the trainer configs' sizes (two steps, small batches, CPU), forced through
subclasses of TRL's config classes. Nothing is downloaded (HF_HUB_OFFLINE=1).
"""

from __future__ import annotations

import math

import pytest

from .snippets import card_block, runnable

trl = pytest.importorskip("trl", reason="trl not installed (test-only dependency)")

COMMON = {
    "max_steps": 2,
    "per_device_train_batch_size": 2,
    "gradient_accumulation_steps": 1,
    "use_cpu": True,
    "report_to": "none",
    "save_strategy": "no",
    "logging_steps": 1,
    "seed": 0,
    "dataloader_num_workers": 0,
    "disable_tqdm": True,
}
SIZES = {
    "SFTConfig": {**COMMON, "max_length": 512},
    "DPOConfig": {**COMMON, "max_length": 512},
    "GRPOConfig": {**COMMON, "num_generations": 2, "max_completion_length": 12, "temperature": 1.0},
}


def small_configs(monkeypatch):
    for name, forced in SIZES.items():
        base = getattr(trl, name)

        class Small(base):  # type: ignore[misc, valid-type]
            def __init__(self, *args, _forced=forced, **kwargs):
                super().__init__(*args, **{**kwargs, **_forced})

        Small.__name__ = Small.__qualname__ = name
        monkeypatch.setattr(trl, name, Small)


def run_snippet(heading, demo_export, tiny_model_dir, tmp_path, monkeypatch) -> dict:
    card = (demo_export / "export" / "README.md").read_text(encoding="utf-8")
    code = runnable(card_block(card, heading), demo_export / "export", tiny_model_dir)
    small_configs(monkeypatch)
    monkeypatch.chdir(tmp_path)
    ns: dict = {"__name__": "card_snippet"}
    exec(compile(code, f"<card: {heading}>", "exec"), ns)  # noqa: S102 - the card's own code, under test
    return ns


def _losses(trainer) -> list[float]:
    return [h["loss"] for h in trainer.state.log_history if "loss" in h]


def _first_param(trainer):
    return next(p for n, p in trainer.model.named_parameters() if "embed" in n)


def test_sft_snippet_trains_on_the_answer_only(demo_export, tiny_model_dir, tmp_path, monkeypatch):
    import torch
    from transformers import AutoModelForCausalLM

    ns = run_snippet("TRL: SFT", demo_export, tiny_model_dir, tmp_path, monkeypatch)
    trainer = ns["trainer"]
    assert trainer.state.global_step == 2
    losses = _losses(trainer)
    assert len(losses) == 2 and all(math.isfinite(x) for x in losses)
    start = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    assert not torch.equal(_first_param(trainer).detach().cpu(), next(start.get_input_embeddings().parameters()))
    # prompt / completion columns were used: the loss masks the prompt out, whatever the template
    assert trainer.completion_only_loss is True
    row = trainer.train_dataset[0]
    trained = [t != -100 for t in row["labels"]]
    assert not trained[0] and trained[-1] and trained == sorted(trained)  # prompt masked, answer trained
    answer = trainer.processing_class.decode([t for t, k in zip(row["input_ids"], trained) if k])
    assert ns["train"][0]["completion"][0]["content"].strip() in answer


def test_dpo_snippet_trains(demo_export, tiny_model_dir, tmp_path, monkeypatch):
    ns = run_snippet("TRL: DPO", demo_export, tiny_model_dir, tmp_path, monkeypatch)
    trainer = ns["trainer"]
    assert trainer.state.global_step == 2
    losses = _losses(trainer)
    assert len(losses) == 2 and all(math.isfinite(x) for x in losses)
    assert any("rewards/chosen" in h for h in trainer.state.log_history)


def test_grpo_snippet_trains_with_our_reward(demo_export, tiny_model_dir, tmp_path, monkeypatch):
    from pipeline import rewards
    from pipeline.rewards import trl as trl_rewards

    calls: list[tuple] = []

    def spy(completion, gt, prompt=None, *, source="reward"):
        score = rewards.safe_reward(completion, gt, prompt, source=source)
        calls.append((completion, gt, score))
        return score

    monkeypatch.setattr(trl_rewards, "safe_reward", spy)
    ns = run_snippet("TRL: GRPO", demo_export, tiny_model_dir, tmp_path, monkeypatch)
    trainer = ns["trainer"]
    assert trainer.state.global_step == 2
    assert any("rewards/trl_reward/mean" in h for h in trainer.state.log_history)
    ground_truths = set(ns["train"]["ground_truth"])
    assert len(calls) >= 4  # 2 steps x 2 generations
    for completion, gt, score in calls:
        assert isinstance(completion, list) and completion[0]["role"] == "assistant"  # conversational
        assert gt in ground_truths
        assert score == rewards.reward(completion[0]["content"], gt)  # the verdicts of pipeline.reward
