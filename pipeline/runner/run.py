"""Run one step of the pipeline: a stage (items in batches) or a sink (one write), after checking its inputs.

Before any work, the step's required inputs (its entry in the pipeline declaration, as `required_inputs()`
gives them under this config) must be finished: run, with no item pending or failed. Otherwise
`InputsNotReady` names the stage to run (the cli exits 2). Only a sink that `accepts_partial` may be let
through an unfinished input (`allow_partial`); it is told which, and says so in what it writes.

A stage: the driver owns every write. For each finished batch it writes the shard (atomic rename) and then
commits the items' state; on start it first reconciles shards a killed run left unregistered. Hence a stage
killed at any moment and rerun ends with exactly the rows of an uninterrupted run.

A sink: never on an executor. Its fingerprint (inputs + settings) is compared with the one its last
successful write recorded in the state DB; equal -> skipped, else `write(out_dir)` runs here, its state is
pending while it writes and done / failed after, and the stats it returns become out_dir/stats.json.

The runner knows no stage by name: it loads the class from an import path and tells the two kinds apart by
the class's `kind`.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import time
import traceback
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


class InputsNotReady(RuntimeError):
    """A step's required input is missing or unfinished; the message names the stage to run."""


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


def input_problem(state: StateDB, run_dir: Path, stage: str) -> tuple[str, str] | None:
    """None when `stage` has run to its end with nothing pending or failed; else (kind, what is wrong), kind
    `missing` (never ran, or its output is gone) or `unfinished` (items pending or failed)."""
    c = state.counts().get(stage, {})
    done, failed, pending = c.get("done", 0), c.get("failed", 0), c.get("pending", 0)
    if failed or pending:
        total = done + failed + pending
        return "unfinished", f"{failed + pending} of {total} item(s) not done ({failed} failed, {pending} pending)"
    if list_shards(run_dir / stage):
        return None
    if state.has_run(stage) and state.shard_records(stage) == 0:
        return None  # ran to its end and wrote no records (a sink, or a stage with nothing to do)
    if done or state.has_run(stage):
        return "missing", f"its output is gone from {run_dir / stage}"
    return "missing", "it has not run"


def check_inputs(state: StateDB, run_dir: Path, step, allow_partial: bool = False) -> dict[str, str]:
    """Raise InputsNotReady for the first required input that is not finished. Returns the unfinished inputs
    let through because `allow_partial` is set and the step accepts partial inputs ({stage: what is missing})."""
    partial: dict[str, str] = {}
    name = step.name
    can_partial = bool(getattr(step, "accepts_partial", False))
    for req in step.required_inputs():
        problem = input_problem(state, run_dir, req.stage)
        if problem is None:
            continue
        kind, what = problem
        why = f" ({req.because})" if req.because else ""
        if kind == "unfinished":
            if allow_partial and can_partial:
                partial[req.stage] = what
                continue
            hint = f", or `ifgen {name} --allow-partial` to use what is done" if can_partial else ""
            raise InputsNotReady(
                f"stage {name!r} needs {req.stage!r} finished{why}: {what}; run `ifgen {req.stage}` to finish it{hint}"
            )
        rerun = f"`ifgen {req.stage} --force`" if what.startswith("its output") else f"`ifgen {req.stage}`"
        raise InputsNotReady(f"stage {name!r} needs {req.stage!r}{why}, but {what}: run {rerun} first")
    return partial


def run_stage(
    stage_path: str,
    config,
    *,
    force: bool = False,
    executor: str | None = None,
    ray_address: str | None = None,
    quiet: bool = False,
    allow_partial: bool = False,
) -> StageSummary:
    """Run the stage or sink at `stage_path` ("module:Class") for this config; see the module docstring."""
    from ..config import save_resolved

    run_dir = config.run_dir()
    save_resolved(config, run_dir)
    cls = load_stage_class(stage_path)
    if getattr(cls, "kind", "stage") == "sink":
        return run_sink(
            cls,
            config,
            run_dir,
            force=force,
            quiet=quiet,
            allow_partial=allow_partial,
            executor=executor,
            ray_address=ray_address,
        )
    stage = cls(config, run_dir)
    name = stage.name
    folder = run_dir / name
    state = StateDB(run_dir / "state.sqlite")
    started = time.time()
    summary = StageSummary(name)
    try:
        check_inputs(state, run_dir, stage)
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
        state.begin_enumeration()
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
        # items left pending or failed by an earlier run that this run no longer enumerates (the config
        # changed): not part of the stage any more, so they must not hold later stages back
        state.drop_unenumerated(name)

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
    _report(summary, quiet)
    return summary


def run_sink(
    cls,
    config,
    run_dir: Path,
    *,
    force: bool,
    quiet: bool,
    allow_partial: bool,
    executor: str | None = None,
    ray_address: str | None = None,
) -> StageSummary:
    name = cls.name
    out_dir = run_dir / name
    state = StateDB(run_dir / "state.sqlite")
    started = time.time()
    summary = StageSummary(name, total=1)
    try:
        partial = check_inputs(state, run_dir, cls(config, run_dir), allow_partial)
        sink = cls(config, run_dir, partial=partial, executor=executor, ray_address=ray_address)
        if force:
            state.reset_stage(name)
            if out_dir.exists():
                shutil.rmtree(out_dir)
        fingerprint = sink.fingerprint()
        stats_file = out_dir / STATS_FILE
        if not force and state.sink_done(name, fingerprint) and stats_file.is_file():
            summary.skipped = 1
            summary.stats = json.loads(stats_file.read_text(encoding="utf-8")) if stats_file.is_file() else {}
        else:
            state.start_sink(name, fingerprint)
            out_dir.mkdir(parents=True, exist_ok=True)
            stats_file.unlink(missing_ok=True)  # stats always describe what is on disk
            error = None
            try:
                summary.stats = sink.write(out_dir) or {}
            except Exception as e:  # reported like a failed item: the state says failed, a rerun retries
                error = f"{type(e).__name__}: {e}".strip()
                if os.environ.get("IFGEN_TRACEBACKS"):
                    error += "\n" + traceback.format_exc()
            if error is None:  # always a stats.json: it is how a skipped run finds what the last write said
                atomic_write_text(stats_file, json.dumps(summary.stats, indent=2, default=str))
                summary.done = 1
            else:
                summary.failed = 1
                summary.errors = [(fingerprint, error)]
            state.finish_sink(name, fingerprint, error)
        summary.seconds = time.time() - started
        state.record_run(name, started, summary.line())
    finally:
        state.close()
    _report(summary, quiet)
    return summary


def _report(summary: StageSummary, quiet: bool) -> None:
    if quiet:
        return
    print(summary.line(), file=sys.stderr)
    for item_id, err in summary.errors:
        print(f"  failed {item_id}: {err.splitlines()[0] if err else ''}", file=sys.stderr)
    if summary.failed:
        print(f"  {summary.failed} item(s) failed; rerun the stage to retry them", file=sys.stderr)


@contextlib.contextmanager
def _llm_server(stage, config):
    """Start the embedded model when the stage needs an LLM and the local default is configured."""
    if not getattr(stage, "uses_llm", False):
        yield
        return
    from ..llm.local_server import ensure_local_server

    with ensure_local_server(config.llm):
        yield
