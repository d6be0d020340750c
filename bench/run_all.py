"""`make bench`: run every benchmark, print one table, keep it in bench/RESULTS.md.

Each benchmark is its own script printing one JSON line last; this file only runs them in
turn (so they do not compete for the 2 cores), picks the numbers that have a target, and
writes the table with the machine description. Raw results are kept per benchmark in
bench/results.json with when they were measured and the load just before, so `--only` can
re-measure some rows and keep the others; RESULTS.md's hand-written sections (## ...) stay.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from _common import machine  # noqa: E402


def _llm(r):
    return (
        f"wall/ideal {r['ratio']} ({r['n']} req, conc {r['concurrency']}, {r['latency_s']} s latency); "
        f"client CPU {r['client_cpu_ms_per_req']} ms/req",
        r["ratio"] <= 1.15 and r["client_cpu_ms_per_req"] <= 2,
    )


def _llm_big(r):
    return (
        f"wall/ideal {r['ratio']} ({r['n']} req, conc {r['concurrency']}, {r['latency_s']} s latency); "
        f"client CPU {r['client_cpu_ms_per_req']} ms/req",
        r["ratio"] <= 1.15,
    )


def _verify(r):
    ours = r.get("ours_checks_per_s") or r.get("ours_per_s")
    ref = r.get("reference_checks_per_s") or r.get("reference_per_s")
    sp = r.get("speedup") or (ours / ref if ours and ref else None)
    return (
        f"ours {ours:,.0f} checks/s vs reference {ref:,.0f} checks/s = {sp:.1f}x; "
        f"disagreements {r.get('disagreements', '?')}",
        sp is not None and sp >= 5,
    )


def _sandbox(r):
    return (
        f"pooled {r['pooled_batched_per_s']:,.0f}/s (1 response per call: {r['pooled_unbatched_per_s']:,.0f}/s); "
        f"fresh process {r['fresh_process_per_s']:,.1f}/s",
        r["meets_target"],
    )


def _dedupe(r):
    rows = r["rows"]
    txt = "; ".join(f"{x['n'] // 1000}k: {x['total_s']} s ({x['s_per_1k']:.3f} s/1k)" for x in rows)
    growth = rows[-1]["s_per_1k"] / rows[0]["s_per_1k"]
    return f"{txt}; per-string cost x{growth:.2f} from smallest to largest", growth <= 2.0


def _e2e(r):
    return (
        f"demo {r['wall_s']} s end to end; {r['gen_tokens_per_s']} generated tokens/s over LLM stages "
        f"({r['completion_tokens']} tokens, {r['requests']} requests)",
        r["ok"],
    )


def _ray(r):
    return (
        f"verify on {r['responses']} responses: local {r['local_s']} s, Ray {r['ray_s']} s "
        f"(+{r['ray_startup_s']} s cluster start), x{r['speedup']}; identical outputs: {r['identical']}",
        r["identical"],
    )


def _memory(r):
    peak = r["peak_rss_mb"]
    stage = r.get("export_stage", {}).get("sizes", {})
    real = "".join(f"; real export sink on {int(n):,} responses {x['peak_rss_mb']:.0f} MB" for n, x in stage.items())
    return (
        f"{r['rows']:,} rows: verify {r['verify']['peak_rss_mb']:.0f} MB, stream to Parquet "
        f"{r['export']['peak_rss_mb']:.0f} MB{real}; peak {peak:.0f} MB",
        peak < 1024,
    )


def _export_stage(r):
    sizes = r["sizes"]
    txt = "; ".join(
        f"{int(n) // 1000:,}k: {x['peak_rss_mb']:.0f} MB, {x['seconds_per_100k']} s/100k "
        f"(CPU {x['cpu_seconds_per_100k']}), {x['responses_per_s']:,}/s"
        for n, x in sizes.items()
    )
    return (
        f"{txt}; peak x{r['peak_ratio']} from smallest to largest, time per response x{r['time_ratio']}",
        r["meets_target"],
    )


BENCHES = [
    ("LLM calls vs ideal (fake server)", ["bench_llm.py"], _llm),
    (
        "LLM calls at concurrency 1024",
        ["bench_llm.py", "--n", "20000", "--concurrency", "1024", "--latency", "2"],
        _llm_big,
    ),
    ("verify checks/s vs reference", ["bench_verify.py"], _verify),
    ("sandbox executions/s", ["bench_sandbox.py"], _sandbox),
    ("dedupe 20k / 100k / 500k", ["bench_dedupe.py"], _dedupe),
    ("end-to-end demo, embedded model", ["bench_e2e.py"], _e2e),
    ("Ray vs local, CPU-bound stage", ["bench_ray.py"], _ray),
    ("peak RSS, verify + export", ["bench_memory.py", "--export-stage", "0"], _memory),
    (
        "real export sink at 250k / 1M / 4M responses",
        ["bench_memory_export.py", "--responses", "250000", "1000000", "4000000"],
        _export_stage,
    ),
]


def run_one(args: list[str]) -> tuple[dict | None, float, str]:
    t0 = time.time()
    p = subprocess.run([sys.executable, str(HERE / args[0]), *args[1:]], cwd=ROOT, capture_output=True, text=True)
    took = time.time() - t0
    for line in reversed(p.stdout.strip().splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line), took, ""
            except json.JSONDecodeError:
                break
    return None, took, (p.stderr or p.stdout)[-600:]


RESULTS_JSON = HERE / "results.json"  # every benchmark's last raw result, when and under what load


def row(title: str, fmt, entry: dict | None) -> tuple[str, bool]:
    """One table line for a benchmark's kept entry, and whether it met its target."""
    if entry is None:
        return f"| {title} | not measured yet | no | |", False
    res = entry.get("result")
    if res is None:
        text, met = entry.get("error", "failed"), False
    else:
        try:
            text, met = fmt(res)
        except Exception as e:  # a script changed its output: show it rather than hide it
            text, met = f"unreadable result ({type(e).__name__}: {e}): {json.dumps(res)[:200]}", False
    return f"| {title} | {text} | {'yes' if met else 'no'} | {entry['measured']} ({entry['load']:.2f}) |", bool(met)


