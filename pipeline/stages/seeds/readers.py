"""Raw row readers for seed files and Hugging Face datasets.

Each reader yields `RawRow`s: the row's columns as a dict plus where it came
from (file and line, or dataset and row), so that `load.py` can raise
errors that point at the exact place to fix. Readers only parse; normalising,
language tags and deduplication happen in `load.py`.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMATS = ("jsonl", "json", "csv", "tsv", "txt", "parquet")

EXTENSIONS: dict[str, str] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".txt": "txt",
    ".parquet": "parquet",
    ".pq": "parquet",
}


class SeedError(ValueError):
    """Seed input that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class RawRow:
    """One input row before normalisation. `where` is e.g. 'line 7' or 'row 3'."""

    fields: dict[str, Any]
    source: str
    where: str


def format_of(path: Path) -> str:
    """Format name from the file extension, or SeedError naming the file."""
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise SeedError(
            f"{path}: unknown seed format {path.suffix or '(no extension)'!r}; "
            f"use one of {', '.join(sorted(EXTENSIONS))} or set format explicitly"
        )
    return fmt


def read_text(path: Path) -> str:
    """File contents as text (UTF-8, BOM tolerated); decode errors name the line."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise SeedError(f"{path} line {line}: not valid UTF-8 ({e.reason})") from None


def jsonable(value: Any) -> Any:
    """A JSON-safe copy of a cell value (NaN becomes None, odd types become str)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        try:
            return jsonable(value.item())
        except (TypeError, ValueError):
            pass
    if hasattr(value, "tolist"):
        return jsonable(value.tolist())
    return str(value)


# ---------------------------------------------------------------- file readers


def read_jsonl(path: Path, text: str | None = None) -> Iterator[RawRow]:
    text = read_text(path) if text is None else text
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise SeedError(f"{path} line {n}: bad JSON ({e.msg} at column {e.colno})") from None
        if not isinstance(obj, dict):
            raise SeedError(f"{path} line {n}: expected a JSON object, got {type(obj).__name__}")
        yield RawRow(obj, str(path), f"line {n}")


def _array_items(path: Path, text: str, start: int) -> Iterator[tuple[int, Any]]:
    """(line, item) for each element of the JSON array opening at text[start]."""
    dec = json.JSONDecoder()
    i = start + 1
    n = len(text)

    def skip_ws(k: int) -> int:
        while k < n and text[k] in " \t\r\n":
            k += 1
        return k

    i = skip_ws(i)
    if i < n and text[i] == "]":
        return
    while True:
        line = text.count("\n", 0, i) + 1
        try:
            obj, i = dec.raw_decode(text, i)
        except json.JSONDecodeError as e:
            raise SeedError(f"{path} line {e.lineno}: bad JSON ({e.msg} at column {e.colno})") from None
        yield line, obj
        i = skip_ws(i)
        if i < n and text[i] == ",":
            i = skip_ws(i + 1)
            continue
        if i < n and text[i] == "]":
            if skip_ws(i + 1) != n:
                bad = text.count("\n", 0, skip_ws(i + 1)) + 1
                raise SeedError(f"{path} line {bad}: bad JSON (extra data after the array)")
            return
        bad = text.count("\n", 0, min(i, n)) + 1
        raise SeedError(f"{path} line {bad}: bad JSON (expected ',' or ']' in array)")


def read_json(path: Path) -> Iterator[RawRow]:
    """A JSON array of objects, {"data": [...]}, or (as `datasets` allows) JSON Lines."""
    text = read_text(path)
    start = len(text) - len(text.lstrip())
    if start < len(text) and text[start] == "[":
        for line, obj in _array_items(path, text, start):
            if not isinstance(obj, dict):
                raise SeedError(f"{path} line {line}: expected a JSON object, got {type(obj).__name__}")
            yield RawRow(obj, str(path), f"line {line}")
        return
    try:
        whole = json.loads(text) if text.strip() else None
    except json.JSONDecodeError as e:
        if e.msg != "Extra data":
            raise SeedError(f"{path} line {e.lineno}: bad JSON ({e.msg} at column {e.colno})") from None
        whole = None  # several top-level objects: JSON Lines in a .json file
    if isinstance(whole, dict) and isinstance(whole.get("data"), list):
        for k, obj in enumerate(whole["data"], start=1):
            if not isinstance(obj, dict):
                raise SeedError(f"{path} data item {k}: expected a JSON object, got {type(obj).__name__}")
            yield RawRow(obj, str(path), f"data item {k}")
        return
    yield from read_jsonl(path, text)


