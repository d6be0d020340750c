"""Stage 1, seeds: load, normalise, language-tag and dedupe the seed tasks.

Reads: the seed source in config (`seeds`: files, a folder or a Hugging Face dataset).
Writes: seeds/ shards of records.Seed; stats.json (count, languages, categories).

The loaders live in `load.py` (+ `readers.py`); this stage only makes their output a
resumable stage like every other, so later stages read seeds the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

from ...records import Seed
from ...resources import find
from ..base import Stage
from .load import load_seeds


class SeedsStage(Stage[Seed, Seed]):
    name = "seeds"

    def _source(self):
        src = self.config.seeds
        if src.path is not None and not Path(src.path).exists():  # e.g. seeds/tiny.jsonl: the shipped set
            src = src.model_copy(update={"path": find(src.path, "seeds")})
        return src

    @cached_property
    def seeds(self) -> list[Seed]:
        """The loaded seeds: read once, although the runner walks the items twice (register, then run)."""
        return load_seeds(self._source())

    def items(self) -> Iterator[Seed]:
        yield from self.seeds

    async def process(self, item: Seed) -> list[Seed]:
        return [item]

    def finish(self) -> dict[str, Any]:
        seeds = list(self.own_records())
        langs: dict[str, int] = {}
        cats: dict[str, int] = {}
        for s in seeds:
            langs[s.get("language") or "?"] = langs.get(s.get("language") or "?", 0) + 1
            cats[s.get("category") or "?"] = cats.get(s.get("category") or "?", 0) + 1
        return {"seeds": len(seeds), "source": self.config.seeds.label(), "languages": langs, "categories": cats}
