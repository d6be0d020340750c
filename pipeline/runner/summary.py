"""What one run of a step did: counts, the most common failure cause, stats, this run's token usage; its
one-line form is what `ifgen` prints and the state DB keeps per run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class StageSummary:
    stage: str
    total: int = 0
    skipped: int = 0
    done: int = 0
    failed: int = 0
    records: int = 0
    stale: int = 0  # done items redone because their settings or input content changed
    removed: int = 0  # items gone from the enumeration whose records were removed
    seconds: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)
    causes: list[tuple[str, int]] = field(default_factory=list)  # (cause, items), most common first
    stats: dict[str, Any] = field(default_factory=dict)
    usage: dict[str, float] = field(default_factory=dict)
    kind: str = "stage"

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def failure(self) -> str:
        """One line naming the most common cause of the failures ("" when nothing failed), e.g.
        "expand: 12 of 12 items failed: HTTP 401 from http://host/v1 (key refused)"."""
        if not self.failed:
            return ""
        cause, n = self.causes[0] if self.causes else ("see `ifgen status`", self.failed)
        if self.kind == "sink":
            return f"{self.stage} failed: {cause}"
        others = sum(c for _, c in self.causes[1:])
        more = f" ({n} of them; {others} for other reasons, see state.sqlite items.last_error)" if others else ""
        return f"{self.stage}: {self.failed} of {self.total} items failed: {cause}{more}"

    def line(self) -> str:
        u = self.usage
        tok = int((u.get("prompt_tokens") or 0) + (u.get("completion_tokens") or 0))
        extra = f", {tok:,} tokens, ${float(u.get('cost') or 0):.4f}" if u.get("requests") or tok else ""
        changed = f", {self.stale} stale redone" if self.stale else ""
        changed += f", {self.removed} removed" if self.removed else ""
        return (
            f"{self.stage}: {self.done} done, {self.failed} failed, {self.skipped} already done{changed} "
            f"({self.records} records) in {self.seconds:.1f}s{extra}"
        )
