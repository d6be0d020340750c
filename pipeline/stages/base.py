"""The two shapes a step of the pipeline has: a Stage (datatrove's PipelineStep idea) and a Sink.

A Stage enumerates its items (usually the previous stage's records), processes one item at a time into zero
or more output records, and may summarise at the end. It does not know how it is scheduled: the runner
batches items, the executor decides where batches run (this process, or Ray workers), and the runner alone
writes shards and state. Resources a stage needs (an LLM client, a sandbox pool) are opened per process in
`open`, so Ray workers build their own.

A Sink writes a run's results out once its inputs are finished: dataset files and a card, the report page,
a Hub repo. It has no items and no shards and never runs on an executor: the runner computes its
`fingerprint(inputs)` (settings + the data fingerprints of its inputs), skips it when the fingerprint equals
the last successful write recorded in the state DB, else calls `write(out_dir)` in the driver and saves the
stats it returns as `out_dir/stats.json`.

Both read earlier stages only through `read` / `read_optional`, and only the stages their entry in
`pipeline.stages.PIPELINE` declares. Both declare the config their output depends on in `settings()`, next
to the code that reads it (pipeline/runner/fingerprint.py says how the runner uses it): change one of those
settings and the step is redone; change anything else and it is not.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from ..llm.settings import LLM_TRANSPORT
from ..records import content_id
from ..runner.files import list_shards, read_jsonl, read_shards_sorted, read_shards_sorted_lines

if TYPE_CHECKING:  # pragma: no cover
    from ..config import RunConfig
    from ..llm.client import LLMClient
    from ..runner.lookup import RecordIndex
    from . import Requirement, StageSpec


class StageError(RuntimeError):
    """A stage cannot start (missing inputs, bad configuration); names the cause."""


def llm_identity(settings: Any) -> dict[str, Any]:
    """The LLM settings that can change an answer (model, sampling, max_tokens, seed, system prompt, ...)."""
    return {k: v for k, v in settings.model_dump(mode="json").items() if k not in LLM_TRANSPORT}


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

    # -- what the output depends on (pipeline/runner/fingerprint.py) ------------------------------------
    def settings(self) -> dict[str, Any]:
        """The config this step's output depends on, shaped like the config (section -> key -> value), so a
        change reads as `sample.n: 3 -> 2`. Default: the whole config (safe); every pipeline step narrows it
        to what its code reads. When a step reads a whole section, it returns the whole section, so keys
        added later are covered."""
        return self.config.model_dump(mode="json")

    def section_settings(self, *, llm: bool = False, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
        """{stage: its config section (without the `llm` override block and `exclude`)}, plus, with `llm`,
        the effective LLM settings it calls with as `<stage>.llm` (transport knobs left out)."""
        section = getattr(self.config, self.name).model_dump(mode="json", exclude={"llm", *exclude})
        if llm:
            section["llm"] = llm_identity(self.config.llm_for(self.name))
        return {self.name: section}

    def input_files(self) -> dict[str, str]:
        """Content hashes of the files outside the run folder the step reads ({path: sha256}); default none."""
        return {}

    #: the prompt templates the step renders: names, or folders ending in "/" (under prompts/)
    prompts: ClassVar[tuple[str, ...]] = ()

    def templates(self) -> tuple[str, ...]:
        """The templates this step renders under the current config (default: `prompts`)."""
        return self.prompts

    def made_under(self) -> dict[str, Any]:
        """What the runner fingerprints: `settings()` plus, as `prompts`, a hash of each template the step
        renders, so an edited template (`$IFGEN_PROMPTS_DIR`, or prompts/ in a checkout) redoes its items and
        `ifgen status` says which template changed."""
        names = self.templates()
        if not names:
            return self.settings()
        from ..llm.prompts import template_digests

        return {**self.settings(), "prompts": template_digests(names)}

    def upstream(self, stage: str) -> _Step:
        """The declared input `stage` as a step of this run (to ask for its settings)."""
        from ..runner.executors import load_stage_class
        from . import spec

        self._check_declared(stage)
        return load_stage_class(spec(stage).target)(self.config, self.run_dir)

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
        return _strip_pairs(read_shards_sorted_lines(self.shard_paths(stage)))

    def shard_paths(self, stage: str) -> list[Path]:
        """The shard files of a finished stage, in the order `read` merges them (for readers that split the
        work over tasks)."""
        self._check_declared(stage)
        shards = list_shards(self.run_dir / stage)
        if not shards:
            raise StageError(f"stage {self.name!r} needs the output of {stage!r}; run `ifgen {stage}` first")
        return shards

    def index(self, stage: str) -> RecordIndex:
        """A stage's records by id, read from its shards when looked up (`RecordIndex.get`): for lookups every
        item needs, without holding the stage's records."""
        from ..runner.lookup import RecordIndex

        self._check_declared(stage)
        shards = list_shards(self.run_dir / stage)
        if not shards:
            raise StageError(f"stage {self.name!r} needs the output of {stage!r}; run `ifgen {stage}` first")
        return RecordIndex(shards)

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

    def item_key(self, item: In) -> Any:
        """What of an item its records depend on (hashed into the item's key). Default: all of it."""
        return item

    def context_inputs(self) -> tuple[str, ...]:
        """Declared inputs read as lookups beside the items, whole: their data fingerprints are part of every
        item key. Default: every declared input but the one the items come from (the first requirement, which
        the default `items()` reads): an item's content already says what it was made from."""
        return self.spec.inputs[1:] if self.spec is not None else ()

    def item_sources(self, item: In) -> dict[str, str | None]:
        """For a lookup whose parts belong to single items: {stage: the id of the item of that stage this
        item's records are made from}. That item's records join this item's key (the whole stage's when it
        is not found), so the stage can leave it out of `context_inputs` and redo only what changed."""
        return {}

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

    def not_ready(self) -> str | None:
        """Why this sink has nothing to write (one sentence naming what to run), or None. The runner asks before
        it touches the run folder and stops with that sentence (`ifgen` exits 2). Default: always ready."""
        return None

    def fingerprint(self, inputs: Mapping[str, str]) -> str:
        """A hash of everything the output depends on: `made_under()`, the data fingerprints of the declared
        inputs (`inputs`, from the runner), the input files and `partial`. Extend it for anything else."""
        return content_id(self.name, self.made_under(), dict(inputs), self.input_files(), sorted(self.partial.items()))

    def write(self, out_dir: Path) -> dict[str, Any]:
        """Write the output; return stats (saved by the runner as out_dir/stats.json). Raise on failure."""
        raise NotImplementedError


def _strip(records: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Drop the runner's bookkeeping key from records read back."""
    for r in records:
        r.pop("_item", None)
        yield r


def _strip_pairs(pairs: Iterator[tuple[dict[str, Any], str]]) -> Iterator[tuple[dict[str, Any], str]]:
    for r, line in pairs:
        r.pop("_item", None)
        yield r, line
