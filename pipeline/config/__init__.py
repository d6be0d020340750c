"""Run configuration: one YAML file per run, validated, with `--set` overrides.

Every section is a pydantic model with extra="forbid", so a misspelt key is an
error that names the key instead of a silently ignored setting. The resolved
config (file + overrides + defaults) is saved in the run folder; its hash is part
of the run's identity in the dataset card.

Per-stage `llm:` blocks are partial overrides of the top-level `llm` settings
(e.g. a bigger model for checkers, a different temperature for sampling): the
same fields as `LLMSettings`, all optional, typed and extra="forbid"; only the
keys given override (and are saved). Each `sample.models` item takes the same
fields (None = inherit), plus its weight and n.

The whole config is checked when it is loaded, before any work: types and
unknown keys, every stage's merged LLM settings, family and pattern names and
constraint ids against the registry. A problem is one ConfigError line naming
the key and where it was set: `--set KEY=VALUE`, or FILE:LINE (from the YAML
node marks), or the file when the value is a default.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, ValidationError, model_validator

from ..llm.settings import LLM_TRANSPORT, LLMSettings, invalid
from ..records import canonical_json, content_id
from ..redact import watch
from ..resources import find, resource_dir, shipped
from .fields import ConstraintId, Given, LLMOverride, ModelSpec, Section  # noqa: F401 - re-exported
from .load import (  # noqa: F401 - ConfigError, parse_override, apply_override are re-exported
    ConfigError,
    apply_override,
    error_keys,
    first_error,
    load,
    message,
    parse_override,
)
from .sections import (  # noqa: F401 - re-exported: the section models
    CheckersSection,
    ComposeSection,
    ExpandSection,
    ExportSection,
    PushSection,
    ReportSection,
    RunSection,
    SampleSection,
    SeedSource,
    VerifySection,
)

LLM_STAGES = ("expand", "compose", "sample", "checkers", "verify")  # the sections with an `llm:` block
CHECKERS_TRANSPORT = frozenset({"workers"})  # sizes the sandbox pool only
# run.* keys that say how a run goes (where, on what, how fast, with what progress display), not what it makes
RUN_TRANSPORT = frozenset(
    {"output_dir", "executor", "ray_address", "batch_size", "max_inflight_batches", "progress", "memory_mb"}
)


def _what_is_asked(llm: dict[str, Any]) -> dict[str, Any]:
    """LLM settings without transport knobs; `api_base: null` stays (it routes a provider through litellm)."""
    return {k: v for k, v in llm.items() if k not in LLM_TRANSPORT or (k == "api_base" and v is None)}


class RunConfig(Section):
    run: RunSection = Field(default_factory=RunSection)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    seeds: SeedSource = Field(default_factory=lambda: SeedSource(path=Path("seeds/default.jsonl")))
    expand: ExpandSection = Field(default_factory=ExpandSection)
    compose: ComposeSection = Field(default_factory=ComposeSection)
    sample: SampleSection = Field(default_factory=SampleSection)
    checkers: CheckersSection = Field(default_factory=CheckersSection)
    verify: VerifySection = Field(default_factory=VerifySection)
    export: ExportSection = Field(default_factory=ExportSection)
    push: PushSection = Field(default_factory=PushSection)
    report: ReportSection = Field(default_factory=ReportSection)

    @model_validator(mode="after")
    def _llm_match_needs_checkers(self) -> RunConfig:
        if self.compose.llm_match and not self.checkers.enabled:
            raise invalid(
                "compose.llm_match",
                "needs checkers.enabled: a proposed mapping is accepted on the test cases the checkers stage generates",
                "checkers.enabled",
            )
        return self

    @model_validator(mode="after")
    def _every_stage_llm(self) -> RunConfig:
        """Each stage's merged LLM settings (and each sample model's) must be valid on their own. The key
        variables they name are watched: their values are redacted from everything ifgen writes."""
        merged = [self.llm]
        for stage in LLM_STAGES:
            merged.append(self._merged(stage, f"{stage}.llm", getattr(self, stage).llm.given()))
        for i, spec in enumerate(self.sample.models):
            merged.append(self._merged("sample", f"sample.models.{i}", spec.overrides()))
        watch(*(s.api_key_env for s in merged))
        return self

    def _merged(self, stage: str, where: str, over: dict[str, Any]) -> LLMSettings:
        base = {**self.llm.model_dump(), **getattr(self, stage).llm.given()}
        try:
            return LLMSettings(**{**base, **over})
        except ValidationError as e:
            err = e.errors()[0]
            keys = error_keys(err) or ("",)
            raise invalid(
                ".".join(p for p in (where, keys[0]) if p), message(err), *(f"{where}.{k}" for k in keys[1:])
            ) from None

    # -- helpers used by stages -------------------------------------------------------------
    def llm_for(self, stage: str, extra: dict[str, Any] | None = None) -> LLMSettings:
        """Top-level llm settings with the stage's `llm:` block (and `extra`, e.g. a sample model's settings)
        applied. Valid by construction: load checked every stage's merge."""
        block = getattr(getattr(self, stage, None), "llm", None)
        over = block.given() if isinstance(block, Given) else {}
        over.update(extra or {})
        if not over:
            return self.llm
        try:
            return LLMSettings(**{**self.llm.model_dump(), **over})
        except ValidationError as e:
            raise ConfigError(f"{stage}.llm: {first_error(e)}") from None

    def run_dir(self) -> Path:
        return Path(self.run.output_dir) / self.run.name

    def data_config(self) -> dict[str, Any]:
        """The config without what only says how the run goes: run.* transport keys (RUN_TRANSPORT), the LLM
        transport knobs (LLM_TRANSPORT: endpoints, key variables, concurrency, retries...) wherever LLM settings
        are given, `checkers.workers`, `push` (where the files go) and `report` (how the page looks). What the data
        is made of: the dataset card embeds it and
        the export and report are fingerprinted on it, so `--set llm.max_concurrency=64` or another
        `run.progress` redoes neither."""
        data = self.model_dump(mode="json", exclude={"push", "report"})
        data["run"] = {k: v for k, v in data["run"].items() if k not in RUN_TRANSPORT}
        data["checkers"] = {k: v for k, v in data["checkers"].items() if k not in CHECKERS_TRANSPORT}
        data["llm"] = _what_is_asked(data["llm"])
        for stage in LLM_STAGES:
            data[stage]["llm"] = _what_is_asked(data[stage]["llm"])
        data["sample"]["models"] = [_what_is_asked(m) for m in data["sample"]["models"]]
        return data

    def fingerprint(self) -> str:
        """A hash of `data_config()`: the run's identity in the dataset card and the report."""
        return content_id(self.data_config())

    def to_yaml(self, data_only: bool = False) -> str:
        """The config as YAML; `data_only`: `data_config()` (the card's copy: no endpoints or local knobs)."""
        dump = self.data_config() if data_only else self.model_dump(mode="json")
        return yaml.safe_dump(dump, sort_keys=False, allow_unicode=True)


