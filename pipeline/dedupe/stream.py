"""Streaming, partitioned dedupe, decontamination and group split: the in-memory results, bounded memory.

`dedupe`, `decontaminate` and `split_by_group` take lists of dicts and hold every text, key and
pair at once; a run of millions of prompts outgrows a laptop there. `Corpus.build` instead reads
rows (text, key, group, score) once from any iterable, writes the normalised texts and group keys
to disk and keeps a few numpy columns per row; the three steps then work on it in partitions
(`spill.Partitions`, `partitioned.search_pairs`) whose size the `Budget` sets, and answer with
boolean masks over the rows (row = arrival order). Same decisions as the in-memory functions on
the same rows, which tests/dedupe/test_stream.py checks, with budgets small enough to force many
partitions:

- `dedupe_mask`: exact duplicates share (key, normalised text); near ones are found per key
  (group ids are the keys' first-seen order, as in memory, so even the LSH salts agree); each
  cluster keeps its best score, ties to the first row;
- `decontaminate_mask`: rows sharing a word n-gram with a benchmark prompt;
- `split_mask` (stream_split.py): components of "same group or identical / near-duplicate text" go
  wholly to one side, ordered by the hash of their smallest group key, filled to `test_fraction`.
`IdSet` (idset.py) holds the ids a selection keeps.

Identities (texts, keys, groups) are compared by 128-bit blake2b hashes: two different strings
would have to collide at 2**-128 to be taken as equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from ..records import canonical_json
from .components import ArrayUnionFind
from .decontam import PROMPT_FIELD, BenchmarkNgrams
from .near import LshParams, Scorer, _check_threshold, resolve_scorer
from .normalize import normalize_text
from .partitioned import SearchStats, search_pairs
from .spill import Budget, Column, Partitions, TextFile, Workdir, blake_u128

_ID_ROW = np.dtype([("h0", "<u8"), ("h1", "<u8"), ("i", "<i8")])


@dataclass
class Corpus:
    """Rows on disk: normalised texts, group keys and ids as text files, hashes and scores as columns."""

    workdir: Workdir
    budget: Budget
    texts: TextFile
    groups: TextFile
    ids: TextFile
    text_hash: Column  # (n, 2) uint64, of the normalised text
    key_hash: Column  # (n, 2) uint64, of the dedupe key
    group_hash: Column  # (n, 2) uint64, of canonical_json(group)
    score: Column  # float64

    @classmethod
    def build(
        cls,
        rows: Iterable[tuple[Any, str, Any, Any, float | None]],
        *,
        memory_mb: float | None = None,
        workdir: str | Path | None = None,
        chunk: int = 16384,
    ) -> Corpus:
        """rows: (id, text, key, group, score). Texts are normalised here (`normalize_text`);
        keys are compared as strings (`str(key)`), groups as `canonical_json(group)`, as
        `split_by_group` does; score None counts as 0 (ties keep the first row)."""
        budget = Budget(memory_mb) if memory_mb is not None else Budget()
        wd = Workdir(workdir, prefix="ifgen-corpus-")
        p = wd.path
        texts, groups, ids = TextFile(p / "texts.bin"), TextFile(p / "groups.bin"), TextFile(p / "ids.bin")
        th = Column(p / "text_hash.bin", np.uint64, 2)
        kh = Column(p / "key_hash.bin", np.uint64, 2)
        gh = Column(p / "group_hash.bin", np.uint64, 2)
        sc = Column(p / "score.bin", np.float64)
        it = iter(rows)
        row_no = 0
        try:
            while True:
                block = list(islice(it, chunk))
                if not block:
                    break
                t, k, g, s, d = [], [], [], [], []
                for rid, text, key, group, score in block:
                    if not isinstance(text, str):
                        raise ValueError(f"row {row_no}: text missing or not a string")  # noqa: TRY004 - bad input is a ValueError, as in dedupe()
                    t.append(normalize_text(text))
                    k.append(str(key))
                    g.append(canonical_json(group))
                    s.append(0.0 if score is None else float(score))
                    d.append(str(rid))
                    row_no += 1
                sa = np.asarray(s, dtype=np.float64)
                if np.isnan(sa).any():
                    raise ValueError(f"rows {row_no - len(block)}..{row_no - 1}: a score is NaN")
                texts.append_many(t)
                groups.append_many(g)
                ids.append_many(d)
                th.append(blake_u128(t))
                kh.append(blake_u128(k))
                gh.append(blake_u128(g))
                sc.append(sa)
            for f in (texts, groups, ids):
                f.seal()
        except BaseException:
            for f in (texts, groups, ids):
                f.close()
            wd.close()
            raise
        return cls(wd, budget, texts, groups, ids, th, kh, gh, sc)

    def __len__(self) -> int:
        return self.score.rows

    def close(self) -> None:
        for f in (self.texts, self.groups, self.ids):
            f.close()
        self.workdir.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def ids_where(self, mask: np.ndarray) -> Iterator[str]:
        """Ids of the rows where mask is true, in row order."""
        sel = np.flatnonzero(mask)
        for lo in range(0, len(sel), 65536):
            yield from self.ids.get_many(sel[lo : lo + 65536].tolist())


def first_of(
    chunks: Iterable[tuple[int, np.ndarray]], n: int, budget: Budget, folder: Path, mask: np.ndarray | None = None
) -> np.ndarray:
    """For each row (of the rows in `mask`, or all n), the first such row with the same 128-bit hash.

    `chunks` yields (first row, (k, 2) uint64 hashes) in row order. Partitioned by the hash, so
    equal hashes meet in one partition. Returns an int64 array over the selected rows, in row order.
    """
    rows = np.arange(n, dtype=np.int64) if mask is None else np.flatnonzero(mask)
    out = np.empty(len(rows), dtype=np.int64)
    if not len(rows):
        return out
    parts = Partitions(folder, budget.parts(len(rows), 24 * 4), _ID_ROW)
    for lo, h in chunks:
        sel = np.arange(lo, lo + len(h)) if mask is None else np.flatnonzero(mask[lo : lo + len(h)]) + lo
        if not len(sel):
            continue
        hs = h[sel - lo]
        block = np.empty(len(sel), dtype=_ID_ROW)
        block["h0"], block["h1"] = hs[:, 0], hs[:, 1]
        block["i"] = sel
        parts.add(block["h0"], block)
    for block in parts:
        if not len(block):
            continue
        order = np.lexsort((block["i"], block["h1"], block["h0"]))
        b = block[order]
        del block, order
        start = np.ones(len(b), dtype=bool)
        start[1:] = (b["h0"][1:] != b["h0"][:-1]) | (b["h1"][1:] != b["h1"][:-1])
        first_row = b["i"][start][np.cumsum(start) - 1]
        out[np.searchsorted(rows, b["i"])] = first_row
    return out


def _combine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A 128-bit identity of the pair (a, b) of 128-bit hashes."""
    from .minhash import _mix64

    with np.errstate(over="ignore"):
        h0 = _mix64(a[:, 0] ^ _mix64(b[:, 0] + np.uint64(0x9E3779B97F4A7C15)))
        h1 = _mix64(a[:, 1] ^ _mix64(b[:, 1] + np.uint64(0xD1B54A32D192ED03)))
    return np.stack([h0, h1], axis=1)


