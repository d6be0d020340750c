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

import difflib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Optional

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationError,
    create_model,
    model_serializer,
    model_validator,
)

from .config_load import (  # noqa: F401 - ConfigError, parse_override, apply_override are re-exported
    ConfigError,
    apply_override,
    error_keys,
    first_error,
    load,
    message,
    parse_override,
)
from .llm.settings import LLMSettings, invalid
from .records import PATTERNS, canonical_json, content_id
from .redact import watch
from .resources import find, resource_dir, shipped


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


# -- names checked against the registry -------------------------------------------------------------


def _one_of(kind: str, name: str, valid: list[str] | tuple[str, ...]) -> str:
    if name in valid:
        return name
    close = difflib.get_close_matches(name.lower(), [v.lower() for v in valid], n=1)
    hint = f" (did you mean {next(v for v in valid if v.lower() == close[0])!r}?)" if close else ""
    raise ValueError(f"unknown {kind} {name!r}{hint}; valid: {', '.join(valid)}")


def _family(name: str) -> str:
    from .constraints.core.contract import FAMILIES

    return _one_of("family", name, FAMILIES)


def _constraint_id(name: str) -> str:
    from .constraints import all_constraints

    ids = list(all_constraints())
    if name in ids:
        return name
    close = difflib.get_close_matches(name, ids, n=3)
    hint = f" (did you mean {', '.join(map(repr, close))}?)" if close else ""
    raise ValueError(f"unknown constraint id {name!r}{hint}; `ifgen constraints list` shows all {len(ids)}")


FamilyName = Annotated[str, AfterValidator(_family)]  # a family of pipeline.constraints (FAMILIES)
PatternName = Annotated[str, AfterValidator(lambda p: _one_of("pattern", p, PATTERNS))]  # records.PATTERNS
ConstraintId = Annotated[str, AfterValidator(_constraint_id)]  # an id of the constraint registry


# -- per-stage LLM blocks ---------------------------------------------------------------------------


