"""Exact and near-duplicate removal, decontamination and leak-free splitting.

Public entry points:
  dedupe(records, field, *, threshold=0.9, score=None, key=None) -> DedupeResult
  near_duplicate_groups(texts, threshold=0.9) -> list[list[int]]
  decontaminate(records, field, benchmark_files, n=13, *, prompt_fields=("prompt",))
      -> DecontamResult (unpacks as kept, removed); COMMON_PROMPT_FIELDS reads chat/benchmark layouts
  split_by_group(records, group_field, test_fraction, seed=0, near_dup_threshold=0.9, *,
                 text_field=None, params=None, balanced=False) -> SplitResult
  run_cli(input, field, output, threshold=0.9) -> dict  (body of `ifgen dedupe`)

Streaming, partitioned on disk (same answers; memory set by `memory_mb`, not by the corpus):
  Corpus.build(rows of (id, text, key, group, score), memory_mb=..., workdir=...) -> Corpus
  dedupe_mask(corpus, threshold, params=...) / decontaminate_mask(corpus, mask, files, n)
      / split_mask(corpus, mask, test_fraction, seed, threshold, balanced=...) -> Masks (row masks + counts)
  similar_pairs_partitioned(texts, threshold, ..., memory_mb=...) -> (pairs, sims), as similar_pairs
  search_pairs(TextFile, positions, threshold, on_pairs, ...) -> SearchStats (pairs handed over per partition)
"""

from .api import DedupeResult, Removed, dedupe
from .command import read_jsonl, run_cli, write_jsonl_atomic
from .decontam import COMMON_PROMPT_FIELDS, DecontamResult, decontaminate, load_benchmark_prompts
from .idset import IdSet
from .near import LshParams, near_duplicate_groups, resolve_scorer, similar_pairs
from .normalize import normalize_text, normalized_hash
from .partitioned import search_pairs, similar_pairs_partitioned
from .spill import DEFAULT_MEMORY_MB, Budget, TextFile
from .split import SplitResult, split_by_group
from .stream import Corpus, Masks, decontaminate_mask, dedupe_mask
from .stream_split import split_mask

__all__ = [
    "COMMON_PROMPT_FIELDS",
    "DEFAULT_MEMORY_MB",
    "Budget",
    "Corpus",
    "IdSet",
    "Masks",
    "TextFile",
    "decontaminate_mask",
    "dedupe_mask",
    "search_pairs",
    "similar_pairs_partitioned",
    "split_mask",
    "DecontamResult",
    "DedupeResult",
    "LshParams",
    "Removed",
    "SplitResult",
    "decontaminate",
    "dedupe",
    "load_benchmark_prompts",
    "near_duplicate_groups",
    "normalize_text",
    "normalized_hash",
    "read_jsonl",
    "resolve_scorer",
    "run_cli",
    "similar_pairs",
    "split_by_group",
    "write_jsonl_atomic",
]