def _linker(uf: ArrayUnionFind, ids: np.ndarray | None = None):
    """`on_pairs` callback: union each verified pair (mapped through `ids`, if given)."""

    def link(pairs: np.ndarray, _sims: np.ndarray) -> None:
        a, b = pairs[:, 0], pairs[:, 1]
        if ids is not None:
            a, b = ids[a], ids[b]
        uf.union_pairs(a, b)

    return link


@dataclass
class Masks:
    keep: np.ndarray
    counts: dict[str, int] = field(default_factory=dict)
    search: SearchStats | None = None  # how the near-duplicate search went (partitions, pairs)


def dedupe_mask(
    corpus: Corpus,
    threshold: float = 0.9,
    *,
    scorer: str | Scorer | None = None,
    params: LshParams | None = None,
) -> Masks:
    """Rows `dedupe(records, "text", score=..., key=...)` keeps, as a mask; counts as `dedupe` reports."""
    _check_threshold(threshold)
    fn = resolve_scorer(scorer)
    n = len(corpus)
    budget = corpus.budget
    with Workdir(corpus.workdir.path, prefix="dedupe-") as wd:
        # group ids in first-seen order of the key, exactly as `_group_ids` numbers them
        key_first = first_of(corpus.key_hash.chunks(), n, budget, wd.sub("keys"))
        gid = np.cumsum(key_first == np.arange(n)) - 1
        gid = gid[key_first]
        del key_first
        # exact: one representative per (key, normalised text)
        pairs = ((lo, _combine(k, corpus.text_hash.read(lo, lo + len(k)))) for lo, k in corpus.key_hash.chunks())
        rep = first_of(pairs, n, budget, wd.sub("exact"))
        is_rep = rep == np.arange(n)
        uniq = np.flatnonzero(is_rep)
        groups = gid[uniq].astype(np.uint64)
        del gid
        uf = ArrayUnionFind(len(uniq))
        stats = search_pairs(
            corpus.texts,
            uniq,
            threshold,
            _linker(uf),
            scorer=fn,
            groups=groups,
            params=params,
            budget=budget,
            workdir=wd.path,
        )
        del uniq, groups
    u_of = np.cumsum(is_rep) - 1  # row -> its unique index, valid at representatives
    del is_rep
    label = uf.labels()[u_of[rep]]
    del uf, u_of
    order = np.lexsort((np.arange(n), -corpus.score.read(), label))
    first = np.ones(n, dtype=bool)
    first[1:] = label[order][1:] != label[order][:-1]
    winners = order[first]
    del order, first
    keep = np.zeros(n, dtype=bool)
    keep[winners] = True
    best_of_label = np.empty(n, dtype=np.int64)
    best_of_label[label[winners]] = winners
    best = best_of_label[label]
    del best_of_label, winners
    removed = ~keep
    n_exact = int(np.count_nonzero(removed & (rep == rep[best])))
    sizes = np.bincount(label, minlength=n) if n else np.zeros(0, dtype=np.int64)
    counts = {
        "input": n,
        "kept": int(keep.sum()),
        "removed": int(removed.sum()),
        "exact": n_exact,
        "near": int(removed.sum()) - n_exact,
        "clusters": int(np.count_nonzero(sizes > 1)),
    }
    return Masks(keep, counts, stats)


def decontaminate_mask(
    corpus: Corpus,
    mask: np.ndarray,
    benchmark_files: list[Path],
    n: int = 13,
    *,
    prompt_fields: tuple[str, ...] = PROMPT_FIELD,
) -> Masks:
    """Of the rows in `mask`, those `decontaminate` keeps (no word n-gram of a benchmark prompt)."""
    bench = BenchmarkNgrams([Path(f) for f in benchmark_files], n, prompt_fields)
    keep = np.array(mask, dtype=bool, copy=True)
    sel = np.flatnonzero(mask)
    for lo in range(0, len(sel), 65536):
        part = sel[lo : lo + 65536]
        hits = [bench.hit(t) is not None for t in corpus.texts.get_many(part.tolist())]
        keep[part[np.asarray(hits, dtype=bool)]] = False
    counts = {
        "input": len(sel),
        "kept": int(keep.sum()),
        "removed": len(sel) - int(keep.sum()),
        "benchmark_prompts": bench.prompts,
        "benchmark_ngrams": len(bench),
    }
    return Masks(keep, counts)