def render(kept: dict) -> tuple[str, bool]:
    """The table over every benchmark (in BENCHES order) and whether all met their target."""
    lines = ["| benchmark | result | target met | measured (load) |", "|---|---|---|---|"]
    ok_all = True
    for title, _args, fmt in BENCHES:
        line, met = row(title, fmt, kept.get(title))
        lines.append(line)
        ok_all &= met
    return "\n".join(lines), ok_all


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="comma list of script names to run (the other rows keep their last result)")
    a = ap.parse_args()
    only = set(a.only.split(",")) if a.only else None
    unknown = sorted((only or set()) - {args[0] for _t, args, _f in BENCHES})
    if unknown:
        ap.error(f"--only: no benchmark script {unknown}; scripts: {sorted({args[0] for _t, args, _f in BENCHES})}")
    kept = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.is_file() else {}
    ran_ok = True
    for title, args, fmt in BENCHES:
        if only and args[0] not in only:
            continue
        print(f"running {title} ...", file=sys.stderr, flush=True)
        load_before = os.getloadavg()[0]
        if not (HERE / args[0]).exists():
            res, took, err = None, 0.0, f"not available ({args[0]} missing)"
        else:
            res, took, err = run_one(args)
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        entry = {"measured": stamp, "load": load_before, "seconds": round(took, 1), "machine": machine(), "result": res}
        if res is None:
            last = err.strip().splitlines()[-1] if err.strip() else "?"
            entry["error"] = f"failed after {took:.0f} s: {last}"
            ran_ok = False
        kept[title] = entry
        print(row(title, fmt, entry)[0], flush=True)
    table, ok_all = render(kept)
    print("\n" + table)
    RESULTS_JSON.write_text(json.dumps(kept, indent=1) + "\n")
    md = HERE / "RESULTS.md"
    notes = md.read_text(encoding="utf-8") if md.is_file() else ""
    notes = notes[notes.index("\n## ") :] if "\n## " in notes else ""  # hand-written sections stay
    md.write_text(
        f"# Benchmark results\n\n`make bench` runs them all; `bench/run_all.py --only SCRIPT,...` re-measures some "
        f"and keeps the other rows. Each row says when it was measured and the 1-minute load average just before "
        f"(2 cores: above ~0.5 something else was running). Raw results: `bench/results.json`.\n\n"
        f"Machine: {machine()} (each row's machine is in results.json).\n\n{table}\n{notes}"
    )
    return 0 if ok_all and ran_ok else 1


if __name__ == "__main__":
    sys.exit(main())
