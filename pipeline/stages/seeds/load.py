"""Load seed tasks from files, folders or Hugging Face datasets into seed records.

A seed is a plain user request ("Write a haiku about snow") that later stages
expand and constrain. Whatever the input looks like, `load_seeds` returns the
same record shape, in a deterministic order:

    {"id": seed_id(text), "text", "language", "category", "source", "meta": {...}}  (records.Seed)

Why the cleaning: seeds arrive from hand-written files and scraped datasets with
stray whitespace, Unicode variants and repeats. Repeats waste generation budget
and leak between train/test splits, so exact duplicates (same text after
normalising and case-folding) and near duplicates (rapidfuzz ratio >= 92 within
a cheap blocking) are dropped, keeping the first occurrence. Bad input fails
loudly with `SeedError`, naming the file and line to fix.
"""

from __future__ import annotations

import logging
import math
import random
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ...config import SeedSource
from ...records import Seed, content_id, seed_id
from ...resources import resource_dir
from .readers import (
    EXTENSIONS,
    RawRow,
    SeedError,
    file_columns,
    format_of,
    is_saved_dataset_dir,
    jsonable,
    open_hf_dataset,
    read_file,
    read_hf,
)

__all__ = [
    "SHIPPED_SEEDS_DIR",
    "SeedError",
    "load_seeds",
    "shipped_seeds",
    "tidy_text",
]

log = logging.getLogger(__name__)

SHIPPED_SEEDS_DIR = resource_dir("seeds")
UNKNOWN_LANGUAGE = "und"  # BCP-47 "undetermined"


# ---------------------------------------------------------------- normalising

_HSPACE_RUN = re.compile(r"[^\S\n]+")  # whitespace other than newline
_LEADING = re.compile(r"^[^\S\n]*")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_ANY_SPACE = re.compile(r"\s+")


def tidy_text(text: str) -> str:
    """NFC, unified newlines, internal space runs collapsed, lines right-stripped, text stripped.

    Leading indentation of lines after the first is kept (seeds may quote code),
    newlines are kept, and more than one blank line in a row becomes one. Case and
    punctuation are kept too: this is the seed text later stages use, not a
    comparison key (that is `pipeline.dedupe.normalize_text`: case-folded, NFKC,
    whitespace flattened, end punctuation dropped).
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for line in text.split("\n"):
        leading = _LEADING.match(line)  # the pattern matches every line
        indent = leading.group(0) if leading else ""
        body = _HSPACE_RUN.sub(" ", line[len(indent) :]).rstrip()
        lines.append(indent + body if body else "")
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def _exact_key(text: str) -> str:
    return _ANY_SPACE.sub(" ", text.casefold()).strip()


def normalize_language_tag(tag: str) -> str:
    """'EN' -> 'en', 'pt_BR' -> 'pt-br', langdetect's 'zh-cn' -> 'zh' (its 'zh-tw' is kept)."""
    tag = tag.strip().replace("_", "-").lower()
    return "zh" if tag == "zh-cn" else tag


def _detect(text: str) -> str:
    from ...constraints import detect_language

    found = detect_language(text)
    return normalize_language_tag(found) if found else UNKNOWN_LANGUAGE


# ---------------------------------------------------------------- reading


def _iter_files(source: SeedSource) -> list[tuple[Path, str]]:
    """(file, format) pairs to read, in sorted order for folders."""
    assert source.path is not None  # a path source (SeedSource: exactly one of path, hf_dataset)
    path = Path(source.path)
    if not path.exists():
        raise SeedError(f"{path}: no such seed file or folder")
    if path.is_file():
        fmt = format_of(path) if source.format == "auto" else source.format
        return [(path, fmt)]
    files = []
    for f in sorted(path.rglob("*"), key=lambda p: p.relative_to(path).as_posix()):
        rel = f.relative_to(path).parts
        if not f.is_file() or any(part.startswith(".") for part in rel):
            continue
        f_fmt = EXTENSIONS.get(f.suffix.lower())
        if f_fmt is None or (source.format != "auto" and f_fmt != source.format):
            continue
        files.append((f, f_fmt))
    if not files:
        want = source.format if source.format != "auto" else ", ".join(sorted(EXTENSIONS))
        raise SeedError(f"{path}: folder holds no seed files ({want})")
    return files


def _check_columns(where: str, columns: list[str], source: SeedSource) -> None:
    """Fail early when a tabular input lacks a mapped column."""
    need = [source.text_field]
    fields_set = source.model_fields_set
    for name in ("category_field", "language_field"):
        col = getattr(source, name)
        if col is not None and name in fields_set:  # explicitly mapped -> must exist
            need.append(col)
    missing = [c for c in need if c not in columns]
    if missing:
        raise SeedError(
            f"{where}: missing column(s) {missing}; columns are {columns} "
            f"(map them with text_field / category_field / language_field)"
        )


def _raw_rows(source: SeedSource) -> Iterator[RawRow]:
    if source.hf_dataset is not None or (source.path is not None and is_saved_dataset_dir(Path(source.path))):
        name = source.hf_dataset if source.hf_dataset is not None else str(source.path)
        ds = open_hf_dataset(name, source.hf_config, source.split, source.data_files, source.hf_cache_dir)
        label = name
        if source.data_files:
            files = [source.data_files] if isinstance(source.data_files, str) else source.data_files
            label = f"{name}:{','.join(map(str, files))}"
        _check_columns(f"{label} row 1", list(ds.column_names), source)
        if len(ds) == 0:
            raise SeedError(f"{label} row 1: dataset split {source.split!r} is empty")
        yield from read_hf(ds, label)
        return
    for path, fmt in _iter_files(source):
        cols = file_columns(path, fmt)
        if cols is not None:
            if not cols:
                raise SeedError(f"{path} line 1: empty file, no header and no seed rows")
            _check_columns(f"{path} line 1", cols, source)
        count = 0
        for row in read_file(path, fmt, source.text_field):
            count += 1
            yield row
        if count == 0:
            raise SeedError(f"{path} line 1: empty file, no seed rows")


