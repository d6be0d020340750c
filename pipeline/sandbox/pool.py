"""A pool of reusable sandbox workers: `SandboxPool.run(code, responses) -> [Result]`.

Throughput comes from reuse and batching: a worker compiles the checker once per job and
evaluates a whole batch of responses in one round trip. Safety comes from distrust: each
response has its own wall-clock budget; a worker that is late, dies, or reports anything
odd (policy breach, memory, recursion, output flood, patched library state) is killed
and replaced, and every worker is replaced after `recycle_after` jobs anyway. After a
timeout or crash the job continues on a fresh worker with the next response, up to
`max_failures_per_job` failures; responses after that are reported as skipped.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import TypedDict

from .jail import clean_stale_jails, make_jail
from .process import WorkerGone, WorkerProcess

log = logging.getLogger(__name__)
REQUIRED_LAYERS = ("netns", "chroot", "nproc", "rlimits")
MAX_RESENDS = 2
MAX_ERROR_CHARS = 1000


class Result(TypedDict):
    ok: bool | None
    error: str | None


class SandboxUnavailable(RuntimeError):
    """Workers could not be started, or (strict pools) not with every isolation layer."""


def _result(ok: bool | None, error: str | None) -> Result:
    return {"ok": ok, "error": error}


def _well_formed(item: object) -> bool:
    """A worker's `[ok, error]` line: a bool verdict without error, or None with a str error."""
    if not (isinstance(item, list) and len(item) == 2):
        return False
    ok, error = item
    return ((ok is True or ok is False) and error is None) or (ok is None and isinstance(error, str) and error != "")


