"""The `ifgen dedupe` command: JSONL in (a text field per row), the kept rows out.

Errors name the file and 1-based line so a bad shard can be found and fixed;
output is written to a temp file in the target folder and renamed over the
target, so a crash never leaves a half-written output that looks complete.
"""

from __future__ import annotations

from pathlib import Path

from ..jsonl import iter_jsonl, write_jsonl_atomic


def read_jsonl(path: Path, field: str | None = None) -> list[dict]:
    """Objects of a JSONL file (blank lines skipped); `field`, if given, must be a string in each."""
    out: list[dict] = []
    for lineno, obj in iter_jsonl(path):
        if field is not None and not isinstance(obj.get(field), str):
            raise ValueError(f"{path}:{lineno}: field {field!r} missing or not a string")
        out.append(obj)
    return out


def run_cli(input: Path, field: str, output: Path, threshold: float = 0.9) -> dict:
    """Body of `ifgen dedupe`: JSONL in, kept records JSONL out, counts back."""
    from .api import dedupe

    records = read_jsonl(Path(input), field)
    result = dedupe(records, field, threshold=threshold)
    write_jsonl_atomic(Path(output), result.kept)
    return dict(result.counts)
