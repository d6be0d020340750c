"""Memory of verify-style checking + export-style writing at 1M rows (target: < 1 GB peak RSS).

    python bench/bench_memory.py                      # 1,000,000 rows
    python bench/bench_memory.py --rows 200000 --keep /tmp/memrun

Each phase runs in its own subprocess, so its peak RSS (ru_maxrss) is its own:
  verify  synthetic responses (unique texts, 20-120 words) are checked with
          `registry.check_many` against 3-5 constraints each, and the verdict
          records are written with `runner.files.write_shard` in batches of --batch;
  export  the shards are streamed back with `read_shards_sorted` (k-way merge, one
          line per shard in memory) and written to one Parquet file with
          `pyarrow.parquet.ParquetWriter`, --row-group rows at a time.
Current RSS is also sampled at 25/50/75/100 % of the rows: flat samples mean memory
does not grow with the run. A third phase (--export-stage N, default 200k; 0 skips it)
runs the real export sink (pipeline/stages/export/) on synthetic run folders of N/4
and N responses and reports whether its peak RSS stays flat (bench_memory_export.py);
the headline peak_rss_mb is that of the 1M-row phases. The last line is one JSON object.
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

LIMIT_MB = 1024
WORDS = (
    "river bridge garden market planet harbor lantern compass meadow summit canvas anchor orbit people time "
    "water light city history music science value result system model data team plan idea growth the a of "
    "and to in is it was for on with as by at from this that"
).split()


def rss_mb() -> float:
    """Current resident set size of this process, from /proc (Linux)."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def synthetic_response(rng: random.Random, i: int) -> tuple[str, list[tuple[str, dict]]]:
    n = rng.randint(20, 120)
    body = " ".join(rng.choices(WORDS, k=n))
    lines = [f"Answer {i}: " + body[: len(body) // 2] + ".", body[len(body) // 2 :] + "."]
    if rng.random() < 0.3:
        lines += [f"* point {k} about {rng.choice(WORDS)}" for k in range(rng.randint(1, 4))]
    if rng.random() < 0.2:
        lines.append("P.S. " + rng.choice(WORDS))
    checks = [
        ("punctuation:no_comma", {}),
        ("length_constraints:number_words", {"num_words": rng.randint(20, 120), "relation": "at least"}),
        ("keywords:existence", {"keywords": [rng.choice(WORDS), rng.choice(WORDS)]}),
    ]
    if rng.random() < 0.5:
        checks.append(("detectable_format:number_bullet_lists", {"num_bullets": rng.randint(0, 4)}))
    if rng.random() < 0.5:
        checks.append(("detectable_content:postscript", {"postscript_marker": "P.S."}))
    return "\n".join(lines), checks


def phase_verify(args) -> dict:
    from pipeline.constraints.core import registry
    from pipeline.runner.files import write_shard

    out = Path(args.dir) / "verify"
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    samples, batch, n_pass, t0 = {}, [], 0, time.perf_counter()
    marks = {args.rows * k // 4 for k in (1, 2, 3, 4)}
    for i in range(1, args.rows + 1):
        text, checks = synthetic_response(rng, i)
        verdicts = registry.check_many(text, checks, loose=args.loose)
        n_pass += all(verdicts)
        rid = f"{rng.getrandbits(64):016x}"  # ids in random order, as content hashes are
        batch.append(
            {
                "id": rid,
                "response_id": rid,
                "instruction_id": f"ins-{i % 50_000}",
                "text": text,
                "results": [
                    {"index": k, "id": c, "passed": v, "verifier": "builtin"}
                    for k, ((c, _p), v) in enumerate(zip(checks, verdicts))
                ],
                "all_pass": all(verdicts),
                "fraction": round(sum(verdicts) / len(verdicts), 6),
            }
        )
        if len(batch) == args.batch:
            write_shard(out, f"{i // args.batch:06d}", batch)
            batch = []
        if i in marks:
            samples[f"{100 * i // args.rows}%"] = round(rss_mb(), 1)
    if batch:
        write_shard(out, "last", batch)
    return {
        "rows": args.rows,
        "all_pass": n_pass,
        "seconds": round(time.perf_counter() - t0, 1),
        "rss_mb_at": samples,
        "peak_rss_mb": round(peak_mb(), 1),
    }


def phase_export(args) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.runner.files import list_shards, read_shards_sorted

    shards = list_shards(Path(args.dir) / "verify")
    schema = pa.schema(
        [
            ("id", pa.string()),
            ("instruction_id", pa.string()),
            ("text", pa.string()),
            ("constraint_ids", pa.list_(pa.string())),
            ("passed", pa.list_(pa.bool_())),
            ("all_pass", pa.bool_()),
            ("fraction", pa.float64()),
        ]
    )
    path = Path(args.dir) / "export.parquet"
    samples, t0, n, last_id = {}, time.perf_counter(), 0, ""
    marks = {args.rows * k // 4 for k in (1, 2, 3, 4)}
    cols: dict[str, list] = {name: [] for name in schema.names}
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for r in read_shards_sorted(shards):
            if r["id"] < last_id:
                raise AssertionError(f"merge out of order at row {n}: {r['id']} < {last_id}")
            last_id = r["id"]
            cols["id"].append(r["id"])
            cols["instruction_id"].append(r["instruction_id"])
            cols["text"].append(r["text"])
            cols["constraint_ids"].append([x["id"] for x in r["results"]])
            cols["passed"].append([x["passed"] for x in r["results"]])
            cols["all_pass"].append(r["all_pass"])
            cols["fraction"].append(r["fraction"])
            n += 1
            if len(cols["id"]) == args.row_group:
                writer.write_table(pa.table(cols, schema=schema))
                cols = {name: [] for name in schema.names}
            if n in marks:
                samples[f"{100 * n // args.rows}%"] = round(rss_mb(), 1)
        if cols["id"]:
            writer.write_table(pa.table(cols, schema=schema))
    meta = pq.ParquetFile(path).metadata
    return {
        "rows": n,
        "shards": len(shards),
        "row_groups": meta.num_row_groups,
        "rows_in_file": meta.num_rows,
        "parquet_mb": round(path.stat().st_size / 2**20, 1),
        "seconds": round(time.perf_counter() - t0, 1),
        "rss_mb_at": samples,
        "peak_rss_mb": round(peak_mb(), 1),
    }


PHASES = {"verify": phase_verify, "export": phase_export}


def run_phase(name: str, args, extra: list[str] | None = None) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--phase",
        name,
        "--dir",
        args.dir,
        "--rows",
        str(args.rows),
        "--batch",
        str(args.batch),
        "--row-group",
        str(args.row_group),
        *(["--loose"] if args.loose else []),
        *(extra or []),
    ]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"phase {name} failed ({res.returncode}):\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=10_000, help="records per shard")
    ap.add_argument("--row-group", type=int, default=50_000, help="Parquet rows per row group")
    ap.add_argument("--loose", action="store_true", help="check loose instead of strict")
    ap.add_argument("--dir", default=None, help="work folder (default: a temp folder, removed)")
    ap.add_argument("--keep", default=None, help="work folder to keep")
    ap.add_argument(
        "--export-stage",
        type=int,
        default=200_000,
        metavar="N",
        help="also run the real export sink on synthetic runs of N/4 and N responses (0: skip)",
    )
    ap.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:  # child: one phase, one JSON line
        print(json.dumps(PHASES[args.phase](args)))
        return 0
    with tempfile.TemporaryDirectory(prefix="ifgen-mem-") as tmp:
        args.dir = args.keep or args.dir or tmp
        Path(args.dir).mkdir(parents=True, exist_ok=True)
        result = {"bench": "memory", "rows": args.rows, "limit_mb": LIMIT_MB}
        for name in ("verify", "export"):
            r = run_phase(name, args)
            print(
                f"{name:7s}: {r['seconds']:7.1f} s  peak RSS {r['peak_rss_mb']:7.1f} MB  RSS at {r['rss_mb_at']}",
                flush=True,
            )
            result[name] = r
        if args.export_stage:
            from bench import bench_memory_export

            r = bench_memory_export.run(args.dir, args.export_stage)
            for n, x in r["sizes"].items():
                print(
                    f"stage  : export sink on {int(n):,} responses: {x['seconds']} s, peak RSS {x['peak_rss_mb']} MB",
                    flush=True,
                )
            result["export_stage"] = r
        peaks = [result[p]["peak_rss_mb"] for p in ("verify", "export")]
        if "export_stage" in result:  # the real export sink counts too: the target is verify + export
            peaks.append(result["export_stage"]["peak_rss_mb"])
        result["peak_rss_mb"] = max(peaks)
        result["meets_target"] = max(peaks) < LIMIT_MB
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
