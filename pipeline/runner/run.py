"""Run one step of the pipeline: a stage (items in batches) or a sink (one write), after checking its inputs.

Before any work, the step's required inputs (its entry in the pipeline declaration, as `required_inputs()`
gives them under this config) must be finished: run, with no item pending or failed. Otherwise
`InputsNotReady` names the stage to run (the cli exits 2). Only a sink that `accepts_partial` may be let
through an unfinished input (`allow_partial`); it is told which, and says so in what it writes.

An input that is finished but stale (its settings, input files or own inputs changed since it ran;
fingerprint.staleness) is refused too: the step would otherwise make data that the config it records does
not describe.

A stage: the driver owns every write. For each finished batch it writes the shard (atomic rename) and then
commits the items' state; on start it first reconciles shards a killed run left unregistered. Hence a stage
killed at any moment and rerun ends with exactly the rows of an uninterrupted run. Then it enumerates the
items with their keys (fingerprint.py) and syncs the state with them: items that are gone or whose key
changed are redone, and their records leave the shards (shards.py) before any new work.

A sink: runs in the driver (it may hand independent tasks to `executors.map_tasks` on the executor it is
given; they never change its output). Its fingerprint (settings + its inputs' data fingerprints) is compared with
the one its last successful write recorded in the state DB; equal -> skipped, else `write(out_dir)` runs
here, its state is pending while it writes and done / failed after, and the stats it returns become
out_dir/stats.json.

Every step holds the run's lock (lock.py) while it runs: one writer per run folder.

The runner knows no stage by name: it loads the class from an import path and tells the two kinds apart by
the class's `kind`.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from ..records import content_id
from ..redact import redact
from . import fingerprint
from .executors import BatchJob, BatchResult, error_text, load_stage_class, make_executor
from .files import StorageError, atomic_write_text, list_shards, remove_temp_files, write_shard
from .lock import RunLock
from .progress import Progress
from .shards import clean_dirty, reconcile, record_digests
from .state import FAILED, PENDING, StateDB
from .summary import StageSummary

STATS_FILE = "stats.json"


class InputsNotReady(RuntimeError):
    """A step's required input is missing or unfinished; the message names the stage to run."""


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


def check_inputs(
    state: StateDB, run_dir: Path, step, allow_partial: bool = False, inputs: fingerprint.Inputs | None = None
) -> dict[str, str]:
    """Raise InputsNotReady for the first required input that is not finished or is stale. Returns the
    unfinished inputs let through because `allow_partial` is set and the step accepts partial inputs
    ({stage: what is missing})."""
    partial: dict[str, str] = {}
    inputs = inputs or fingerprint.Inputs(state)
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
    for req in step.required_inputs():
        if req.stage in partial:
            continue
        upstream = step.upstream(req.stage)
        stale = fingerprint.staleness(upstream, inputs)
        if stale:
            root = fingerprint.stale_root(upstream, inputs)
            first = "" if root.name == req.stage else f"; {root.name}: {fingerprint.staleness(root, inputs)[0]}"
            raise InputsNotReady(
                f"stage {name!r} needs {req.stage!r} redone: it is stale ({stale[0]}{first}); run `ifgen {root.name}` "
                f"(or `ifgen run`, which redoes what changed)"
            )
    return partial


def refuse_early(stage_path: str, config) -> None:
    """Raise the InputsNotReady that can be told before anything (the run folder, its lock, the state) is
    created or touched: a sink's own readiness check (report without verdicts), and, on a run folder that does
    not exist yet, the first input of a step that reads others - so a mistyped `--run` leaves no trace."""
    run_dir = config.run_dir()
    cls = load_stage_class(stage_path)
    step = cls(config, run_dir)
    problem = step.not_ready() if getattr(cls, "kind", "stage") == "sink" else None
    if problem:
        raise InputsNotReady(problem)
    if run_dir.exists():
        return
    for req in step.required_inputs():
        why = f" ({req.because})" if req.because else ""
        raise InputsNotReady(
            f"stage {step.name!r} needs {req.stage!r}{why}, but it has not run: run `ifgen {req.stage}` first"
        )


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
    run_dir = config.run_dir()
    cls = load_stage_class(stage_path)
    refuse_early(stage_path, config)
    with RunLock(run_dir, config.run.name):
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
        return _run_stage(cls, stage_path, config, run_dir, force, executor, ray_address, quiet)


