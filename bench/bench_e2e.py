"""End-to-end demo on the embedded model: wall time per stage, generation tokens/s, what it exported.

Runs `ifgen run --config configs/demo.yaml` into a fresh folder (no cache), then reads the
state DB for token usage and stage timings. One JSON line at the end.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default="configs/demo.yaml")
    ap.add_argument("--set", dest="sets", action="append", default=[])
    a = ap.parse_args()
    out = Path(tempfile.mkdtemp(prefix="ifgen-bench-e2e-"))
    sets = [x for s in [f"run.output_dir={out}", "run.progress=false", *a.sets] for x in ("--set", s)]
    t0 = time.time()
    p = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--config", a.config, "--run", "e2e", *sets],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    wall = time.time() - t0
    if p.returncode != 0:
        print(p.stderr[-3000:], file=sys.stderr)
    db = sqlite3.connect(out / "e2e" / "state.sqlite")
    stages = {s: round(f - st, 2) for s, st, f in db.execute("SELECT stage, started_at, finished_at FROM stage_runs")}
    comp = db.execute(
        "SELECT COALESCE(SUM(completion_tokens),0), COALESCE(SUM(prompt_tokens),0), "
        "COALESCE(SUM(requests),0) FROM usage"
    ).fetchone()
    stats_file = out / "e2e" / "export" / "stats.json"
    exported = json.loads(stats_file.read_text()) if stats_file.is_file() else {}
    llm_time = sum(stages.get(s, 0) for s in ("expand", "sample", "checkers", "verify", "compose"))
    res = {
        "bench": "e2e",
        "ok": p.returncode == 0,
        "wall_s": round(wall, 1),
        "stage_s": stages,
        "completion_tokens": comp[0],
        "prompt_tokens": comp[1],
        "requests": comp[2],
        "gen_tokens_per_s": round(comp[0] / llm_time, 1) if llm_time else None,
        "run_dir": str(out / "e2e"),
        # what the demo exported: rows per dataset, the pass-rate summary, counts by prompt shape
        "export": {k: exported[k] for k in ("rows", "passrate", "shapes") if k in exported},
    }
    print(json.dumps(res))
    return 0 if p.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
