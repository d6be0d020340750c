"""Stage 5b, verify: a verdict per (response, constraint).

Reads: sample (records.Response), compose (the instructions' constraints), checkers (kept functions; required
when checkers has work). Writes: verify/ shards of records.Verdict; stats.json (pass rates, generator agreement).

Registry constraints use their built-in checker (strict, or IFEval-loose with
`verify.loose`); free-form ones use the majority of the kept generated functions
(tie -> fail, none kept -> unverifiable, None); soft ones go to an LLM judge,
one call per response for all its soft constraints (VerIF-style, binary with a
reason). Where checkers were generated for registry constraints, their verdicts
are recorded beside the built-in ones so `finish` can report the generator's
precision / recall.

A free-form constraint whose LLM-proposed mapping the checkers stage accepted
(compose.llm_match) is verified as the registry constraint it maps to
(`records.resolve_mapping`); constraints compose mapped by rules are registry
entries already. Either way the result says `mapped`. Responses answer the
prompt's last user turn, whatever its shape, and are verified on their text;
stats give pass rates by shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypedDict, cast

from pydantic import BaseModel, Field

from ..constraints import check, check_loose, check_many, get
from ..llm.jsonout import chat_json
from ..llm.prompts import render_messages
from ..records import (
    GeneratedAgreement,
    InstructionConstraint,
    Response,
    ShapeName,
    Source,
    Verdict,
    VerdictResult,
    Verifier,
    instruction_shape,
    is_registry,
    proposal_key,
    registry_checker_key,
    resolve_mapping,
)
from ..runner.lookup import RecordIndex
from .base import Stage


class InstructionView(TypedDict):
    """What verify keeps of an instruction (the rest of the record is not needed per response)."""

    text: str
    constraints: list[InstructionConstraint]  # accepted LLM mappings resolved
    task_id: str
    shape: ShapeName


class JudgeVerdict(BaseModel):
    index: int
    pass_: bool = Field(alias="pass")
    reason: str = ""


class JudgeReply(BaseModel):
    verdicts: list[JudgeVerdict]


def majority(votes: list[bool | None]) -> bool | None:
    """Majority of the functions that answered; a tie fails; no answer -> None."""
    answered = [v for v in votes if v is not None]
    if not answered:
        return None
    yes = sum(answered)
    return yes * 2 > len(answered)


class InstructionLookup:
    """Instructions by id as verify needs them, each read from compose's shards when asked for
    (`runner.lookup.RecordIndex`): memory holds an index entry per instruction, not the instructions."""

    def __init__(self, index: RecordIndex | None, accepted: dict[str, str]):
        self.index = index
        self.accepted = accepted

    def get(self, instruction_id: str) -> InstructionView | None:
        i = self.index.get(instruction_id) if self.index is not None else None
        if i is None:
            return None
        return {
            "text": i["text"],
            "constraints": [resolve_mapping(c, self.accepted) for c in i["constraints"]],
            "task_id": i["task_id"],
            "shape": instruction_shape(i),
        }

    def close(self) -> None:
        if self.index is not None:
            self.index.close()


class VerifyStage(Stage[Response, Verdict]):
    name = "verify"

    def __init__(self, config, run_dir):
        super().__init__(config, run_dir)
        # lookups every item needs, loaded per process by `open` (the driver, which only enumerates items,
        # never loads them)
        self.instructions = InstructionLookup(None, {})  # by id, read from compose's shards on demand
        self.checkers: dict[str, list[str]] = {}  # free-form constraint id -> kept function codes
        self.registry_checkers: dict[str, list[str]] = {}  # registry_checker_key -> kept function codes
        self.accepted: dict[str, str] = {}  # free-form constraint id -> proposal_key of its accepted mapping

    @property
    def uses_llm(self) -> bool:  # type: ignore[override]
        return self.config.verify.judge

    def templates(self) -> tuple[str, ...]:
        return ("judge",) if self.uses_llm else ()

    def settings(self) -> dict[str, Any]:
        """The verify section, the judge's LLM when judging, the sandbox timeout the generated functions
        run under (a timeout is a verdict of None), and whether generated checkers are used at all."""
        return {
            **self.section_settings(llm=self.uses_llm),
            "checkers": {"timeout_s": self.config.checkers.timeout_s, "enabled": self.config.checkers.enabled},
        }

    def item_key(self, item: Response) -> Any:
        """A response without how its call went (latency, served from cache): a verdict depends on the text."""
        return {k: v for k, v in item.items() if k not in ("latency_s", "cached")}

    def context_inputs(self) -> tuple[str, ...]:
        # kept functions may serve any response; compose enters per response, below. With checkers off, their
        # records (left from an earlier config until `ifgen checkers` runs) are not read at all
        return ("checkers",) if self.config.checkers.enabled else ()

    def item_sources(self, item: Response) -> dict[str, str | None]:
        """The compose item (the task) the response's instruction came from: only its instructions matter."""
        return {"compose": item.get("task_id")}

    async def open(self) -> None:
        await super().open()
        self.load_lookups()

    def load_lookups(self) -> None:
        """Instructions by id (only what verify needs of them), the kept functions of every checker and the
        accepted mappings."""
        self.checkers, self.registry_checkers, self.accepted = {}, {}, {}
        for r in self.read_optional("checkers") if self.config.checkers.enabled else ():
            m = r.get("mapping")
            if m and m["accepted"]:
                self.accepted[r["id"]] = proposal_key(m["id"], m["params"])
            if not r["kept"]:
                continue
            codes = [f["code"] for f in r["functions"] if f["kept"]]
            if r["kind"] == Source.FREEFORM:
                self.checkers[r["id"]] = codes
            else:
                self.registry_checkers[registry_checker_key(r["registry_id"], r["params"])] = codes
        self.instructions.close()
        self.instructions = InstructionLookup(self.index("compose"), self.accepted)

    async def close(self) -> None:
        self.instructions.close()
        await super().close()

    def items(self) -> Iterator[Response]:
        yield from cast("Iterator[Response]", self.read("sample"))

    async def _generated(self, codes: list[str], text: str) -> tuple[bool | None, list]:
        votes = []
        for code in codes:
            res = await self.sandbox.arun(code, [text])
            votes.append(res[0]["ok"] if res else None)
        return majority(votes), votes

    async def process(self, resp: Response) -> list[Verdict]:
        ins = self.instructions.get(resp["instruction_id"])
        if ins is None:
            raise KeyError(f"response {resp['id']} points to unknown instruction {resp['instruction_id']}")
        text = resp.get("text") or ""
        loose = self.config.verify.loose
        fn = check_loose if loose else check
        builtin = [i for i, c in enumerate(ins["constraints"]) if is_registry(c) and not c.get("soft")]
        try:  # one pass shares the per-text work (sentences, tokens, language) across constraints
            fast = dict(
                zip(
                    builtin,
                    check_many(
                        text,
                        [(ins["constraints"][i]["id"], ins["constraints"][i]["params"]) for i in builtin],
                        loose=loose,
                    ),
                )
            )
        except Exception:  # some checker raised: go one by one so the error is reported against its constraint
            fast = {}
        results: list[VerdictResult] = []
        soft: list[int] = []
        agreement: list[GeneratedAgreement] = []
        for i, c in enumerate(ins["constraints"]):
            r: VerdictResult = {
                "index": i,
                "id": c["id"],
                "source": c["source"],
                "passed": None,
                "verifier": Verifier.NONE,
                "reason": "",
            }
            if "mapped" in c:
                r["mapped"] = c["mapped"]["by"]
            if is_registry(c) and c.get("soft"):
                soft.append(i)
                r["verifier"] = Verifier.JUDGE
            elif is_registry(c):
                try:
                    r["passed"] = fast[i] if i in fast else bool(fn(c["id"], text, c["params"]))
                    r["verifier"] = Verifier.BUILTIN
                except Exception as e:  # a checker bug must not sink the response; it is reported
                    r["reason"] = f"checker error: {type(e).__name__}: {e}"[:300]
                gen = self.registry_checkers.get(registry_checker_key(c["id"], c["params"]))
                if gen and r["passed"] is not None:
                    g, _votes = await self._generated(gen, text)
                    agreement.append({"id": c["id"], "builtin": r["passed"], "generated": g})
            else:
                codes = self.checkers.get(c["id"])
                if codes:
                    r["passed"], votes = await self._generated(codes, text)
                    r["verifier"] = Verifier.GENERATED
                    r["reason"] = f"{sum(v is True for v in votes)}/{len(votes)} functions passed"
                else:
                    r["reason"] = "no kept checker function"
            results.append(r)
        if soft:
            await self._judge(ins, text, [results[i] for i in soft], [ins["constraints"][i] for i in soft])
        verifiable = [r for r in results if r["passed"] is not None]
        passed = sum(r["passed"] is True for r in verifiable)
        return [
            {
                "id": resp["id"],
                "response_id": resp["id"],
                "instruction_id": resp["instruction_id"],
                "task_id": ins["task_id"],
                "model": resp.get("model"),
                "results": results,
                "n_verifiable": len(verifiable),
                "all_pass": bool(verifiable) and passed == len(verifiable) and len(verifiable) == len(results),
                "fraction": round(passed / len(verifiable), 6) if verifiable else 0.0,
                "generated_agreement": agreement,
                "shape": ins["shape"],
            }
        ]

    async def _judge(self, ins, text, slots, constraints) -> None:
        if not self.config.verify.judge or not text.strip():
            for r in slots:
                r["passed"] = False if not text.strip() else None
                r["reason"] = "empty response" if not text.strip() else "judge disabled"
            return
        msgs = render_messages(
            "judge", instruction=ins["text"], response=text, constraints=[c["text"] for c in constraints]
        )
        reply, errors, _comp = await chat_json(self.llm, msgs, JudgeReply, attempts=2)
        by_index = {v.index: v for v in (reply.verdicts if reply else [])}
        for k, r in enumerate(slots):
            v = by_index.get(k)
            if v is None:
                r["reason"] = "judge gave no verdict" + (f" ({errors[-1][:120]})" if errors else "")
                continue
            r["passed"], r["reason"] = v.pass_, v.reason[:300]

    def finish(self) -> dict[str, Any]:
        return verify_stats(self.own_records())


