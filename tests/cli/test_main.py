"""The `ifgen` process around a command (pipeline/cli/__init__.py): what it prints when its reader leaves."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_reader_that_leaves_early_gets_no_traceback():
    """`ifgen constraints list | head -1`: the pipe closes under a long listing; ifgen stops quietly with 141
    (128 + SIGPIPE, what a shell reports for such a writer), not with a BrokenPipeError traceback."""
    p = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "constraints", "list", "--format", "jsonl"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert p.stdout is not None and p.stderr is not None
    first = p.stdout.readline()
    p.stdout.close()  # the reader leaves
    err = p.stderr.read().decode()
    assert p.wait(timeout=60) == 141, err
    assert first.startswith(b"{") and "Traceback" not in err and "BrokenPipe" not in err, err
