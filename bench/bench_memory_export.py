"""Peak RSS and time of the real export sink at several run sizes: does it stay flat?

    python bench/bench_memory_export.py --responses 250000 1000000 4000000

For each size a synthetic run folder (compose / sample / verify shards, 4 responses per
instruction, 1-3 registry constraints each, verdicts computed with `registry.check_many`) is
written by a streaming builder: blocks of 1,250 instructions, each block's three shards written by
one of `--build-workers` processes, so building 4M responses holds one block per process and uses
both cores. Then `run_stage("pipeline.stages.export:ExportSink", ...)` runs in a fresh subprocess;
its peak RSS is that of the whole process tree (the stage and its per-range worker processes, summed and
sampled every 50 ms; never below the stage process's own ru_maxrss), and the user+system CPU seconds of
the stage and its workers are reported beside wall seconds (on a shared machine wall time also measures
the neighbours). Per size: peak RSS, seconds and CPU seconds per 100k responses, responses/s. With
`--verify` the real VerifyStage then redoes every verdict of the size's run and its peak is reported
too. The issue-14 targets are checked: peak at the largest size <= 1.3x the smallest and < 1.5 GB,
seconds per response within 1.5x across sizes, >= 5k responses/s at 1M. Used by bench_memory.py
--export-stage N and run_all.py; the last line printed is one JSON object whose `sizes` hold
`peak_rss_mb` per size.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from operator import itemgetter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PER_INSTRUCTION = 4
BLOCK = 1250  # instructions per block: one compose shard and 5,000-record sample / verify shards
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
TARGETS = {"peak_ratio": 1.3, "peak_mb": 1500, "time_ratio": 1.5, "rate_at_1m": 5000}


def _config(root: Path):
    from pipeline.config import RunConfig

    return RunConfig(run={"name": "membench", "output_dir": str(root), "progress": False})


def _id(*parts: object) -> str:
    return hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).hexdigest()


def _write(folder: Path, name: str, records: list[dict]) -> None:
    """One shard as the runner writes it (records sorted by id, compact JSON lines); no fsync: bench data."""
    from pipeline.jsonl import compact_dumps

    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".part-{name}.jsonl.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.writelines(compact_dumps(r) + "\n" for r in sorted(records, key=itemgetter("id")))
    tmp.replace(folder / f"part-{name}.jsonl")


def build_block(run: Path, block: int, n_ins: int) -> None:
    """Instructions block*BLOCK .. (capped at n_ins) with their responses and verdicts, as three shards."""
    from pipeline.constraints.core import registry

    rng = random.Random(block)
    compose, sample, verify = [], [], []
    for i in range(block * BLOCK, min(n_ins, (block + 1) * BLOCK)):
        cons = rng.sample(CONSTRAINTS, rng.randint(1, 3))
        crecs = [
            {"id": c, "params": p, "source": "registry", "text": registry.get(c).render(p, index=0), "soft": False}
            for c, p in cons
        ]
        iid = _id("ins", i)
        words = itemgetter(*[rng.randrange(5000) for _ in range(30)])(VOCAB)
        text = " ".join(words) + "\n" + "\n".join("- " + c["text"] for c in crecs)
        compose.append({"id": iid, "task_id": _id("task", i // 2), "text": text, "constraints": crecs})
        for j in range(PER_INSTRUCTION):
            rid = _id("resp", i, j)
            body = " ".join(itemgetter(*[rng.randrange(5000) for _ in range(rng.randint(10, 80))])(VOCAB))
            if rng.random() < 0.3:
                body += " river"
            verdicts = registry.check_many(body, cons)
            res = [
                {"index": k, "id": c, "source": "registry", "passed": v, "verifier": "builtin", "reason": ""}
                for k, ((c, _p), v) in enumerate(zip(cons, verdicts))
            ]
            sample.append(
                {"id": rid, "instruction_id": iid, "model": f"m{j % 2}", "text": body, "finish_reason": "stop"}
            )
            verify.append(
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
    for stage, recs in (("compose", compose), ("sample", sample), ("verify", verify)):
        _write(run / stage, f"{block:06d}", recs)


def build(root: Path, responses: int, workers: int = 2) -> None:
    """Stream a synthetic run folder to disk, one block of instructions per task, `workers` processes."""
    run = _config(root).run_dir()
    n_ins = max(1, responses // PER_INSTRUCTION)
    blocks = range(-(-n_ins // BLOCK))
    if workers <= 1:
        for b in blocks:
            build_block(run, b, n_ins)
        return
    with ProcessPoolExecutor(workers) as pool:
        for _ in pool.map(build_block, [run] * len(blocks), blocks, [n_ins] * len(blocks), chunksize=4):
            pass


def _phase_marks() -> dict:
    """Peak RSS so far at the end of each export phase (a high-water mark, so each value covers the
    phases before it too). Wraps the stage's steps by name; if they move, the marks are just missing."""
    marks: dict = {}
    try:
        from pipeline.stages import export as ex

        for owner, name, label in (
            (ex.ExportSink, "_select", "join_and_select"),
            (ex.ExportSink, "_rows", "rows"),
            (ex, "write_outputs", "write"),
        ):
            fn = getattr(owner, name)

            def wrapped(*a, _fn=fn, _label=label, **k):
                t = time.perf_counter()
                try:
                    return _fn(*a, **k)
                finally:
                    marks[_label] = {
                        "seconds": round(time.perf_counter() - t, 1),
                        "peak_rss_mb_so_far": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                    }

            setattr(owner, name, wrapped)
    except (ImportError, AttributeError):
        pass
    return marks