def read_delimited(path: Path, delimiter: str) -> Iterator[RawRow]:
    """CSV/TSV with a header row; ragged rows are errors, blank lines are skipped."""
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    prev_end = 0
    try:
        for row in reader:
            line, prev_end = prev_end + 1, reader.line_num
            if not row or (len(row) == 1 and not row[0].strip() and header is not None):
                continue
            if header is None:
                header = [h.strip() for h in row]
                dup = sorted({h for h in header if header.count(h) > 1})
                if dup:
                    raise SeedError(f"{path} line {line}: duplicate column name(s) {dup}")
                continue
            if len(row) != len(header):
                raise SeedError(f"{path} line {line}: ragged row with {len(row)} field(s), header has {len(header)}")
            yield RawRow(dict(zip(header, row)), str(path), f"line {line}")
    except csv.Error as e:
        raise SeedError(
            f"{path} line {reader.line_num}: bad {('TSV' if delimiter == chr(9) else 'CSV')} ({e})"
        ) from None


def csv_header(path: Path, delimiter: str) -> list[str]:
    """Column names of a CSV/TSV file ([] when the file has no header row)."""
    reader = csv.reader(io.StringIO(read_text(path), newline=""), delimiter=delimiter)
    for row in reader:
        if row:
            return [h.strip() for h in row]
    return []


def read_txt(path: Path, text_field: str) -> Iterator[RawRow]:
    """One task per non-empty line."""
    for n, line in enumerate(read_text(path).splitlines(), start=1):
        if line.strip():
            yield RawRow({text_field: line}, str(path), f"line {n}")


def read_parquet(path: Path) -> Iterator[RawRow]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as e:  # noqa: BLE001 - pyarrow raises several types for corrupt files
        raise SeedError(f"{path}: cannot read parquet ({e})") from None
    for n, row in enumerate(table.to_pylist(), start=1):
        yield RawRow(row, str(path), f"row {n}")


def parquet_columns(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    try:
        return list(pq.read_schema(path).names)
    except Exception as e:  # noqa: BLE001 - as in read_parquet
        raise SeedError(f"{path}: cannot read parquet ({e})") from None


def read_file(path: Path, fmt: str, text_field: str) -> Iterator[RawRow]:
    if fmt == "jsonl":
        return read_jsonl(path)
    if fmt == "json":
        return read_json(path)
    if fmt == "csv":
        return read_delimited(path, ",")
    if fmt == "tsv":
        return read_delimited(path, "\t")
    if fmt == "txt":
        return read_txt(path, text_field)
    if fmt == "parquet":
        return read_parquet(path)
    raise SeedError(f"{path}: unknown seed format {fmt!r}; use one of {', '.join(FORMATS)}")


def file_columns(path: Path, fmt: str) -> list[str] | None:
    """Header columns for tabular formats (checked up front), None for per-row formats."""
    if fmt in ("csv", "tsv"):
        return csv_header(path, "," if fmt == "csv" else "\t")
    if fmt == "parquet":
        return parquet_columns(path)
    return None


# ---------------------------------------------------------------- Hugging Face


def is_saved_dataset_dir(path: Path) -> bool:
    """True for a folder written by Dataset.save_to_disk / DatasetDict.save_to_disk."""
    return path.is_dir() and (
        (path / "dataset_dict.json").is_file()
        or ((path / "state.json").is_file() and (path / "dataset_info.json").is_file())
    )


def open_hf_dataset(
    name: str,
    config: str | None,
    split: str,
    data_files: str | list[str] | None,
    cache_dir: str | None,
) -> Any:
    """A `datasets.Dataset` for one split: load_from_disk for saved folders, else load_dataset."""
    import datasets

    local = Path(name)
    try:
        if is_saved_dataset_dir(local):
            ds = datasets.load_from_disk(str(local))
            if isinstance(ds, datasets.DatasetDict):
                if split not in ds:
                    raise SeedError(f"{name}: no split {split!r} (splits: {', '.join(ds)})")
                ds = ds[split]
            return ds
        return datasets.load_dataset(name, config, split=split, data_files=data_files, cache_dir=cache_dir)
    except SeedError:
        raise
    except Exception as e:  # noqa: BLE001 - datasets raises many types; report them uniformly
        raise SeedError(f"{name}: cannot load dataset ({type(e).__name__}: {e})") from None


def read_hf(ds: Any, source: str) -> Iterator[RawRow]:
    for n, row in enumerate(ds, start=1):
        yield RawRow(dict(row), source, f"row {n}")
