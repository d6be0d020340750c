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
from ...runner.files import file_digests
from ..base import Stage
from .load import load_seeds


class SeedsStage(Stage[Seed, Seed]):
    name = "seeds"

    def _source(self):
        src = self.config.seeds
        if src.path is not None and not Path(src.path).exists():  # e.g. seeds/tiny.jsonl: the shipped set
            src = src.model_copy(update={"path": find(src.path, "seeds")})
        return src

    def settings(self) -> dict[str, Any]:
        return {"seeds": self.config.seeds.model_dump(mode="json")}

    def input_files(self) -> dict[str, str]:
        """The seed file(s) by content: editing the file makes the stage stale even when its path stays.
        A Hub dataset named by id (not a local folder) cannot be hashed offline; its name, config and split
        are in the settings."""
        src, given = self._source(), self.config.seeds
        out: dict[str, str] = {}
        if src.path is not None:
            out.update(file_digests(Path(src.path), str(given.path)))
        elif src.hf_dataset and Path(src.hf_dataset).exists():
            out.update(file_digests(Path(src.hf_dataset), src.hf_dataset))
        files = [src.data_files] if isinstance(src.data_files, str) else src.data_files or []
        for f in files:
            if Path(f).exists():
                out.update(file_digests(Path(f), f))
        return out

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
