"""Writing the exported datasets: explicit schemas, streamed rows, byte-stable files.

Rows are first appended to one JSONL spool per (dataset, split) so no dataset is
ever held in memory; a spool that must be ordered by something else than the
order rows were produced in (the RL curriculum) is sorted on disk through SQLite;
each spool is then turned into the final file through `datasets` with an explicit
`Features` schema (inference over heterogeneous rows would be order-dependent).
The same rows in the same order give byte-identical Parquet; the JSONL format is
written by us, canonically, for the same reason. `verl` is always Parquet (what
verl reads).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ...runner.files import dumps

KINDS = ("sft", "dpo", "rl", "verl")  # every dataset folder an export may hold (export.formats picks)
SPLITS = ("train", "test")
PARQUET_ONLY = ("verl",)


def features(kind: str, by_model: bool = False):
    """The schema of one dataset; `by_model` adds the RL `passrate_by_model` column."""
    from datasets import Features, Value

    msg = [{"role": Value("string"), "content": Value("string")}]
    rollouts = {
        "total_rollouts": Value("int64"),
        "total_correct_rollouts": Value("int64"),
        "passrate": Value("float64"),
    }
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
                "prompt": msg,
                "completion": msg,
                "model": Value("string"),
                "scores": {
                    "fraction": Value("float64"),
                    "all_pass": Value("bool"),
                    "n_verifiable": Value("int64"),
                    "results": [{"id": Value("string"), "passed": Value("bool"), "verifier": Value("string")}],
                },
                "passrate": Value("float64"),
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
                "passrate": Value("float64"),
            }
        )
    if kind == "rl":
        cols = {
            "id": Value("string"),
            "prompt": msg,
            "messages": msg,
            "ground_truth": Value("string"),
            "dataset": Value("string"),
            "constraint_type": Value("string"),
            "constraint": Value("string"),
            "constraints": constraints,
            **rollouts,
        }
        if by_model:
            cols["passrate_by_model"] = [{"model": Value("string"), **rollouts}]
        return Features(cols)
    if kind == "verl":
        return Features(
            {
                "data_source": Value("string"),
                "prompt": msg,
                "ability": Value("string"),
                "reward_model": {"style": Value("string"), "ground_truth": Value("string")},
                "extra_info": {
                    "split": Value("string"),
                    "index": Value("int64"),
                    "id": Value("string"),
                    "dataset": Value("string"),
                    "constraint_ids": [Value("string")],
                    **rollouts,
                },
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

    def sort(self, kind: str, key: Callable[[dict[str, Any]], tuple]) -> None:
        """Reorder each split's spool of `kind` by `key(row)` (a tuple of numbers / strings, the same length
        for every row; ties keep their order), on disk: the rows go through a SQLite table, which sorts
        with temporary files rather than in memory."""
        self.close()
        for split in SPLITS:
            src = self.path(kind, split)
            if not src.is_file():
                continue
            db_path = self.folder / f"sort-{kind}-{split}.sqlite"
            tmp = src.with_suffix(".sorted")
            conn = sqlite3.connect(db_path)
            try:
                conn.execute("PRAGMA journal_mode=OFF")
                width = 0
                batch: list[tuple] = []
                with open(src, encoding="utf-8") as f:
                    for n, line in enumerate(f):
                        k = tuple(key(json.loads(line)))
                        if not width:
                            width = len(k)
                            cols = ", ".join(f"k{i}" for i in range(width))
                            conn.execute(f"CREATE TABLE r({cols}, n INTEGER, line TEXT)")
                            insert = f"INSERT INTO r VALUES ({', '.join('?' * (width + 2))})"
                        batch.append((*k, n, line))
                        if len(batch) >= 5000:
                            conn.executemany(insert, batch)
                            batch = []
                if not width:
                    continue
                conn.executemany(insert, batch)
                order = ", ".join([*(f"k{i}" for i in range(width)), "n"])
                with open(tmp, "w", encoding="utf-8") as w:
                    for (line,) in conn.execute(f"SELECT line FROM r ORDER BY {order}"):
                        w.write(line)
            finally:
                conn.close()
                db_path.unlink(missing_ok=True)
            tmp.replace(src)

    def remove(self) -> None:
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def _rows(path: str, kind: str = "") -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f):
            row = json.loads(line)
            if kind == "verl":  # verl's extra_info.index: the row's place in its file
                row["extra_info"]["index"] = n
            yield row


def data_file(kind: str, split: str, fmt: str) -> str:
    """Path of one split relative to the export folder (also what the card declares)."""
    return f"{kind}/{split}.{'parquet' if fmt == 'parquet' or kind in PARQUET_ONLY else 'jsonl'}"


def write_outputs(spools: Spools, export_dir: Path, fmt: str, by_model: bool = False) -> dict[str, list[str]]:
    """Final files for every non-empty (kind, split); returns {kind: [splits written]}.

    Every dataset folder is rewritten (or removed when it has no rows), so a dataset dropped from
    `export.formats` leaves no stale files behind."""
    from datasets import Dataset, disable_progress_bars

    disable_progress_bars()
    spools.close()
    written: dict[str, list[str]] = {}
    for kind in KINDS:
        shutil.rmtree(export_dir / kind, ignore_errors=True)
        feats = features(kind, by_model=by_model)
        for split in SPLITS:
            if not spools.counts[kind][split]:
                continue
            out = export_dir / data_file(kind, split, fmt)
            out.parent.mkdir(parents=True, exist_ok=True)
            src = spools.path(kind, split)
            if out.suffix == ".jsonl":
                _canonical_jsonl(src, out, feats)
            else:
                with tempfile.TemporaryDirectory(dir=spools.folder) as cache:
                    ds = Dataset.from_generator(
                        _rows, gen_kwargs={"path": str(src), "kind": kind}, features=feats, cache_dir=cache
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
