"""Parent side of the OS-layer self-test (see probe.py): run it in a fresh isolated process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

from .jail import make_jail
from .process import worker_command


def probe_isolation(port: int, canary: str, mem_mb: int = 256, timeout_s: float = 30.0) -> dict:
    """Isolate a process exactly like a worker, let trusted code try to escape, return what happened.

    `port`: a 127.0.0.1 TCP port to try to connect to; `canary`: a file path to try to read and write.
    """
    jail = make_jail("probe-")
    try:
        config = {"jail": jail, "mem_mb": mem_mb, "port": port, "canary": canary}
        proc = subprocess.run(
            worker_command(config, "--probe"), capture_output=True, env={}, cwd=jail, timeout=timeout_s, check=False
        )
        if proc.returncode != 0:
            raise RuntimeError(f"probe failed (exit {proc.returncode}): {proc.stderr.decode()[-500:]}")
        report = json.loads(proc.stdout.decode().strip().splitlines()[-1])
        report["jail_entries"] = os.listdir(jail)
        return report
    finally:
        shutil.rmtree(jail, ignore_errors=True)
