"""Rows of the exported datasets, built from one prompt and its scored responses.

Pure functions: `Prompt` (an instruction) and `Scored` (a response joined with
its verdict) in, plain dicts out, so the stage decides only *which* prompts go
where and these functions alone decide what a row looks like. Parameters are
stored as a JSON string (`params`) because their keys and types differ from
constraint to constraint; a struct column would need the union of every key.

Every dataset takes a prompt's chat messages from one function, `prompt_messages`:
SFT `prompt` (and the head of `messages`), DPO `prompt`, RL `prompt` / `messages`,
verl `prompt`. How an instruction becomes turns is decided there and nowhere else:
one user turn, a system message and the task, or the task, the first answer the
sample stage drew and the rewrite request (records.Shape); every ground truth is
about the answer to the last user turn.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ... import constraints as registry
from ...constraints import UnknownConstraintError
from ...records import (
    ChatMessage,
    Shape,
    Source,
    canonical_json,
    instruction_messages,
    instruction_shape,
    is_registry,
    preference_pair_id,
    resolve_mapping,
)

if TYPE_CHECKING:
    from .passrate import PassRate

OPEN_INSTRUCT_FAMILIES = ("ifeval", "ifevalg")  # ids open-instruct's IFEvalVerifier knows
VERL_DATA_SOURCE = "ifgen"  # verl's `data_source` (its metrics group by it; our compute_score scores any label)
VERL_ABILITY = "instruction_following"


@dataclass
class Prompt:
    id: str
    task_id: str
    text: str  # the prompt as one string (records.Instruction.text)
    constraints: list[dict[str, Any]]
    language: str | None = None
    category: str | None = None
    difficulty: str | None = None
    shape: str = Shape.SINGLE
    messages: list[ChatMessage] | None = None  # the turns of a system / multiturn prompt (None: [user: text])

    @classmethod
    def from_record(
        cls, r: dict[str, Any], accepted: dict[str, str] | None = None, history: list[ChatMessage] | None = None
    ) -> Prompt:
        """From an instruction record; `accepted`: the LLM mappings checkers accepted (free-form id ->
        proposal key); `history`: a response's turns before the last one, which fill in a multiturn prompt's
        drawn answer."""
        messages = instruction_messages(r) if r.get("messages") else None
        if messages is not None and history:
            for i, m in enumerate(history[: len(messages) - 1]):
                if messages[i]["content"] is None and m["role"] == messages[i]["role"]:
                    messages[i]["content"] = m["content"]
        return cls(
            id=r["id"],
            task_id=r.get("task_id") or r["id"],
            text=r["text"],
            constraints=[dict(resolve_mapping(c, accepted or {})) for c in r.get("constraints") or []],
            language=r.get("language"),
            category=r.get("category"),
            difficulty=r.get("difficulty"),
            shape=instruction_shape(r),
            messages=messages,
        )

    @property
    def complete(self) -> bool:
        """Every turn is known (a multiturn prompt none of whose responses was joined lacks its answer)."""
        return self.messages is None or all(m["content"] is not None for m in self.messages)


@dataclass
class Scored:
    """A response with its verdict. `fraction` is over verifiable constraints (None: none were)."""

    id: str
    text: str
    model: str
    finish_reason: str | None
    fraction: float | None
    all_pass: bool
    results: list[dict[str, Any]] = field(default_factory=list)
    n_verifiable: int = 0

    @property
    def usable(self) -> bool:
        return self.fraction is not None and self.n_verifiable > 0

    @property
    def score(self) -> float:
        """The fraction of a usable response (only those are ranked or paired)."""
        if self.fraction is None:
            raise ValueError(f"response {self.id} has no verifiable constraint, so no score")
        return self.fraction

    @property
    def truncated(self) -> bool:
        return self.finish_reason == "length"


def constraint_rows(constraints: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The `constraints` column: the same shape in every dataset."""
    return [
        {
            "id": str(c.get("id")),
            "params": canonical_json(c.get("params") or {}),
            "source": str(c.get("source") or Source.REGISTRY),
            "text": str(c.get("text") or ""),
            "soft": bool(c.get("soft", False)),
        }
        for c in constraints
    ]


