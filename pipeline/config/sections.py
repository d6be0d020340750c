"""One pydantic model per config section (seeds, run, expand ... report): its keys, defaults, bounds and
the checks between keys of the same section."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..llm.settings import invalid
from ..records import PATTERNS
from .fields import FamilyName, LLMOverride, ModelSpec, PatternName, Section


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
    # a row's own free-form constraints (a list of strings, or one per line): they replace the ones expand
    # proposes for that task, and compose maps them onto registry constraints like any free-form text
    constraints_field: str | None = "constraints"
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


class RunSection(Section):
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


class ExpandSection(Section):
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


class ComposeSection(Section):
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
            from ..constraints import all_constraints

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


class SampleSection(Section):
    llm: LLMOverride = Field(default_factory=LLMOverride)
    n: int = Field(2, ge=1)
    models: list[ModelSpec] = Field(default_factory=lambda: [ModelSpec()])


class CheckersSection(Section):
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


class VerifySection(Section):
    llm: LLMOverride = Field(default_factory=LLMOverride)
    judge: bool = True  # LLM judge for soft constraints
    loose: bool = False


class DPOSection(Section):
    chosen_min: float = Field(1.0, ge=0, le=1)  # chosen must reach this fraction (AutoIF: >= 0.5)
    rejected_max: float = Field(0.0, ge=0, le=1)  # rejected must be at most this fraction (AutoIF: 0)
    max_pairs_per_prompt: int = Field(2, ge=1)
    reverse_pairs: bool = True


class RLExportSection(Section):
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


class ExportSection(Section):
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


class PushSection(Section):
    repo_id: str | None = None
    private: bool = False
    endpoint: str | None = None  # None = huggingface_hub default (HF_ENDPOINT)


class ReportSection(Section):
    sample_rows: int = Field(12, ge=0)
