"""The partitioned, streaming path gives exactly the in-memory path's answers.

Planted corpora (near-duplicates at known edit counts, exact copies with case/space noise, hard
negatives) go through both: `similar_pairs` vs `similar_pairs_partitioned`, and
`dedupe` -> `decontaminate` -> `split_by_group` vs `Corpus` + `dedupe_mask` -> `decontaminate_mask`
-> `split_mask`. Budgets run from generous (one partition) to tiny (hundreds of partition files
per step), so the partition boundaries, the cross-partition pair dedupe and the union-find over
batches are all exercised; every kept row, count and split side must be equal.
"""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from pipeline.dedupe import decontaminate, dedupe, normalize_text, partitioned, similar_pairs, split_by_group
from pipeline.dedupe.components import ArrayUnionFind
from pipeline.dedupe.idset import IdSet
from pipeline.dedupe.near import clusters_from_pairs
from pipeline.dedupe.partitioned import search_pairs, similar_pairs_partitioned
from pipeline.dedupe.spill import Budget, TextFile
from pipeline.dedupe.stream import Corpus, decontaminate_mask, dedupe_mask
from pipeline.dedupe.stream_split import split_mask
from pipeline.stages.export.select import EXPORT_LSH

from .synthetic import planted_corpus


@pytest.fixture(scope="module")
def planted():
    c = planted_corpus(6000, seed=11)
    rng = random.Random(4)
    recs = []
    for i, t in enumerate(c.texts):
        recs.append(
            {
                "i": i,
                "id": f"p{i:06d}",
                "text": t,
                "key": rng.choice(["a", "a", "b|c", "d"]),
                "task_id": f"task-{rng.randrange(3000)}",
                "score": rng.choice([-1.0, 0.0, 0.5, 0.5, 1.0]),
            }
        )
    return recs


def _mask(n: int, idx) -> np.ndarray:
    m = np.zeros(n, dtype=bool)
    m[list(idx)] = True
    return m


@pytest.mark.parametrize("memory_mb", [256, 0.05])
@pytest.mark.parametrize("params", [None, EXPORT_LSH], ids=["default", "export"])
def test_partitioned_pairs_equal_in_memory(planted, memory_mb, params):
    uniq = list(dict.fromkeys(normalize_text(r["text"]) for r in planted))
    groups = np.array([hash(t[:2]) % 3 for t in uniq])
    for g in (None, groups):
        want_p, want_s = similar_pairs(uniq, 0.9, params=params, groups=g)
        got_p, got_s = similar_pairs_partitioned(uniq, 0.9, params=params, groups=g, memory_mb=memory_mb)
        assert len(want_p) > 500  # the planted corpus really has near-duplicates
        assert np.array_equal(want_p, got_p)
        assert np.array_equal(want_s, got_s)


def test_oversized_pair_partitions_are_read_in_finer_ranges(planted, tmp_path, monkeypatch):
    """Pair partitions sized for 1 pair per text under a tiny budget overflow (a pair met in many bands
    is spilled once per band), so they are re-split from disk into finer ranges: same pairs."""
    monkeypatch.setattr(partitioned, "_PAIRS_PER_TEXT", 1)
    uniq = list(dict.fromkeys(normalize_text(r["text"]) for r in planted))
    want_p, want_s = similar_pairs(uniq, 0.9, params=EXPORT_LSH)
    tf = TextFile(tmp_path / "t.bin")
    tf.append_many(uniq)
    tf.seal()
    got_p, got_s = [], []
    try:
        stats = search_pairs(
            tf,
            np.arange(len(uniq)),
            0.9,
            lambda p, s: (got_p.append(p), got_s.append(s)),
            params=EXPORT_LSH,
            budget=Budget(0.02),
            workdir=tmp_path,
        )
    finally:
        tf.close()
    assert stats.resplit_partitions > 0
    pairs, sims = np.concatenate(got_p), np.concatenate(got_s)
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))
    assert np.array_equal(pairs[order], want_p) and np.array_equal(sims[order], want_s)


