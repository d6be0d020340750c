"""Which instructions the export keeps, and which split each one goes to.

The mechanics (normalisation, MinHash-LSH candidates verified by rapidfuzz
ratio, union-find, word n-gram decontamination, leak-free group split) are the
shared `pipeline.dedupe` API; this module holds only the export's rules on top:
- duplicates: same or near-duplicate normalised text *and the same constraint
  ids* (`dedupe(key=...)`). Two prompts over one task with different
  constraints are different training examples, so both stay. The best-scored
  member of a group is kept, ties going to the smaller id;
- contamination: survivors sharing a word n-gram with any prompt of a
  benchmark file (.jsonl / .parquet / .txt, prompt in any of the usual fields)
  are dropped;
- split: components of "same task_id or near-duplicate text" go wholly to
  train or to test — so the constraint-variant twins kept above still share a
  side — filled to about `test_fraction` of the instructions (`balanced`).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ...dedupe import LshParams, decontaminate, dedupe, split_by_group
from ...dedupe.decontam import COMMON_PROMPT_FIELDS
from ...dedupe.idset import IdSet
from ...dedupe.stream import Corpus, decontaminate_mask, dedupe_mask
from ...dedupe.stream_split import split_mask

# 128-wide signatures in 32 bands of 4 (a pair with shingle Jaccard 0.5 is a candidate with p ~ 0.87), and
# at most 16 neighbours compared inside one bucket: bounds the work on template-heavy prompt sets.
EXPORT_LSH = LshParams(num_perm=128, bands=32, rows=4, window=16)


@dataclass
class Selection:
    kept: list[int]  # indices into the input, ascending
    removed_duplicates: int
    removed_contaminated: int
    test: set[int]  # kept indices assigned to test


def select(
    ids: Sequence[str],
    task_ids: Sequence[str],
    texts: Sequence[str],
    scores: Sequence[float],
    constraint_keys: Sequence[str],
    threshold: float,
    test_fraction: float,
    seed: int,
    benchmark_files: Sequence[str | Path] = (),
    ngram: int = 13,
) -> Selection:
    """Dedupe (per constraint key), decontaminate, then split the survivors; all indices refer to the input."""
    n = len(ids)
    for name, col in (
        ("task_ids", task_ids),
        ("texts", texts),
        ("scores", scores),
        ("constraint_keys", constraint_keys),
    ):
        if len(col) != n:
            raise ValueError(f"select: {name} has {len(col)} entries for {n} ids")
    # records in id order, so dedupe's "ties keep the first seen" keeps the smaller id
    records = [
        {"i": i, "task_id": task_ids[i], "text": texts[i], "key": constraint_keys[i]}
        for i in sorted(range(n), key=lambda i: ids[i])
    ]
    dd = dedupe(records, "text", threshold=threshold, score=lambda r: scores[r["i"]], key="key", params=EXPORT_LSH)
    survivors = sorted(dd.kept, key=lambda r: r["i"])
    clean = survivors
    if benchmark_files:
        clean = decontaminate(
            survivors, "text", [Path(f) for f in benchmark_files], n=ngram, prompt_fields=COMMON_PROMPT_FIELDS
        ).kept
    split = split_by_group(
        clean, "task_id", test_fraction, seed, threshold, text_field="text", params=EXPORT_LSH, balanced=True
    )
    return Selection(
        kept=[r["i"] for r in clean],
        removed_duplicates=len(dd.removed),
        removed_contaminated=len(survivors) - len(clean),
        test={r["i"] for r in split.test},
    )


@dataclass
class StreamSelection:
    kept: IdSet  # ids kept
    test: IdSet  # kept ids assigned to test
    removed_duplicates: int
    removed_contaminated: int


def select_stream(
    rows: Iterable[tuple[str, str, str, str, float]],
    threshold: float,
    test_fraction: float,
    seed: int,
    benchmark_files: Sequence[str | Path] = (),
    ngram: int = 13,
    *,
    memory_mb: float | None = None,
    workdir: str | Path | None = None,
) -> StreamSelection:
    """`select` over rows (id, text, constraint key, task_id, score) in ascending id order, partitioned on
    disk (`pipeline.dedupe.stream`): the same decisions, memory set by `memory_mb`, not by the rows.
    `workdir` is scratch space this call owns: emptied first (a killed run's leftovers), removed after."""
    if workdir is not None:
        shutil.rmtree(workdir, ignore_errors=True)
    try:
        return _select_stream(rows, threshold, test_fraction, seed, benchmark_files, ngram, memory_mb, workdir)
    finally:
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)


def _select_stream(rows, threshold, test_fraction, seed, benchmark_files, ngram, memory_mb, workdir):
    with Corpus.build(rows, memory_mb=memory_mb, workdir=workdir) as corpus:
        dd = dedupe_mask(corpus, threshold, params=EXPORT_LSH)
        clean = dd.keep
        if benchmark_files:
            clean = decontaminate_mask(
                corpus, dd.keep, [Path(f) for f in benchmark_files], n=ngram, prompt_fields=COMMON_PROMPT_FIELDS
            ).keep
        test = split_mask(corpus, clean, test_fraction, seed, threshold, params=EXPORT_LSH, balanced=True).keep
        return StreamSelection(
            kept=IdSet(corpus.ids_where(clean)),
            test=IdSet(corpus.ids_where(test)),
            removed_duplicates=dd.counts["removed"],
            removed_contaminated=dd.counts["kept"] - int(clean.sum()),
        )
