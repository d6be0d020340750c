"""A jail left by a pool whose process was killed with SIGKILL is removed when the next pool starts."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from pipeline.sandbox import SandboxPool
from pipeline.sandbox.jail import PREFIX, clean_stale_jails

ROOT = Path(__file__).resolve().parents[2]
KILLED = """
import os, signal
from pipeline.sandbox import SandboxPool
pool = SandboxPool(workers=1)
assert pool.run("def evaluate(r):\\n    return True\\n", ["x"])[0]["ok"] is True
print(pool.jail, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _jails(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name.startswith(PREFIX)}


def test_a_jail_left_by_kill_9_is_removed_at_the_next_start(tmp_path, monkeypatch):
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", KILLED], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == -9, proc.stderr
    left = Path(proc.stdout.strip())
    assert left.parent == tmp_path and left.is_dir()  # SIGKILL ran no cleanup

    mine = tmp_path / f"{PREFIX}{os.getpid()}-0-live"  # a live owner's jail stays
    mine.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with SandboxPool(workers=1) as pool:
        assert not left.exists()
        assert _jails(tmp_path) == {mine.name, Path(pool.jail).name}
        assert pool.run("def evaluate(r):\n    return r == 'y'\n", ["y"])[0]["ok"] is True
    assert _jails(tmp_path) == {mine.name}


def test_only_empty_jails_of_dead_owners_are_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    gone = tmp_path / f"{PREFIX}{pid}-123-abc"
    full = tmp_path / f"{PREFIX}{pid}-123-full"
    other = tmp_path / "ifgen-sandbox-notours"
    for d in (gone, full, other):
        d.mkdir()
    (full / "keep.txt").write_text("x")
    reused = tmp_path / f"{PREFIX}{os.getpid()}-1-reused"  # this pid, but a process started at another time
    reused.mkdir()
    assert sorted(clean_stale_jails(str(tmp_path))) == sorted([str(gone), str(reused)])
    assert full.exists() and other.exists()
