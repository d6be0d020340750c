"""Benchmark decontamination: drop records sharing a word n-gram with a benchmark prompt.

Word tokens are taken from the normalised text (`\\w+` runs), so case, Unicode
form and punctuation do not hide an overlap. n=13 follows the common practice
for instruction data (long enough that shared boilerplate like "your response
should contain" does not match, short enough to catch a pasted benchmark
prompt). A benchmark prompt shorter than n tokens has no n-gram; it is matched
as a whole — a record whose token sequence equals it is contaminated (matching
it as a substring would let "write a poem" remove half a corpus).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .normalize import normalize_text

_WORD = re.compile(r"\w+")


def word_tokens(text: str) -> list[str]:
    return _WORD.findall(normalize_text(text))


PROMPT_FIELD = ("prompt",)
#: Fields benchmark and chat files commonly hold their prompt in, in lookup order
#: (`messages` is a chat list; its user turns are the prompt).
COMMON_PROMPT_FIELDS = ("prompt", "text", "instruction", "question", "input", "messages")


def _prompt_of(obj: object, fields: tuple[str, ...]) -> str | None:
    """The first of `fields` holding a string (or, for `messages`, a chat list) in obj."""
    if not isinstance(obj, dict):
        return None
    for f in fields:
        v = obj.get(f)
        if isinstance(v, str):
            return v
        if f == "messages" and isinstance(v, list):
            return "\n".join(str(m.get("content", "")) for m in v if isinstance(m, dict) and m.get("role") == "user")
    return None


def _fields_phrase(fields: tuple[str, ...]) -> str:
    if len(fields) == 1:
        return f"a string {fields[0]!r}"
    return "a prompt field (one of " + ", ".join(repr(f) for f in fields) + ")"


def _parquet_prompts(path: Path, fields: tuple[str, ...]) -> list[str]:
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    col = next((f for f in fields if f in table.column_names), None)
    if col is None:
        raise ValueError(f"{path}: no prompt column (looked for {', '.join(fields)})")
    out = []
    for row, v in enumerate(table.column(col).to_pylist()):
        text = _prompt_of({col: v}, (col,))
        if text is None:
            if v is None:
                continue  # a null cell holds no prompt
            raise ValueError(f"{path}: row {row}: column {col!r} is not text")
        if text:
            out.append(text)
    return out


def load_benchmark_prompts(path: Path, fields: tuple[str, ...] = PROMPT_FIELD) -> list[str]:
    """Prompts of a benchmark file: JSONL (*.jsonl, *.json lines, *.ndjson) or
    Parquet whose prompt is the first of `fields` present in each object / as a
    column, or plain text, one prompt per non-blank line (any other suffix)."""
    path = Path(path)
    fields = tuple(fields)
    if not fields:
        raise ValueError("fields must name at least one prompt field")
    if not path.is_file():
        raise FileNotFoundError(f"benchmark file not found: {path}")
    if path.suffix.lower() == ".parquet":
        return _parquet_prompts(path, fields)
    prompts: list[str] = []
    is_jsonl = path.suffix.lower() in (".jsonl", ".json", ".ndjson")
    with path.open("r", encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            if not is_jsonl:
                prompts.append(line.rstrip("\n"))
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{lineno}: invalid JSON: {e.msg}") from None
            text = _prompt_of(obj, fields)
            if text is None:
                raise ValueError(f"{path}:{lineno}: expected an object with {_fields_phrase(fields)}")
            prompts.append(text)
    return prompts


@dataclass
class DecontamResult:
    """Unpacks as (kept, removed); `counts` has the totals. Each removed entry
    is {"record", "index", "benchmark_file", "ngram"}."""

    kept: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def __iter__(self):
        return iter((self.kept, self.removed))


class BenchmarkNgrams:
    """The word n-grams (and whole short prompts) of benchmark files; `hit(text)` finds one in a text.

    Held in memory: it is the size of the benchmarks, not of the corpus being cleaned, so the
    in-memory `decontaminate` and the streaming one (`stream.decontaminate_mask`) share it."""

    def __init__(self, benchmark_files: list[Path], n: int = 13, prompt_fields: tuple[str, ...] = PROMPT_FIELD):
        if n < 1:
            raise ValueError(f"n must be >= 1, got {n}")
        self.n = n
        self.grams: dict[tuple[str, ...], str] = {}  # n-gram -> benchmark file it came from
        self.short: dict[tuple[str, ...], str] = {}  # whole prompts shorter than n
        self.prompts = 0
        for bf in benchmark_files:
            for p in load_benchmark_prompts(bf, prompt_fields):
                self.prompts += 1
                toks = tuple(word_tokens(p))
                if not toks:
                    continue
                if len(toks) < n:
                    self.short.setdefault(toks, str(bf))
                    continue
                for i in range(len(toks) - n + 1):
                    self.grams.setdefault(toks[i : i + n], str(bf))

    def __len__(self) -> int:
        return len(self.grams) + len(self.short)

    def hit(self, text: str) -> tuple[str, tuple[str, ...]] | None:
        """(benchmark file, matched tokens) of the first benchmark n-gram in text, or None."""
        n, grams = self.n, self.grams
        toks = tuple(word_tokens(text))
        for i in range(len(toks) - n + 1):
            g = toks[i : i + n]
            if g in grams:
                return grams[g], g
        if len(toks) < n and toks in self.short:
            return self.short[toks], toks
        return None


def decontaminate(
    records: Iterable[dict],
    field: str,
    benchmark_files: list[Path],
    n: int = 13,
    *,
    prompt_fields: tuple[str, ...] = PROMPT_FIELD,
) -> DecontamResult:
    """Split records into kept and removed (sharing a word n-gram with a benchmark prompt).

    prompt_fields: where a benchmark file's objects hold their prompt (first
    present wins); `COMMON_PROMPT_FIELDS` accepts the usual benchmark and chat
    layouts, the default insists on `prompt`.
    """
    bench = BenchmarkNgrams(benchmark_files, n, prompt_fields)
    kept: list[dict] = []
    removed: list[dict] = []
    for idx, r in enumerate(records):
        text = r.get(field) if isinstance(r, dict) else None
        if not isinstance(text, str):
            raise ValueError(f"record {idx}: field {field!r} missing or not a string")  # noqa: TRY004 - bad input is a ValueError here, as the CLI contract says
        hit = bench.hit(text)
        if hit is None:
            kept.append(r)
        else:
            removed.append({"record": r, "index": idx, "benchmark_file": hit[0], "ngram": " ".join(hit[1])})
    counts = {
        "input": len(kept) + len(removed),
        "kept": len(kept),
        "removed": len(removed),
        "benchmark_prompts": bench.prompts,
        "benchmark_ngrams": len(bench),
    }
    return DecontamResult(kept, removed, counts)
