"""Writing the exported datasets: explicit schemas, streamed rows, byte-stable files.

Each (dataset, split) arrives as a stream of rows in their final order and is written without ever holding
the dataset. Parquet is written as `datasets` writes it (`Dataset.from_generator(..., features=...)
.to_parquet(...)`, what the export used before), byte for byte, but without its memory-mapped Arrow cache
(whose pages count as resident memory and grow with the split):

- rows become Arrow record batches of `datasets`' writer batch size (1000 rows) with the schema of the
  dataset's `Features` (an explicit schema: inference over heterogeneous rows would be order-dependent),
  spilled to an Arrow stream file read back without memory-mapping; their total size is what `datasets`
  sizes row groups by (about 100 MB of Arrow data each);
- the spill is read back one row group at a time and written with `pyarrow.parquet.ParquetWriter` under
  `datasets`' options (schema and its metadata, per-column compression and dictionary settings,
  content-defined chunking, page index, the chunking key in the footer), each row group built from the
  same slices of the same batches.

So memory is one row group, whatever the split; `tests/stages/export/test_write.py` holds the bytes equal to
`datasets`' own output, several row groups included. The JSONL format is written by us, canonically, for the
same reason. `verl` is always Parquet (what verl reads).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

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


def data_file(kind: str, split: str, fmt: str) -> str:
    """Path of one split relative to the export folder (also what the card declares)."""
    return f"{kind}/{split}.{'parquet' if fmt == 'parquet' or kind in PARQUET_ONLY else 'jsonl'}"


def write_outputs(
    rows_of: Callable[[str, str], Iterable[dict[str, Any]]],
    counts: dict[str, dict[str, int]],
    export_dir: Path,
    fmt: str,
    scratch: Path,
    by_model: bool = False,
) -> dict[str, list[str]]:
    """Final files for every non-empty (kind, split) (`counts` says which), rows from `rows_of(kind, split)` in
    their final order; returns {kind: [splits written]}.

    Every dataset folder is rewritten (or removed when it has no rows), so a dataset dropped from
    `export.formats` leaves no stale files behind."""
    written: dict[str, list[str]] = {}
    for kind in KINDS:
        shutil.rmtree(export_dir / kind, ignore_errors=True)
        feats = None
        for split in SPLITS:
            if not counts[kind][split]:
                continue
            feats = feats or features(kind, by_model=by_model)
            out = export_dir / data_file(kind, split, fmt)
            out.parent.mkdir(parents=True, exist_ok=True)
            rows = _indexed(rows_of(kind, split)) if kind == "verl" else iter(rows_of(kind, split))
            if out.suffix == ".jsonl":
                _canonical_jsonl(rows, out, feats)
            else:
                write_parquet(rows, out, feats, scratch)
            written.setdefault(kind, []).append(split)
    return written


def _indexed(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """verl's extra_info.index: the row's place in its file."""
    for n, row in enumerate(rows):
        row["extra_info"]["index"] = n
        yield row


def write_parquet(rows: Iterable[dict[str, Any]], out: Path, feats, scratch: Path) -> int:
    """Write rows to `out` as `Dataset.from_generator(rows, features=feats).to_parquet(out)` would, holding one
    row group at a time (see the module docstring). Returns the number of rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from datasets import config as hf
    from datasets.arrow_writer import (
        get_arrow_writer_batch_size_from_features,
        get_parquet_column_options,
        get_writer_batch_size_from_data_size,
        get_writer_batch_size_from_features,
    )

    schema = feats.arrow_schema
    batch_rows = get_arrow_writer_batch_size_from_features(feats) or hf.DEFAULT_MAX_BATCH_SIZE
    scratch.mkdir(parents=True, exist_ok=True)
    spill = scratch / f"{out.parent.name}-{out.stem}.arrow"
    n = nbytes = 0
    lengths: list[int] = []
    try:
        with pa.OSFile(str(spill), "wb") as sink, pa.ipc.new_stream(sink, schema) as w:
            chunk: list[dict[str, Any]] = []
            for row in rows:
                chunk.append(row)
                if len(chunk) >= batch_rows:
                    batch = _record_batch(chunk, feats, schema)
                    w.write_batch(batch)
                    n, nbytes = n + batch.num_rows, nbytes + batch.nbytes
                    lengths.append(batch.num_rows)
                    chunk = []
            if chunk:
                batch = _record_batch(chunk, feats, schema)
                w.write_batch(batch)
                n, nbytes = n + batch.num_rows, nbytes + batch.nbytes
                lengths.append(batch.num_rows)
            del chunk
        group = get_writer_batch_size_from_features(feats) or get_writer_batch_size_from_data_size(n, nbytes)
        cdc = hf.DEFAULT_CDC_OPTIONS  # ParquetDatasetWriter's default (use_content_defined_chunking=True)
        tmp = out.with_name(f".{out.name}.tmp")
        writer = pq.ParquetWriter(
            str(tmp),
            schema=schema,
            use_content_defined_chunking=cdc,
            write_page_index=True,
            **get_parquet_column_options(feats, schema),
        )
        try:
            with pa.OSFile(str(spill), "rb") as src:
                reader = pa.ipc.open_stream(src)
                held: list = []  # batches (or their tails) not written yet, in order
                held_rows = 0
                for offset in range(0, n, group):
                    want = min(group, n - offset)
                    while held_rows < want:
                        b = reader.read_next_batch()
                        held.append(b)
                        held_rows += b.num_rows
                    parts, take = [], want
                    while take:
                        b = held[0]
                        if b.num_rows <= take:
                            parts.append(b)
                            take -= b.num_rows
                            held.pop(0)
                        else:  # the group ends inside this batch: its head now, its tail with the next group
                            parts.append(b.slice(0, take))
                            held[0] = b.slice(take)
                            take = 0
                    held_rows -= want
                    writer.write_table(pa.Table.from_batches(parts, schema=schema))
                    del parts
            writer.add_key_value_metadata({"content_defined_chunking": json.dumps(cdc)})
        finally:
            writer.close()
        tmp.replace(out)
    finally:
        spill.unlink(missing_ok=True)
    return n


def _record_batch(rows: list[dict[str, Any]], feats, schema):
    """One Arrow record batch of rows under the schema, column by column as `datasets`' ArrowWriter builds it.
    Rows our builders made convert directly; anything pyarrow refuses goes through `Features.encode_example`
    first, as `datasets` would have (e.g. a number in a string column becomes its text)."""
    import pyarrow as pa

    try:
        arrays = [pa.array([r[f.name] for r in rows], type=f.type) for f in schema]
    except (KeyError, pa.ArrowInvalid, pa.ArrowTypeError):
        enc = [feats.encode_example(r) for r in rows]
        arrays = [pa.array([r.get(f.name) for r in enc], type=f.type) for f in schema]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _canonical_jsonl(rows: Iterable[dict[str, Any]], out: Path, feats) -> None:
    """Rows cast through the schema (so every row has every key) and written with sorted keys."""
    tmp = out.with_suffix(".jsonl.tmp")
    with open(tmp, "w", encoding="utf-8") as w:
        for row in rows:
            w.write(
                json.dumps(feats.encode_example(row), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
            )
    tmp.replace(out)
