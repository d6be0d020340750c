"""A small, truthful synthetic run folder for the export / push / report tests.

Instructions use real registry constraints and every verdict is computed with
`registry.check`, so anything the export re-checks (RPO pairs, RL ground truth)
must agree with these verdicts. Planted on purpose: an exact-duplicate and a
near-duplicate instruction, a duplicate response, a truncated response, a
freeform (generated-checker) constraint, and HTML in one response (report escaping).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from pipeline.config import RunConfig
from pipeline.constraints.core import registry
from pipeline.records import content_id
from pipeline.runner import fingerprint
from pipeline.runner.executors import load_stage_class
from pipeline.runner.files import write_shard
from pipeline.runner.state import StateDB
from pipeline.stages import STAGES

TOPICS = [
    "volcanoes",
    "honeybees",
    "lighthouses",
    "glaciers",
    "bicycles",
    "tea ceremonies",
    "comets",
    "coral reefs",
    "typewriters",
    "windmills",
    "origami",
    "sourdough bread",
    "jazz drumming",
    "moss gardens",
]

CONSTRAINT_SETS = [
    [
        ("keywords:existence", {"keywords": ["bright"]}),
        ("length_constraints:number_words", {"relation": "less than", "num_words": 40}),
    ],
    [("change_case:english_lowercase", {}), ("punctuation:no_comma", {})],
    [("ifgen:max_chars", {"max_chars": 160}), ("keywords:existence", {"keywords": ["bright"]})],
    [
        ("length_constraints:number_words", {"relation": "at least", "num_words": 30}),
        ("detectable_content:postscript", {"postscript_marker": "P.S."}),
    ],
    [("keywords:existence", {"keywords": ["bright"]}), ("freeform", {})],
]

FREEFORM_TEXT = "Mention a historical anecdote."


_ASKS = [
    "for a school newsletter, covering where they are found and why people care.",
    "as if explaining them to a curious eight-year-old on a rainy afternoon.",
    "in the voice of a museum guide pointing out one surprising detail.",
    "for a travel blog, including one practical tip for first-time visitors.",
    "as a product description on an imaginary online shop.",
    "summarising a recent scientific finding for a general audience.",
    "as a diary entry written after seeing them for the first time.",
    "for a radio segment that lasts about thirty seconds.",
    "as advice from a grandparent who has known them all their life.",
    "comparing them with something from everyday kitchen life.",
]


def constraint_record(cid: str, params: dict, i: int) -> dict:
    if cid == "freeform":
        return {
            "id": "ff-" + content_id(FREEFORM_TEXT, length=8),
            "params": {},
            "source": "freeform",
            "text": FREEFORM_TEXT,
            "soft": False,
        }
    return {
        "id": cid,
        "params": params,
        "source": "registry",
        "text": registry.get(cid).render(params, index=0),
        "soft": False,
    }


def response_texts(topic: str) -> list[str]:
    short = f"the {topic} are bright and calm today"
    long_ = (
        f"{topic.title()}, in short, are remarkable. People study {topic} closely, write about them, "
        f"and share what they learn with friends and family across many seasons and many places.\n\n"
        f"P.S. I like {topic}."
    )
    medium = f"Here is a bright note about {topic}: they matter, they endure, and they inspire us every day."
    lower_long = " ".join(["the", topic, "keep", "going", "and", "people", "notice", "them", "every", "day"] * 4)
    return [short, long_, medium, lower_long]


def verdict(resp: dict, instr: dict) -> dict:
    results = []
    for i, c in enumerate(instr["constraints"]):
        if c["source"] == "freeform":
            passed, verifier = ("anecdote" in resp["text"]), "generated"
        else:
            passed, verifier = registry.check(c["id"], resp["text"], c["params"]), "builtin"
        results.append(
            {"index": i, "id": c["id"], "source": c["source"], "passed": passed, "verifier": verifier, "reason": ""}
        )
    ver = [r["passed"] for r in results if r["passed"] is not None]
    frac = sum(ver) / len(ver) if ver else None
    return {
        "id": resp["id"],
        "instruction_id": instr["id"],
        "response_id": resp["id"],
        "model": resp["model"],
        "results": results,
        "all_pass": bool(ver) and all(ver),
        "fraction": frac,
        "n_verifiable": len(ver),
    }


def make_run(root: Path, name: str = "synth", n_topics: int = 10, **export) -> RunConfig:
    cfg = RunConfig(**{"run": {"name": name, "output_dir": str(root), "progress": False}, "export": export})
    run_dir = cfg.run_dir()
    rng = random.Random(7)
    instructions, responses, verdicts = [], [], []
    for t, topic in enumerate(TOPICS[:n_topics]):
        task_id = content_id("task", topic)
        for k in range(2):
            cset = CONSTRAINT_SETS[(t + k) % len(CONSTRAINT_SETS)]
            cons = [constraint_record(cid, p, i) for i, (cid, p) in enumerate(cset)]
            text = f"Write a short note about {topic} {_ASKS[(t + 5 * k) % len(_ASKS)]}\n\n" + "\n".join(
                f"- {c['text']}" for c in cons
            )
            instructions.append(
                {
                    "id": content_id("instr", topic, k),
                    "task_id": task_id,
                    "seed_id": "s" + str(t),
                    "text": text,
                    "language": "en",
                    "category": "writing",
                    "constraints": cons,
                    "pattern": "listing",
                    "difficulty": "L2",
                    "checks": {},
                }
            )
    # planted duplicates: exact copy of instruction 0 (other task), near copy of instruction 2 (same constraints)
    dup = dict(instructions[0], id=content_id("dup-exact"), task_id=content_id("task", "dup-exact"))
    near = dict(
        instructions[2],
        id=content_id("dup-near"),
        task_id=content_id("task", "dup-near"),
        text=instructions[2]["text"].replace("Write a short note", "Write a brief note"),
    )
    instructions += [dup, near]
    for ins in instructions:
        topic = next(t for t in TOPICS if t in ins["text"])
        texts = response_texts(topic)
        if ins is instructions[1]:
            texts.append(texts[0])  # duplicate response within one prompt
            texts.append("<script>alert('x')</script> & <b>bold</b> " + texts[2])
        for j, txt in enumerate(texts):
            model = "model-a" if j % 2 == 0 else "model-b"
            rid = content_id("resp", ins["id"], j)
            r = {
                "id": rid,
                "instruction_id": ins["id"],
                "model": model,
                "sample_index": j,
                "text": txt,
                "reasoning": None,
                "finish_reason": "length" if (j == 3 and rng.random() < 0.3) else "stop",
                "prompt_tokens": 50 + j,
                "completion_tokens": len(txt.split()),
                "cost": 0.0001 * (j + 1),
                "latency_s": 0.5,
            }
            responses.append(r)
            verdicts.append(verdict(r, ins))
    for stage, recs in (("compose", instructions), ("sample", responses), ("verify", verdicts)):
        folder = run_dir / stage
        folder.mkdir(parents=True, exist_ok=True)
        half = len(recs) // 2  # two shards, like a batched run
        write_shard(folder, content_id(stage, 1), recs[:half])
        write_shard(folder, content_id(stage, 2), recs[half:])
        (folder / "stats.json").write_text(json.dumps({"records": len(recs)}))
    checkers = [
        {
            "id": "ff-" + content_id(FREEFORM_TEXT, length=8),
            "constraint_text": FREEFORM_TEXT,
            "kept": True,
            "functions": ["def evaluate(r): return 'anecdote' in r"],
            "cases": [],
            "accuracy": 0.9,
        },
        {
            "id": "chk-reg",
            "constraint_text": "no commas",
            "kept": True,
            "functions": [],
            "cases": [],
            "accuracy": 1.0,
            "registry_id": "punctuation:no_comma",
            "agreement": {"precision": 0.95, "recall": 0.9, "n": 40},
        },
    ]
    write_shard(run_dir / "checkers", "c1", checkers)
    db = StateDB(run_dir / "state.sqlite")
    try:
        for stage, n in (
            ("seeds", 14),
            ("expand", 14),
            ("compose", len(instructions)),
            ("sample", len(instructions)),
            ("verify", len(responses)),
        ):
            db.add_pending(stage, [f"{stage}-{i}" for i in range(n)])
            db.commit_batch(stage, None, 0, [f"{stage}-{i}" for i in range(n)], [])
        db.add_usage(
            "sample",
            {
                "model-a": {"requests": 30, "prompt_tokens": 1500, "completion_tokens": 900, "cost": 0.012},
                "model-b": {"requests": 30, "prompt_tokens": 1500, "completion_tokens": 800, "cost": 0.02},
            },
        )
        db.add_usage(
            "compose", {"model-a": {"requests": 10, "prompt_tokens": 400, "completion_tokens": 300, "cost": 0.003}}
        )
        # as if each stage had run under this config (what the runner records), so its inputs are not stale
        inputs = fingerprint.Inputs(db)
        for stage in ("seeds", "expand", "compose", "sample", "checkers", "verify"):
            step = load_stage_class(STAGES[stage].target)(cfg, run_dir)
            fingerprint.record(db, step, inputs.of(step))
    finally:
        db.close()
    return cfg


def load_records(run_dir: Path, stage: str) -> list[dict]:
    from pipeline.runner.files import list_shards, read_jsonl

    return [r for p in list_shards(run_dir / stage) for r in read_jsonl(p)]
