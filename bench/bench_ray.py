"""Ray vs local on a CPU-bound stage (verify with built-in checkers), same synthetic run.

Writes synthetic compose + sample shards, runs `verify` with the local executor and with a
local 2-CPU Ray cluster (startup included), checks both outputs are identical. One JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.config import RunConfig  # noqa: E402
from pipeline.records import content_id  # noqa: E402
from pipeline.runner.files import list_shards, read_shards_sorted, write_shard  # noqa: E402
from pipeline.runner.run import run_stage  # noqa: E402

WORDS = (
    "river garden market planet harbor lantern compass meadow summit canvas anchor orbit balance clarity "
    "context detail evidence example focus future growth history impact journey lesson method"
).split()
CONSTRAINTS = [
    ("punctuation:no_comma", {}),
    ("length_constraints:number_words", {"num_words": 150, "relation": "at least"}),
    ("keywords:existence", {"keywords": ["river", "garden"]}),
    ("length_constraints:number_sentences", {"num_sentences": 12, "relation": "less than"}),
    ("detectable_format:number_bullet_lists", {"num_bullets": 3}),
    ("change_case:english_lowercase", {}),
    ("keywords:letter_frequency", {"letter": "a", "let_frequency": 10, "let_relation": "at least"}),
    ("detectable_content:postscript", {"postscript_marker": "P.S."}),
]


def synth(run_dir: Path, n: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    instructions, responses = [], []
    for i in range(n):
        cons = rng.sample(CONSTRAINTS, rng.randint(2, 5))
        iid = content_id("bench-ins", i)
        instructions.append(
            {
                "id": iid,
                "task_id": content_id("bench-task", i // 4),
                "text": f"task {i}",
                "constraints": [
                    {"id": c, "params": p, "source": "registry", "soft": False, "text": c} for c, p in cons
                ],
                "_item": iid,
            }
        )
        sents = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18))).capitalize() + "."
            for _ in range(rng.randint(4, 20))
        ]
        text = " ".join(sents)
        if rng.random() < 0.3:
            text = text.lower()
        if rng.random() < 0.3:
            text += "\n* one\n* two\n* three"
        rid = content_id("bench-resp", i)
        responses.append(
            {"id": rid, "instruction_id": iid, "model": "synthetic", "sample_index": 0, "text": text, "_item": iid}
        )
    for k in range(0, n, 500):
        write_shard(run_dir / "compose", f"s{k}", instructions[k : k + 500])
        write_shard(run_dir / "sample", f"s{k}", responses[k : k + 500])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=12000)
    a = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="ifgen-bench-ray-"))
    times = {}
    import ray

    t0 = time.time()
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
        runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}},
    )
    startup = round(time.time() - t0, 2)
    for ex in ("local", "ray"):
        synth(base / ex, a.n)
        cfg = RunConfig(
            run={"name": ex, "output_dir": str(base), "batch_size": 250, "progress": False, "max_inflight_batches": 4},
            verify={"judge": False},
        )
        t0 = time.time()
        s = run_stage("pipeline.stages.verify:VerifyStage", cfg, executor=ex, quiet=True)
        times[ex] = round(time.time() - t0, 2)
        assert s.ok, s.errors
    rows = {ex: list(read_shards_sorted(list_shards(base / ex / "verify"))) for ex in times}
    for r in rows["local"] + rows["ray"]:
        r.pop("_item", None)
    same = rows["local"] == rows["ray"]
    ray.shutdown()
    print(
        json.dumps(
            {
                "bench": "ray",
                "responses": a.n,
                "local_s": times["local"],
                "ray_s": times["ray"],
                "ray_startup_s": startup,
                "speedup": round(times["local"] / times["ray"], 2),
                "identical": same,
            }
        )
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