def score_rows(s: Scored) -> dict[str, Any]:
    return {
        "fraction": s.fraction,
        "all_pass": s.all_pass,
        "n_verifiable": s.n_verifiable,
        "results": [
            {"id": str(r.get("id")), "passed": r.get("passed"), "verifier": str(r.get("verifier") or "")}
            for r in s.results
        ],
    }


def user(text: str) -> dict[str, str]:
    return {"role": "user", "content": text}


def assistant(text: str) -> dict[str, str]:
    return {"role": "assistant", "content": text}


def prompt_messages(p: Prompt) -> list[dict[str, str]]:
    """The prompt as chat messages, up to and including the last user turn (TRL's conversational prompt).

    The one place an instruction becomes messages: every dataset's prompt comes from here. A single-turn
    prompt is its text as one user turn; a system or multiturn one is its turns (a multiturn prompt's
    answer filled in from its responses' history).
    """
    if p.messages is None:
        return [user(p.text)]
    if not p.complete:
        raise ValueError(f"prompt {p.id}: its {p.shape} turns are incomplete (no response carried the history)")
    return [{"role": str(m["role"]), "content": str(m["content"])} for m in p.messages]


# -- SFT -------------------------------------------------------------------------------------


def sft_ok(s: Scored, min_fraction: float) -> bool:
    return s.usable and not s.truncated and bool(s.text.strip()) and s.score >= min_fraction


def sft_row(p: Prompt, s: Scored, passrate: float | None) -> dict[str, Any]:
    """`messages` (language-modeling format) and `prompt` / `completion` (TRL's prompt-completion format:
    loss on the answer only, with any chat template); `passrate` is the prompt's."""
    prompt = prompt_messages(p)
    completion = [assistant(s.text)]
    return {
        "id": s.id,
        "prompt_id": p.id,
        "messages": prompt + completion,
        "prompt": prompt,
        "completion": completion,
        "constraints": constraint_rows(p.constraints),
        "model": s.model,
        "scores": score_rows(s),
        "passrate": passrate,
    }


# -- DPO: best vs. worst ---------------------------------------------------------------------


def dpo_row(
    p: Prompt,
    chosen: Scored,
    rejected: Scored,
    chosen_score: float,
    rejected_score: float,
    strategy: str,
    passrate: float | None,
) -> dict[str, Any]:
    """`passrate` is that of the instruction `prompt_id` names (for a reverse-constraint pair: the
    instruction before its constraints were inverted; nothing was sampled for the re-rendered one)."""
    return {
        "id": preference_pair_id(strategy, p.id, chosen.id, rejected.id),
        "prompt_id": p.id,
        "prompt": prompt_messages(p),
        "chosen": [assistant(chosen.text)],
        "rejected": [assistant(rejected.text)],
        "chosen_score": float(chosen_score),
        "rejected_score": float(rejected_score),
        "chosen_model": chosen.model,
        "rejected_model": rejected.model,
        "constraints": constraint_rows(p.constraints),
        "strategy": strategy,
        "passrate": passrate,
    }


def best_worst_pairs(
    p: Prompt,
    responses: list[Scored],
    chosen_min: float,
    rejected_max: float,
    max_pairs: int,
    passrate: float | None = None,
) -> list[dict[str, Any]]:
    """Pair the best-scoring responses with the lowest-scoring ones, each response used once.

    Chosen: fraction >= chosen_min and not truncated; rejected: fraction <= rejected_max
    and strictly below its chosen partner. Order: best first, ties by id (deterministic).
    """
    usable = [s for s in responses if s.usable and s.text.strip()]
    chosen = sorted((s for s in usable if s.score >= chosen_min and not s.truncated), key=lambda s: (-s.score, s.id))
    rejected = sorted((s for s in usable if s.score <= rejected_max), key=lambda s: (s.score, s.id))
    out: list[dict[str, Any]] = []
    used: set[str] = set()
    for c in chosen:
        if len(out) >= max_pairs:
            break
        if c.id in used:
            continue
        r = next((r for r in rejected if r.id not in used and r.id != c.id and r.score < c.score), None)
        if r is None:
            break
        used.update((c.id, r.id))
        out.append(dpo_row(p, c, r, c.score, r.score, "best_vs_worst", passrate))
    return out


