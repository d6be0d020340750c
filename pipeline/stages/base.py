"""The two shapes a step of the pipeline has: a Stage (datatrove's PipelineStep idea) and a Sink.

A Stage enumerates its items (usually the previous stage's records), processes one item at a time into zero
or more output records, and may summarise at the end. It does not know how it is scheduled: the runner
batches items, the executor decides where batches run (this process, or Ray workers), and the runner alone
writes shards and state. Resources a stage needs (an LLM client, a sandbox pool) are opened per process in
`open`, so Ray workers build their own.

A Sink writes a run's results out once its inputs are finished: dataset files and a card, the report page,
a Hub repo. It has no items and no shards and never runs on an executor: the runner computes its
`fingerprint()` (inputs + settings), skips it when the fingerprint equals the last successful write recorded
in the state DB, else calls `write(out_dir)` in the driver and saves the stats it returns as
`out_dir/stats.json`.

Both read earlier stages only through `read` / `read_optional`, and only the stages their entry in
`pipeline.stages.PIPELINE` declares.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from ..records import content_id
from ..runner.files import list_shards, read_jsonl, read_shards_sorted, read_shards_sorted_lines

if TYPE_CHECKING:  # pragma: no cover
    from ..config import RunConfig
    from ..llm.client import LLMClient
    from . import Requirement, StageSpec


class StageError(RuntimeError):
    """A stage cannot start (missing inputs, bad configuration); names the cause."""


class _Step:
    """What stages and sinks share: the config, the run folder, declared reads, a seeded RNG."""

    name: ClassVar[str] = ""
    kind: ClassVar[str] = ""

    def __init__(self, config: RunConfig, run_dir: Path):
        self.config = config
        self.run_dir = Path(run_dir)

    @property
    def spec(self) -> StageSpec | None:
        """This step's entry in the pipeline declaration (None for a step outside the pipeline, e.g. a test's)."""
        from . import STAGES

        return STAGES.get(self.name)

    def required_inputs(self) -> list[Requirement]:
        """The declared requirements that hold under this run's config (the runner checks them before work)."""
        return self.spec.required(self.config, self.run_dir) if self.spec else []

    def _check_declared(self, stage: str) -> None:
        spec = self.spec
        if spec is not None and stage != self.name and stage not in spec.inputs:
            raise StageError(
                f"stage {self.name!r} reads {stage!r}, which its entry in pipeline/stages/__init__.py does not "
                f"declare (declared: {', '.join(spec.inputs) or 'none'})"
            )

    def read(self, stage: str) -> Iterator[dict[str, Any]]:
        """Records of a finished stage, streamed in id order."""
        self._check_declared(stage)
        shards = list_shards(self.run_dir / stage)
        if not shards:
            raise StageError(f"stage {self.name!r} needs the output of {stage!r}; run `ifgen {stage}` first")
        return _strip(read_shards_sorted(shards))

    def read_lines(self, stage: str) -> Iterator[tuple[dict[str, Any], str]]:
        """`read`, each record with the JSON line it was read from (for copying records on to disk without
        encoding them again; the line still holds the runner's `_item` key, the record does not)."""
        self._check_declared(stage)
        shards = list_shards(self.run_dir / stage)
        if not shards:
            raise StageError(f"stage {self.name!r} needs the output of {stage!r}; run `ifgen {stage}` first")
        return _strip_pairs(read_shards_sorted_lines(shards))

    def read_optional(self, stage: str) -> Iterator[dict[str, Any]]:
        """Records of a stage that may not have run (empty then)."""
        self._check_declared(stage)
        shards = list_shards(self.run_dir / stage)
        return _strip(read_shards_sorted(shards)) if shards else iter(())

    def read_file(self, path: Path) -> Iterator[dict[str, Any]]:
        return read_jsonl(path)

    def rng(self, *key: Any) -> random.Random:
        """A deterministic RNG for one item: same run seed + key -> same draws on any executor."""
        return random.Random(content_id(self.config.run.seed, self.name, *key))

    @property
    def out_dir(self) -> Path:
        return self.run_dir / self.name


In = TypeVar("In")  # the work item `process` takes (a record of the stage read, or the stage's own item)
Out = TypeVar("Out")  # the record `process` returns


