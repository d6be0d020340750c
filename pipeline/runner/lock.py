"""One writer per run: an advisory lock on outputs/<run>/.lock, held by the process that writes the run.

`fcntl.flock` on a file that stays in the run folder: the kernel releases the lock when the holder exits,
however it exits (kill -9 included), so a lock left by a dead process is simply taken over. The holder
writes its pid into the file, so a second writer can say who holds the run ("run NAME is in use by pid N")
and leave at once instead of waiting. The file descriptor is not inherited by child processes (sandbox
workers, the embedded model server, Ray), so none of them can keep a dead writer's lock alive.

Re-entrant within one process: `ifgen run` takes the lock once for all its stages, and each stage the
runner starts takes it again without blocking. Readers (`ifgen status`, `ifgen config show`) never lock.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from ..jsonl import StorageError

LOCK_FILE = ".lock"


class RunInUse(RuntimeError):
    """Another live process holds the run's lock."""


_held: dict[str, list[int]] = {}  # resolved run folder -> [fd, depth] for locks this process holds


def holder(run_dir: Path) -> int | None:
    """The pid written in the run's lock file, if that process is alive (informational: for `ifgen status`)."""
    try:
        text = (Path(run_dir) / LOCK_FILE).read_text().strip()
        pid = int(text)
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return pid


class RunLock:
    """`with RunLock(run_dir, name):` — raises RunInUse when another process holds the run."""

    def __init__(self, run_dir: Path, name: str):
        self.run_dir = Path(run_dir)
        self.name = name
        self.key = str(self.run_dir.resolve())

    def __enter__(self) -> RunLock:
        held = _held.get(self.key)
        if held is not None:
            held[1] += 1
            return self
        path = self.run_dir / LOCK_FILE
        try:
            self.run_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as e:  # a read-only or full run folder: the first write of a writer, named
            raise StorageError(path, e) from e
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            pid = _read_pid(path)
            for _ in range(50):  # the holder writes its pid right after locking
                if pid:
                    break
                time.sleep(0.01)
                pid = _read_pid(path)
            who = f"pid {pid}" if pid else "another process"
            raise RunInUse(f"run {self.name} is in use by {who} ({path}); wait for it or stop it") from None
        except BaseException:
            os.close(fd)
            raise
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass  # a full disk: the lock holds without a pid (the next write stops the command, named)
        _held[self.key] = [fd, 1]
        return self

    def __exit__(self, *exc: object) -> None:
        held = _held[self.key]
        held[1] -= 1
        if held[1]:
            return
        del _held[self.key]
        fd = held[0]
        try:
            os.ftruncate(fd, 0)  # a clean exit leaves no pid behind
        except OSError:
            pass
        os.close(fd)  # releases the lock


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None