@pytest.mark.parametrize("memory_mb", [256, 0.05])
def test_stream_selection_equals_in_memory(planted, tmp_path, memory_mb):
    n = len(planted)
    bench = tmp_path / "bench.jsonl"
    # contaminate some rows: a benchmark prompt that is a long run of words of three records
    victims = [planted[k]["text"] for k in (5, 123, 4000)]
    bench.write_text("".join(json.dumps({"prompt": v}) + "\n" for v in victims), encoding="utf-8")

    dd = dedupe(planted, "text", threshold=0.9, score=lambda r: r["score"], key="key", params=EXPORT_LSH)
    survivors = sorted(dd.kept, key=lambda r: r["i"])
    dc = decontaminate(survivors, "text", [bench], n=8)
    splits = [
        split_by_group(dc.kept, "task_id", f, 7, 0.9, text_field="text", params=EXPORT_LSH, balanced=b)
        for f, b in ((0.1, True), (0.25, False), (0.0, True))
    ]

    rows = ((r["id"], r["text"], r["key"], r["task_id"], r["score"]) for r in planted)
    with Corpus.build(rows, memory_mb=memory_mb, workdir=tmp_path, chunk=1000) as corpus:
        got = dedupe_mask(corpus, 0.9, params=EXPORT_LSH)
        assert np.array_equal(got.keep, _mask(n, (r["i"] for r in dd.kept)))
        assert got.counts == dd.counts
        assert dd.counts["near"] > 300 and dd.counts["exact"] > 50

        clean = decontaminate_mask(corpus, got.keep, [bench], n=8)
        assert np.array_equal(clean.keep, _mask(n, (r["i"] for r in dc.kept)))
        assert clean.counts == dc.counts and dc.counts["removed"] >= 1

        for (f, b), want in zip(((0.1, True), (0.25, False), (0.0, True)), splits):
            test = split_mask(corpus, clean.keep, f, 7, 0.9, params=EXPORT_LSH, balanced=b)
            assert np.array_equal(test.keep, _mask(n, (r["i"] for r in want.test)))
            assert test.counts == want.counts
        assert splits[0].counts["components"] < splits[0].counts["groups"]  # near-duplicates merged groups

        assert list(corpus.ids_where(clean.keep)) == [r["id"] for r in dc.kept]
    assert not any(tmp_path.glob("ifgen-corpus-*"))  # the scratch folder is gone


def test_split_without_near_merging_and_empty_inputs(tmp_path):
    recs = [{"id": i, "text": f"same text {i % 3}", "task_id": i % 5} for i in range(40)]
    want = split_by_group(recs, "task_id", 0.3, 1, None, text_field="text", balanced=True)
    rows = ((r["id"], r["text"], "", r["task_id"], None) for r in recs)
    with Corpus.build(rows, memory_mb=1, workdir=tmp_path) as corpus:
        got = split_mask(corpus, np.ones(40, dtype=bool), 0.3, 1, None, balanced=True)
        assert np.array_equal(got.keep, _mask(40, [r["id"] for r in want.test]))
        assert got.counts == want.counts
    with Corpus.build(iter(()), workdir=tmp_path) as corpus:
        assert dedupe_mask(corpus).counts == dedupe([], "text").counts
        assert split_mask(corpus, np.zeros(0, dtype=bool), 0.5).counts["input"] == 0


def test_bad_rows_raise_and_leave_nothing(tmp_path):
    with pytest.raises(ValueError, match="row 1: text"):
        Corpus.build([("a", "x", "", "", 0.0), ("b", None, "", "", 0.0)], workdir=tmp_path)
    with pytest.raises(ValueError, match="NaN"):
        Corpus.build([("a", "x", "", "", float("nan"))], workdir=tmp_path)
    assert not any(tmp_path.iterdir())