class Stage(_Step, Generic[In, Out]):
    """`Stage[Seed, Task]`: process one Seed into Tasks (shapes in pipeline.records)."""

    kind: ClassVar[str] = "stage"
    uses_llm: ClassVar[bool] = False

    def __init__(self, config: RunConfig, run_dir: Path):
        super().__init__(config, run_dir)
        self._llm: LLMClient | None = None
        self._sandbox = None
        self._usage_seen: dict[str, dict] = {}

    # -- what a stage implements -------------------------------------------------------------
    def items(self) -> Iterator[In]:
        """Work items, each a dict with a stable `id`. Default: the records of the first declared requirement."""
        if self.spec is None or not self.spec.requires:
            raise NotImplementedError(f"stage {self.name!r} declares no input: it must define items()")
        yield from self.read(self.spec.requires[0].stage)  # type: ignore[misc]

    async def process(self, item: In) -> list[Out]:
        raise NotImplementedError

    def finish(self) -> dict[str, Any]:
        """Runs once on the driver after every item is done; returns stats to save and print."""
        return {}

    async def before_batch(self, items: list[In]) -> None:
        """Called with each batch before its items are processed (e.g. to submit a provider batch job).
        Must not raise for one bad item; the default does nothing."""

    # -- helpers stages share -----------------------------------------------------------------
    def own_records(self) -> Iterator[Out]:
        """This stage's records so far (for `finish`); empty when every item failed."""
        return self.read_optional(self.name)  # type: ignore[return-value]

    @property
    def llm(self):
        """The LLM client for this stage (top-level llm settings + the stage's override), opened in `open`."""
        if self._llm is None:
            raise StageError(f"stage {self.name!r} uses an LLM but does not declare uses_llm = True")
        return self._llm

    @property
    def sandbox(self):
        if self._sandbox is None:
            from ..sandbox import SandboxPool

            c = self.config.checkers
            self._sandbox = SandboxPool(workers=c.workers, timeout_s=c.timeout_s)
        return self._sandbox

    async def open(self) -> None:
        """Per-process setup: the LLM client for stages that declare `uses_llm`."""
        if self.uses_llm and self._llm is None:
            from ..llm.client import LLMClient

            client = LLMClient(self.config.llm_for(self.name), cache_path=self.run_dir / "llm_cache.sqlite")
            await client.__aenter__()
            self._llm = client

    async def close(self) -> None:
        if self._llm is not None:
            await self._llm.__aexit__(None, None, None)
            self._llm = None
        if self._sandbox is not None:
            self._sandbox.close()
            self._sandbox = None

    def usage_delta(self) -> dict[str, dict]:
        """LLM usage by model since the last call (the runner adds it to the state DB)."""
        if self._llm is None:
            return {}
        now = self._llm.usage.get("by_model", {})
        delta: dict[str, dict] = {}
        for model, u in now.items():
            seen = self._usage_seen.get(model, {})
            d = {k: v - seen.get(k, 0) for k, v in u.items() if isinstance(v, (int, float))}
            if any(d.values()):
                delta[model] = d
        self._usage_seen = {m: dict(u) for m, u in now.items()}
        return delta


class Sink(_Step):
    """Writes a run's results out; see the module docstring for how the runner drives it.

    `partial` names required inputs the user allowed to be unfinished (`--allow-partial`, only for sinks with
    `accepts_partial`), each with a sentence saying what is missing; a sink says so in what it writes.
    """

    kind: ClassVar[str] = "sink"
    accepts_partial: ClassVar[bool] = False

    def __init__(
        self,
        config: RunConfig,
        run_dir: Path,
        partial: Mapping[str, str] | None = None,
        executor: str | None = None,
        ray_address: str | None = None,
    ):
        super().__init__(config, run_dir)
        self.partial: dict[str, str] = dict(partial or {})
        # where the sink may run independent tasks (`runner.executors.map_tasks`); never part of its output
        self.executor: str = executor or config.run.executor
        self.ray_address: str | None = ray_address or config.run.ray_address

    def fingerprint(self) -> str:
        """A hash of everything the output depends on: input files, settings, `partial`."""
        raise NotImplementedError

    def write(self, out_dir: Path) -> dict[str, Any]:
        """Write the output; return stats (saved by the runner as out_dir/stats.json). Raise on failure."""
        raise NotImplementedError

    def listing(self, stages: tuple[str, ...] | list[str]) -> list[tuple[str, str, int, int]]:
        """(stage, shard, size, mtime) of the given stages' shards: a cheap fingerprint of their records."""
        out = []
        for stage in stages:
            for p in list_shards(self.run_dir / stage):
                st = p.stat()
                out.append((stage, p.name, st.st_size, st.st_mtime_ns))
        return out


def _strip(records: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Drop the runner's bookkeeping key from records read back."""
    for r in records:
        r.pop("_item", None)
        yield r


def _strip_pairs(pairs: Iterator[tuple[dict[str, Any], str]]) -> Iterator[tuple[dict[str, Any], str]]:
    for r, line in pairs:
        r.pop("_item", None)
        yield r, line
