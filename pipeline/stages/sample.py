"""Stage 4, sample: N responses per instruction from one or more models.

Reads: compose (records.Instruction). Writes: sample/ shards of records.Response; stats.json (per model).

`sample.n` responses per instruction are shared among `sample.models` by
weight (largest remainder, deterministic); a model's own `n` overrides its
share. Each model spec may set any LLM setting (litellm model string, api_base,
api_key_env, temperature, max_tokens, system prompt, batch, ...) over
`sample.llm` and `llm`; the client's concurrency cap and rate limits are the
stage's. Reasoning (`<think>…</think>`) is
moved into its own field by the LLM layer. Responses are cached by
(model, messages, sampling, sample index), so reruns cost nothing.
"""

from __future__ import annotations

from typing import Any

from ..llm.settings import LLMSettings
from ..records import Instruction, Response, response_id
from .base import Stage, llm_identity


def allocate(n: int, weights: list[float]) -> list[int]:
    """Split n samples by weight with the largest-remainder method (ties -> earlier model)."""
    total = sum(w for w in weights if w > 0)
    if total <= 0:
        return [n] + [0] * (len(weights) - 1)
    quotas = [n * max(w, 0) / total for w in weights]
    base = [int(q) for q in quotas]
    left = n - sum(base)
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - base[i]), i))
    for i in order[:left]:
        base[i] += 1
    return base


class SampleStage(Stage[Instruction, Response]):
    name = "sample"
    uses_llm = True

    def __init__(self, config, run_dir):
        super().__init__(config, run_dir)
        # (settings, sample index) per response to draw for each instruction; settings errors surface here,
        # before any item runs
        self.jobs: list[tuple[LLMSettings, int]] = [(s, i) for s, count in self.plan() for i in range(count)]

    def settings(self) -> dict[str, Any]:
        """The sample section, with each model spec as the effective LLM settings it is called with and the
        number of responses it gives (so `weight` and `n` count through the allocation)."""
        section = self.config.sample.model_dump(mode="json", exclude={"llm", "models"})
        section["models"] = [{**llm_identity(s), "responses": count} for s, count in self.plan()]
        return {self.name: section}

    def plan(self) -> list[tuple[LLMSettings, int]]:
        """(settings, count) per model spec."""
        cfg = self.config.sample
        shares = allocate(cfg.n, [m.weight for m in cfg.models])
        plan = []
        for spec, share in zip(cfg.models, shares):
            settings = self.config.llm_for(self.name, spec.overrides())
            plan.append((settings, spec.n if spec.n is not None else share))
        return plan

    async def before_batch(self, items: list[Instruction]) -> None:
        """With `batch: true` on a model, send this batch's requests as one provider batch job: replies land in
        the LLM cache, so `process` then answers from it; lines that failed are retried by `process` over the
        normal path."""
        from ..llm.batch import run_batch

        requests = [
            ([{"role": "user", "content": ins["text"]}], s, i) for ins in items for s, i in self.jobs if s.batch
        ]
        if requests:
            await run_batch(self.llm, requests)

    async def process(self, ins: Instruction) -> list[Response]:
        import asyncio

        messages = [{"role": "user", "content": ins["text"]}]
        jobs = self.jobs
        comps = await asyncio.gather(*(self.llm.chat(messages, settings=s, sample_index=i) for s, i in jobs))
        out: list[Response] = []
        for (settings, i), comp in zip(jobs, comps):
            out.append(
                {
                    "id": response_id(ins["id"], settings.model, i),
                    "instruction_id": ins["id"],
                    "task_id": ins.get("task_id"),
                    "model": settings.model,
                    "sample_index": i,
                    "text": comp.text,
                    "reasoning": comp.reasoning or "",
                    "finish_reason": comp.finish_reason,
                    "prompt_tokens": comp.prompt_tokens,
                    "completion_tokens": comp.completion_tokens,
                    "cost": comp.cost,
                    "latency_s": round(comp.latency_s, 4),
                    "cached": comp.cached,
                }
            )
        return out

    def finish(self) -> dict[str, Any]:
        n = 0
        by_model: dict[str, dict[str, float]] = {}
        finish: dict[str, int] = {}
        for r in self.own_records():
            n += 1
            m = by_model.setdefault(r["model"], {"responses": 0, "completion_tokens": 0, "latency_s": 0.0, "empty": 0})
            m["responses"] += 1
            m["completion_tokens"] += r.get("completion_tokens") or 0
            m["latency_s"] += r.get("latency_s") or 0.0
            m["empty"] += not (r.get("text") or "").strip()
            finish[str(r.get("finish_reason"))] = finish.get(str(r.get("finish_reason")), 0) + 1
        return {"responses": n, "by_model": by_model, "finish_reasons": finish}
