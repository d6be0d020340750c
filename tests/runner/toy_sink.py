"""A toy sink for runner tests: its input is an environment variable, every write is counted in a file."""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.stages.base import Sink


class ToySink(Sink):
    name = "toysink"

    def settings(self) -> dict:
        return {"toy": os.environ.get("TOY_SINK_INPUT", "a")}

    def write(self, out_dir: Path) -> dict:
        counter = self.run_dir / "toysink-writes.txt"
        counter.write_text(str(int(counter.read_text()) + 1 if counter.is_file() else 1))
        if os.environ.get("TOY_SINK_FAIL"):
            raise RuntimeError("the disk is on fire")
        (out_dir / "out.txt").write_text(os.environ.get("TOY_SINK_INPUT", "a"))
        return {"wrote": os.environ.get("TOY_SINK_INPUT", "a")}