def _run_stage(cls, stage_path, config, run_dir: Path, force, executor, ray_address, quiet) -> StageSummary:
    from ..config import save_resolved

    stage = cls(config, run_dir)
    name = stage.name
    folder = run_dir / name
    state = StateDB(run_dir / "state.sqlite")
    started = time.time()
    summary = StageSummary(name)
    try:
        inputs = fingerprint.Inputs(state)
        check_inputs(state, run_dir, stage, inputs=inputs)
        save_resolved(config, run_dir)  # only once the step may run: it describes what the run is made of
        usage_before = state.usage().get(name, {})  # the summary line counts what this run spent
        with _writing(folder):
            if force:
                state.reset_stage(name)  # state first: a crash here leaves old shards, re-registered later
                if folder.exists():
                    shutil.rmtree(folder)
            folder.mkdir(parents=True, exist_ok=True)
            remove_temp_files(folder)
            reconcile(state, name, folder)
            clean_dirty(state, name, folder)  # left by a run that died while cleaning

        # pass 1: the key of every item (what it is made from); the state follows: gone and stale items are
        # no longer done and their shards are marked dirty, new ones pending
        context = fingerprint.item_context(stage, inputs)
        state.begin_enumeration()
        pairs: list[tuple[str, str]] = []
        for it in stage.items():
            pairs.append((it["id"], fingerprint.item_key(context, stage, it, inputs)))
            if len(pairs) >= 10_000:
                state.add_enumerated(pairs)
                pairs = []
        state.add_enumerated(pairs)
        sync = state.sync_items(name)
        c = state.counts().get(name, {})
        with _writing(folder):
            if c.get(FAILED) or c.get(PENDING) or state.dirty_shards(name):
                (folder / STATS_FILE).unlink(missing_ok=True)  # the records change: stats come back in finish()
            clean_dirty(state, name, folder)
        fingerprint.record(state, stage, inputs.of(stage))
        summary.stale, summary.removed = sync["stale"], sync["gone"]

        done = state.done_ids(name)
        summary.total = sum(c.values())
        summary.skipped = len(done)
        pending = summary.total - summary.skipped

        bar = Progress(name, total=pending, enabled=config.run.progress and not quiet)

        def on_result(res: BatchResult) -> None:
            shard = None
            if res.records:
                write_shard(folder, res.batch_id, res.records)
                shard = res.batch_id
            outs = record_digests(res.records, res.done)
            state.commit_batch(name, shard, len(res.records), res.done, res.failed, outs)
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
        summary.causes = state.failure_causes(name)
        summary.stats = stage.finish() or {}
        if summary.stats:
            atomic_write_text(folder / STATS_FILE, redact(json.dumps(summary.stats, indent=2, default=str)))
        after = state.usage().get(name, {})
        summary.usage = {k: v - usage_before.get(k, 0) for k, v in after.items()}
        summary.seconds = time.time() - started
        state.record_run(name, started, summary.line())
    except sqlite3.Error as e:
        raise StorageError(state.path, e) from e
    finally:
        state.close()
    _report(summary, quiet)
    return summary


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """File-system changes under `path` (folders made or removed): an OSError becomes a StorageError."""
    try:
        yield
    except StorageError:
        raise
    except OSError as e:
        raise StorageError(e.filename or path, e) from e


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
    from ..config import save_resolved

    name = cls.name
    out_dir = run_dir / name
    problem = cls(config, run_dir).not_ready()
    if problem:
        raise InputsNotReady(problem)
    state = StateDB(run_dir / "state.sqlite")
    started = time.time()
    summary = StageSummary(name, total=1, kind="sink")
    try:
        inputs = fingerprint.Inputs(state)
        partial = check_inputs(state, run_dir, cls(config, run_dir), allow_partial, inputs=inputs)
        sink = cls(config, run_dir, partial=partial, executor=executor, ray_address=ray_address)
        # config.resolved.yaml describes the data on disk: a sink that shows stale inputs (the report) leaves it
        if not any(fingerprint.staleness(sink.upstream(s), inputs) for s in fingerprint.declared_inputs(sink)):
            save_resolved(config, run_dir)
        if force:
            state.reset_stage(name)
            with _writing(out_dir):
                if out_dir.exists():
                    shutil.rmtree(out_dir)
        upstream = inputs.of(sink)
        fp = sink.fingerprint(upstream)
        stats_file = out_dir / STATS_FILE
        if not force and state.sink_done(name, fp) and stats_file.is_file():
            summary.skipped = 1
            summary.stats = json.loads(stats_file.read_text(encoding="utf-8")) if stats_file.is_file() else {}
        else:
            state.start_sink(name, fp)
            with _writing(out_dir):
                out_dir.mkdir(parents=True, exist_ok=True)
                stats_file.unlink(missing_ok=True)  # stats always describe what is on disk
            error = None
            try:
                summary.stats = sink.write(out_dir) or {}
            except StorageError:
                raise  # the run folder cannot be written: stop, as a stage does
            except Exception as e:  # reported like a failed item: the state says failed, a rerun retries
                error = error_text(e)
            if error is None:  # always a stats.json: it is how a skipped run finds what the last write said
                atomic_write_text(stats_file, redact(json.dumps(summary.stats, indent=2, default=str)))
                summary.done = 1
            else:
                summary.failed = 1
                summary.errors = [(fp, error)]
                summary.causes = [(error.splitlines()[0], 1)]
            state.finish_sink(name, fp, error)
            if error is None:
                state.record_fingerprint(name, fp, sink.made_under(), upstream, sink.input_files())
        summary.seconds = time.time() - started
        state.record_run(name, started, summary.line())
    except sqlite3.Error as e:
        raise StorageError(state.path, e) from e
    finally:
        state.close()
    _report(summary, quiet)
    return summary


def _report(summary: StageSummary, quiet: bool) -> None:
    if quiet:
        return
    print(summary.line(), file=sys.stderr)
    for item_id, err in summary.errors:
        print(f"  failed {item_id}: {redact(err.splitlines()[0]) if err else ''}", file=sys.stderr)
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
