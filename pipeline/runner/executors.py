"""Where batches run. Executors know nothing of what a stage does.

An executor receives a picklable `BatchJob` (which can open a stage by import
path and process one batch) and an iterator of batches, and hands each
`BatchResult` back to the driver's callback as soon as it is ready. The driver
alone writes shards and commits state, so resume works the same whichever
executor ran the work.

Sinks run in the driver, but may hand independent CPU-heavy tasks (a picklable
function over picklable items) to `map_tasks` or, for several rounds on the same workers, a
`TaskPool`: in this process, in local worker processes, or as Ray tasks, results always in item order.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..redact import redact


@dataclass
class BatchResult:
    batch_id: str
    records: list[dict[str, Any]] = field(default_factory=list)  # each carries "_item"
    done: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    usage: dict[str, dict] = field(default_factory=dict)


def error_text(e: BaseException) -> str:
    """How a failure is recorded (an item's or a sink's `last_error`): the first line is its cause, stable across
    items that failed the same way (an exception's `cause`, e.g. "HTTP 401 from http://host/v1 (key refused)",
    else `Type: message`), so the runner can count causes; the full text follows (and the traceback with
    IFGEN_TRACEBACKS=1); secrets redacted."""
    detail = f"{type(e).__name__}: {e}".strip()
    cause = getattr(e, "cause", None)
    msg = f"{cause}\n{detail}" if isinstance(cause, str) and cause and cause != detail else detail
    if os.environ.get("IFGEN_TRACEBACKS"):
        msg += "\n" + "".join(traceback.format_exception(e))
    return redact(msg)


def load_stage_class(path: str):
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass
class BatchJob:
    """Everything a worker needs to process batches of one stage (picklable)."""

    stage_path: str  # "package.module:Class"
    config_json: dict[str, Any]
    run_dir: str

    def make_stage(self):
        from ..config import RunConfig

        cls = load_stage_class(self.stage_path)
        return cls(RunConfig(**self.config_json), Path(self.run_dir))

    @staticmethod
    async def run_batch(stage, batch_id: str, batch: list[dict[str, Any]]) -> BatchResult:
        async def one(item: dict[str, Any]):
            try:
                return item["id"], await stage.process(item), None
            except Exception as e:  # one bad item never kills the batch
                return item["id"], None, error_text(e)

        result = BatchResult(batch_id)
        await stage.before_batch(batch)
        for item_id, records, err in await asyncio.gather(*(one(it) for it in batch)):
            if err is not None:
                result.failed.append((item_id, err))
                continue
            result.done.append(item_id)
            for r in records or ():
                result.records.append({**r, "_item": item_id})
        result.usage = stage.usage_delta()
        return result


Callback = Callable[[BatchResult], None]


class LocalExecutor:
    """Runs batches in this process on one asyncio loop, several batches in flight."""

    name = "local"

    def __init__(self, max_inflight: int = 8):
        self.max_inflight = max_inflight

    def run(self, job: BatchJob, batches: Iterator[tuple[str, list[dict]]], on_result: Callback) -> None:
        asyncio.run(self._run(job, batches, on_result))

    async def _run(self, job: BatchJob, batches, on_result: Callback) -> None:
        stage = job.make_stage()
        await stage.open()
        try:
            pending: set[asyncio.Task] = set()
            for batch_id, batch in batches:
                pending.add(asyncio.create_task(job.run_batch(stage, batch_id, batch)))
                if len(pending) >= self.max_inflight:
                    finished, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                    for t in finished:
                        on_result(t.result())
            while pending:
                finished, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for t in finished:
                    on_result(t.result())
        finally:
            await stage.close()


class _StageWorker:
    """One long-lived worker (a Ray actor) holding an open stage and its own event loop, so per-process
    state (loaded lookups, LLM session, sandbox pool) is paid once, not per batch."""

    def __init__(self, job: BatchJob):
        self.job = job
        self.loop = asyncio.new_event_loop()
        self.stage = job.make_stage()
        self.loop.run_until_complete(self.stage.open())

    def run(self, batch_id: str, batch: list[dict]) -> BatchResult:
        return self.loop.run_until_complete(self.job.run_batch(self.stage, batch_id, batch))

    def close(self) -> bool:
        self.loop.run_until_complete(self.stage.close())
        self.loop.close()
        return True


class RayExecutor:
    """Runs batches on Ray actors (one per CPU, each holding an open stage); a local cluster when no address
    is given."""

    name = "ray"

    def __init__(
        self, address: str | None = None, max_inflight: int = 8, num_cpus: int | None = None, workers: int | None = None
    ):
        self.address = address
        self.max_inflight = max_inflight
        self.num_cpus = num_cpus
        self.workers = workers  # actors; default: one per CPU of the cluster

    def run(self, job: BatchJob, batches: Iterator[tuple[str, list[dict]]], on_result: Callback) -> None:
        import ray

        started_here = not ray.is_initialized()
        if started_here:
            ray_init(self.address, self.num_cpus)
        try:
            n = self.workers or max(1, int(ray.available_resources().get("CPU", 1)))
            actor_cls = ray.remote(num_cpus=1)(_StageWorker)
            actors: list[Any] = [actor_cls.remote(job) for _ in range(n)]  # Ray actor handles
            load = {i: 0 for i in range(n)}
            inflight: dict = {}
            per_actor = max(1, self.max_inflight // n)

            def drain(block_until: int) -> None:
                while len(inflight) > block_until:
                    ready, _ = ray.wait(list(inflight), num_returns=1)
                    for ref in ready:
                        load[inflight.pop(ref)] -= 1
                        on_result(ray.get(ref))

            for batch_id, batch in batches:
                while min(load.values()) >= per_actor:
                    drain(len(inflight) - 1)
                i = min(load, key=lambda k: load[k])
                inflight[actors[i].run.remote(batch_id, batch)] = i
                load[i] += 1
            drain(0)
            ray.get([a.close.remote() for a in actors])
        finally:
            if started_here:
                ray.shutdown()


def ray_init(address: str | None = None, num_cpus: int | None = None) -> None:
    """Connect to a Ray cluster (or start a local one), passing our environment to the workers."""
    import ray

    kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "configure_logging": False}
    if address:
        kwargs["address"] = address
    elif num_cpus:
        kwargs["num_cpus"] = num_cpus
    env_vars = {k: v for k, v in os.environ.items() if k.startswith(("IFGEN_", "LITELLM_", "HF_"))}
    # workers import stages (and test stages) by path: give them the driver's import roots
    roots = [os.getcwd(), *[p for p in sys.path if p and os.path.isdir(p) and "site-packages" not in p]]
    env_vars["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(roots))
    ray.init(runtime_env={"env_vars": env_vars}, **kwargs)


def map_tasks(
    fn: Callable[[Any], Any],
    items: Iterable[Any],
    *,
    executor: str = "local",
    address: str | None = None,
    workers: int = 1,
    inflight: int | None = None,
) -> Iterator[Any]:
    """`fn(item)` for every item, yielded in item order: one round of `TaskPool.map` on a pool of its own."""
    with TaskPool(executor, address=address, workers=workers) as pool:
        yield from pool.map(fn, items, inflight)


class TaskPool:
    """Where a sink's independent tasks run, kept for several rounds of `map` (the export joins, builds rows
    and could do more on one pool): local worker processes spawned once, so their imports are paid once,
    or one Ray session (a local cluster when none is up and no `address` is given, shut down on close).

    local: in this process when `workers` <= 1, else in a pool of that many spawned processes; ray: Ray tasks
    of one CPU each. `fn` must be importable by module path (a module-level function) for both pools."""

    def __init__(self, executor: str = "local", *, address: str | None = None, workers: int = 1):
        if executor not in ("local", "ray"):
            raise ValueError(f"unknown executor {executor!r} (local or ray)")
        self.executor, self.address, self.workers = executor, address, workers
        self._pool: Any = None
        self._ray_started = False

    def __enter__(self) -> TaskPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def release(self) -> None:
        """Stop the local worker processes until the next `map` (a step that needs the memory, not the
        workers, runs between two rounds); a Ray session stays up."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        self.release()
        if self._ray_started:
            import ray

            ray.shutdown()
            self._ray_started = False

    @property
    def parallel(self) -> bool:
        """Whether tasks run beside each other (several local processes, or Ray)."""
        return self.executor == "ray" or self.workers > 1

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any], inflight: int | None = None) -> Iterator[Any]:
        """`fn(item)` for every item, yielded in item order; at most `inflight` items taken ahead of the one
        yielded (items are made lazily, so a generator of tasks is never held whole)."""
        if self.executor == "ray":
            yield from self._map_ray(fn, items, inflight)
            return
        if self.workers <= 1:
            for it in items:
                yield fn(it)
            return
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        ahead = inflight or 2 * self.workers
        queue: deque = deque()
        for it in items:
            queue.append(self._pool.submit(fn, it))
            if len(queue) >= ahead:
                yield queue.popleft().result()
        while queue:
            yield queue.popleft().result()

    def _map_ray(self, fn: Callable[[Any], Any], items: Iterable[Any], inflight: int | None) -> Iterator[Any]:
        import ray

        if not ray.is_initialized():
            ray_init(self.address)
            self._ray_started = True
        remote = ray.remote(num_cpus=1)(fn)
        ahead = inflight or 2 * max(1, int(ray.available_resources().get("CPU", 1)))
        queue: deque = deque()
        for it in items:
            queue.append(remote.remote(it))
            if len(queue) >= ahead:
                yield ray.get(queue.popleft())
        while queue:
            yield ray.get(queue.popleft())


class executor_session:
    """Keep one Ray cluster up across several stages (`ifgen run`); a no-op for the local executor."""

    def __init__(self, name: str, address: str | None = None):
        self.name, self.address, self.started = name, address, False

    def __enter__(self) -> executor_session:
        if self.name == "ray":
            import ray

            if not ray.is_initialized():
                ray_init(self.address)
                self.started = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self.started:
            import ray

            ray.shutdown()


def make_executor(name: str, max_inflight: int, address: str | None = None):
    if name == "local":
        return LocalExecutor(max_inflight=max_inflight)
    if name == "ray":
        return RayExecutor(address=address, max_inflight=max_inflight)
    raise ValueError(f"unknown executor {name!r} (local or ray)")