def verify_stats(verdicts) -> dict[str, Any]:
    n = all_pass = 0
    by_id: dict[str, list[int]] = {}
    by_model: dict[str, list[int]] = {}
    by_shape: dict[str, list[float]] = {}  # all_pass, responses, sum of fractions
    by_verifier: dict[str, int] = {}
    tp = fp = fn_ = tn = 0
    per_gen: dict[str, list[int]] = {}
    for v in verdicts:
        n += 1
        all_pass += v["all_pass"]
        m = by_model.setdefault(v.get("model") or "?", [0, 0])
        m[0] += v["all_pass"]
        m[1] += 1
        sh = by_shape.setdefault(instruction_shape(v), [0, 0, 0.0])
        sh[0] += v["all_pass"]
        sh[1] += 1
        sh[2] += v.get("fraction") or 0.0
        for r in v["results"]:
            by_verifier[r["verifier"]] = by_verifier.get(r["verifier"], 0) + 1
            if r["passed"] is None:
                continue
            key = r["id"] if is_registry(r) else Source.FREEFORM
            s = by_id.setdefault(key, [0, 0])
            s[0] += r["passed"]
            s[1] += 1
        for a in v.get("generated_agreement", []):
            if a["generated"] is None:
                continue
            g, b = a["generated"], a["builtin"]
            tp += g and b
            fp += g and not b
            fn_ += (not g) and b
            tn += (not g) and (not b)
            pg = per_gen.setdefault(a["id"], [0, 0])
            pg[0] += g == b
            pg[1] += 1
    cats: dict[str, list[int]] = {}
    for cid, (p, t) in by_id.items():
        cat = get(cid).category if cid != Source.FREEFORM else Source.FREEFORM
        c = cats.setdefault(cat, [0, 0])
        c[0] += p
        c[1] += t
    gen = None
    if tp + fp + fn_ + tn:
        gen = {
            "n": tp + fp + fn_ + tn,
            "precision": tp / (tp + fp) if tp + fp else None,
            "recall": tp / (tp + fn_) if tp + fn_ else None,
            "accuracy": (tp + tn) / (tp + fp + fn_ + tn),
            "agreement_by_id": {k: a / t for k, (a, t) in per_gen.items()},
        }
    return {
        "responses": n,
        "all_pass": all_pass,
        "all_pass_rate": all_pass / n if n else 0.0,
        "pass_rate_by_constraint": {k: p / t for k, (p, t) in sorted(by_id.items())},
        "pass_rate_by_category": {k: p / t for k, (p, t) in sorted(cats.items())},
        "all_pass_rate_by_model": {k: p / t for k, (p, t) in by_model.items()},
        "by_shape": {
            k: {"responses": int(t), "all_pass_rate": p / t, "mean_fraction": f / t}
            for k, (p, t, f) in sorted(by_shape.items())
        },
        "verdicts_by_verifier": by_verifier,
        "generated_checker_agreement": gen,
    }
