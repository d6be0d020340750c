"""The response / verdict join as tasks: every line routed to its instruction's range, then each range joined.

The join used to be one pass in the driver over the k-way merges of all sample and all verify shards; at a
million responses that pass alone took a core for most of a minute. Here it is two rounds of independent
tasks (`executor.map_tasks`: this process, local worker processes or Ray):

1. route (`route_shards`): a task reads a group of sample or verify shards, parses each line once (ids,
   model, fraction) and appends it, keyed by (response id, shard, line), to the range its instruction id
   falls in (one pickle stream per task and range);
2. join (`join_range`): a task sorts one range's keyed records into the order the k-way merge gave them
   (response id, then shard, then line) and merge-joins responses with verdicts exactly as that single
   pass did: the k-th copy of a response id meets the k-th copy of its verdict, of a repeated joined id
   the last pair is kept, unmatched copies are counted. The joined lines go to the range's responses file
   and their (instruction id, fraction) to its scores file, in response-id order (store.py reads both).

A verdict is routed by its own `instruction_id` (verify copies it from its response), so a response and
its verdict meet in one range; the copies of one response id (a response id is a hash over its
instruction) all name one instruction, so they meet there too. Memory: a route task holds its pending
lines (flushed at `flush_bytes`), a join task one range (sized by `run.memory_mb`).
"""

from __future__ import annotations

import bisect
import pickle
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...jsonl import iter_jsonl_lines
from ...runner.executors import TaskPool
from .store import RESPONSES, SCORES, JoinedRanges, read_chunks

SAMPLE, VERIFY = "r", "v"  # the two sides of the join, as route files name them

# one routed record: (response id, shard order, line number, instruction id, model, fraction, JSON line)
Routed = tuple[str, int, int, str, Any, Any, str]


@dataclass
class RouteJob:
    """Shards of one side (`side`: SAMPLE or VERIFY) with their places in that side's shard order; the
    ranges' lower bounds and folders (the join folder's `r00000`, ...)."""

    side: str
    shards: list[tuple[int, str]]  # (order, path)
    bounds: list[str]
    folders: list[str]
    task: int
    flush_bytes: int = 16 << 20


def route_file(folder: str | Path, side: str, task: int) -> Path:
    return Path(folder) / f"route-{side}-{task:05d}.pkl"


def route_shards(job: RouteJob) -> int:
    """Route every record of the job's shards to its range; returns the records read."""
    pending: dict[int, list[Routed]] = {}
    pending_bytes = 0
    n_read = 0
    bounds = job.bounds
    for order, path in job.shards:
        for n, rec, line in iter_jsonl_lines(path):
            n_read += 1
            rid = rec.get("id")
            if not isinstance(rid, str):
                raise ValueError(f"{path}:{n}: a record without a string `id`")
            iid = rec.get("instruction_id")
            if not isinstance(iid, str):
                if job.side == SAMPLE:
                    raise ValueError(f"{path}:{n}: response {rid} has no `instruction_id`")
                iid = ""  # a verdict that names no instruction: counted as a verdict without response
            k = max(0, bisect.bisect_right(bounds, iid) - 1)
            fraction = rec.get("fraction") if job.side == VERIFY else None
            pending.setdefault(k, []).append((rid, order, n, iid, rec.get("model"), fraction, line))
            pending_bytes += len(line) + 160
            if pending_bytes >= job.flush_bytes:
                _flush(job, pending)
                pending_bytes = 0
    _flush(job, pending)
    return n_read


def _flush(job: RouteJob, pending: dict[int, list[Routed]]) -> None:
    for k, items in pending.items():
        with open(route_file(job.folders[k], job.side, job.task), "ab") as f:
            pickle.dump(items, f, protocol=pickle.HIGHEST_PROTOCOL)
    pending.clear()


@dataclass
class JoinStats:
    """What joining one range found; `merge` adds ranges up."""

    counts: Counter[str] = field(default_factory=Counter)
    models: set[str] = field(default_factory=set)
    responses: int = 0  # joined responses written to the range
    response_bytes: int = 0

    def merge(self, other: JoinStats) -> None:
        self.counts.update(other.counts)
        self.models |= other.models


