"""Run configuration: one YAML file per run, validated, with `--set` overrides.

Every section is a pydantic model with extra="forbid", so a misspelt key is an
error that names the key instead of a silently ignored setting. The resolved
config (file + overrides + defaults) is saved in the run folder; its hash is part
of the run's identity in the dataset card.

Per-stage `llm:` blocks are partial overrides of the top-level `llm` settings
(e.g. a bigger model for checkers, a different temperature for sampling).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .llm.settings import LLMSettings
from .records import canonical_json, content_id
from .resources import find, resource_dir, shipped


class ConfigError(ValueError):
    """A one-line, user-facing config problem (CLI exits with code 2)."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class SeedSource(BaseModel):
    """Where seeds come from and how to read them (exactly one of `path`, `hf_dataset`)."""

    model_config = ConfigDict(extra="forbid")

    path: Path | None = Field(None, description="seed file, or folder of seed files / saved dataset")
    hf_dataset: str | None = Field(
        None, description="name or local path for datasets.load_dataset, or a save_to_disk folder"
    )
    hf_config: str | None = None
    split: str = "train"
    data_files: str | list[str] | None = Field(
        None, description="data_files for datasets.load_dataset (e.g. with hf_dataset='json')"
    )
    hf_cache_dir: str | None = None
    format: Literal["auto", "jsonl", "json", "csv", "tsv", "txt", "parquet"] = "auto"
    text_field: str = "text"
    category_field: str | None = "category"
    language_field: str | None = "language"
    limit: int | None = Field(None, ge=1)
    sample_seed: int | None = Field(None, description="shuffle with this seed before applying limit")
    dedupe: bool = True
    near_duplicate_threshold: float = Field(92.0, gt=0, le=100)

    @model_validator(mode="after")
    def _one_source(self) -> SeedSource:
        if (self.path is None) == (self.hf_dataset is None):
            raise ValueError("give exactly one of `path` or `hf_dataset`")
        if self.path is not None and (self.hf_config or self.data_files):
            raise ValueError("`hf_config` and `data_files` only apply to `hf_dataset`")
        if self.hf_dataset is not None and self.format != "auto":
            raise ValueError("`format` only applies to `path`; datasets pick their own loader")
        return self

    def label(self) -> str:
        return str(self.path) if self.path is not None else str(self.hf_dataset)


class RunSection(_Section):
    name: str = "default"
    output_dir: str = "outputs"
    seed: int = 0
    executor: Literal["local", "ray"] = "local"
    ray_address: str | None = None
    batch_size: int = Field(32, ge=1)
    max_inflight_batches: int = Field(8, ge=1)
    progress: bool = True
    # working memory of the steps that partition on disk (the export's join, selection, rows and Parquet
    # writing; verify's instruction lookups): it sets how data is partitioned, never what comes out
    memory_mb: int = Field(512, ge=64)


class ExpandSection(_Section):
    llm: dict[str, Any] = Field(default_factory=dict)
    min_freeform: int = Field(2, ge=0)
    max_freeform: int = Field(5, ge=0)
    attempts: int = Field(2, ge=1)


class ComposeSection(_Section):
    llm: dict[str, Any] = Field(default_factory=dict)
    instructions_per_task: int = Field(2, ge=1)
    min_constraints: int = Field(1, ge=1)
    max_constraints: int = Field(6, ge=1)
    count_weights: list[float] | None = None  # weights for min..max; None = uniform
    difficulty: Literal["L1", "L2", "L3", "L4"] | None = None  # overrides the count distribution
    include_eval_only: bool = False
    families: list[str] = Field(default_factory=lambda: ["ifeval", "ifevalg", "ifgen"])
    freeform_probability: float = Field(0.3, ge=0, le=1)
    max_resamples: int = Field(50, ge=1)
    feasibility_check: bool = False
    rewrite: bool = False
    rewrite_coverage_check: bool = False
    pattern_weights: dict[str, float] = Field(
        default_factory=lambda: {"listing": 0.5, "incorporation": 0.35, "example": 0.15}
    )


class ModelSpec(_Section):
    model: str | None = None  # None = top-level llm.model
    api_base: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    system_prompt: str | None = None
    weight: float = 1.0
    n: int | None = None  # responses per instruction from this model (default sample.n)
    batch: bool | None = None  # send through the provider's batch API (e.g. OpenAI: half price, within 24 h)


