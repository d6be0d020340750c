"""Throughput and peak memory of the export stage on a synthetic run.

    python bench/bench_export.py --instructions 20000 --responses 4

Builds compose/sample/verify shards (verdicts are random here: this measures
joining, selection and writing, not checking), runs the export once, prints
seconds, rows written and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.config import RunConfig  # noqa: E402
from pipeline.constraints.core import registry  # noqa: E402
from pipeline.records import content_id  # noqa: E402
from pipeline.runner.files import write_shard  # noqa: E402
from pipeline.runner.run import run_stage  # noqa: E402

_R = random.Random(1)
# a 3000-word pseudo vocabulary, so prompts are as unlike each other as real ones (a tiny vocabulary
# makes every prompt a near-duplicate candidate of every other)
WORDS = ["".join(_R.choice("abcdefghijklmnoprstuvwy") for _ in range(_R.randint(3, 9))) for _ in range(3000)]
CONS = [
    ("keywords:existence", {"keywords": ["river"]}),
    ("punctuation:no_comma", {}),
    ("length_constraints:number_words", {"relation": "less than", "num_words": 60}),
    ("ifgen:max_chars", {"max_chars": 300}),
    ("change_case:english_lowercase", {}),
]


def build(root: Path, n: int, m: int) -> RunConfig:
    cfg = RunConfig(run={"name": "bench", "output_dir": str(root), "progress": False})
    rng = random.Random(0)
    ins, resp, ver = [], [], []
    for i in range(n):
        cons = rng.sample(CONS, rng.randint(1, 3))
        crecs = [
            {"id": c, "params": p, "source": "registry", "text": registry.get(c).render(p, index=0), "soft": False}
            for c, p in cons
        ]
        text = " ".join(rng.choice(WORDS) for _ in range(30)) + "\n" + "\n".join("- " + c["text"] for c in crecs)
        iid = content_id("i", i)
        ins.append({"id": iid, "task_id": content_id("t", i // 2), "text": text, "constraints": crecs})
        for j in range(m):
            rid = content_id("r", i, j)
            body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 80)))
            resp.append({"id": rid, "instruction_id": iid, "model": f"m{j % 2}", "text": body, "finish_reason": "stop"})
            res = [
                {"index": k, "id": c["id"], "source": "registry", "passed": rng.random() < 0.6, "verifier": "builtin"}
                for k, c in enumerate(crecs)
            ]
            ok = [r["passed"] for r in res]
            ver.append(
                {
                    "id": rid,
                    "instruction_id": iid,
                    "response_id": rid,
                    "model": f"m{j % 2}",
                    "results": res,
                    "all_pass": all(ok),
                    "fraction": sum(ok) / len(ok),
                    "n_verifiable": len(ok),
                }
            )
    run = cfg.run_dir()
    for stage, recs in (("compose", ins), ("sample", resp), ("verify", ver)):
        for k in range(0, len(recs), 5000):
            write_shard(run / stage, f"{k:08d}", recs[k : k + 5000])
    return cfg


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--instructions", type=int, default=20000)
    ap.add_argument("--responses", type=int, default=4)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cfg = build(Path(tmp), a.instructions, a.responses)
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t = time.perf_counter()
        s = run_stage("pipeline.stages.export:ExportSink", cfg, quiet=True)
        dt = time.perf_counter() - t
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            f"instructions={a.instructions} responses={a.instructions * a.responses} ok={s.ok} "
            f"seconds={dt:.1f} rows={s.stats.get('rows')} removed_dup={s.stats['funnel']['removed_duplicates']} "
            f"peak_rss_mb={rss / 1024:.0f} (after building inputs: {rss0 / 1024:.0f})"
        )


if __name__ == "__main__":
    main()
