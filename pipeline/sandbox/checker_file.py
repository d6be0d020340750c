"""`exec_file`: run a checker file over a JSONL file of responses (what `ifgen checkers exec` calls)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..jsonl import iter_jsonl
from .pool import Result, SandboxPool

BATCH = 512


def read_responses(path: str | Path) -> list[str]:
    """The `response` field of every row; ValueError naming file and line for anything else."""
    out: list[str] = []
    for lineno, row in iter_jsonl(path):
        if not isinstance(row.get("response"), str):
            raise ValueError(f'{path}:{lineno}: expected an object with a string "response" field')
        out.append(row["response"])
    return out


def exec_file(
    code_path: str | Path,
    responses_path: str | Path,
    *,
    pool: SandboxPool | None = None,
    timeout_s: float = 2.0,
    mem_mb: int = 256,
    workers: int = 2,
) -> Iterator[Result]:
    """Yield `{"ok": bool|None, "error": str|None}` per response row of `responses_path`, in order.

    The whole JSONL file is validated before anything runs, so a bad row fails fast.
    """
    code = Path(code_path).read_text(encoding="utf-8")
    responses = read_responses(responses_path)
    own = pool is None
    pool = pool or SandboxPool(workers=workers, timeout_s=timeout_s, mem_mb=mem_mb)
    try:
        for i in range(0, len(responses), BATCH):
            yield from pool.run(code, responses[i : i + BATCH])
    finally:
        if own:
            pool.close()