class SampleSection(_Section):
    llm: dict[str, Any] = Field(default_factory=dict)
    n: int = Field(2, ge=1)
    models: list[ModelSpec] = Field(default_factory=lambda: [ModelSpec()])


class CheckersSection(_Section):
    llm: dict[str, Any] = Field(default_factory=dict)
    enabled: bool = True
    registry_too: bool = False  # also generate checkers for registry ids, to measure the generator
    registry_sample: int = Field(10, ge=0)  # how many registry ids per run when registry_too
    functions: int = Field(3, ge=1)  # AutoIF defaults: 3 functions, 10 cases, accuracy 0.8
    cases: int = Field(10, ge=1)
    accuracy: float = Field(0.8, ge=0, le=1)
    min_functions: int = Field(1, ge=1)
    min_cases: int = Field(3, ge=1)
    back_translation: bool = False
    timeout_s: float = Field(2.0, gt=0)
    workers: int = Field(2, ge=1)


class VerifySection(_Section):
    llm: dict[str, Any] = Field(default_factory=dict)
    judge: bool = True  # LLM judge for soft constraints
    loose: bool = False


class DPOSection(_Section):
    chosen_min: float = Field(1.0, ge=0, le=1)  # chosen must reach this fraction (AutoIF: >= 0.5)
    rejected_max: float = Field(0.0, ge=0, le=1)  # rejected must be at most this fraction (AutoIF: 0)
    max_pairs_per_prompt: int = Field(2, ge=1)
    reverse_pairs: bool = True


class RLExportSection(_Section):
    """Which prompts the RL datasets (`rl`, `verl`) keep, by pass rate, and in which order."""

    min_passrate: float = Field(0.0, ge=0, le=1)  # drop prompts solved less often (0.0 keeps never-solved ones)
    max_passrate: float = Field(1.0, ge=0, le=1)  # drop prompts solved more often (1.0 keeps always-solved ones)
    order: Literal["id", "curriculum"] = "id"  # curriculum: easy to hard (pass rate high to low)

    @model_validator(mode="after")
    def _bounds(self):
        if self.min_passrate > self.max_passrate:
            raise ValueError(f"min_passrate ({self.min_passrate}) is above max_passrate ({self.max_passrate})")
        return self


EXPORT_FORMATS = ("sft", "dpo", "rl", "verl")


class ExportSection(_Section):
    sft_min_fraction: float = Field(1.0, ge=0, le=1)
    dpo: DPOSection = Field(default_factory=DPOSection)
    test_fraction: float = Field(0.1, ge=0, lt=1)
    dedupe_threshold: float = Field(0.9, gt=0, le=1)
    decontaminate: list[str] = Field(default_factory=list)
    decontaminate_ngram: int = Field(13, ge=3)
    format: Literal["parquet", "jsonl"] = "parquet"
    # datasets written: sft, dpo, rl (open-instruct / TRL) and verl (verl's RL Parquet, opt-in)
    formats: list[Literal["sft", "dpo", "rl", "verl"]] = Field(default_factory=lambda: ["sft", "dpo", "rl"])
    rl: RLExportSection = Field(default_factory=RLExportSection)
    license: str = "apache-2.0"

    @model_validator(mode="after")
    def _formats(self):
        if not self.formats:
            raise ValueError("formats: name at least one of " + ", ".join(EXPORT_FORMATS))
        if len(set(self.formats)) != len(self.formats):
            raise ValueError(f"formats: {self.formats} names a dataset twice")
        return self


class PushSection(_Section):
    repo_id: str | None = None
    private: bool = False
    endpoint: str | None = None  # None = huggingface_hub default (HF_ENDPOINT)


class ReportSection(_Section):
    sample_rows: int = Field(12, ge=0)


class RunConfig(_Section):
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
    def _bounds(self) -> RunConfig:
        if self.compose.max_constraints < self.compose.min_constraints:
            raise ValueError("compose.max_constraints must be >= compose.min_constraints")
        if self.expand.max_freeform < self.expand.min_freeform:
            raise ValueError("expand.max_freeform must be >= expand.min_freeform")
        return self

    # -- helpers used by stages -------------------------------------------------------------
    def llm_for(self, stage: str, extra: dict[str, Any] | None = None) -> LLMSettings:
        """Top-level llm settings with the stage's partial override (and `extra`) applied."""
        section = getattr(self, stage, None)
        over = dict(getattr(section, "llm", {}) or {})
        over.update(extra or {})
        if not over:
            return self.llm
        try:
            return LLMSettings(**{**self.llm.model_dump(), **over})
        except ValidationError as e:
            raise ConfigError(f"{stage}.llm: {_first_error(e)}") from None

    def run_dir(self) -> Path:
        return Path(self.run.output_dir) / self.run.name

    def fingerprint(self) -> str:
        return content_id(self.model_dump(mode="json"))

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.model_dump(mode="json"), sort_keys=False, allow_unicode=True)


