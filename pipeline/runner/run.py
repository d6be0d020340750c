"""Run one stage: enumerate items, skip finished ones, batch, execute, commit.

The driver owns every write. For each finished batch it writes the shard
(atomic rename) and then commits the items' state; on start it first
reconciles shards a killed run left unregistered. Hence a stage killed at any
moment and rerun ends with exactly the rows of an uninterrupted run.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..records import content_id
from .executors import BatchJob, BatchResult, load_stage_class, make_executor
from .files import atomic_write_text, list_shards, read_jsonl, remove_temp_files, write_shard
from .progress import Progress
from .state import StateDB

STATS_FILE = "stats.json"


@dataclass
class StageSummary:
    stage: str
    total: int = 0
    skipped: int = 0
    done: int = 0
    failed: int = 0
    records: int = 0
    seconds: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    usage: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def line(self) -> str:
        u = self.usage
        tok = int((u.get("prompt_tokens") or 0) + (u.get("completion_tokens") or 0))
        extra = f", {tok:,} tokens, ${float(u.get('cost') or 0):.4f}" if u.get("requests") or tok else ""
        return (
            f"{self.stage}: {self.done} done, {self.failed} failed, {self.skipped} already done "
            f"({self.records} records) in {self.seconds:.1f}s{extra}"
        )


def reconcile(state: StateDB, stage: str, folder: Path) -> int:
    """Register shards that are on disk but not in the DB (the run died between the two)."""
    known = state.registered_shards(stage)
    n = 0
    for path in list_shards(folder):
        name = path.name[len("part-") : -len(".jsonl")]
        if name in known:
            continue
        records = list(read_jsonl(path))
        items = sorted({r["_item"] for r in records if "_item" in r})
        state.commit_batch(stage, name, len(records), items, [])
        n += 1
    return n


def _batches(items: Iterator[dict], done: set[str], size: int) -> Iterator[tuple[str, list[dict]]]:
    batch: list[dict] = []
    seen: set[str] = set()
    for it in items:
        iid = it["id"]
        if iid in done or iid in seen:
            continue
        seen.add(iid)
        batch.append(it)
        if len(batch) >= size:
            yield content_id(sorted(i["id"] for i in batch)), batch
            batch = []
    if batch:
        yield content_id(sorted(i["id"] for i in batch)), batch


def run_stage(
    stage_path: str,
    config,
    *,
    force: bool = False,
    executor: str | None = None,
    ray_address: str | None = None,
    quiet: bool = False,
) -> StageSummary:
    from ..config import save_resolved

    run_dir = config.run_dir()
    save_resolved(config, run_dir)
    stage = load_stage_class(stage_path)(config, run_dir)
    name = stage.name
    folder = run_dir / name
    state = StateDB(run_dir / "state.sqlite")
    started = time.time()
    summary = StageSummary(name)
    try:
        if force:
            state.reset_stage(name)  # state first: a crash here leaves old shards, re-registered later
            if folder.exists():
                shutil.rmtree(folder)
        folder.mkdir(parents=True, exist_ok=True)
        remove_temp_files(folder)
        reconcile(state, name, folder)

        # pass 1: register every item as pending (ids only), count what is left to do
        done = state.done_ids(name)
        pending = 0
        ids: list[str] = []
        for it in stage.items():
            ids.append(it["id"])
            pending += it["id"] not in done
            if len(ids) >= 10_000:
                state.add_pending(name, ids)
                summary.total += len(ids)
                ids = []
        state.add_pending(name, ids)
        summary.total += len(ids)
        summary.skipped = summary.total - pending

        bar = Progress(name, total=pending, enabled=config.run.progress and not quiet)

        def on_result(res: BatchResult) -> None:
            shard = None
            if res.records:
                write_shard(folder, res.batch_id, res.records)
                shard = res.batch_id
            state.commit_batch(name, shard, len(res.records), res.done, res.failed)
            if res.usage:
                state.add_usage(name, res.usage)
            summary.done += len(res.done)
            summary.failed += len(res.failed)
            summary.records += len(res.records)
            bar.update(len(res.done) + len(res.failed), failed=summary.failed)

        if pending:
            job = BatchJob(stage_path, config.model_dump(mode="json"), str(run_dir))
            ex = make_executor(
                executor or config.run.executor, config.run.max_inflight_batches, ray_address or config.run.ray_address
            )
            with _llm_server(stage, config):
                ex.run(job, _batches(stage.items(), done, config.run.batch_size), on_result)
        bar.close()

        summary.errors = state.errors(name)
        summary.stats = stage.finish() or {}
        if summary.stats:
            atomic_write_text(folder / STATS_FILE, json.dumps(summary.stats, indent=2, default=str))
        summary.usage = state.usage().get(name, {})
        summary.seconds = time.time() - started
        state.record_run(name, started, summary.line())
    finally:
        state.close()
    if not quiet:
        print(summary.line(), file=sys.stderr)
        for item_id, err in summary.errors:
            print(f"  failed {item_id}: {err.splitlines()[0] if err else ''}", file=sys.stderr)
        if summary.failed:
            print(f"  {summary.failed} item(s) failed; rerun the stage to retry them", file=sys.stderr)
    return summary


@contextlib.contextmanager
def _llm_server(stage, config):
    """Start the embedded model when the stage needs an LLM and the local default is configured."""
    if not getattr(stage, "uses_llm", False):
        yield
        return
    from ..llm.local_server import ensure_local_server

    with ensure_local_server(config.llm):
        yield