class _NotSent(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SandboxPool:
    """Pooled, isolated workers for untrusted `evaluate(response) -> bool` code. Thread-safe."""

    def __init__(
        self,
        workers: int = 2,
        timeout_s: float = 2.0,
        mem_mb: int = 256,
        *,
        recycle_after: int = 1000,
        max_failures_per_job: int = 2,
        max_output: int = 64 * 1024,
        split_min: int = 256,
        strict: bool = False,
    ) -> None:
        if workers < 1 or timeout_s <= 0 or mem_mb < 64:
            raise ValueError("need workers >= 1, timeout_s > 0, mem_mb >= 64")
        self.workers = workers
        self.timeout_s = float(timeout_s)
        self.recycle_after = recycle_after
        self.max_failures_per_job = max_failures_per_job
        self.split_min = split_min
        self.strict = strict
        removed = clean_stale_jails()  # left by pools whose process was killed (SIGKILL runs no cleanup)
        if removed:
            log.info("removed %d sandbox jail(s) left by killed processes", len(removed))
        self.jail = make_jail()  # empty and read-only: the worker's whole filesystem
        weakref.finalize(self, shutil.rmtree, self.jail, True)  # also when close() is never called
        self._config = {"jail": self.jail, "mem_mb": int(mem_mb), "max_output": int(max_output)}
        self._idle: list[WorkerProcess] = []
        self._live = 0
        self._closed = False
        self._cond = threading.Condition()
        self._split = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sandbox-split")
        self._async = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sandbox-async")
        self._spawner = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sandbox-spawn")
        self.isolation: dict | None = None
        self._warned = False
        self.stats = {"spawned": 0, "killed": 0, "jobs": 0}

    # -- worker lifecycle -------------------------------------------------------------
    def _acquire(self) -> WorkerProcess:
        with self._cond:
            while True:
                if self._closed:
                    raise SandboxUnavailable("pool is closed")
                if self._idle:
                    return self._idle.pop()
                if self._live < self.workers:
                    self._live += 1  # this slot is ours; _spawn gives it back on failure
                    break
                self._cond.wait()
        return self._spawn()

    def _spawn(self) -> WorkerProcess:
        try:
            # Spawned from a pool-lifetime thread: PDEATHSIG fires when the *thread* that forked a
            # worker exits, so a short-lived caller or refill thread must not be its parent.
            worker = self._spawner.submit(WorkerProcess, self._config).result()
        except (WorkerGone, OSError, RuntimeError) as exc:  # RuntimeError: pool closed meanwhile
            self._give_back_slot()
            raise SandboxUnavailable(f"could not start a sandbox worker: {exc}") from exc
        self.stats["spawned"] += 1
        self.isolation = worker.layers
        missing = [name for name in REQUIRED_LAYERS if not worker.layers.get(name)]
        if self.strict and missing:
            worker.kill()
            self._give_back_slot()
            raise SandboxUnavailable(f"isolation layers unavailable here: {', '.join(missing)}")
        if missing and not self._warned:
            self._warned = True
            log.warning("sandbox running without isolation layers %s (need root or user namespaces)", missing)
        return worker

    def _give_back_slot(self) -> None:
        with self._cond:
            self._live -= 1
            self._cond.notify()

    def _refill(self) -> None:
        """Start a replacement worker in the background, so a retirement costs no caller a spawn."""
        with self._cond:
            if self._closed or self._live >= self.workers:
                return
            self._live += 1
        try:
            worker = self._spawn()
        except SandboxUnavailable:
            return
        with self._cond:
            if not self._closed:
                self._idle.append(worker)
                self._cond.notify()
                return
        worker.kill()
        self._give_back_slot()

    def _release(self, worker: WorkerProcess, reuse: bool) -> None:
        reuse = reuse and worker.alive and worker.jobs_done < self.recycle_after
        if not reuse:
            worker.kill()
            self.stats["killed"] += 1
        with self._cond:
            if reuse and not self._closed:
                self._idle.append(worker)
                self._cond.notify()
                return
        if reuse:
            worker.kill()
        self._give_back_slot()
        if not self._closed:
            threading.Thread(target=self._refill, name="sandbox-refill", daemon=True).start()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._live -= len(idle)
            self._cond.notify_all()
        for worker in idle:
            worker.kill()
        self._split.shutdown(wait=False)
        self._async.shutdown(wait=False)
        self._spawner.shutdown(wait=False)
        shutil.rmtree(self.jail, ignore_errors=True)

    def __enter__(self) -> SandboxPool:  # noqa: PYI034
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- running code -----------------------------------------------------------------
    def run(self, code: str, responses: list[str]) -> list[Result]:
        """Verdicts of `evaluate(response)` for each response, in order; never raises for bad code."""
        if not isinstance(code, str):
            raise TypeError("code must be a str")
        responses = list(responses)
        for i, response in enumerate(responses):
            if not isinstance(response, str):
                raise TypeError(f"responses[{i}] is {type(response).__name__}, not str")
        if not responses:
            return []
        n_chunks = min(self.workers, len(responses) // self.split_min)
        if n_chunks <= 1:
            return self._run_chunk(code, responses)
        size = -(-len(responses) // n_chunks)
        futures = [
            self._split.submit(self._run_chunk, code, responses[i : i + size]) for i in range(0, len(responses), size)
        ]
        return [result for future in futures for result in future.result()]

    async def arun(self, code: str, responses: list[str]) -> list[Result]:
        """`run` for asyncio stages: the blocking work happens on a thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._async, self.run, code, list(responses))

    def _run_chunk(self, code: str, responses: list[str]) -> list[Result]:
        results: list[Result | None] = [None] * len(responses)
        start, failures, resends = 0, 0, 0
        while start < len(responses):
            if failures >= self.max_failures_per_job:
                skipped = _result(None, f"skipped: checker already failed {failures} times in this job")
                results[start:] = [skipped.copy() for _ in responses[start:]]
                break
            worker = self._acquire()
            reuse = False
            try:
                start, failed, reuse = self._drive(worker, code, responses, start, results)
                failures += failed
            except _NotSent as exc:  # an idle worker had died: not the checker's fault, try a fresh one
                resends += 1
                if resends > MAX_RESENDS:
                    results[start:] = [_result(None, exc.reason) for _ in responses[start:]]
                    break
            finally:
                self._release(worker, reuse)
        self.stats["jobs"] += 1
        return results  # type: ignore[return-value]

    def _drive(
        self, worker: WorkerProcess, code: str, responses: list[str], start: int, results: list
    ) -> tuple[int, bool, bool]:
        """Run responses[start:] on `worker`; return (next index, whether it failed, whether to reuse)."""
        n = len(responses)
        try:
            worker.send_job(code, responses[start:], self.timeout_s)
        except WorkerGone as exc:
            raise _NotSent(exc.reason) from exc
        worker.jobs_done += 1
        try:
            head = worker.read_line(self.timeout_s)
        except WorkerGone as exc:
            reason = exc.reason if not exc.timed_out else f"timeout: module code ran over {self.timeout_s:g}s"
            results[start:] = [_result(None, reason) for _ in range(start, n)]
            return n, True, False
        if not isinstance(head, dict) or not ("ready" in head or "fatal" in head):
            worker.kill()
            results[start:] = [_result(None, "worker protocol error") for _ in range(start, n)]
            return n, True, False
        if "fatal" in head:
            results[start:] = [_result(None, str(head["fatal"])) for _ in range(start, n)]
            return n, False, self._finish(worker, results, start, n)
        for i in range(start, n):
            try:
                item = worker.read_line(self.timeout_s)
            except WorkerGone as exc:
                reason = exc.reason
                if exc.timed_out:
                    reason = f"timeout: evaluate ran over {self.timeout_s:g}s (worker killed)"
                results[i] = _result(None, reason)
                return i + 1, True, False
            if not _well_formed(item):
                worker.kill()
                results[i:] = [_result(None, "worker protocol error") for _ in range(i, n)]
                return n, True, False
            results[i] = _result(item[0], item[1] if item[1] is None else item[1][:MAX_ERROR_CHARS])
        return n, False, self._finish(worker, results, start, n)

    def _finish(self, worker: WorkerProcess, results: list, start: int, n: int) -> bool:
        """Read the end-of-job lines; a taint voids this job's verdicts. Returns whether to reuse."""
        try:
            tail = worker.read_line(self.timeout_s)
            if isinstance(tail, dict) and "tainted" in tail:
                reason = f"policy: {tail['tainted']}"
                results[start:n] = [_result(None, reason) for _ in range(start, n)]
                tail = worker.read_line(self.timeout_s)
        except WorkerGone as exc:
            reason = (
                exc.reason if not exc.timed_out else f"timeout: cleanup after evaluate ran over {self.timeout_s:g}s"
            )
            results[start:n] = [_result(None, reason) for _ in range(start, n)]
            return False
        return isinstance(tail, dict) and tail.get("done") is True and not tail.get("recycle")
