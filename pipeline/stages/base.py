"""The one shape every stage has (datatrove's PipelineStep idea).

A stage enumerates its items (usually the previous stage's records), processes
one item at a time into zero or more output records, and may summarise at the
end. It does not know how it is scheduled: the runner batches items, the
executor decides where batches run (this process, or Ray workers), and the
runner alone writes shards and state. Resources a stage needs (an LLM client, a
sandbox pool) are opened lazily here, per process, so Ray workers build their own.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from ..records import content_id
from ..runner.files import list_shards, read_jsonl, read_shards_sorted

if TYPE_CHECKING:  # pragma: no cover
    from ..config import RunConfig


class StageError(RuntimeError):
    """A stage cannot start (missing inputs, bad configuration); names the cause."""


In = TypeVar("In")  # the work item `process` takes (a record of the stage read, or the stage's own item)
Out = TypeVar("Out")  # the record `process` returns


class Stage(Generic[In, Out]):
    """`Stage[Seed, Task]`: process one Seed into Tasks (shapes in pipeline.records)."""

    name: ClassVar[str] = ""
    requires: ClassVar[tuple[str, ...]] = ()  # stages whose output this one reads
    uses_llm: ClassVar[bool] = False

    def __init__(self, config: RunConfig, run_dir: Path):
        self.config = config
        self.run_dir = Path(run_dir)
        self._llm = None
        self._sandbox = None
        self._usage_seen: dict[str, dict] = {}

    # -- what a stage implements -------------------------------------------------------------
    def items(self) -> Iterator[In]:
        """Work items, each a dict with a stable `id`. Default: the first required stage's records."""
        if not self.requires:
            raise NotImplementedError
        yield from self.read(self.requires[0])

    async def process(self, item: In) -> list[Out]:
        raise NotImplementedError

    def finish(self) -> dict[str, Any]:
        """Runs once on the driver after every item is done; returns stats to save and print."""
        return {}

    async def before_batch(self, items: list[In]) -> None:
        """Called with each batch before its items are processed (e.g. to submit a provider batch job).
        Must not raise for one bad item; the default does nothing."""

    # -- helpers stages share -----------------------------------------------------------------
    def read(self, stage: str) -> Iterator[dict[str, Any]]:
        """Records of a finished stage, streamed in id order."""
        shards = list_shards(self.run_dir / stage)
        if not shards:
            raise StageError(f"stage {self.name!r} needs the output of {stage!r}; run `ifgen {stage}` first")
        return _strip(read_shards_sorted(shards))

    def read_optional(self, stage: str) -> Iterator[dict[str, Any]]:
        shards = list_shards(self.run_dir / stage)
        return _strip(read_shards_sorted(shards)) if shards else iter(())

    def own_records(self) -> Iterator[Out]:
        """This stage's records so far (for `finish`); empty when every item failed."""
        return self.read_optional(self.name)  # type: ignore[return-value]

    def read_file(self, path: Path) -> Iterator[dict[str, Any]]:
        return read_jsonl(path)

    def rng(self, *key: Any) -> random.Random:
        """A deterministic RNG for one item: same run seed + key -> same draws on any executor."""
        return random.Random(content_id(self.config.run.seed, self.name, *key))

    @property
    def out_dir(self) -> Path:
        return self.run_dir / self.name

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


def _strip(records: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Drop the runner's bookkeeping key from records read back."""
    for r in records:
        r.pop("_item", None)
        yield r
