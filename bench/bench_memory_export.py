"""Peak RSS of the real export sink at two run sizes: does its memory stay flat?

    python bench/bench_memory_export.py --responses 50000 200000

For each size a synthetic run folder (compose / sample / verify shards, 4
responses per instruction, 1-3 registry constraints each, verdicts computed
with `registry.check_many`) is written by a streaming builder in a subprocess,
then `run_stage("pipeline.stages.export:ExportSink", ...)` runs in a fresh
subprocess whose ru_maxrss is the stage's own peak. Flat means the peak at the
large size is close to the peak at the small one. Used by bench_memory.py
--export-stage N; the last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PER_INSTRUCTION = 4
_R = random.Random(1)
# a large pseudo vocabulary: prompts as unlike each other as real ones (few near-duplicates)
VOCAB = ["".join(_R.choice("abcdefghijklmnoprstuvwy") for _ in range(_R.randint(3, 9))) for _ in range(5000)]
CONSTRAINTS = [
    ("keywords:existence", {"keywords": ["river"]}),
    ("punctuation:no_comma", {}),
    ("length_constraints:number_words", {"relation": "less than", "num_words": 60}),
    ("detectable_format:title", {}),
    ("detectable_content:postscript", {"postscript_marker": "P.S."}),
]


def _config(root: Path):
    from pipeline.config import RunConfig

    return RunConfig(run={"name": "membench", "output_dir": str(root), "progress": False})


def build(root: Path, responses: int, shard: int = 5000) -> None:
    """Stream a synthetic run folder to disk, `shard` records per shard file."""
    from pipeline.constraints.core import registry
    from pipeline.records import content_id
    from pipeline.runner.files import write_shard

    run = _config(root).run_dir()
    rng = random.Random(0)
    buf: dict[str, list] = {"compose": [], "sample": [], "verify": []}
    n_ins = max(1, responses // PER_INSTRUCTION)

    def flush(stage: str, force: bool = False) -> None:
        if buf[stage] and (force or len(buf[stage]) >= shard):
            write_shard(run / stage, f"{flush.k[stage]:06d}", buf[stage])
            flush.k[stage] += 1
            buf[stage] = []

    flush.k = {s: 0 for s in buf}
    for i in range(n_ins):
        cons = rng.sample(CONSTRAINTS, rng.randint(1, 3))
        crecs = [
            {"id": c, "params": p, "source": "registry", "text": registry.get(c).render(p, index=0), "soft": False}
            for c, p in cons
        ]
        iid = content_id("ins", i)
        text = " ".join(rng.choices(VOCAB, k=30)) + "\n" + "\n".join("- " + c["text"] for c in crecs)
        buf["compose"].append({"id": iid, "task_id": content_id("task", i // 2), "text": text, "constraints": crecs})
        for j in range(PER_INSTRUCTION):
            rid = content_id("resp", i, j)
            body = " ".join(rng.choices(VOCAB, k=rng.randint(10, 80)))
            if rng.random() < 0.3:
                body += " river"
            verdicts = registry.check_many(body, cons)
            res = [
                {"index": k, "id": c, "source": "registry", "passed": v, "verifier": "builtin", "reason": ""}
                for k, ((c, _p), v) in enumerate(zip(cons, verdicts))
            ]
            buf["sample"].append(
                {"id": rid, "instruction_id": iid, "model": f"m{j % 2}", "text": body, "finish_reason": "stop"}
            )
            buf["verify"].append(
                {
                    "id": rid,
                    "response_id": rid,
                    "instruction_id": iid,
                    "task_id": "",
                    "model": f"m{j % 2}",
                    "results": res,
                    "n_verifiable": len(res),
                    "all_pass": all(verdicts),
                    "fraction": sum(verdicts) / len(verdicts),
                    "generated_agreement": [],
                }
            )
        for stage in buf:
            flush(stage)
    for stage in buf:
        flush(stage, force=True)


def stage(root: Path) -> dict:
    from pipeline.runner.run import run_stage

    t = time.perf_counter()
    s = run_stage("pipeline.stages.export:ExportSink", _config(root), quiet=True)
    return {
        "ok": bool(s.ok),
        "seconds": round(time.perf_counter() - t, 1),
        "rows": s.stats.get("rows"),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _child(what: str, root: Path, responses: int) -> dict:
    cmd = [sys.executable, __file__, "--child", what, "--root", str(root), "--responses", str(responses)]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"{what} ({responses} responses) failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def run(workdir: str | Path, sizes: list[int] | int) -> dict:
    """Build + export at each size (ascending); peak RSS per size and whether it stayed flat."""
    sizes = sorted([sizes // 4, sizes] if isinstance(sizes, int) else sizes)
    out: dict = {"sizes": {}}
    for n in sizes:
        root = Path(workdir) / f"export-{n}"
        b = _child("build", root, n)
        r = _child("stage", root, n)
        r["build_seconds"] = b["seconds"]
        out["sizes"][str(n)] = r
    peaks = [out["sizes"][str(n)]["peak_rss_mb"] for n in sizes]
    out["peak_rss_mb"] = max(peaks)
    out["growth_mb"] = round(peaks[-1] - peaks[0], 1)
    out["flat"] = peaks[-1] <= 1.25 * peaks[0]  # within 25 % while the input grew len(sizes)-fold
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--responses", type=int, nargs="+", default=[50_000, 200_000])
    ap.add_argument("--child", choices=["build", "stage"], help=argparse.SUPPRESS)
    ap.add_argument("--root", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child == "build":
        t = time.perf_counter()
        build(Path(args.root), args.responses[0])
        print(json.dumps({"seconds": round(time.perf_counter() - t, 1)}))
        return 0
    if args.child == "stage":
        print(json.dumps(stage(Path(args.root))))
        return 0
    with tempfile.TemporaryDirectory(prefix="ifgen-memexp-") as tmp:
        result = {"bench": "memory_export", **run(tmp, args.responses)}
    for n, r in result["sizes"].items():
        print(f"{n:>8} responses: export {r['seconds']:6.1f} s  peak RSS {r['peak_rss_mb']:7.1f} MB  ok={r['ok']}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
