"""JSONL, one object a line: reading with errors that name the file and the line, atomic writing.

Every reader of user or stage files goes through `iter_jsonl`, so a bad line always
reads the same way: `path:line: invalid JSON (reason)` or `path:line: expected a JSON object`.
Every JSONL output goes through `write_jsonl_atomic`, so none is ever seen half-written.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any


def compact_dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str)


def write_jsonl_atomic(
    path: str | Path, records: Iterable[dict[str, Any]], dumps: Callable[[dict[str, Any]], str] = compact_dumps
) -> int:
    """Stream records to a temp file in the same folder, fsync, rename: readers never see half a file and a
    crash leaves at most a stray `.tmp`. Returns the count written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    n = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for r in records:
                f.write(dumps(r) + "\n")
                n += 1
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
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
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    raise ValueError(f"{path}:{n}: invalid JSON ({e.msg})") from None
                if not isinstance(obj, dict):
                    raise ValueError(f"{path}:{n}: expected a JSON object, got {type(obj).__name__}")
                yield n, obj, line
        except UnicodeDecodeError as e:
            raise ValueError(f"{path}: cannot read (not UTF-8: {e.reason})") from None
