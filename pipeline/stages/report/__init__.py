"""Stage report: outputs/<run>/report.html, one self-contained page about the run.

One work item whose id fingerprints every stage's files and the usage table, so
the page is rebuilt whenever anything in the run changed. Data gathering is in
`data.py`, the page in `html.py`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...records import content_id
from ...runner.files import atomic_write_text
from ..base import Stage
from .data import gather, usage
from .html import render

SUMMARY = ".report_summary.json"


class ReportStage(Stage):
    name = "report"

    @property
    def html_path(self) -> Path:
        return self.run_dir / "report.html"

    def _fingerprint(self) -> str:
        listing = []
        for folder in sorted(p for p in self.run_dir.iterdir() if p.is_dir() and p.name != self.name):
            for f in sorted(folder.iterdir()):
                if f.is_file():
                    st = f.stat()
                    listing.append((folder.name, f.name, st.st_size, st.st_mtime_ns))
        return content_id(listing, usage(self.run_dir), self.config.report.model_dump(mode="json"))

    def items(self) -> Iterator[dict[str, Any]]:
        yield {"id": self._fingerprint()}

    async def process(self, item: dict[str, Any]) -> list[dict[str, Any]]:
        data = gather(self.run_dir, self.read_optional, self.config.report.sample_rows)
        atomic_write_text(self.html_path, render(data, self.config.run.name, self.config.fingerprint()))
        summary = {
            "report": str(self.html_path),
            "charts": 10,
            "samples": len(data["samples"]),
            "stages": [f["stage"] for f in data["funnel"]],
        }
        atomic_write_text(self.out_dir / SUMMARY, json.dumps(summary, indent=2))
        return []

    def finish(self) -> dict[str, Any]:
        path = self.out_dir / SUMMARY
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
