"""`make soak`: the whole pipeline against the fake server with injected faults, killed ten times.

A fake OpenAI server (pipeline-aware replies, 20% injected 429 / 500 / hang / malformed faults)
runs on a thread here. `ifgen run` is started as a subprocess and SIGKILLed at random moments
ten times, then allowed to finish; a clean run (no faults, no kills) goes into another folder.
The soak then compares every exported dataset row and prints what differs. The goal: nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.testkit.responder import pipeline_reply  # noqa: E402
from pipeline.testkit.threaded import ThreadedFakeServer  # noqa: E402


def ifgen_cmd(url: str, out: Path, run: str, extra: list[str]) -> list[str]:
    sets = [
        f"llm.api_base={url}",
        "llm.model=openai/fake",
        f"run.output_dir={out}",
        "run.progress=false",
        "llm.timeout_s=3",
        "llm.max_retries=8",
        "llm.backoff_base_s=0.05",
        "llm.backoff_max_s=0.5",
        "llm.retry_after_max_s=1",
        "compose.instructions_per_task=2",
        "sample.n=4",
        "run.batch_size=4",
        *extra,
    ]
    args = [x for s in sets for x in ("--set", s)]
    return [sys.executable, "-m", "pipeline", "run", "--config", "configs/demo.yaml", "--run", run, *args]


def export_rows(run_dir: Path) -> dict[str, list[str]]:
    """Every exported row, as canonical JSON, per dataset file."""
    import pyarrow.parquet as pq

    out: dict[str, list[str]] = {}
    for f in sorted((run_dir / "export").rglob("*")):
        rel = str(f.relative_to(run_dir / "export"))
        if f.suffix == ".parquet":
            rows = pq.read_table(f).to_pylist()
        elif f.suffix == ".jsonl":
            rows = [json.loads(x) for x in f.read_text().splitlines() if x.strip()]
        else:
            continue
        out[rel] = sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=10)
    ap.add_argument("--fault-rate", type=float, default=0.2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--seeds-limit", type=int, default=12)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    out = Path(tempfile.mkdtemp(prefix="ifgen-soak-"))
    extra = [f"seeds.limit={a.seeds_limit}"]
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    t0 = time.time()
    with ThreadedFakeServer(reply=pipeline_reply) as clean_srv:
        clean = subprocess.run(
            ifgen_cmd(clean_srv.url, out, "clean", extra), cwd=ROOT, env=env, capture_output=True, text=True
        )
    if clean.returncode != 0:
        print(clean.stderr[-3000:], file=sys.stderr)
        return 2
    clean_s = time.time() - t0
    kills = attempts = 0
    with ThreadedFakeServer(
        reply=pipeline_reply, fault_rate=a.fault_rate, hang_s=30, retry_after=0.2, seed=a.seed
    ) as srv:
        while kills < a.kills and attempts < a.kills * 4:
            attempts += 1
            p = subprocess.Popen(
                ifgen_cmd(srv.url, out, "soak", extra),
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(rng.uniform(0.5, max(1.0, clean_s * 0.8)))
            if p.poll() is None:
                os.kill(p.pid, signal.SIGKILL)
                kills += 1
            p.wait()
        final_rc = None
        for _ in range(5):  # items that failed every retry are retried by rerunning, as a user would
            final = subprocess.run(
                ifgen_cmd(srv.url, out, "soak", extra), cwd=ROOT, env=env, capture_output=True, text=True
            )
            final_rc = final.returncode
            if final_rc == 0:
                break
        faults = dict(srv.stats().get("faults", {}))
    a_rows, b_rows = export_rows(out / "clean"), export_rows(out / "soak")
    diffs = []
    for name in sorted(set(a_rows) | set(b_rows)):
        x, y = a_rows.get(name, []), b_rows.get(name, [])
        if x != y:
            diffs.append(
                {
                    "file": name,
                    "clean_rows": len(x),
                    "soak_rows": len(y),
                    "only_clean": len(set(x) - set(y)),
                    "only_soak": len(set(y) - set(x)),
                }
            )
    res = {
        "bench": "soak",
        "kills": kills,
        "fault_rate": a.fault_rate,
        "faults_injected": faults,
        "final_rc": final_rc,
        "files_compared": len(a_rows),
        "rows_compared": sum(map(len, a_rows.values())),
        "differences": diffs,
        "out": str(out),
    }
    for d in diffs:
        print(
            f"DIFFERS {d['file']}: clean {d['clean_rows']} rows, soak {d['soak_rows']} rows "
            f"({d['only_clean']} only in clean, {d['only_soak']} only in soak)"
        )
    print(
        f"soak: {kills} kills, {sum(faults.values()) if faults else 0} faults injected, "
        f"{res['rows_compared']} rows in {len(a_rows)} files compared, {len(diffs)} differing files"
    )
    print(json.dumps(res))
    return 0 if not diffs and final_rc == 0 and a_rows else 1


if __name__ == "__main__":
    sys.exit(main())
