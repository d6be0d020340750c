"""What the dataset card says about training: each config's columns and how to train on it.

The snippets are the card's promise that the files train as exported, so a test runs each of them
(tests/stages/export/test_card_snippets.py): the TRL ones with a tiny local model in place of `model`,
the open-instruct launcher through a harness of open-instruct's verifier interface, the verl reward path
loaded the way verl loads it. They name the dataset `DATA` (the Hub repo id or the local folder) and the
model `MODEL`, on lines of their own, which is what the test substitutes.
"""

from __future__ import annotations

DATA = "<this repo or folder>"
MODEL = "Qwen/Qwen2.5-0.5B-Instruct"

COLUMNS: dict[str, list[tuple[str, str]]] = {
    "sft": [
        ("id", "response id"),
        ("prompt_id", "instruction id (the same in every config)"),
        ("messages", "prompt messages + the answer: language-modeling chat format"),
        ("prompt", "the prompt's chat messages, up to the last user turn"),
        (
            "completion",
            "the answer as one assistant message: with `prompt`, TRL's prompt-completion format "
            "(loss on the answer only, with any chat template)",
        ),
        ("constraints", "one entry per constraint: id, params (JSON text), source, text, soft"),
        ("model", "the model that wrote the answer"),
        ("scores", "fraction of verifiable constraints passed, all_pass, n_verifiable, per-constraint results"),
        ("passrate", "share of the prompt's verified responses that pass every verifiable constraint"),
    ],
    "dpo": [
        ("id", "pair id"),
        ("prompt_id", "instruction id"),
        ("prompt", "the prompt's chat messages (TRL's conversational preference format)"),
        ("chosen / rejected", "one assistant message each"),
        ("chosen_score / rejected_score", "their pass fractions against this prompt's constraints"),
        ("chosen_model / rejected_model", "the models that wrote them"),
        ("constraints", "this prompt's constraints (for reverse-constraint pairs: the inverted set)"),
        ("strategy", "best_vs_worst or reverse_constraints"),
        ("passrate", "pass rate of instruction `prompt_id` (a reverse-constraint pair's prompt was never sampled)"),
    ],
    "rl": [
        ("id", "instruction id"),
        ("prompt", "the prompt's chat messages: TRL's conversational prompt (GRPOTrainer generates from it)"),
        (
            "messages",
            "the same, in open-instruct's column; a multi-message prompt ends with an empty "
            "assistant turn, which open-instruct's RLVR tokenization drops",
        ),
        ("ground_truth", "the label the reward checks: open-instruct's IFEval label or ifgen JSON"),
        ("dataset", "the open-instruct verifier: `ifeval` when every id is IFEval/IFEvalG, else `ifgen`"),
        ("constraint_type / constraint", "constraint ids (`multi:` + ids when several) / their texts"),
        ("constraints", "one entry per constraint: id, params (JSON text), source, text, soft"),
        ("total_rollouts", "responses verified for this prompt in this run"),
        ("total_correct_rollouts", "those that pass every verifiable constraint"),
        ("passrate", "total_correct_rollouts / total_rollouts (null: no response was verified)"),
        ("passrate_by_model", "the same three numbers per sampling model (only when several models sampled)"),
    ],
    "verl": [
        ("data_source", "`ifgen`"),
        ("prompt", "the prompt's chat messages"),
        ("ability", "`instruction_following`"),
        ("reward_model", "`{style: rule, ground_truth}`: the label `pipeline.verl_reward.compute_score` checks"),
        (
            "extra_info",
            "split, index, id, dataset (open-instruct verifier), constraint_ids, total_rollouts, "
            "total_correct_rollouts, passrate",
        ),
    ],
}


TRL_SFT = f'''from datasets import load_dataset
from trl import SFTConfig, SFTTrainer

data = "{DATA}"
model = "{MODEL}"
train = load_dataset(data, "sft", split="train")
# prompt / completion columns: the loss covers the answer only, whatever the chat template
trainer = SFTTrainer(model=model, train_dataset=train, args=SFTConfig(output_dir="sft-out"))
trainer.train()
'''

