"""The pipeline: its stages in order, and what each one needs. Declared here, once.

Everything that needs the order or the inputs reads PIPELINE: the cli (one subcommand per entry, `ifgen run`
in this order), the runner (through `Stage.required_inputs`: a stage whose required inputs are missing or
unfinished is refused, naming the stage to run), `Stage.read` (a stage reads only what it declares), the
report (its stage order) and the README's stage table (tests/stages/test_declaration.py holds it to this).

Two kinds (pipeline/ARCHITECTURE.md):
  stage  items -> process -> records in sorted JSONL shards, resumable item by item, on any executor
  sink   writes a run's results out (dataset files + card, report page, the Hub) once its inputs are
         finished; skipped when the fingerprint of its inputs and settings is unchanged; never on an executor

A requirement may hold only under config: verify needs checkers only when checkers would have work (checkers
enabled and compose wrote free-form constraints, or checkers.registry_too).

This module imports no stage: the cli reads it without loading what the stages need.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..runner.files import list_shards

if TYPE_CHECKING:  # pragma: no cover
    from ..config import RunConfig


@dataclass(frozen=True)
class Requirement:
    """`stage` must have run to the end (no pending or failed item) before the declaring stage starts."""

    stage: str
    when: Callable[[RunConfig, Path], bool] | None = None  # None: always
    because: str = ""  # the condition in words, for messages and docs

    def applies(self, config: RunConfig, run_dir: Path) -> bool:
        return self.when is None or self.when(config, run_dir)


@dataclass(frozen=True)
class StageSpec:
    name: str
    target: str  # import path "module:Class"
    kind: Literal["stage", "sink"]
    help: str  # one line: cli help and the README table
    requires: tuple[Requirement, ...] = ()
    reads: tuple[str, ...] = ()  # optional inputs, read when present
    in_run: Callable[[RunConfig], bool] | None = None  # part of `ifgen run`; None: always

    @property
    def inputs(self) -> tuple[str, ...]:
        """Every stage this one may read: required, then optional."""
        return tuple(r.stage for r in self.requires) + self.reads

    def required(self, config: RunConfig, run_dir: Path) -> list[Requirement]:
        """The requirements that hold under this config."""
        return [r for r in self.requires if r.applies(config, run_dir)]

    def runs_by_default(self, config: RunConfig) -> bool:
        return self.in_run is None or self.in_run(config)


def checkers_have_work(config: RunConfig, run_dir: Path) -> bool:
    """Whether the checkers stage has any constraint to write functions for (what verify then needs)."""
    if not config.checkers.enabled or not list_shards(run_dir / "compose"):
        return False  # (without compose output, the compose requirement is what gets reported)
    from .checkers import CheckersStage

    return next(iter(CheckersStage(config, run_dir).items()), None) is not None


def _push_configured(config: RunConfig) -> bool:
    return bool(config.push.repo_id)


PIPELINE: tuple[StageSpec, ...] = (
    StageSpec(
        "seeds",
        "pipeline.stages.seeds:SeedsStage",
        "stage",
        "load seed tasks, normalise, tag language, drop exact + near duplicates",
    ),
    StageSpec(
        "expand",
        "pipeline.stages.expand:ExpandStage",
        "stage",
        "describe each seed as task metadata with free-form constraints (LLM, with fallbacks)",
        requires=(Requirement("seeds"),),
    ),
    StageSpec(
        "compose",
        "pipeline.stages.compose:ComposeStage",
        "stage",
        "K constrained instructions per task: registry + free-form constraints, conflicts rejected",
        requires=(Requirement("expand"),),
    ),
    StageSpec(
        "sample",
        "pipeline.stages.sample:SampleStage",
        "stage",
        "N responses per instruction from one or more models",
        requires=(Requirement("compose"),),
    ),
    StageSpec(
        "checkers",
        "pipeline.stages.checkers:CheckersStage",
        "stage",
        "LLM-written checker functions per free-form constraint, cross-validated in the sandbox",
        requires=(Requirement("compose"),),
    ),
    StageSpec(
        "verify",
        "pipeline.stages.verify:VerifyStage",
        "stage",
        "a verdict per (response, constraint): built-in checker, generated functions or LLM judge",
        requires=(
            Requirement("sample"),
            Requirement("compose"),
            Requirement(
                "checkers",
                when=checkers_have_work,
                because="checkers.enabled and compose wrote free-form constraints (or checkers.registry_too)",
            ),
        ),
    ),
    StageSpec(
        "export",
        "pipeline.stages.export:ExportSink",
        "sink",
        "SFT / DPO / RL datasets and a dataset card (dedupe, decontamination, split by task)",
        requires=(Requirement("compose"), Requirement("sample"), Requirement("verify")),
        reads=("checkers",),
    ),
    StageSpec(
        "report",
        "pipeline.stages.report:ReportSink",
        "sink",
        "one self-contained report.html about the run (whatever stages have run)",
        reads=("seeds", "expand", "compose", "sample", "checkers", "verify", "export"),
    ),
    StageSpec(
        "push",
        "pipeline.stages.push:PushSink",
        "sink",
        "upload the export to the Hugging Face Hub (resumable); in `ifgen run` when push.repo_id is set",
        requires=(Requirement("export"),),
        in_run=_push_configured,
    ),
)

STAGES: dict[str, StageSpec] = {s.name: s for s in PIPELINE}
ORDER: tuple[str, ...] = tuple(STAGES)


def spec(name: str) -> StageSpec:
    try:
        return STAGES[name]
    except KeyError:
        raise KeyError(f"no stage {name!r} (stages: {', '.join(ORDER)})") from None


__all__ = ["ORDER", "PIPELINE", "STAGES", "Requirement", "StageSpec", "checkers_have_work", "spec"]