def _to_record(row: RawRow, source: SeedSource) -> Seed | None:
    """Seed record without language (filled in later), or None for a blank text."""
    fields = row.fields
    at = f"{row.source} {row.where}"
    if source.text_field not in fields:
        raise SeedError(f"{at}: missing text field {source.text_field!r} (fields: {sorted(fields)})")
    raw = fields[source.text_field]
    if not isinstance(raw, str):
        kind = "null" if raw is None else type(raw).__name__
        raise SeedError(f"{at}: text field {source.text_field!r} must be a string, got {kind}")
    text = tidy_text(raw)
    if not text:
        log.warning("%s: blank text, skipped", at)
        return None
    category = _optional_str(fields, source.category_field, at)
    language = _optional_str(fields, source.language_field, at)
    given = _constraint_texts(fields, source.constraints_field, at)
    used = {source.text_field, source.category_field, source.language_field, source.constraints_field}
    meta = {str(k): jsonable(v) for k, v in fields.items() if k not in used}
    record: Seed = {
        "id": seed_id(text, given),
        "text": text,
        "language": normalize_language_tag(language) if language else None,
        "category": category,
        "source": row.source,
        "meta": meta,
    }
    if given:
        record["constraints"] = given
    return record


def _constraint_texts(fields: dict[str, Any], name: str | None, at: str) -> list[str]:
    """The row's own free-form constraints: a list of strings, or one string holding one per line."""
    value = fields.get(name) if name is not None else None
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        value = value.splitlines()
    elif hasattr(value, "tolist"):  # a numpy array from a Parquet list column
        value = value.tolist()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SeedError(
            f"{at}: field {name!r} must be a list of strings (or one per line), got {value!r:.80} "
            f"(set seeds.constraints_field to another column, or null, if this column is not constraints)"
        )
    return [t for t in (tidy_text(v) for v in value) if t]


def _optional_str(fields: dict[str, Any], name: str | None, at: str) -> str | None:
    if name is None or fields.get(name) is None:
        return None
    value = fields[name]
    if isinstance(value, float) and math.isnan(value):  # NaN from pandas-written parquet
        return None
    if not isinstance(value, str):
        raise SeedError(f"{at}: field {name!r} must be a string, got {type(value).__name__}")
    return tidy_text(value) or None


# ---------------------------------------------------------------- dedupe


def _drop_exact(records: Iterable[Seed]) -> list[Seed]:
    seen: set[str] = set()
    out = []
    for r in records:
        key = content_id(_exact_key(r["text"]), r.get("constraints") or None)  # another constraint set: kept
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def _drop_near(records: list[Seed], threshold: float) -> list[Seed]:
    """Near-duplicate removal, keeping first occurrences.

    The same exact + near-duplicate search every other stage uses (`pipeline.dedupe`).
    """
    from ...dedupe import dedupe

    # the seed threshold is on rapidfuzz's 0-100 scale; dedupe takes 0-1. No score: the first seen is kept.
    # seeds are plain dicts at runtime; dedupe is typed for any dict records
    # rows that bring their own constraints are duplicates only of rows bringing the same ones
    by_constraints = any(r.get("constraints") for r in records)
    key = (lambda r: "\n".join(r.get("constraints") or ())) if by_constraints else None
    return list(dedupe(records, "text", threshold=threshold / 100.0, key=key).kept)  # type: ignore[arg-type]


# ---------------------------------------------------------------- entry points


def load_seeds(source: SeedSource | dict[str, Any]) -> list[Seed]:
    """Read, normalise, tag, dedupe and (optionally) sample seeds; deterministic order.

    Order is input order (files of a folder sorted by relative path); with
    `sample_seed` the deduplicated rows are shuffled with that seed, then `limit`
    keeps the first rows. Language detection runs only on the rows kept.
    """
    if not isinstance(source, SeedSource):
        source = SeedSource.model_validate(source)
    records = [r for r in (_to_record(row, source) for row in _raw_rows(source)) if r is not None]
    if not records:
        raise SeedError(f"{source.label()}: no usable seed rows (all texts blank)")
    if source.dedupe:
        before = len(records)
        records = _drop_exact(records)
        records = _drop_near(records, source.near_duplicate_threshold)
        if len(records) < before:
            log.info("%s: dropped %d duplicate seed(s)", source.label(), before - len(records))
    if source.sample_seed is not None:
        random.Random(source.sample_seed).shuffle(records)
    if source.limit is not None:
        records = records[: source.limit]
    for r in records:
        if r["language"] is None:
            r["language"] = _detect(r["text"])
    return records


def shipped_seeds(name: str = "default") -> Path:
    """Path of a shipped seed file (seeds/ in a checkout, packaged in a wheel), e.g. 'default', 'tiny'."""
    path = SHIPPED_SEEDS_DIR / f"{name}.jsonl"
    if not path.is_file():
        have = sorted(p.stem for p in SHIPPED_SEEDS_DIR.glob("*.jsonl")) if SHIPPED_SEEDS_DIR.is_dir() else []
        raise SeedError(f"{path}: no shipped seed set {name!r} (have: {have})")
    return path
