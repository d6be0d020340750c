"""The routed, per-range join (pipeline/stages/export/join.py) gives what one merge-join pass over the k-way
merged sample and verify shards gave: the same joined lines and scores in every range, the same counts."""

from __future__ import annotations

import bisect
import heapq
import json
import random
from collections import Counter
from pathlib import Path

import pytest

from pipeline.runner.executors import TaskPool
from pipeline.stages.export.join import join_shards
from pipeline.stages.export.store import RESPONSES, SCORES, JoinedRanges, read_chunks


def _write(folder: Path, shards: list[list[dict]]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k, recs in enumerate(shards):
        p = folder / f"part-{k:06d}.jsonl"
        p.write_text("".join(json.dumps(r) + "\n" for r in sorted(recs, key=lambda r: r["id"])))
        paths.append(p)
    return paths


def _merged(paths: list[Path]):
    streams = [[(json.loads(line), line) for line in p.read_text().splitlines(keepends=True)] for p in paths]
    return heapq.merge(*streams, key=lambda t: t[0]["id"])


def _one_pass(bounds: list[str], sample: list[Path], verify: list[Path]):
    """The single merge-join pass the export made before its join became tasks (the oracle)."""
    counts: Counter[str] = Counter()
    models: set[str] = set()
    out: dict[int, tuple[list[str], list]] = {}
    rs, vs = _merged(sample), _merged(verify)
    r, v = next(rs, None), next(vs, None)
    held = None

    def emit(h):
        k = max(0, bisect.bisect_right(bounds, h[1]) - 1)
        lines, scores = out.setdefault(k, ([], []))
        lines += [h[2], h[3]]
        scores.append((h[1], h[4]))

    while r is not None or v is not None:
        if v is None or (r is not None and r[0]["id"] < v[0]["id"]):
            counts["responses"] += 1
            counts["responses_without_verdict"] += 1
            r = next(rs, None)
            continue
        if r is None or v[0]["id"] < r[0]["id"]:
            counts["verdicts"] += 1
            counts["verdicts_without_response"] += 1
            v = next(vs, None)
            continue
        counts.update(responses=1, verdicts=1, joined=1)
        models.add(str(r[0].get("model") or v[0].get("model") or ""))
        if held is not None and held[0] != r[0]["id"]:
            emit(held)
        held = (r[0]["id"], r[0]["instruction_id"], r[1], v[1], v[0].get("fraction"))
        r, v = next(rs, None), next(vs, None)
    if held is not None:
        emit(held)
    return counts, models, out


def _run(tmp: Path, seed: int):
    rng = random.Random(seed)
    ins = sorted({f"i{rng.randrange(10**6):06d}" for _ in range(40)})
    sample_shards: list[list[dict]] = [[] for _ in range(4)]
    verify_shards: list[list[dict]] = [[] for _ in range(3)]
    # a response id belongs to one instruction (ids are content hashes of it), however often it repeats
    owner = {f"r{k:04d}": (rng.choice(ins) if rng.random() > 0.05 else "zz-orphan") for k in range(400)}
    for n in range(300):
        rid = f"r{rng.randrange(400):04d}"  # repeats: the same id in several shards
        iid = owner[rid]
        shard = rng.randrange(4)
        if any(r["id"] == rid for r in sample_shards[shard]):
            continue  # a shard holds an id once (the runner writes one record per item)
        sample_shards[shard].append({"id": rid, "instruction_id": iid, "model": f"m{n % 3}", "text": f"t{n}"})
        for _ in range(rng.choice([0, 1, 1, 1, 2])):  # no verdict, one, or one in two shards
            vs = rng.randrange(3)
            if not any(x["id"] == rid for x in verify_shards[vs]):
                frac = rng.choice([None, 0.0, 0.5, 1.0])
                verify_shards[vs].append({"id": rid, "instruction_id": iid, "fraction": frac, "n": n})
    verify_shards[0].append({"id": "r9999", "fraction": 1.0})  # a verdict naming no instruction
    sample = _write(tmp / "sample", sample_shards)
    verify = _write(tmp / "verify", verify_shards)
    return ins, sample, verify


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_routed_join_equals_one_merge_join_pass(tmp_path, seed, workers):
    ins, sample, verify = _run(tmp_path, seed)
    join = JoinedRanges(tmp_path / "join", range_bytes=60)  # a few instructions per range
    join.add_instructions((json.loads(s), s) for s in (json.dumps({"id": i, "text": "x"}) for i in ins))
    assert len(join.ranges) > 3
    with TaskPool("local", workers=workers) as pool:
        join_shards(join, sample, verify, pool)
    counts, models, want = _one_pass([rg.lo for rg in join.ranges], sample, verify)
    for k in ("responses", "verdicts", "joined", "responses_without_verdict", "verdicts_without_response"):
        assert join.counts[k] == counts[k], k
    assert join.models == models
    for k, rg in enumerate(join.ranges):
        lines, scores = want.get(k, ([], []))
        got = (rg.folder / RESPONSES).read_text().splitlines(keepends=True) if (rg.folder / RESPONSES).exists() else []
        assert got == lines, k
        assert list(read_chunks(rg.folder / SCORES)) == scores, k
        assert rg.responses == len(scores)
        assert not list(rg.folder.glob("route-*"))  # routed files are consumed
    orphans = sum(1 for rg in join.ranges for iid, _ in read_chunks(rg.folder / SCORES) if iid not in ins)
    assert orphans > 0  # the oracle and the tasks route an unknown instruction the same way
    join.close()


def test_a_response_without_instruction_id_names_its_file_and_line(tmp_path):
    sample = _write(tmp_path / "sample", [[{"id": "a", "instruction_id": "i1"}, {"id": "b"}]])
    verify = _write(tmp_path / "verify", [[]])
    join = JoinedRanges(tmp_path / "join", range_bytes=1 << 20)
    join.add_instructions(iter([({"id": "i1"}, '{"id": "i1"}')]))
    with pytest.raises(ValueError, match=r"part-000000\.jsonl:2: response b has no `instruction_id`"):
        with TaskPool("local", workers=1) as pool:
            join_shards(join, sample, verify, pool)
    join.close()
