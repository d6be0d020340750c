"""Stage 3, compose: K constrained instructions per task.

Reads: expand (records.Task). Writes: compose/ shards of records.Instruction; stats.json (histograms,
rejections, patterns, shapes, free-form outcomes, rewrites).

For each task: draw a constraint count (a distribution or a MulDimIF level),
sample applicable, category-diverse, conflict-free registry constraints with
length-aware parameters (sampling.py), maybe add a free-form constraint
proposed by `expand` (mapped onto the registry constraint it states when the
matcher recognises it, or given an LLM's proposal to test later; mapping.py),
optionally ask an LLM whether the set is feasible (rolling back the last
constraint on "no"), then render the prompt in a shape (one user turn, a system
message, or a rewrite request after a first answer) and a pattern (listing /
incorporation / example; render.py). An optional LLM rewrite of the message
carrying the constraints is kept only when the faithfulness gate passes: every
bound value still present (and, when enabled, an LLM coverage check).

The shape is drawn from an RNG of its own, so the constraints, pattern and text of a single-turn
instruction do not depend on the shape probabilities.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ...constraints import find_conflicts, get
from ...llm.jsonout import chat_json
from ...llm.prompts import render_messages
from ...records import (
    Instruction,
    InstructionConstraint,
    Shape,
    Source,
    Task,
    freeform_constraint,
    instruction_id,
    instruction_shape,
    is_registry,
    prompt_text,
    registry_constraint,
)
from ..base import Stage
from .mapping import UNMAPPED, Proposal, candidates, check_proposal, describe, map_by_rules
from .render import carrier, faithful, level, pick_pattern, pick_shape, render_prompt
from .sampling import candidate_pool, draw_constraints, target_count, topic_words


class Feasibility(BaseModel):
    feasible: bool
    reason: str = ""


class Coverage(BaseModel):
    covered: bool
    missing: str = ""


class ComposeStage(Stage[Task, Instruction]):
    name = "compose"

    @property
    def uses_llm(self) -> bool:  # type: ignore[override]
        c = self.config.compose
        return c.feasibility_check or c.rewrite or c.llm_match

    def settings(self) -> dict[str, Any]:
        """The compose section, run.seed (every draw comes from `self.rng`), the LLM only when it is called."""
        return {**self.section_settings(llm=self.uses_llm), "run": {"seed": self.config.run.seed}}

    async def process(self, task: Task) -> list[Instruction]:
        cfg = self.config.compose
        meta = task["metadata"]
        pool = candidate_pool(dict(meta), cfg.families, cfg.include_eval_only)
        ctx = {**meta, "topic_words": topic_words(task["text"]), "task_text": task["text"]}
        out: list[Instruction] = []
        for k in range(cfg.instructions_per_task):
            rng = self.rng(task["id"], k)
            n = target_count(rng, cfg.min_constraints, cfg.max_constraints, cfg.count_weights, cfg.difficulty)
            use_ff = bool(meta.get("freeform_constraints")) and rng.random() < cfg.freeform_probability
            draw = draw_constraints(rng, pool, n - 1 if use_ff and n > 1 else n, ctx, cfg.max_resamples)
            constraints = [registry_constraint(c.id, p, c.render(p, rng=rng), c.soft) for c, p in draw.constraints]
            checks: dict[str, Any] = {
                "target": n,
                "resamples": draw.resamples,
                "rejections": draw.rejections,
                "conflict_recheck": "pass",
            }
            if use_ff:
                ff = freeform_constraint(rng.choice(meta["freeform_constraints"]))
                entry, outcome = await self._freeform(ff, constraints)
                checks["freeform"] = {"text": ff["text"], "outcome": outcome}
                if entry is not None:
                    constraints.append(entry)
            if cfg.feasibility_check and len(constraints) > 1:
                constraints = await self._feasible(task, constraints, checks)
            if not constraints:
                continue
            # re-check on the output: the API must agree that nothing conflicts
            reg = [(c["id"], c["params"]) for c in constraints if is_registry(c)]
            if find_conflicts(reg):
                raise RuntimeError(f"compose produced a conflicting set for task {task['id']}: {reg}")
            pattern = pick_pattern(rng, cfg.pattern_weights)
            shape = pick_shape(self.rng(task["id"], k, "shape"), cfg.multiturn_probability, cfg.system_probability)
            messages = render_prompt(shape, pattern, task["text"], constraints)
            rules = messages[carrier(shape)]
            if not faithful(str(rules["content"]), constraints):
                raise RuntimeError(f"rendered instruction lost a parameter value (task {task['id']})")
            if cfg.rewrite:
                rules["content"] = await self._rewrite(str(rules["content"]), constraints, checks)
            text = str(messages[0]["content"]) if shape == Shape.SINGLE else prompt_text(messages)
            difficulty = cfg.difficulty or level(len(constraints))
            record: Instruction = {
                "id": instruction_id(task["id"], k, text),
                "task_id": task["id"],
                "seed_id": task.get("seed_id"),
                "index": k,
                "text": text,
                "language": meta.get("language"),
                "category": task.get("category"),
                "metadata": meta,
                "constraints": constraints,
                "pattern": pattern,
                "difficulty": difficulty,
                "checks": checks,
                "shape": shape,
            }
            if shape != Shape.SINGLE:
                record["messages"] = messages
            out.append(record)
        return out

    async def _freeform(
        self, entry: InstructionConstraint, constraints: list[InstructionConstraint]
    ) -> tuple[InstructionConstraint | None, str]:
        """The free-form entry as the instruction gets it (mapped, with a proposal, as is, or None: dropped)
        and what happened to it (mapping.py)."""
        cfg = self.config.compose
        reg = [(c["id"], c["params"]) for c in constraints]
        if cfg.match_freeform:
            kept, outcome = map_by_rules(entry, reg, cfg.families, cfg.include_eval_only)
            if outcome != UNMAPPED:
                return kept, outcome
        if not cfg.llm_match:
            return entry, UNMAPPED
        offered = candidates(entry["text"], cfg.families, cfg.include_eval_only)
        msgs = render_messages("match", rule=entry["text"], candidates=[describe(c) for c in offered])
        value, _errors, _comp = await chat_json(self.llm, msgs, Proposal, attempts=2)
        return check_proposal(entry, value, {c.id for c in offered}, reg)

    async def _feasible(self, task, constraints, checks):
        """MulDimIF-style check; roll back the last constraint while the LLM says no."""
        verdicts = []
        while len(constraints) > 1:
            msgs = render_messages("feasibility", task=task["text"], constraints=[c["text"] for c in constraints])
            value, _errors, _comp = await chat_json(self.llm, msgs, Feasibility, attempts=2)
            if value is None:
                verdicts.append({"n": len(constraints), "feasible": None})
                break
            verdicts.append({"n": len(constraints), "feasible": value.feasible, "reason": value.reason[:200]})
            if value.feasible:
                break
            constraints = constraints[:-1]
        checks["feasibility"] = verdicts
        return constraints

    async def _rewrite(self, text, constraints, checks):
        comp = await self.llm.chat(render_messages("rewrite", instruction=text))
        candidate = comp.text.strip()
        ok = bool(candidate) and faithful(candidate, constraints)
        reason = "kept" if ok else "lost a parameter value"
        if ok and self.config.compose.rewrite_coverage_check:
            msgs = render_messages("coverage", instruction=candidate, constraints=[c["text"] for c in constraints])
            value, _e, _c = await chat_json(self.llm, msgs, Coverage, attempts=2)
            ok = bool(value and value.covered)
            reason = "kept" if ok else f"coverage check failed: {value.missing if value else 'no answer'}"
        checks["rewrite"] = reason
        return candidate if ok else text

    def finish(self) -> dict[str, Any]:
        hist: dict[str, int] = {}
        cats: dict[str, int] = {}
        per_instr: dict[int, int] = {}
        rejections: dict[str, int] = {}
        patterns: dict[str, int] = {}
        shapes: dict[str, int] = {}
        outcomes: dict[str, int] = {}
        rewrites = kept = freeform = n = 0
        for ins in self.own_records():
            n += 1
            per_instr[len(ins["constraints"])] = per_instr.get(len(ins["constraints"]), 0) + 1
            patterns[ins["pattern"]] = patterns.get(ins["pattern"], 0) + 1
            shape = instruction_shape(ins)
            shapes[shape] = shapes.get(shape, 0) + 1
            if "freeform" in ins["checks"]:
                o = ins["checks"]["freeform"]["outcome"]
                outcomes[o] = outcomes.get(o, 0) + 1
            for c in ins["constraints"]:
                key = c["id"] if is_registry(c) else Source.FREEFORM
                hist[key] = hist.get(key, 0) + 1
                if is_registry(c):
                    cat = get(c["id"]).category
                    cats[cat] = cats.get(cat, 0) + 1
                else:
                    freeform += 1
            for r, k in ins["checks"].get("rejections", {}).items():
                rejections[r] = rejections.get(r, 0) + k
            if "rewrite" in ins["checks"]:
                rewrites += 1
                kept += ins["checks"]["rewrite"] == "kept"
        return {
            "instructions": n,
            "constraint_histogram": dict(sorted(hist.items(), key=lambda x: -x[1])),
            "category_histogram": cats,
            "constraints_per_instruction": dict(sorted(per_instr.items())),
            "rejections": rejections,
            "patterns": patterns,
            "shapes": shapes,
            "freeform_constraints": freeform,
            "freeform_outcomes": outcomes,  # mapping.py: mapped by rules, dropped on conflict, LLM proposals...
            "rewrites_attempted": rewrites,
            "rewrites_kept_share": (kept / rewrites) if rewrites else None,
        }