# -- loading ---------------------------------------------------------------------------------


def load_config(
    path: str | Path | None = None, overrides: list[str] | None = None, run_name: str | None = None
) -> RunConfig:
    """Read YAML (default: the shipped configs/default.yaml), apply `--set` overrides, validate the whole config. A
    problem raises ConfigError naming the key and where it was set (`--set KEY=VALUE`, FILE:LINE, or FILE).

    `path` is a file, or the name of a shipped config ('configs/demo.yaml' or 'demo' when no such file is in
    the working directory: pipeline.resources.find)."""
    p = find(path, "configs") if path else resource_dir("configs") / "default.yaml"
    if not p.is_file():
        raise ConfigError(f"config file not found: {p} (shipped configs: {', '.join(shipped('configs'))})")
    return load(RunConfig, p, overrides or [], run_name)


def save_resolved(cfg: RunConfig, run_dir: Path) -> Path:
    """Write the resolved config into the run folder (atomically)."""
    from ..runner.files import StorageError, atomic_write_text

    try:
        run_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StorageError(e.filename or run_dir, e) from e
    out = run_dir / "config.resolved.yaml"
    atomic_write_text(out, cfg.to_yaml())
    atomic_write_text(run_dir / "config.resolved.json", json.dumps(cfg.model_dump(mode="json"), indent=2))
    return out


__all__ = ["RunConfig", "ConfigError", "load_config", "save_resolved", "canonical_json"]