# -- loading ---------------------------------------------------------------------------------


def _first_error(e: ValidationError) -> str:
    err = e.errors()[0]
    loc = ".".join(str(p) for p in err.get("loc", ()))
    msg = err.get("msg", "invalid")
    if err.get("type") == "extra_forbidden":
        msg = "unknown key"
    return f"{loc}: {msg}" if loc else msg


def parse_override(text: str) -> tuple[list[str], Any]:
    """`section.key=value` -> (["section", "key"], parsed value). Values are YAML scalars/lists."""
    if "=" not in text:
        raise ConfigError(f"--set {text!r}: expected section.key=value")
    key, raw = text.split("=", 1)
    path = [p for p in key.strip().split(".") if p]
    if not path:
        raise ConfigError(f"--set {text!r}: empty key")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    return path, value


def apply_override(data: dict, path: list[str], value: Any) -> None:
    node: Any = data
    for i, part in enumerate(path[:-1]):
        if isinstance(node, list):
            try:
                node = node[int(part)]
            except (ValueError, IndexError):
                raise ConfigError(f"--set {'.'.join(path)}: no list item {part!r}") from None
            continue
        if not isinstance(node, dict):
            raise ConfigError(f"--set {'.'.join(path)}: {'.'.join(path[:i])} is not a section")
        node = node.setdefault(part, {})
    last = path[-1]
    if isinstance(node, list):
        try:
            node[int(last)] = value
        except (ValueError, IndexError):
            raise ConfigError(f"--set {'.'.join(path)}: no list item {last!r}") from None
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise ConfigError(f"--set {'.'.join(path)}: {'.'.join(path[:-1])} is not a section")


def _merge(base: Any, top: Any) -> Any:
    if isinstance(base, dict) and isinstance(top, dict):
        return {**base, **{k: _merge(base.get(k), v) for k, v in top.items()}}
    return top


def _with_defaults(data: dict) -> dict:
    """The file's values over the full defaults, so `--set` can reach keys the file leaves out (including list
    items such as sample.models.0.batch). Sections whose fields exclude each other (seeds: path OR hf_dataset)
    are taken whole from the file when it has them."""
    defaults = RunConfig().model_dump(mode="json")
    merged = _merge(defaults, {k: v for k, v in data.items() if k != "seeds"})
    if "seeds" in data:
        merged["seeds"] = data["seeds"]
    return merged


def load_config(
    path: str | Path | None = None, overrides: list[str] | None = None, run_name: str | None = None
) -> RunConfig:
    """Read YAML (default: the shipped configs/default.yaml), apply `--set` overrides, validate.

    `path` is a file, or the name of a shipped config ('configs/demo.yaml' or 'demo' when no such file is in
    the working directory: pipeline.resources.find)."""
    p = find(path, "configs") if path else resource_dir("configs") / "default.yaml"
    if not p.is_file():
        raise ConfigError(f"config file not found: {p} (shipped configs: {', '.join(shipped('configs'))})")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{p}{where}: invalid YAML ({getattr(e, 'problem', e)})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{p}: top level must be a mapping of sections")
    data = _with_defaults(copy.deepcopy(data)) if overrides else copy.deepcopy(data)
    for o in overrides or []:
        apply_override(data, *parse_override(o))
    if run_name:
        data.setdefault("run", {})["name"] = run_name
    try:
        return RunConfig(**data)
    except ValidationError as e:
        raise ConfigError(f"{p}: {_first_error(e)}") from None


def save_resolved(cfg: RunConfig, run_dir: Path) -> Path:
    """Write the resolved config into the run folder (atomically)."""
    from .runner.files import atomic_write_text

    run_dir.mkdir(parents=True, exist_ok=True)
    out = run_dir / "config.resolved.yaml"
    atomic_write_text(out, cfg.to_yaml())
    atomic_write_text(run_dir / "config.resolved.json", json.dumps(cfg.model_dump(mode="json"), indent=2))
    return out


__all__ = ["RunConfig", "ConfigError", "load_config", "save_resolved", "canonical_json"]
