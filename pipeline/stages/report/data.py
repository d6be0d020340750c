"""Everything the HTML report shows, gathered by streaming the run folder once.

Only counters, a handful of sample rows and two small entries per checker
record (one per free-form text) are kept in memory, so the report costs about
the same whatever the run size. Each stage is optional: a run stopped after `sample` still gets a
report of what exists.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ...records import (
    MappedBy,
    Shape,
    Verifier,
    instruction_shape,
    is_freeform,
    proposal_key,
)
from ...runner.files import list_shards
from ...runner.state import StateDB
from .. import ORDER

LENGTH_BINS = [0, 25, 50, 100, 200, 400, 800, 1600, 3200]


def _count_lines(paths: list[Path]) -> int:
    n = 0
    for p in paths:
        with open(p, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                n += block.count(b"\n")
    return n


def funnel(run_dir: Path) -> list[dict[str, Any]]:
    """Per stage: items done / failed (state DB), records on disk, and the stage's own stats.json."""
    counts: dict[str, dict[str, int]] = {}
    db_path = run_dir / "state.sqlite"
    if db_path.is_file():
        db = StateDB(db_path)
        try:
            counts = db.counts()
        finally:
            db.close()
    names = [s for s in ORDER if s in counts or (run_dir / s).is_dir()]
    names += sorted(set(counts) - set(names))
    out = []
    for s in names:
        stats_file = run_dir / s / "stats.json"
        stats = {}
        if stats_file.is_file():
            try:
                stats = json.loads(stats_file.read_text(encoding="utf-8"))
            except json.JSONDecodeError:
                stats = {"error": f"{stats_file}: invalid JSON"}
        c = counts.get(s, {})
        out.append(
            {
                "stage": s,
                "done": c.get("done", 0),
                "failed": c.get("failed", 0),
                "pending": c.get("pending", 0),
                "records": _count_lines(list_shards(run_dir / s)),
                "stats": stats,
            }
        )
    return out


def usage(run_dir: Path) -> dict[str, dict[str, float]]:
    db_path = run_dir / "state.sqlite"
    if not db_path.is_file():
        return {}
    db = StateDB(db_path)
    try:
        return db.usage()
    finally:
        db.close()


def _bin(n: int) -> str:
    for lo, hi in zip(LENGTH_BINS, LENGTH_BINS[1:]):
        if n < hi:
            return f"{lo}-{hi - 1}"
    return f"{LENGTH_BINS[-1]}+"


def _rate(p: float, n: float) -> float:
    return round(p / n, 4) if n else 0.0


# how one constraint of an instruction gets its verdict (the "How constraints are checked" chart)
ROUTES = {
    "builtin": "registry constraint, built-in checker",
    "mapped_rules": "free-form words mapped by the matcher, built-in checker",
    "mapped_llm": "free-form words, LLM mapping accepted on its cases, built-in checker",
    "generated": "free-form, generated checker functions",
    "judged": "soft, LLM judge",
    "dropped_unverifiable": "free-form, no checker kept and no mapping: unverifiable",
    "dropped_conflict": "free-form words mapped onto a constraint that conflicts: left out",
    "freeform_unchecked": "free-form, the checkers stage has not written its checker (yet)",
}


def route(c: dict[str, Any], checked: dict[str, bool], accepted: dict[str, str]) -> str:
    """Which ROUTES entry one constraint of an instruction takes, given the checkers' outcomes (`checked`:
    free-form id -> whether its checker was kept)."""
    if is_freeform(c):
        p = c.get("proposed")
        if p and accepted.get(str(c.get("id"))) == proposal_key(p["id"], p["params"]):
            return "mapped_llm"
        if c.get("id") not in checked:
            return "freeform_unchecked"
        return "generated" if checked[c["id"]] else "dropped_unverifiable"
    if c.get("soft"):
        return "judged"
    return "mapped_rules" if (c.get("mapped") or {}).get("by") == MappedBy.RULES else "builtin"