def _routed(folder: Path, side: str) -> list[Routed]:
    items: list[Routed] = []
    for p in sorted(folder.glob(f"route-{side}-*.pkl")):
        items.extend(read_chunks(p))
        p.unlink()
    items.sort(key=lambda t: (t[0], t[1], t[2]))  # the k-way merge's order: id, then shard, then line
    return items


def _nl(line: str) -> str:
    return line if line.endswith("\n") else line + "\n"


def join_range(folder: str, flush_bytes: int = 8 << 20) -> JoinStats:
    """Merge-join one range's routed responses and verdicts (see the module docstring)."""
    where = Path(folder)
    rs, vs = _routed(where, SAMPLE), _routed(where, VERIFY)
    st = JoinStats()
    c = st.counts
    lines: list[str] = []
    scores: list[tuple[str, Any]] = []
    size = 0

    def flush() -> None:
        nonlocal size
        if lines:
            with open(where / RESPONSES, "a", encoding="utf-8") as f:
                f.writelines(lines)
            with open(where / SCORES, "ab") as fb:
                pickle.dump(scores, fb, protocol=pickle.HIGHEST_PROTOCOL)
            lines.clear()
            scores.clear()
            size = 0

    def emit(r: Routed, v: Routed) -> None:
        nonlocal size
        rline, vline = _nl(r[6]), _nl(v[6])
        lines.append(rline)
        lines.append(vline)
        scores.append((r[3], v[5]))
        st.responses += 1
        st.response_bytes += len(rline) + len(vline)
        size += len(rline) + len(vline)
        if size >= flush_bytes:
            flush()

    i = j = 0
    held: tuple[Routed, Routed] | None = None
    while i < len(rs) or j < len(vs):
        if j >= len(vs) or (i < len(rs) and rs[i][0] < vs[j][0]):
            c["responses"] += 1
            c["responses_without_verdict"] += 1
            i += 1
            continue
        if i >= len(rs) or vs[j][0] < rs[i][0]:
            c["verdicts"] += 1
            c["verdicts_without_response"] += 1
            j += 1
            continue
        r, v = rs[i], vs[j]
        c["responses"] += 1
        c["verdicts"] += 1
        c["joined"] += 1
        st.models.add(str(r[4] or v[4] or ""))
        if held is not None and held[0][0] != r[0]:
            emit(*held)
        held = (r, v)
        i += 1
        j += 1
    if held is not None:
        emit(*held)
    flush()
    return st


def join_shards(join: JoinedRanges, sample: list[Path], verify: list[Path], pool: TaskPool) -> None:
    """Join sample and verify shards (each list in the runner's shard order) into the ranges `join` cut from
    the instructions: route tasks, then one join task per range, on `pool`; counts, models and range sizes
    land on `join` as the single pass set them."""
    bounds = [rg.lo for rg in join.ranges]
    folders = [str(rg.folder) for rg in join.ranges]
    per_side = 2 * max(2, pool.workers) if pool.parallel else 1
    flush = max(1 << 20, join.flush_bytes // max(1, pool.workers))
    jobs: list[RouteJob] = []
    for side, shards in ((SAMPLE, sample), (VERIFY, verify)):
        for group in _groups(list(enumerate(map(str, shards))), per_side):
            jobs.append(RouteJob(side, group, bounds, folders, len(jobs), flush))
    for _ in pool.map(route_shards, jobs):
        pass
    total = JoinStats()
    for rg, st in zip(join.ranges, pool.map(join_range, folders)):
        rg.responses, rg.response_bytes = st.responses, st.response_bytes
        total.merge(st)
    for k, v in total.counts.items():
        join.counts[k] += v
    join.models |= total.models


def _groups(shards: list[tuple[int, str]], n: int) -> list[list[tuple[int, str]]]:
    """`shards` cut into at most `n` runs of consecutive shards of about equal bytes."""
    if not shards:
        return []
    sizes = [Path(p).stat().st_size for _, p in shards]
    target = max(1, sum(sizes) // n)
    out: list[list[tuple[int, str]]] = [[]]
    acc = 0
    for item, size in zip(shards, sizes):
        if out[-1] and acc >= target and len(out) < n:
            out.append([])
            acc = 0
        out[-1].append(item)
        acc += size
    return out
