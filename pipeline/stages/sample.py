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

Prompt shapes (records.Shape): every model answers the instruction's last user
turn. A `system` prompt is sent as its two messages (its system message takes
the place of a model's `system_prompt`, as in any request that brings its own).
A `multiturn` prompt first needs the unconstrained answer to the task: it is
drawn once per instruction, by the first model of `sample.models` (sample index
0, the next indices if a reply is empty), and every model
then answers the rewrite request after that same answer, so the responses to one
prompt share their history (what preference pairs need). The answer comes from
the LLM cache on a rerun, and each response records the turns it followed
(`history`). When no try gives an answer the prompt gets no responses
(logged; an export with RL datasets counts it as `rl_skipped_no_first_answer`), rather than an
item that would fail the same way, from the cache, on every rerun.
"""

from __future__ import annotations

import logging
from typing import Any

from ..llm.settings import LLMSettings
from ..records import ChatMessage, Instruction, Response, Shape, instruction_messages, instruction_shape, response_id
from .base import Stage, llm_identity

log = logging.getLogger(__name__)

EARLIER_ANSWER_TRIES = 3  # sample indices tried for a multiturn prompt's first answer (then: no responses)


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
        plan = self.plan()
        self.jobs: list[tuple[LLMSettings, int]] = [(s, i) for s, count in plan for i in range(count)]
        self.first_model: LLMSettings = plan[0][0]  # draws the first answer of multiturn prompts

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
        import asyncio

        from ..llm.batch import run_batch

        batched = [(s, i) for s, i in self.jobs if s.batch]
        if self.first_model.batch:  # multiturn first answers first: the last turns depend on them
            first: list[tuple[list[dict], LLMSettings | None, int]] = [
                (_until_answer(instruction_messages(ins)), self.first_model, 0)
                for ins in items
                if instruction_shape(ins) == Shape.MULTITURN
            ]
            if first:
                await run_batch(self.llm, first)
        if not batched:
            return
        prompts = await asyncio.gather(*(self.prompt(ins) for ins in items))
        requests: list[tuple[list[dict], LLMSettings | None, int]] = [
            (drawn[0], s, i) for drawn in prompts if drawn is not None for s, i in batched
        ]
        if requests:
            await run_batch(self.llm, requests)

    async def prompt(self, ins: Instruction) -> tuple[list[dict], list[ChatMessage]] | None:
        """(messages every model answers, the history a response records): the instruction's turns with a
        multiturn prompt's answer drawn (or read from the cache); None when no usable answer was drawn."""
        messages = instruction_messages(ins)
        if instruction_shape(ins) != Shape.MULTITURN:
            return [dict(m) for m in messages], []
        filled: list[ChatMessage] = []
        for m in messages:
            if m["content"] is None:
                answer = await self.earlier_answer(filled)
                if answer is None:
                    return None
                m = {"role": m["role"], "content": answer}
            filled.append(m)
        return [dict(m) for m in filled], filled[:-1]

    async def earlier_answer(self, turns: list[ChatMessage]) -> str | None:
        """The first model's answer to `turns` (the task, unconstrained): the first non-empty answer of
        EARLIER_ANSWER_TRIES sample indices; None when none gives one. An answer cut by max_tokens is kept: the
        rewrite request is about what the model said (its `finish_reason` is not recorded in the history)."""
        for i in range(EARLIER_ANSWER_TRIES):
            comp = await self.llm.chat([dict(m) for m in turns], settings=self.first_model, sample_index=i)
            if comp.text.strip():
                return comp.text
        return None

    async def process(self, ins: Instruction) -> list[Response]:
        import asyncio

        drawn = await self.prompt(ins)
        if drawn is None:  # no rewrite to ask for: the prompt gets no responses (export skips it, counted)
            log.warning(
                "instruction %s: %s gave no answer to the task in %d tries; its multiturn prompt is "
                "left without responses",
                ins["id"],
                self.first_model.model,
                EARLIER_ANSWER_TRIES,
            )
            return []
        messages, history = drawn
        jobs = self.jobs
        comps = await asyncio.gather(*(self.llm.chat(messages, settings=s, sample_index=i) for s, i in jobs))
        out: list[Response] = []
        for (settings, i), comp in zip(jobs, comps):
            resp: Response = {
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
            if history:
                resp["history"] = history
            out.append(resp)
        return out

    def finish(self) -> dict[str, Any]:
        n = multiturn = 0
        by_model: dict[str, dict[str, float]] = {}
        finish: dict[str, int] = {}
        for r in self.own_records():
            n += 1
            multiturn += "history" in r
            m = by_model.setdefault(r["model"], {"responses": 0, "completion_tokens": 0, "latency_s": 0.0, "empty": 0})
            m["responses"] += 1
            m["completion_tokens"] += r.get("completion_tokens") or 0
            m["latency_s"] += r.get("latency_s") or 0.0
            m["empty"] += not (r.get("text") or "").strip()
            finish[str(r.get("finish_reason"))] = finish.get(str(r.get("finish_reason")), 0) + 1
        return {"responses": n, "by_model": by_model, "finish_reasons": finish, "multiturn_responses": multiturn}


def _until_answer(messages: list[ChatMessage]) -> list[dict]:
    """The turns before a multiturn prompt's (first) undrawn answer."""
    out: list[dict] = []
    for m in messages:
        if m["content"] is None:
            break
        out.append(dict(m))
    return out
