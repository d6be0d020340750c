"""One sandbox worker process, seen from the parent: spawn, talk line-JSON, time, kill.

The parent never trusts the worker to stop on its own: every line it waits for has a
wall-clock deadline, and a late, dead or garbled worker is SIGKILLed (its whole process
group) and reported as such. Results are plain dicts `{"ok": bool|None, "error": str|None}`.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

WORKER_PATH = Path(__file__).with_name("worker.py")
SPAWN_TIMEOUT_S = 30.0
MAX_LINE_BYTES = 1 << 20


class WorkerGone(Exception):
    """The worker died, hung or spoke nonsense; `reason` says which."""

    def __init__(self, reason: str, timed_out: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.timed_out = timed_out


def worker_command(config: dict, *extra: str) -> list[str]:
    return [sys.executable, "-I", "-S", str(WORKER_PATH), json.dumps(config), *extra]


class WorkerProcess:
    """A live worker; `jobs_done` counts jobs for recycling."""

    def __init__(self, config: dict) -> None:
        self.config = config
        self.jobs_done = 0
        self._buf = b""
        self.proc = subprocess.Popen(
            worker_command(config),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={},
            cwd=config["jail"],
            close_fds=True,
            start_new_session=True,
        )
        assert self.proc.stdout is not None  # a PIPE
        self._out = self.proc.stdout.fileno()
        hello = self.read_line(SPAWN_TIMEOUT_S)
        if not isinstance(hello, dict) or "hello" not in hello:
            self.kill()
            raise WorkerGone(f"worker did not start properly: {hello!r}"[:300])
        self.layers: dict = hello["hello"]

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def send_job(self, code: str, responses: list[str], timeout_s: float) -> None:
        line = json.dumps({"code": code, "responses": responses, "timeout_s": timeout_s}) + "\n"
        assert self.proc.stdin is not None  # a PIPE
        try:
            self.proc.stdin.write(line.encode("utf-8", "surrogatepass"))
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            self.kill()
            raise WorkerGone(f"worker died before the job was sent ({exc})") from exc

    def read_line(self, timeout_s: float):
        """Next JSON value from the worker, or WorkerGone (after killing it) if late or dead."""
        deadline = time.monotonic() + timeout_s
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise WorkerGone(f"timeout: no answer within {timeout_s:g}s (worker killed)", timed_out=True)
            ready, _, _ = select.select([self._out], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._out, 1 << 16)
            if not chunk:
                self.kill()
                raise WorkerGone(self._death_reason())
            self._buf += chunk
            if len(self._buf) > MAX_LINE_BYTES and b"\n" not in self._buf:
                self.kill()
                raise WorkerGone("worker sent an oversized message (killed)")
        line, _, self._buf = self._buf.partition(b"\n")
        try:
            return json.loads(line)
        except ValueError as exc:
            self.kill()
            raise WorkerGone("worker sent a malformed message (killed)") from exc

    def _death_reason(self) -> str:
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "worker closed its pipe without exiting (killed)"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            hint = {
                "SIGXCPU": " (CPU limit)",
                "SIGSEGV": " (crash, e.g. stack overflow)",
                "SIGKILL": " (killed, e.g. out of memory)",
            }.get(name, "")
            return f"worker died: {name}{hint}"
        return f"worker exited with code {code}"

    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                self.proc.kill()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()  # type: ignore[union-attr]  # both are PIPEs
            except (OSError, ValueError):
                pass
