"""JSONL, one object a line: reading with errors that name the file and the line, atomic writing.

Every reader of user or stage files goes through `iter_jsonl`, so a bad line always
reads the same way: `path:line: invalid JSON (reason)` or `path:line: expected a JSON object`.
Every JSONL output goes through `write_jsonl_atomic`, so none is ever seen half-written.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

# 19 digits in a row may be an integer past 64 bits, which orjson reads as a float (json.loads: an int);
# found by mapping digits to "0" and every other byte to " " (one C pass, a fifth of a regex search)
_DIGITS = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_LONG_RUN = b"0" * 19


def loads(line: str) -> Any:
    """`json.loads`, about three times faster on the lines runs are made of (the export parses every record
    of a run twice). orjson reads them unless the line may hold what it reads differently (an integer past
    64 bits) or rejects (NaN, Infinity, a lone surrogate): then `json.loads` reads it, and its error, if
    any, is the one raised. Same objects either way (tests/test_jsonl.py)."""
    raw = line.encode("utf-8", "surrogatepass")
    if _LONG_RUN not in raw.translate(_DIGITS):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    return json.loads(line)


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str)  # built once, not per call
# JSON with sorted keys and no whitespace (records.canonical_json, the input to every content hash); one encoder
# for every call: json.dumps with options builds a new one each time, most of its cost on short ids
canonical_dumps = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode


def compact_dumps(record: dict[str, Any]) -> str:
    return _COMPACT.encode(record)


class StorageError(OSError):
    """A run file could not be written (disk full, read-only folder, ...). Its text is one line naming the path
    and the OS (or SQLite) error; the write left nothing half-done, so rerunning after fixing the cause resumes."""

    def __init__(self, path: str | Path, error: BaseException | str):
        why = getattr(error, "strerror", None) or str(error) or type(error).__name__
        super().__init__(getattr(error, "errno", None) or 0, why, str(path))

    def __str__(self) -> str:
        return f"cannot write {self.filename}: {self.strerror}"


def temp_beside(path: Path) -> tuple[int, str]:
    """Create `.<name>.<random>.tmp` next to `path` for writing: (fd, temp path). Unlike mkstemp (always 0600),
    the file gets 0666 minus the process umask, so run files are as readable as any file the user writes."""
    while True:
        tmp = str(path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666), tmp
        except FileExistsError:
            continue


def write_jsonl_atomic(
    path: str | Path, records: Iterable[dict[str, Any]], dumps: Callable[[dict[str, Any]], str] = compact_dumps
) -> int:
    """Stream records to a temp file in the same folder, fsync, rename: readers never see half a file and a
    crash leaves at most a stray `.tmp`. Returns the count written."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = temp_beside(path)
    except OSError as e:
        raise StorageError(path, e) from e
    n = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for r in records:
                f.write(dumps(r) + "\n")
                n += 1
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError) and not isinstance(e, StorageError):
            raise StorageError(path, e) from e
        raise
    return n


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for every non-blank line; ValueError for anything else."""
    for n, obj, _line in iter_jsonl_lines(path):
        yield n, obj


def iter_jsonl_lines(path: str | Path) -> Iterator[tuple[int, dict[str, Any], str]]:
    """(line number, object, the line itself) for every non-blank line: `iter_jsonl` for readers that copy
    lines on as they are; the same errors."""
    try:
        f = open(path, encoding="utf-8")  # noqa: SIM115 - closed below; errors must name the file
    except OSError as e:
        raise ValueError(f"{path}: cannot read ({e.strerror or e})") from None
    with f:
        try:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    obj = loads(line)
                except json.JSONDecodeError as e:
                    raise ValueError(f"{path}:{n}: invalid JSON ({e.msg})") from None
                if not isinstance(obj, dict):
                    raise ValueError(f"{path}:{n}: expected a JSON object, got {type(obj).__name__}")
                yield n, obj, line
        except UnicodeDecodeError as e:
            raise ValueError(f"{path}: cannot read (not UTF-8: {e.reason})") from None