# -- RL --------------------------------------------------------------------------------------


def family(cid: str) -> str | None:
    try:
        return registry.get(cid).family
    except UnknownConstraintError:
        return None


def rl_checkable(p: Prompt) -> bool:
    """Every constraint can be scored by `registry.check` (no freeform, no LLM-judged one), and every turn of
    the prompt is known."""
    if not p.constraints or not p.complete:
        return False
    for c in p.constraints:
        if not is_registry(c) or c.get("soft"):
            return False
        try:
            con = registry.get(c["id"])
        except UnknownConstraintError:
            return False
        if con.soft:
            return False
    return True


def ground_truth(constraints: list[dict[str, Any]]) -> tuple[str, str]:
    """(ground_truth string, dataset name) for registry-only constraints.

    All ids from the IFEval / IFEvalG families -> open-instruct's IFEvalVerifier
    label: the Python-literal text of a one-element list holding
    {"instruction_id": [...], "kwargs": [...]} (it parses it with ast.literal_eval
    and takes element 0; kwargs align with the ids; {} for no parameters).
    Anything else -> our JSON format read by `pipeline.reward`.
    """
    ids = [str(c["id"]) for c in constraints]
    kwargs = [{k: v for k, v in (c.get("params") or {}).items() if v is not None} for c in constraints]
    if all(family(i) in OPEN_INSTRUCT_FAMILIES for i in ids):
        return str([{"instruction_id": ids, "kwargs": kwargs}]), "ifeval"
    body = {"format": "ifgen", "constraints": [{"id": i, "params": k} for i, k in zip(ids, kwargs)]}
    return json.dumps(body, ensure_ascii=False, sort_keys=True), "ifgen"


def rl_row(p: Prompt, pr: PassRate, by_model: bool = False) -> dict[str, Any]:
    """open-instruct's columns (`messages`, `ground_truth`, `dataset`), TRL's `prompt` (the same messages:
    GRPOTrainer generates from it and passes `ground_truth` to the reward by name) and the pass rate
    (`total_rollouts`, `total_correct_rollouts`, `passrate`; `passrate_by_model` when several models
    sampled)."""
    gt, dataset = ground_truth(p.constraints)
    ids = [str(c["id"]) for c in p.constraints]
    prompt = prompt_messages(p)
    # open-instruct's RLVR tokenization takes a one-message conversation as the prompt but drops the LAST
    # message of a longer one (its answer): a multi-message prompt gets an empty assistant turn to drop
    messages = prompt if len(prompt) == 1 else [*prompt, assistant("")]
    row = {
        "id": p.id,
        "prompt": prompt,
        "messages": messages,
        "ground_truth": gt,
        "dataset": dataset,
        "constraint_type": ids[0] if len(ids) == 1 else "multi:" + ",".join(ids),
        "constraint": "\n".join(str(c.get("text") or "") for c in p.constraints),
        "constraints": constraint_rows(p.constraints),
        **pr.columns(),
    }
    if by_model:
        row["passrate_by_model"] = pr.by_model_rows()
    return row


def verl_row(p: Prompt, pr: PassRate, split: str) -> dict[str, Any]:
    """verl's RL row: `data_source`, `prompt` (chat messages), `ability`, `reward_model` {style: rule,
    ground_truth} and `extra_info` (split, index — set when the file is written —, our id, the
    open-instruct dataset label, constraint ids and the pass rate)."""
    gt, dataset = ground_truth(p.constraints)
    return {
        "data_source": VERL_DATA_SOURCE,
        "prompt": prompt_messages(p),
        "ability": VERL_ABILITY,
        "reward_model": {"style": "rule", "ground_truth": gt},
        "extra_info": {
            "split": split,
            "index": -1,
            "id": p.id,
            "dataset": dataset,
            "constraint_ids": [str(c["id"]) for c in p.constraints],
            **pr.columns(),
        },
    }
