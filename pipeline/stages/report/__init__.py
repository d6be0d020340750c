"""Sink report: outputs/<run>/report.html, one self-contained page about the run.

Reads: whatever stages have run (each optional: a run stopped after `verify` with failed items still gets a
page of what exists), the state DB (item counts, token usage) and every stage's stats.json. A run with no
verified data (verify never ran, or wrote no verdicts) has nothing to report: the sink refuses (`not_ready`).
Writes: outputs/<run>/report.html; report/stats.json (what the page holds).

A sink: the fingerprint covers every stage's records and stats, the usage table and the config, so the page
is rebuilt whenever anything in the run changed. Data gathering is in `data.py`, the page in `html.py`, its
CSS and JS in assets/.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ...records import content_id
from ...redact import redact
from ...runner.files import atomic_write_text, list_shards
from ..base import Sink
from .data import gather, usage
from .html import CHARTS, render


class ReportSink(Sink):
    name = "report"

    @property
    def html_path(self) -> Path:
        return self.run_dir / "report.html"

    def not_ready(self) -> str | None:
        if list_shards(self.run_dir / "verify"):
            return None
        if not (self.run_dir / "state.sqlite").is_file():
            why = f"nothing has run in {self.run_dir}"
        elif not (self.run_dir / "verify").is_dir():
            why = "verify has not run"
        else:
            why = "verify wrote no verdicts"
        return (
            f"no report for run {self.config.run.name!r}: it has no verified data ({why}); "
            "run `ifgen verify` (or `ifgen run`) first"
        )

    def settings(self) -> dict[str, Any]:
        """What the data is made of (`RunConfig.data_config()`, whose hash the page shows) and report.*,
        which shapes the page."""
        return {**self.config.data_config(), "report": self.config.report.model_dump(mode="json")}

    def _read(self, stage: str) -> Iterator[dict[str, Any]]:
        """A stage's records; none of checkers' when they are turned off (verify reads none then either)."""
        if stage == "checkers" and not self.config.checkers.enabled:
            return iter(())
        return self.read_optional(stage)

    def fingerprint(self, inputs: Mapping[str, str]) -> str:
        """Settings and the records of every stage (their data fingerprints), plus the stages' stats.json
        files and the token usage, which the page also shows."""
        stats = {}
        for folder in sorted(p for p in self.run_dir.iterdir() if p.is_dir() and p.name != self.name):
            f = folder / "stats.json"
            if f.is_file():
                stats[folder.name] = content_id(f.read_text(encoding="utf-8"))
        return content_id(super().fingerprint(inputs), stats, usage(self.run_dir))

    def write(self, out_dir: Path) -> dict[str, Any]:
        data = gather(self.run_dir, self._read, self.config.report.sample_rows)
        data["stale"] = self.stale_stages()
        page = render(data, self.config.run.name, self.config.fingerprint())
        atomic_write_text(self.html_path, redact(page))  # texts came redacted from the LLM layer; this is a second net
        return {
            "report": str(self.html_path),
            "charts": len(CHARTS),
            "samples": len(data["samples"]),
            "stages": [f["stage"] for f in data["funnel"]],
            "stale": data["stale"],
        }

    def stale_stages(self) -> dict[str, list[str]]:
        """{stage: why} for the stages whose records no longer match this config: the page says so, since the
        fingerprint it shows is this config's."""
        from ...runner import fingerprint
        from ...runner.state import StateDB

        if not (self.run_dir / "state.sqlite").is_file() or self.spec is None:
            return {}
        db = StateDB(self.run_dir / "state.sqlite", readonly=True)
        try:
            inputs = fingerprint.Inputs(db)
            stale = {s: fingerprint.staleness(self.upstream(s), inputs) for s in self.spec.reads}
        finally:
            db.close()
        return {s: why for s, why in stale.items() if why}