def test_array_union_find_matches_list_union_find():
    rng = np.random.default_rng(0)
    n = 5000
    pairs = rng.integers(0, n, size=(3000, 2))
    uf = ArrayUnionFind(n)
    for lo in range(0, len(pairs), 700):  # in batches, as partitions deliver them
        uf.union_pairs(pairs[lo : lo + 700, 0], pairs[lo : lo + 700, 1])
    got = uf.labels()
    want = np.asarray(clusters_from_pairs(n, pairs))
    # same partition of ids, and the root is the smallest member
    _, got_ids = np.unique(got, return_inverse=True)
    _, want_ids = np.unique(want, return_inverse=True)
    combos = np.unique(np.stack([got_ids, want_ids], 1), axis=0)
    assert len(combos) == len(np.unique(want)) == len(np.unique(got))
    for root in np.unique(got):
        assert root == np.flatnonzero(got == root).min()


def test_text_file_reads_back_any_order(tmp_path):
    texts = ["", "a", "héllo wörld", "x" * 10000, "last"] * 50
    tf = TextFile(tmp_path / "t.bin")
    tf.append_many(texts[:100])
    tf.append_many(texts[100:])
    tf.seal()
    try:
        assert tf.get_many([3, 2, 2, 0, 249]) == [texts[3], texts[2], texts[2], texts[0], texts[249]]
        assert [t for block in tf.iter_range(7, 200, block_bytes=5000) for t in block] == texts[7:200]
    finally:
        tf.close()


def test_budget_sets_partition_counts():
    assert Budget(256).parts(1000, 80) == 1
    assert Budget(1).parts(1_000_000, 80) == 128  # 80 MB of rows in 1 MB pieces -> next power of two
    with pytest.raises(ValueError):
        Budget(0)


def test_export_select_stream_equals_select(planted, tmp_path):
    """The export's rules on top: `select_stream` (what the export sink runs) decides what `select` decides."""
    from pipeline.stages.export.select import select, select_stream

    recs = sorted(planted, key=lambda r: r["id"])
    want = select(
        [r["id"] for r in recs],
        [r["task_id"] for r in recs],
        [normalize_text(r["text"]) for r in recs],
        [r["score"] for r in recs],
        [r["key"] for r in recs],
        0.9,
        0.1,
        3,
    )
    rows = ((r["id"], r["text"], r["key"], r["task_id"], r["score"]) for r in recs)
    got = select_stream(rows, 0.9, 0.1, 3, memory_mb=0.2, workdir=tmp_path / ".select")
    assert list(got.kept) == [recs[i]["id"] for i in want.kept]
    assert list(got.test) == sorted(recs[i]["id"] for i in want.test)
    assert (got.removed_duplicates, got.removed_contaminated) == (want.removed_duplicates, want.removed_contaminated)
    assert not (tmp_path / ".select").exists()


def test_id_set():
    s = IdSet(["a", "ab", "b", "é"])
    assert all(x in s for x in ("a", "ab", "b", "é"))
    assert not any(x in s for x in ("", "c", "abc", "aa", 5))
    assert list(s) == ["a", "ab", "b", "é"] and len(s) == 4
    assert len(IdSet([])) == 0 and "a" not in IdSet([])
    with pytest.raises(ValueError, match="ascending"):
        IdSet(["b", "a"])


_ALPHABET = "ab cé1-ß字\U0001f600"


def test_grouped_reads_equal_one_read_per_text(tmp_path):
    rng = random.Random(5)
    texts = ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 300))) for _ in range(2000)]
    tf = TextFile(tmp_path / "t.bin")
    tf.append_many(texts)
    tf.seal()
    try:
        idx = [rng.randrange(2000) for _ in range(3000)] + [0, 1999, 5, 5]
        want = [texts[i] for i in idx]
        assert tf.get_many(idx) == want
        assert tf.get_many(np.array(idx)) == want
        assert tf.get_many(idx, gap=0, run_bytes=1) == want  # every text its own read
        assert tf.get_many(idx, gap=1 << 30, run_bytes=1 << 30) == want  # one read for all
        assert tf.get_many([]) == []
    finally:
        tf.close()
