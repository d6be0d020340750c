"""Stage 5a, checkers: LLM-written verification functions for free-form constraints.

Reads: compose (the constraints of records.Instruction). Writes: checkers/ shards of records.Checker;
stats.json (kept / dropped and why).

AutoIF's verification functions: for every free-form constraint (and, with
`checkers.registry_too`, for a sample of registry constraints, to measure the
generator against our built-in checkers) ask the LLM for K candidates, each a
Python `evaluate(response) -> bool` with labelled test responses; run every
candidate on every pooled case in the sandbox; keep what cross-validates
(select.py). Optionally back-translate each kept function and let a judge
confirm it tests the stated rule. Every record keeps its provenance.

With `compose.llm_match`, a free-form constraint may carry an LLM's proposed
registry mapping; once its functions and cases exist, the proposal is tested on
them (mapping.py) and the record says whether it was accepted (`mapping`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from pydantic import BaseModel

from ...config import CHECKERS_TRANSPORT
from ...llm.jsonout import chat_json
from ...llm.prompts import render_messages
from ...records import (
    Checker,
    CheckerFunction,
    CheckerItem,
    Instruction,
    Source,
    is_freeform,
    registry_checker_key,
)
from ..base import Stage
from .mapping import judge_mapping
from .select import Candidate, normalise_code, parse_candidate, pool_cases, select


class BackTranslation(BaseModel):
    restated: str = ""
    same: bool


class CheckersStage(Stage[CheckerItem, Checker]):
    name = "checkers"
    uses_llm = True

    def templates(self) -> tuple[str, ...]:
        return ("checker", "backtranslate") if self.config.checkers.back_translation else ("checker",)

    def settings(self) -> dict[str, Any]:
        # `workers` sizes the sandbox pool only; `enabled`, `registry_too`, `registry_sample` choose the items
        # (which the enumeration already tells) but stay in: a changed choice is worth seeing in `ifgen status`
        return self.section_settings(llm=True, exclude=tuple(CHECKERS_TRANSPORT))

    def items(self) -> Iterator[CheckerItem]:
        cfg = self.config.checkers
        if not cfg.enabled:
            return
        seen: set[str] = set()
        freeform: dict[str, CheckerItem] = {}  # first-seen order; a proposal may appear on a later mention
        registry: list[CheckerItem] = []
        instructions = cast("Iterator[Instruction]", self.read("compose"))
        for ins in instructions:
            for c in ins["constraints"]:
                if is_freeform(c):
                    item = freeform.setdefault(c["id"], {"id": c["id"], "kind": Source.FREEFORM, "text": c["text"]})
                    if "proposed" in c and "proposed" not in item:
                        item["proposed"] = c["proposed"]
                elif cfg.registry_too and not c.get("soft"):
                    key = registry_checker_key(c["id"], c["params"])
                    if key not in seen:
                        seen.add(key)
                        registry.append(
                            {
                                "id": key,
                                "kind": Source.REGISTRY,
                                "text": c["text"],
                                "registry_id": c["id"],
                                "params": c["params"],
                            }
                        )
        yield from freeform.values()
        rng = self.rng("registry-sample")
        rng.shuffle(registry)
        yield from sorted(registry[: cfg.registry_sample], key=lambda r: r["id"])

    async def process(self, item: CheckerItem) -> list[Checker]:
        cfg = self.config.checkers
        messages = render_messages("checker", constraint=item["text"], cases=max(3, cfg.cases // cfg.functions))
        candidates: list[Candidate] = []
        seen_code: set[str] = set()
        raw_replies = 0
        for j in range(cfg.functions):
            comp = await self.llm.chat(messages, sample_index=j)
            raw_replies += 1
            cand = parse_candidate(comp.text, j)
            if cand is None:
                continue
            norm = normalise_code(cand.code)
            if norm in seen_code:
                continue
            seen_code.add(norm)
            candidates.append(cand)
        cases = pool_cases(candidates, cfg.cases)
        outputs: list[list[bool | None]] = []
        errors: list[list[str | None]] = []
        for cand in candidates:
            res = await self.sandbox.arun(cand.code, [r for r, _ in cases]) if cases else []
            outputs.append([r["ok"] for r in res])
            errors.append([r["error"] for r in res])
        sel = select(outputs, [label for _, label in cases], cfg.accuracy, cfg.min_functions, cfg.min_cases)
        if not candidates:
            sel.reason, sel.outcome = f"no usable function in {raw_replies} replies", "no_function"
        functions: list[CheckerFunction] = [
            {
                "code": cand.code,
                "accuracy": round(sel.accuracy.get(f, 0.0), 4),
                "kept": f in sel.kept_functions,
                "sample_index": cand.sample_index,
                "errors": sorted({e for e in errors[f] if e})[:3],
            }
            for f, cand in enumerate(candidates)
        ]
        kept = sel.kept
        if kept and cfg.back_translation:
            for fn in functions:
                if fn["kept"]:
                    bt, _e, _c = await chat_json(
                        self.llm,
                        render_messages("backtranslate", code=fn["code"], constraint=item["text"]),
                        BackTranslation,
                        attempts=2,
                    )
                    fn["back_translation"] = bt.model_dump() if bt else None
                    fn["kept"] = bool(bt and bt.same)
            kept = sum(f["kept"] for f in functions) >= cfg.min_functions
            if not kept:
                sel.reason = "back-translation did not confirm enough functions"
                sel.outcome = "back_translation_rejected"
        kept_acc = [f["accuracy"] for f in functions if f["kept"]]
        record: Checker = {
            "id": item["id"],
            "kind": item["kind"],
            "constraint_text": item["text"],
            "registry_id": item.get("registry_id"),
            "params": item.get("params"),
            "functions": functions,
            "cases": [{"response": r, "label": lab, "kept": i in sel.kept_cases} for i, (r, lab) in enumerate(cases)],
            "kept": kept,
            "reason": sel.reason,
            "outcome": sel.outcome,
            "accuracy": round(sum(kept_acc) / len(kept_acc), 4) if kept_acc else 0.0,
            "provenance": {
                "model": self.llm.settings.model,
                "prompt": "checker.j2",
                "candidates": cfg.functions,
                "threshold": cfg.accuracy,
                "min_functions": cfg.min_functions,
                "min_cases": cfg.min_cases,
                "back_translation": cfg.back_translation,
            },
        }
        if "proposed" in item:
            kept_outputs = [outputs[f] for f, fn in enumerate(functions) if fn["kept"]]
            record["mapping"] = judge_mapping(item["proposed"], cases, kept_outputs, cfg.accuracy, cfg.min_cases)
        return [record]

    def finish(self) -> dict[str, Any]:
        n = kept = 0
        reasons: dict[str, int] = {}
        mappings = {"proposed": 0, "accepted": 0, "accepted_by_cases": 0, "accepted_by_functions": 0}
        for r in self.own_records():
            n += 1
            kept += r["kept"]
            m = r.get("mapping")
            if m:
                mappings["proposed"] += 1
                mappings["accepted"] += m["accepted"]
                if m["accepted"]:
                    mappings[f"accepted_by_{m['evidence']}"] += 1
            key = r.get("outcome") or ("kept" if r["kept"] else "dropped")
            reasons[key] = reasons.get(key, 0) + 1
        c = self.config.checkers
        return {
            "constraints": n,
            "kept": kept,
            "dropped": n - kept,
            "outcomes": reasons,
            "llm_mappings": mappings,
            "settings": {
                "functions": c.functions,
                "cases": c.cases,
                "accuracy": c.accuracy,
                "min_functions": c.min_functions,
                "min_cases": c.min_cases,
                "back_translation": c.back_translation,
            },
        }
