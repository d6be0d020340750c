"""What a step's output was made from, and whether it still matches: fingerprints and staleness.

A step (stage or sink) declares the config it depends on (`settings()`, in the step's class beside the code
that reads it) and the outside files it reads (`input_files()`, e.g. the seed file). The runner adds the data
fingerprints of the stages it reads (`StateDB.data_fingerprint`: a hash of their records, not of config, so
a setting that changes nothing upstream changes nothing here). From these:

- the step fingerprint `content_id(name, settings, input data fingerprints, input files)`, recorded in the
  state DB when the step runs (`fingerprints` table) and compared by `staleness` with the current config;
- the item key of a stage's item: `content_id(context, item_key(item), sources)`, where the context hashes
  the settings and the data fingerprints of the lookups the stage reads whole beside its items (verify:
  checkers), and `sources` the records of the items of other stages the item is made from (verify: the
  compose item, i.e. the task, its response's instruction came from). The input the items come from is not
  in the context: an item's content already says what it was made from, so a change upstream redoes exactly
  the items it changed.

Knows no stage by name: it asks a step for its declared inputs and for the steps behind them (`upstream`).
"""

from __future__ import annotations

import json
from typing import Any

from ..records import content_id
from ..redact import redact
from .state import StateDB

MAX_CHANGES = 4  # setting changes named in one reason; the rest are counted


class Inputs:
    """Data fingerprints of stages, each computed once (a scan of the stage's rows in the state DB)."""

    def __init__(self, state: StateDB):
        self.state = state
        self._data: dict[str, str] = {}
        self._stale: dict[str, list[str]] = {}

    def data(self, stage: str) -> str:
        if stage not in self._data:
            self._data[stage] = self.state.data_fingerprint(stage)
        return self._data[stage]

    def item(self, stage: str, item_id: str | None) -> str:
        """The hash of one item's records in `stage`; the whole stage's fingerprint when that item is unknown
        (the safe side: any change in the stage then counts)."""
        return (self.state.item_digest(stage, item_id) if item_id else None) or self.data(stage)

    def of(self, step: Any) -> dict[str, str]:
        """{declared input: its data fingerprint} for a step."""
        return {name: self.data(name) for name in declared_inputs(step)}


def declared_inputs(step: Any) -> tuple[str, ...]:
    spec = getattr(step, "spec", None)
    return tuple(spec.inputs) if spec is not None else ()


def step_fingerprint(step: Any, inputs: dict[str, str], files: dict[str, str]) -> str:
    return content_id(step.name, step.settings(), inputs, files)


def item_context(step: Any, inputs: Inputs) -> str:
    """What every item key of this stage shares: its settings and the lookups it reads beside its items."""
    return content_id(step.name, step.settings(), {n: inputs.data(n) for n in step.context_inputs()})


def item_key(context: str, step: Any, item: Any, inputs: Inputs) -> str:
    sources = step.item_sources(item)
    if not sources:
        return content_id(context, step.item_key(item))
    return content_id(context, step.item_key(item), {s: inputs.item(s, i) for s, i in sorted(sources.items())})


def record(state: StateDB, step: Any, inputs: dict[str, str]) -> str:
    """Record what the step now runs under; returns its fingerprint."""
    files = step.input_files()
    fp = step_fingerprint(step, inputs, files)
    state.record_fingerprint(step.name, fp, step.settings(), inputs, files)
    return fp


def staleness(step: Any, inputs: Inputs) -> list[str]:
    """Why the step's output no longer matches the current config and inputs ([] when it does, or when the
    step never ran). Reasons name the settings that changed (`sample.n: 3 -> 2`), a changed input file, an
    upstream stage whose records changed since this step ran, or an upstream stage that is itself stale."""
    name = step.name
    if name in inputs._stale:
        return inputs._stale[name]
    inputs._stale[name] = []  # (a cycle cannot happen in the declaration; this only guards recursion)
    state = inputs.state
    rec = state.recorded_fingerprint(name)
    reasons: list[str] = []
    if rec is None:
        if state.counts().get(name) or state.has_run(name):
            reasons.append("made before fingerprints were recorded (its settings are unknown)")
    else:
        changes = diff(rec["settings"], _as_recorded(step.settings()))
        if changes:
            more = f" and {len(changes) - MAX_CHANGES} more" if len(changes) > MAX_CHANGES else ""
            reasons.append("settings changed: " + "; ".join(changes[:MAX_CHANGES]) + more)
        files = step.input_files()
        for path in sorted(set(rec["files"]) | set(files)):
            if rec["files"].get(path) != files.get(path):
                what = "is new" if path not in rec["files"] else "is gone" if path not in files else "changed"
                reasons.append(f"input file {path} {what}")
        for up in declared_inputs(step):
            if rec["inputs"].get(up) != inputs.data(up):
                reasons.append(f"upstream {up} changed since {name} ran")
    if not any(r.startswith("upstream") for r in reasons):
        for up in declared_inputs(step):
            if staleness(step.upstream(up), inputs):
                reasons.append(f"upstream {up} is stale")
    inputs._stale[name] = reasons
    return reasons


def _as_recorded(settings: Any) -> Any:
    """Settings as the state DB keeps them (JSON, secrets redacted), to compare like with like."""
    return json.loads(redact(json.dumps(settings, sort_keys=True, default=str)))


def diff(old: Any, new: Any, prefix: str = "") -> list[str]:
    """`key.path: old -> new` for every leaf that differs between two JSON values."""
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[str] = []
        for k in sorted(set(old) | set(new), key=str):
            path = f"{prefix}.{k}" if prefix else str(k)
            if k not in old:
                out.append(f"{path}: (new) {_short(new[k])}")
            elif k not in new:
                out.append(f"{path}: {_short(old[k])} (removed)")
            else:
                out += diff(old[k], new[k], path)
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [c for i, (a, b) in enumerate(zip(old, new)) for c in diff(a, b, f"{prefix}.{i}")]
    return [] if old == new else [f"{prefix or 'value'}: {_short(old)} -> {_short(new)}"]


def _short(v: Any) -> str:
    s = repr(v) if isinstance(v, str) else str(v)
    return s if len(s) <= 60 else s[:57] + "..."
