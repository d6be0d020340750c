"""Harness of open-instruct's verifier interface (see ../README.md for the facts it restates)."""

from __future__ import annotations

import ast
import asyncio
import dataclasses
import json
import logging
from abc import ABC, abstractmethod
from typing import Any

from pipeline.constraints.core import registry

logger = logging.getLogger("open_instruct.ground_truth_utils")


@dataclasses.dataclass
class VerifierConfig:
    @classmethod
    def from_args(cls, *sources: Any) -> VerifierConfig:
        names = {f.name for f in dataclasses.fields(cls)}
        found = {}
        for src in sources:
            if src is None:
                continue
            for name in names:
                if hasattr(src, name):
                    found[name] = getattr(src, name)
        return cls(**found)


@dataclasses.dataclass
class VerificationResult:
    score: float
    cost: float = 0.0
    reasoning: str | None = None


class VerifierFunction(ABC):
    def __init__(self, name: str, weight: float = 1.0, verifier_config: VerifierConfig | None = None) -> None:
        self.name = name
        self.weight = weight
        self.verifier_config = verifier_config

    @classmethod
    def get_config_class(cls) -> type:
        return VerifierConfig

    @abstractmethod
    def __call__(
        self,
        tokenized_prediction: list[int],
        prediction: str,
        label: Any,
        query: str | None = None,
        rollout_state: dict | None = None,
    ) -> VerificationResult: ...

    async def async_call(
        self,
        tokenized_prediction: list[int],
        prediction: str,
        label: Any,
        query: str | None = None,
        rollout_state: dict | None = None,
    ) -> VerificationResult:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            None, lambda: self(tokenized_prediction, prediction, label, query, rollout_state)
        )


def remove_thinking_section(prediction: str) -> str:
    text = prediction.replace("<|assistant|>", "").strip().split("</think>")[-1]
    return text.replace("<answer>", "").replace("</answer>", "").strip()


class IFEvalVerifier(VerifierFunction):
    def __init__(self, verifier_config: VerifierConfig | None = None) -> None:
        super().__init__("ifeval", weight=1.0)

    def __call__(self, tokenized_prediction, prediction, label, query=None, rollout_state=None):
        spec = ast.literal_eval(label)[0]
        if isinstance(spec, str):
            spec = json.loads(spec)
        answer = remove_thinking_section(prediction)
        if not prediction or not answer:
            return VerificationResult(score=0.0)
        scores = []
        for cid, args in zip(spec["instruction_id"], spec["kwargs"]):
            args = {k: v for k, v in (args or {}).items() if v is not None}
            scores.append(1.0 if prediction.strip() and registry.check(cid, answer, args) else 0.0)
        return VerificationResult(score=sum(scores) / max(len(scores), 1))


def build_all_verifiers(args: Any, streaming_config: Any = None) -> dict[str, VerifierFunction]:
    out: dict[str, VerifierFunction] = {}
    for sub in VerifierFunction.__subclasses__():
        instance = sub(sub.get_config_class().from_args(args, streaming_config))
        out[instance.name.lower()] = instance
    return out


async def apply_verifiable_reward(
    reward_fn_mapping: dict[str, VerifierFunction],
    responses: list,
    decoded_responses: list[str],
    ground_truths: list,
    datasets: list,
    reward_mult: float = 1.0,
    queries: list | None = None,
    rollout_states: list | None = None,
) -> tuple[list[float], list[dict[str, float]]]:
    queries = queries or [None] * len(responses)
    rollout_states = rollout_states or [None] * len(responses)
    tasks, meta = [], []
    for i, (tok, pred, gt, ds, q, st) in enumerate(
        zip(responses, decoded_responses, ground_truths, datasets, queries, rollout_states)
    ):
        gts = [gt] if isinstance(gt, str) else gt
        dss = [ds] if isinstance(ds, str) else ds
        for g, d in zip(gts, dss):
            fn = reward_fn_mapping.get(d.lower())
            if fn is None:
                logger.warning("No reward function found for dataset %s. Skipping reward.", d)
                continue
            tasks.append(fn.async_call(tokenized_prediction=tok, prediction=pred, label=g, query=q, rollout_state=st))
            meta.append((i, fn.name, fn.weight))
    results = await asyncio.gather(*tasks) if tasks else []
    rewards = [0.0] * len(responses)
    per_fn: list[dict[str, float]] = [{} for _ in responses]
    for res, (i, name, weight) in zip(results, meta):
        r = reward_mult * res.score * weight
        rewards[i] += r
        per_fn[i][name] = per_fn[i].get(name, 0.0) + r
    return rewards, per_fn