class _Given(BaseModel):
    """A partial settings block: only the keys given count, and only they are saved (so a block written as
    `{temperature: 0.2}` is dumped as written, and reloading it changes nothing)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    @model_serializer(mode="wrap")
    def _given_only(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        return {k: v for k, v in data.items() if k in self.model_fields_set}

    def given(self) -> dict[str, Any]:
        """The keys given, with their (validated) values."""
        return {k: getattr(self, k) for k in type(self).model_fields if k in self.model_fields_set}


def _all_optional(model: type[BaseModel]) -> dict[str, Any]:
    """Every field of `model`, same type and bounds, optional (default None)."""
    annotated: Any = Annotated  # built at run time from the field's own type and bounds
    fields: dict[str, Any] = {}
    for name, f in model.model_fields.items():
        args = (f.annotation, *f.metadata)
        ann = annotated[args] if f.metadata else f.annotation
        fields[name] = (Optional[ann], Field(None, description=f.description))  # noqa: UP045 - a runtime type
    return fields


if TYPE_CHECKING:

    class LLMOverride(_Given):
        def __getattr__(self, name: str) -> Any: ...

else:
    LLMOverride = create_model(
        "LLMOverride",
        __base__=_Given,
        __doc__="A stage's `llm:` block: any LLMSettings field, overriding the top-level `llm` value.",
        **_all_optional(LLMSettings),
    )

_MODEL_SPEC_KEYS = ("model", "api_base", "temperature", "max_tokens", "system_prompt", "weight", "n", "batch")


class ModelSpec(LLMOverride):
    """One model of `sample.models`: any LLMSettings field (None = inherit from sample.llm / llm), its weight
    and its own n. Saved with the keys it always had, plus any other field that is set."""

    weight: float = 1.0
    n: int | None = None  # responses per instruction from this model (default sample.n)

    @model_serializer(mode="wrap")
    def _given_only(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        rest = {k: v for k, v in data.items() if k not in _MODEL_SPEC_KEYS and v is not None}
        return {**{k: data[k] for k in _MODEL_SPEC_KEYS}, **rest}

    def overrides(self) -> dict[str, Any]:
        """The LLM settings this model sets (None = inherit, so not an override)."""
        return {k: getattr(self, k) for k in LLMSettings.model_fields if getattr(self, k) is not None}


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
    llm: LLMOverride = Field(default_factory=LLMOverride)
    min_freeform: int = Field(2, ge=0)
    max_freeform: int = Field(5, ge=0)
    attempts: int = Field(2, ge=1)

    @model_validator(mode="after")
    def _check(self) -> ExpandSection:
        if self.max_freeform < self.min_freeform:
            raise invalid(
                "max_freeform",
                f"({self.max_freeform}) must be >= expand.min_freeform ({self.min_freeform})",
                "min_freeform",
            )
        return self


class ComposeSection(_Section):
    llm: LLMOverride = Field(default_factory=LLMOverride)
    instructions_per_task: int = Field(2, ge=1)
    min_constraints: int = Field(1, ge=1)
    max_constraints: int = Field(6, ge=1)
    count_weights: list[float] | None = None  # weights for min..max; None = uniform
    difficulty: Literal["L1", "L2", "L3", "L4"] | None = None  # overrides the count distribution
    include_eval_only: bool = False
    families: list[FamilyName] = Field(default_factory=lambda: ["ifeval", "ifevalg", "ifgen"])
    freeform_probability: float = Field(0.3, ge=0, le=1)
    # free-form text that states a registry constraint becomes that constraint (exact checker, text kept)
    match_freeform: bool = True
    # the rest: an LLM proposes a registry constraint, used once checkers accept it on the text's test cases
    llm_match: bool = False
    # share of instructions in each prompt shape (the rest: one user turn); see records.Shape
    multiturn_probability: float = Field(0.0, ge=0, le=1)
    system_probability: float = Field(0.0, ge=0, le=1)
    max_resamples: int = Field(50, ge=1)
    feasibility_check: bool = False
    rewrite: bool = False
    rewrite_coverage_check: bool = False
    pattern_weights: dict[PatternName, Annotated[float, Field(ge=0)]] = Field(
        default_factory=lambda: {"listing": 0.5, "incorporation": 0.35, "example": 0.15}
    )

    @model_validator(mode="after")
    def _check(self) -> ComposeSection:
        if self.max_constraints < self.min_constraints:
            raise invalid(
                "max_constraints",
                f"({self.max_constraints}) must be >= compose.min_constraints ({self.min_constraints})",
                "min_constraints",
            )
        if self.multiturn_probability + self.system_probability > 1:
            raise invalid(
                "multiturn_probability",
                f"({self.multiturn_probability}) + compose.system_probability ({self.system_probability}) must "
                "be <= 1 (they are shares of one draw)",
                "system_probability",
            )
        if self.pattern_weights and not any(self.pattern_weights.values()):
            raise invalid("pattern_weights", f"at least one weight must be > 0 (patterns: {', '.join(PATTERNS)})")
        if self.families:
            from .constraints import all_constraints

            usable = [
                c
                for c in all_constraints().values()
                if c.family in self.families and (self.include_eval_only or c.split != "eval_only")
            ]
            if not usable:
                raise invalid(
                    "families",
                    f"{self.families} hold(s) only eval_only constraints: set compose.include_eval_only=true "
                    "or add a training family (ifeval, ifevalg, ifgen)",
                    "include_eval_only",
                )
        return self


class SampleSection(_Section):
    llm: LLMOverride = Field(default_factory=LLMOverride)
    n: int = Field(2, ge=1)
    models: list[ModelSpec] = Field(default_factory=lambda: [ModelSpec()])


class CheckersSection(_Section):
    llm: LLMOverride = Field(default_factory=LLMOverride)
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
    llm: LLMOverride = Field(default_factory=LLMOverride)
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


DatasetKind = Literal["sft", "dpo", "rl", "verl"]
DEFAULT_FORMATS: tuple[DatasetKind, ...] = ("sft", "dpo", "rl")


class ExportSection(_Section):
    sft_min_fraction: float = Field(1.0, ge=0, le=1)
    dpo: DPOSection = Field(default_factory=DPOSection)
    test_fraction: float = Field(0.1, ge=0, lt=1)
    dedupe_threshold: float = Field(0.9, gt=0, le=1)
    decontaminate: list[str] = Field(default_factory=list)
    decontaminate_ngram: int = Field(13, ge=3)
    format: Literal["parquet", "jsonl"] = "parquet"
    # datasets written: sft, dpo, rl (open-instruct / TRL) and verl (verl's RL Parquet, opt-in)
    formats: list[DatasetKind] = Field(default_factory=lambda: list(DEFAULT_FORMATS))
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


LLM_STAGES = ("expand", "compose", "sample", "checkers", "verify")  # the sections with an `llm:` block


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
        over = block.given() if isinstance(block, _Given) else {}
        over.update(extra or {})
        if not over:
            return self.llm
        try:
            return LLMSettings(**{**self.llm.model_dump(), **over})
        except ValidationError as e:
            raise ConfigError(f"{stage}.llm: {first_error(e)}") from None

    def run_dir(self) -> Path:
        return Path(self.run.output_dir) / self.run.name

    def fingerprint(self) -> str:
        return content_id(self.model_dump(mode="json"))

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.model_dump(mode="json"), sort_keys=False, allow_unicode=True)


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
    from .runner.files import StorageError, atomic_write_text

    try:
        run_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StorageError(e.filename or run_dir, e) from e
    out = run_dir / "config.resolved.yaml"
    atomic_write_text(out, cfg.to_yaml())
    atomic_write_text(run_dir / "config.resolved.json", json.dumps(cfg.model_dump(mode="json"), indent=2))
    return out


__all__ = ["RunConfig", "ConfigError", "load_config", "save_resolved", "canonical_json"]