def gather(run_dir: Path, read: Callable[[str], Iterator[dict[str, Any]]], sample_rows: int) -> dict[str, Any]:
    """All report data. `read(stage)` streams a stage's records (empty when the stage has not run)."""
    checked: dict[str, bool] = {}
    accepted: dict[str, str] = {}
    for c in read("checkers"):
        checked[c["id"]] = bool(c.get("kept"))
        m = c.get("mapping")
        if m and m.get("accepted"):
            accepted[c["id"]] = proposal_key(m["id"], m["params"])

    constraint_hist: Counter[str] = Counter()
    per_instruction: Counter[int] = Counter()
    routes: Counter[str] = Counter()
    shapes: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0.0])  # instructions, responses, all_pass, sum
    instr_text: dict[str, str] = {}
    for ins in read("compose"):
        cons = ins.get("constraints") or []
        constraint_hist.update(str(c.get("id")) for c in cons)
        per_instruction[len(cons)] += 1
        routes.update(route(c, checked, accepted) for c in cons)
        if (ins.get("checks") or {}).get("freeform", {}).get("outcome") == "rules_conflict":
            routes["dropped_conflict"] += 1
        shapes[instruction_shape(ins)][0] += 1

    by_constraint: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # passed, verifiable, unverifiable
    by_model: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])  # all_pass, n, sum fraction
    by_verifier: Counter[str] = Counter()
    picked: list[dict[str, Any]] = []
    for v in read("verify"):
        for r in v.get("results") or []:
            b = by_constraint[str(r.get("id"))]
            if r.get("passed") is None:
                b[2] += 1
            else:
                b[1] += 1
                b[0] += bool(r["passed"])
            by_verifier[str(r.get("verifier") or Verifier.NONE)] += 1
        m = by_model[str(v.get("model") or "?")]
        m[0] += bool(v.get("all_pass"))
        m[1] += 1
        m[2] += float(v.get("fraction") or 0.0)
        sh = shapes[instruction_shape(v)]
        sh[1] += 1
        sh[2] += bool(v.get("all_pass"))
        sh[3] += float(v.get("fraction") or 0.0)
        if len(picked) < sample_rows:
            picked.append(v)

    lengths: dict[str, Counter[str]] = defaultdict(Counter)
    finish: Counter[str] = Counter()
    wanted = {v["id"] for v in picked}
    texts: dict[str, dict[str, Any]] = {}
    for r in read("sample"):
        words = len(str(r.get("text") or "").split())
        lengths[str(r.get("model") or "?")][_bin(words)] += 1
        finish[str(r.get("finish_reason") or "?")] += 1
        if r["id"] in wanted:
            texts[r["id"]] = {"text": r.get("text") or "", "model": r.get("model")}
    need = {v.get("instruction_id") for v in picked}
    for ins in read("compose"):
        if ins["id"] in need:
            instr_text[ins["id"]] = ins.get("text") or ""

    checkers: dict[str, Any] = {"generated": 0, "kept": 0, "accuracy": Counter(), "agreement": []}
    for c in read("checkers"):
        checkers["generated"] += 1
        checkers["kept"] += bool(c.get("kept"))
        if c.get("accuracy") is not None:
            checkers["accuracy"][f"{min(int(float(c['accuracy']) * 10), 9) / 10:.1f}"] += 1
        ag = c.get("agreement")
        if isinstance(ag, dict) and ag.get("n"):
            checkers["agreement"].append(
                {
                    "id": str(c.get("registry_id") or c.get("constraint_text") or c["id"]),
                    "precision": ag.get("precision"),
                    "recall": ag.get("recall"),
                    "n": ag.get("n"),
                }
            )
    checkers["accuracy"] = dict(sorted(checkers["accuracy"].items()))
    checkers["agreement"].sort(key=lambda a: a["id"])

    export_stats = {}
    ef = run_dir / "export" / "stats.json"
    if ef.is_file():
        export_stats = json.loads(ef.read_text(encoding="utf-8"))

    samples = [
        {
            "instruction": instr_text.get(v.get("instruction_id") or "", ""),
            "response": texts.get(v["id"], {}).get("text", ""),
            "model": str(v.get("model") or ""),
            "shape": instruction_shape(v),
            "fraction": v.get("fraction"),
            "results": [
                {"id": str(r.get("id")), "passed": r.get("passed"), "verifier": str(r.get("verifier") or "")}
                for r in v.get("results") or []
            ],
        }
        for v in picked
    ]
    return {
        "funnel": funnel(run_dir),
        "usage": usage(run_dir),
        "constraint_hist": dict(constraint_hist.most_common()),
        "constraints_per_instruction": {str(k): v for k, v in sorted(per_instruction.items())},
        "pass_by_constraint": {
            k: {"rate": _rate(b[0], b[1]), "n": b[1], "unverifiable": b[2]} for k, b in sorted(by_constraint.items())
        },
        "pass_by_model": {
            k: {"all_pass": _rate(int(m[0]), int(m[1])), "mean_fraction": _rate(m[2], m[1]), "n": int(m[1])}
            for k, m in sorted(by_model.items())
        },
        "verifiers": dict(by_verifier),
        "routes": {k: routes[k] for k in ROUTES if routes[k]},
        "shapes": {
            k: {
                "instructions": int(b[0]),
                "responses": int(b[1]),
                "all_pass": _rate(int(b[2]), int(b[1])),
                "mean_fraction": _rate(b[3], int(b[1])),
            }
            for k, b in sorted(shapes.items(), key=lambda kv: Shape.ALL.index(kv[0]))
        },
        "lengths": {m: {b: c.get(b, 0) for b in [_bin(x) for x in LENGTH_BINS]} for m, c in sorted(lengths.items())},
        "finish_reasons": dict(finish),
        "checkers": checkers,
        "export": {"rows": export_stats.get("rows", {}), "dpo_strategies": export_stats.get("dpo_strategies", {})},
        # prompt pass rates as the export counted them (kept prompts; empty until export has run)
        "passrate": export_stats.get("passrate") or {},
        "samples": samples,
    }