TRL_DPO = f'''from datasets import load_dataset
from trl import DPOConfig, DPOTrainer

data = "{DATA}"
model = "{MODEL}"
train = load_dataset(data, "dpo", split="train")
trainer = DPOTrainer(model=model, train_dataset=train, args=DPOConfig(output_dir="dpo-out"))
trainer.train()
'''

TRL_GRPO = f'''from datasets import load_dataset
from trl import GRPOConfig, GRPOTrainer

from pipeline import trl_reward  # ifgen's reward: each completion against its row's ground_truth

data = "{DATA}"
model = "{MODEL}"
train = load_dataset(data, "rl", split="train")
trainer = GRPOTrainer(model=model, reward_funcs=trl_reward, train_dataset=train, args=GRPOConfig(output_dir="grpo"))
trainer.train()
'''

OPEN_INSTRUCT_LAUNCHER = """# train_ifgen.py: open-instruct's GRPO, with the verifier for `dataset: ifgen` rows
import runpy

import pipeline.rewards.open_instruct  # noqa: F401  (defines IfgenVerifier; build_all_verifiers picks it up)

runpy.run_module("open_instruct.grpo_fast", run_name="__main__", alter_sys=True)
"""

OPEN_INSTRUCT_COMMAND = f"""python train_ifgen.py \\
    --dataset_mixer_list {DATA}/rl/train.parquet 1.0 --dataset_mixer_list_splits train \\
    --ground_truths_key ground_truth --apply_verifiable_reward true \\
    --model_name_or_path {MODEL}  # ...and your usual grpo_fast arguments
"""

VERL_COMMAND = f"""python -m verl.trainer.main_ppo algorithm.adv_estimator=grpo \\
    data.train_files={DATA}/verl/train.parquet data.val_files={DATA}/verl/test.parquet \\
    custom_reward_function.path=$(python -c "import pipeline.verl_reward as m; print(m.__file__)") \\
    custom_reward_function.name=compute_score \\
    actor_rollout_ref.model.path={MODEL}  # ...and your usual verl arguments
"""


def _block(lang: str, code: str) -> str:
    return f"```{lang}\n{code.rstrip()}\n```\n"


def training_section(formats: list[str], by_model: bool) -> list[str]:
    """The card's "Columns" and "How to train" sections, for the configs this export holds."""
    out = ["## Columns\n"]
    for kind in formats:
        cols = [c for c in COLUMNS[kind] if by_model or c[0] != "passrate_by_model"]
        out += [f"`{kind}`:\n", "| column | what it holds |", "|---|---|"]
        out += [f"| `{name}` | {what} |" for name, what in cols]
        out.append("")
    out += [
        "## How to train\n",
        f"Replace `{DATA}` with this dataset's Hub repo id or local folder and `{MODEL}` with your model. "
        "Every row trains as written; the rewards below give the verdicts of `pipeline.reward` (the mean of "
        "the strict per-constraint verdicts; reasoning up to `</think>` stripped) and score a bad row 0.0 with "
        "a logged reason instead of stopping the run.\n",
    ]
    if "sft" in formats:
        out += ["### TRL: SFT\n", _block("python", TRL_SFT)]
    if "dpo" in formats:
        out += ["### TRL: DPO\n", _block("python", TRL_DPO)]
    if "rl" in formats:
        out += [
            "### TRL: GRPO\n",
            "`pipeline.trl_reward(completions, ground_truth, **kwargs)` has TRL's reward-function signature "
            "(completions as text or chat messages).\n",
            _block("python", TRL_GRPO),
            "### open-instruct\n",
            "Rows labelled `dataset: ifeval` are scored by open-instruct's own IFEvalVerifier. Rows labelled "
            '`dataset: ifgen` need the ifgen verifier registered, otherwise open-instruct logs "No reward '
            'function found for dataset ifgen" and rewards them 0: launch the trainer through a script that '
            "imports it first.\n",
            _block("python", OPEN_INSTRUCT_LAUNCHER),
            _block("bash", OPEN_INSTRUCT_COMMAND),
        ]
    if "verl" in formats:
        out += [
            "### verl\n",
            "The `verl` config is verl's RL Parquet; point `custom_reward_function` at "
            "`pipeline/verl_reward.py` (`compute_score(data_source, solution_str, ground_truth, extra_info)`).\n",
            _block("bash", VERL_COMMAND),
        ]
    return out
