"""Import the open-instruct harness (tests/rewards/open_instruct_harness) as `open_instruct`, and undo it."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

HARNESS = Path(__file__).parent / "open_instruct_harness"


def _drop_modules() -> None:
    for name in list(sys.modules):
        if name == "open_instruct" or name.startswith("open_instruct.") or name == "pipeline.rewards.open_instruct":
            del sys.modules[name]


@contextlib.contextmanager
def open_instruct_harness() -> Iterator[object]:
    """`open_instruct.ground_truth_utils` from the harness, with `pipeline.rewards.open_instruct` imported
    fresh on top of it (so IfgenVerifier subclasses the harness's VerifierFunction)."""
    _drop_modules()
    sys.path.insert(0, str(HARNESS))
    try:
        import open_instruct.ground_truth_utils as gtu

        yield gtu
    finally:
        sys.path.remove(str(HARNESS))
        _drop_modules()
