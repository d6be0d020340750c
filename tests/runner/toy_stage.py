"""A toy stage for runner tests: deterministic output, optional slowness and flaky items.

Its settings come from TOY_SALT (every record depends on it) and TOY_ITEM_SALT changes the content of every
third item, so tests can change settings or a few items' inputs between runs."""

from __future__ import annotations

import asyncio
import hashlib
import os
from pathlib import Path

from pipeline.records import content_id
from pipeline.stages.base import Stage


class ToyStage(Stage):
    name = "toy"

    def settings(self):
        return {"toy": {"salt": os.environ.get("TOY_SALT", "")}}

    def items(self):
        n = int(os.environ.get("TOY_ITEMS", "200"))
        salt = os.environ.get("TOY_ITEM_SALT", "")
        for i in range(n):
            yield {"id": content_id("toy", i), "i": i, **({"v": salt} if salt and i % 3 == 0 else {})}

    async def process(self, item):
        i = item["i"]
        await asyncio.sleep(float(os.environ.get("TOY_SLEEP", "0.002")) * (1 + i % 3))
        flaky = os.environ.get("TOY_FLAKY_FILE")
        if flaky and Path(flaky).exists() and i % 13 == 0:
            raise RuntimeError(f"flaky item {i}")
        salt = os.environ.get("TOY_SALT", "") + item.get("v", "")
        out = [
            {
                "id": content_id("out", i, k),
                "i": i,
                "k": k,
                "h": hashlib.sha256(f"{i}:{k}:{salt}".encode()).hexdigest()[:8],
            }
            for k in range(1 + i % 2)
        ]
        return out

    def finish(self):
        return {"records": sum(1 for _ in self.read_optional(self.name))}
