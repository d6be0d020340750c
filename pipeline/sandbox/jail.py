"""The jail: an empty, read-only temp folder that is a sandbox worker's whole filesystem.

A pool removes its jail on close (and from a finalizer), but a process killed with SIGKILL runs neither. So a
jail's name carries its owner (`ifgen-sandbox-<pid>-<start time>-…`), and every new pool first removes the jails
of owners that are gone: no such pid, or a pid that now belongs to a process started at another time (reused).
Only empty folders of this user are touched.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

PREFIX = "ifgen-sandbox-"
_OWNED = re.compile(rf"^{re.escape(PREFIX)}(?:probe-)?(\d+)-(\d+)-")


def _start_time(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (/proc/PID/stat field 22); None if there is no such
    process. Without /proc: 0 for a live pid (start time unknown), None for a dead one."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[19])
    except FileNotFoundError:
        return None
    except (OSError, IndexError, ValueError):
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except OSError:
        pass
    return 0


def make_jail(kind: str = "") -> str:
    """A new empty, read-only jail named after this process."""
    pid = os.getpid()
    jail = tempfile.mkdtemp(prefix=f"{PREFIX}{kind}{pid}-{_start_time(pid) or 0}-")
    os.chmod(jail, 0o555)
    return jail


def clean_stale_jails(folder: str | None = None) -> list[str]:
    """Remove the jails whose owning process is gone; returns their paths."""
    root = Path(folder or tempfile.gettempdir())
    removed: list[str] = []
    try:
        entries = list(root.iterdir())
    except OSError:
        return removed
    uid = os.getuid()
    for path in entries:
        m = _OWNED.match(path.name)
        if m is None:
            continue
        pid, started = int(m.group(1)), int(m.group(2))
        now = _start_time(pid)
        if now is not None and (now == started or now == 0 or started == 0):
            continue  # the owner is alive (or may be: without /proc a reused pid cannot be told apart)
        try:
            st = path.lstat()
            if not path.is_dir() or path.is_symlink() or st.st_uid != uid or any(path.iterdir()):
                continue
        except OSError:
            continue
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            removed.append(str(path))
    return removed
