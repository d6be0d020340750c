"""Writing the exported datasets: explicit schemas, streamed rows, byte-stable files.

Rows are first appended to one JSONL spool per (dataset, split) so no dataset is
ever held in memory; each spool is then turned into the final file through
`datasets` with an explicit `Features` schema (inference over heterogeneous rows
would be order-dependent). The same rows in the same order give byte-identical
Parquet; the JSONL format is written by us, canonically, for the same reason.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...runner.files import dumps

KINDS = ("sft", "dpo", "rl")
SPLITS = ("train", "test")


def features(kind: str):
    from datasets import Features, Value

    msg = [{"role": Value("string"), "content": Value("string")}]
    constraints = [
        {
            "id": Value("string"),
            "params": Value("string"),
            "source": Value("string"),
            "text": Value("string"),
            "soft": Value("bool"),
        }
    ]
    if kind == "sft":
        return Features(
            {
                "id": Value("string"),
                "prompt_id": Value("string"),
                "messages": msg,
                "constraints": constraints,
                "model": Value("string"),
                "scores": {
                    "fraction": Value("float64"),
                    "all_pass": Value("bool"),
                    "n_verifiable": Value("int64"),
                    "results": [{"id": Value("string"), "passed": Value("bool"), "verifier": Value("string")}],
                },
            }
        )
    if kind == "dpo":
        return Features(
            {
                "id": Value("string"),
                "prompt_id": Value("string"),
                "prompt": msg,
                "chosen": msg,
                "rejected": msg,
                "chosen_score": Value("float64"),
                "rejected_score": Value("float64"),
                "chosen_model": Value("string"),
                "rejected_model": Value("string"),
                "constraints": constraints,
                "strategy": Value("string"),
            }
        )
    if kind == "rl":
        return Features(
            {
                "id": Value("string"),
                "messages": msg,
                "ground_truth": Value("string"),
                "dataset": Value("string"),
                "constraint_type": Value("string"),
                "constraint": Value("string"),
                "constraints": constraints,
            }
        )
    raise ValueError(f"unknown dataset kind {kind!r}")


class Spools:
    """Append-only JSONL spools, one per (kind, split), in a scratch folder."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True)
        self._files: dict[tuple[str, str], Any] = {}
        self.counts: dict[str, dict[str, int]] = {k: {s: 0 for s in SPLITS} for k in KINDS}

    def path(self, kind: str, split: str) -> Path:
        return self.folder / f"{kind}-{split}.jsonl"

    def add(self, kind: str, split: str, row: dict[str, Any]) -> None:
        f = self._files.get((kind, split))
        if f is None:
            f = self._files[(kind, split)] = open(self.path(kind, split), "w", encoding="utf-8")
        f.write(dumps(row) + "\n")
        self.counts[kind][split] += 1

    def close(self) -> None:
        for f in self._files.values():
            f.close()
        self._files = {}

    def remove(self) -> None:
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def _rows(path: str) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def data_file(kind: str, split: str, fmt: str) -> str:
    """Path of one split relative to the export folder (also what the card declares)."""
    return f"{kind}/{split}.{'parquet' if fmt == 'parquet' else 'jsonl'}"


def write_outputs(spools: Spools, export_dir: Path, fmt: str) -> dict[str, list[str]]:
    """Final files for every non-empty (kind, split); returns {kind: [splits written]}."""
    from datasets import Dataset, disable_progress_bars

    disable_progress_bars()
    spools.close()
    written: dict[str, list[str]] = {}
    for kind in KINDS:
        shutil.rmtree(export_dir / kind, ignore_errors=True)
        for split in SPLITS:
            if not spools.counts[kind][split]:
                continue
            out = export_dir / data_file(kind, split, fmt)
            out.parent.mkdir(parents=True, exist_ok=True)
            src = spools.path(kind, split)
            if fmt == "jsonl":
                _canonical_jsonl(src, out, features(kind))
            else:
                with tempfile.TemporaryDirectory(dir=spools.folder) as cache:
                    ds = Dataset.from_generator(
                        _rows, gen_kwargs={"path": str(src)}, features=features(kind), cache_dir=cache
                    )
                    ds.to_parquet(str(out))
                    del ds
            written.setdefault(kind, []).append(split)
    return written


def _canonical_jsonl(src: Path, out: Path, feats) -> None:
    """Rows cast through the schema (so every row has every key) and written with sorted keys."""
    tmp = out.with_suffix(".jsonl.tmp")
    with open(tmp, "w", encoding="utf-8") as w:
        for row in _rows(str(src)):
            w.write(
                json.dumps(feats.encode_example(row), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
            )
    tmp.replace(out)