def _tree_rss_kb(pid: int) -> int:
    """RSS of a process and all its descendants (Linux /proc; 0 where unreadable)."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


class TreePeak:
    """Peak of the summed RSS of this process and its children (the export's worker processes), sampled
    every 50 ms by a thread: what the export as a whole holds at once, which ru_maxrss cannot say."""

    def __init__(self) -> None:
        import threading

        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(os.getpid()))

    def __enter__(self) -> TreePeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def stage(root: Path) -> dict:
    from pipeline.runner.run import run_stage

    marks = _phase_marks()
    t = time.perf_counter()
    with TreePeak() as tree:
        s = run_stage("pipeline.stages.export:ExportSink", _config(root), quiet=True, force=True)
    ru = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # the worker processes, once they have exited
    main_mb = ru.ru_maxrss / 1024
    return {
        "ok": bool(s.ok),
        "seconds": round(time.perf_counter() - t, 1),
        "cpu_seconds": round(ru.ru_utime + ru.ru_stime + kids.ru_utime + kids.ru_stime, 1),
        "rows": s.stats.get("rows"),
        # the whole export at once (this process + its workers, sampled), never less than this process alone
        "peak_rss_mb": round(max(main_mb, tree.peak_kb / 1024), 1),
        "main_peak_rss_mb": round(main_mb, 1),
        "worker_peak_rss_mb": round(kids.ru_maxrss / 1024, 1),  # the largest single worker
        "phases": marks,
    }


def verify_stage(root: Path) -> dict:
    """The real VerifyStage redoing every verdict of the run (local executor): its peak is the driver's and
    its batches' (one process), which must not grow with the run's instructions or responses."""
    from pipeline.runner.run import run_stage

    t = time.perf_counter()
    with TreePeak() as tree:
        s = run_stage("pipeline.stages.verify:VerifyStage", _config(root), quiet=True, force=True)
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "ok": bool(s.ok),
        "done": s.done,
        "seconds": round(time.perf_counter() - t, 1),
        "cpu_seconds": round(ru.ru_utime + ru.ru_stime, 1),
        "peak_rss_mb": round(max(ru.ru_maxrss / 1024, tree.peak_kb / 1024), 1),
    }


def export_digest(root: Path) -> str:
    """sha256 over the exported files (names and bytes): equal digests = byte-identical exports."""
    out = _config(root).run_dir() / "export"
    h = hashlib.sha256()
    for p in sorted(out.rglob("*")):
        if p.is_file() and not p.name.startswith("."):
            h.update(str(p.relative_to(out)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def _child(what: str, root: Path, responses: int, workers: int = 2) -> dict:
    cmd = [sys.executable, __file__, "--child", what, "--root", str(root), "--responses", str(responses)]
    cmd += ["--build-workers", str(workers)]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"{what} ({responses} responses) failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def run(
    workdir: str | Path, sizes: list[int] | int, *, build_workers: int = 2, keep: bool = False, verify: bool = False
) -> dict:
    """Build + export at each size (ascending); per size peak RSS and time, and the issue-14 targets."""
    sizes = sorted([sizes // 4, sizes] if isinstance(sizes, int) else sizes)
    out: dict = {"sizes": {}}
    for n in sizes:
        root = Path(workdir) / f"export-{n}"
        if not (_config(root).run_dir() / "verify").is_dir():  # a kept folder is reused
            b = _child("build", root, n, build_workers)
        else:
            b = {"seconds": 0.0}
        os.sync()  # the build's GBs of dirty pages are written back now, not during the measured export
        r = _child("stage", root, n)
        r["build_seconds"] = b["seconds"]
        r["seconds_per_100k"] = round(r["seconds"] * 100_000 / n, 2)
        r["cpu_seconds_per_100k"] = round(r["cpu_seconds"] * 100_000 / n, 2)
        r["responses_per_s"] = round(n / max(r["seconds"], 1e-9))
        r["responses_per_cpu_s"] = round(n / max(r["cpu_seconds"], 1e-9))
        r["export_sha256"] = export_digest(root)
        if verify:  # after the export: verify rewrites the verdicts the export read
            r["verify"] = _child("verify", root, n)
            r["verify"]["seconds_per_100k"] = round(r["verify"]["seconds"] * 100_000 / n, 2)
        out["sizes"][str(n)] = r
        print(
            f"{n:>9,} responses: export {r['seconds']:7.1f} s ({r['seconds_per_100k']:.1f} s/100k, "
            f"CPU {r['cpu_seconds_per_100k']:.1f} s/100k)  peak RSS {r['peak_rss_mb']:7.1f} MB  "
            f"build {b['seconds']:.0f} s  ok={r['ok']}",
            file=sys.stderr,
            flush=True,
        )
        if not keep:
            import shutil

            shutil.rmtree(root, ignore_errors=True)
    rows = [out["sizes"][str(n)] for n in sizes]
    peaks = [r["peak_rss_mb"] for r in rows]
    per = [r["seconds_per_100k"] for r in rows]
    cpu_per = [r["cpu_seconds_per_100k"] for r in rows]
    out["peak_rss_mb"] = max(peaks)
    out["growth_mb"] = round(peaks[-1] - peaks[0], 1)
    out["peak_ratio"] = round(peaks[-1] / peaks[0], 3)
    out["time_ratio"] = round(max(per) / min(per), 3)
    out["cpu_time_ratio"] = round(max(cpu_per) / min(cpu_per), 3)
    out["flat"] = out["peak_ratio"] <= TARGETS["peak_ratio"]
    at_1m = out["sizes"].get("1000000")
    out["targets"] = {
        "peak_ratio_le_1.3": out["flat"],
        "peak_lt_1500_mb": out["peak_rss_mb"] < TARGETS["peak_mb"],
        "time_ratio_le_1.5": out["time_ratio"] <= TARGETS["time_ratio"],
        "rate_at_1m_ge_5000": None if at_1m is None else at_1m["responses_per_s"] >= TARGETS["rate_at_1m"],
    }
    out["meets_target"] = all(v is not False for v in out["targets"].values())
    if verify:
        vpeaks = [r["verify"]["peak_rss_mb"] for r in rows]
        out["verify_peak_ratio"] = round(vpeaks[-1] / vpeaks[0], 3)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--responses", type=int, nargs="+", default=[250_000, 1_000_000, 4_000_000])
    ap.add_argument("--build-workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--keep", help="work folder to keep (and reuse: sizes already built there are not rebuilt)")
    ap.add_argument("--verify", action="store_true", help="also run the real VerifyStage at each size (slow)")
    ap.add_argument("--child", choices=["build", "stage", "verify"], help=argparse.SUPPRESS)
    ap.add_argument("--root", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child == "build":
        t = time.perf_counter()
        build(Path(args.root), args.responses[0], args.build_workers)
        print(json.dumps({"seconds": round(time.perf_counter() - t, 1)}))
        return 0
    if args.child == "stage":
        print(json.dumps(stage(Path(args.root))))
        return 0
    if args.child == "verify":
        print(json.dumps(verify_stage(Path(args.root))))
        return 0
    if args.keep:
        result = {
            "bench": "memory_export",
            **run(args.keep, args.responses, build_workers=args.build_workers, keep=True, verify=args.verify),
        }
    else:
        with tempfile.TemporaryDirectory(prefix="ifgen-memexp-") as tmp:
            result = {
                "bench": "memory_export",
                **run(tmp, args.responses, build_workers=args.build_workers, verify=args.verify),
            }
    for n, r in result["sizes"].items():
        print(
            f"{int(n):>9,} responses: {r['seconds_per_100k']:6.1f} s/100k (CPU {r['cpu_seconds_per_100k']:.1f}), "
            f"{r['responses_per_s']:,} responses/s, peak RSS {r['peak_rss_mb']:7.1f} MB, ok={r['ok']}"
        )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
