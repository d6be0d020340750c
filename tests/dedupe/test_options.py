"""Options the export relies on: benchmark prompts in other fields and in Parquet, and the balanced split."""

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.dedupe import COMMON_PROMPT_FIELDS, decontaminate, load_benchmark_prompts, split_by_group

from .synthetic import planted_corpus

BENCH = (
    "Write a 300+ word summary of the wikipedia page about the history of the printing press "
    "in Europe. Do not use any commas and highlight at least 3 sections."
)
OTHER = "Explain photosynthesis to a ten year old child using only words of one syllable and no more than five lines."


def test_common_fields_read_prompts_from_any_usual_layout(tmp_path):
    bj = tmp_path / "bench.jsonl"
    rows = [
        {"question": BENCH},
        {"input": "x", "prompt": "first wins"},
        {
            "messages": [
                {"role": "system", "content": "be brief"},
                {"role": "user", "content": OTHER},
                {"role": "assistant", "content": "ok"},
                {"role": "user", "content": "again"},
            ]
        },
    ]
    bj.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert load_benchmark_prompts(bj, COMMON_PROMPT_FIELDS) == [BENCH, "first wins", OTHER + "\nagain"]
    with pytest.raises(ValueError, match=r"bench\.jsonl:1: expected an object with a string 'prompt'"):
        load_benchmark_prompts(bj)  # the default still insists on `prompt`
    bj.write_text('{"question": "q"}\n{"answer": "a"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bench\.jsonl:2: expected an object with a prompt field \(one of 'prompt'"):
        load_benchmark_prompts(bj, COMMON_PROMPT_FIELDS)
    with pytest.raises(FileNotFoundError, match="benchmark file not found: .*missing.jsonl"):
        load_benchmark_prompts(tmp_path / "missing.jsonl")


def test_parquet_benchmark_and_decontaminate_with_fields(tmp_path):
    bp = tmp_path / "bench.parquet"
    pq.write_table(pa.table({"id": [1, 2, 3], "instruction": [BENCH, None, OTHER]}), bp)
    assert load_benchmark_prompts(bp, COMMON_PROMPT_FIELDS) == [BENCH, OTHER]
    with pytest.raises(ValueError, match=r"bench\.parquet: no prompt column \(looked for prompt\)"):
        load_benchmark_prompts(bp)
    recs = [{"t": "Now: " + BENCH.lower()}, {"t": "Write about the history of printing."}, {"t": OTHER + "!"}]
    kept, removed = decontaminate(recs, "t", [bp], prompt_fields=COMMON_PROMPT_FIELDS)
    assert kept == [recs[1]] and [r["index"] for r in removed] == [0, 2]
    bad = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"prompt": [1, 2]}), bad)
    with pytest.raises(ValueError, match=r"bad\.parquet: row 0: column 'prompt' is not text"):
        load_benchmark_prompts(bad)


def _planted_rows():
    c = planted_corpus(1500, seed=3)
    return [
        {"gid": f"g{i}" if k != "base" else f"g{o}", "text": t}
        for i, (t, o, k) in enumerate(zip(c.texts, c.origin, c.kind))
    ]


def test_balanced_split_hits_the_record_target_without_leaks():
    rows = _planted_rows()
    hashed = split_by_group(rows, "gid", 0.1, seed=2, text_field="text")
    res = split_by_group(rows, "gid", 0.1, seed=2, text_field="text", balanced=True)
    target = round(0.1 * len(rows))
    # filling stops at the first component reaching the target, so it overshoots by less than one component
    assert target <= len(res.test) < target + res.counts["largest_component_records"]
    # the same components as the hashed split; only the assignment rule differs
    assert res.counts["components"] == hashed.counts["components"]
    side = {id(r): "test" for r in res.test} | {id(r): "train" for r in res.train}
    from pipeline.dedupe import near_duplicate_groups, normalize_text

    for g in near_duplicate_groups([normalize_text(r["text"]) for r in rows], 0.9):
        assert len({side[id(rows[i])] for i in g}) == 1
    by_gid = {}
    for r in rows:
        by_gid.setdefault(r["gid"], set()).add(side[id(r)])
    assert all(len(s) == 1 for s in by_gid.values())
    again = split_by_group(list(reversed(rows)), "gid", 0.1, seed=2, text_field="text", balanced=True)
    assert {r["gid"] for r in again.test} == {r["gid"] for r in res.test}
    assert 0 < res.counts["test_components"] < res.counts["components"]


def test_balanced_split_edges():
    rows = [{"g": f"t{i // 3}", "x": i} for i in range(12)]  # 4 tasks of 3 records
    res = split_by_group(rows, "g", 0.3, seed=1, near_dup_threshold=None, balanced=True)
    # target round(3.6) = 4: after one task (3 < 4) a second still fits (6 <= 4 * 1.5 + 1), a third would not run
    assert len(res.test) == 6 and len({r["g"] for r in res.test}) == 2
    assert not split_by_group(rows, "g", 0.0, near_dup_threshold=None, balanced=True).test
    one = [{"g": "same", "x": i} for i in range(5)]  # a single component never empties train
    assert split_by_group(one, "g", 0.9, near_dup_threshold=None, balanced=True).train == one
    most = split_by_group(rows, "g", 0.99, seed=1, near_dup_threshold=None, balanced=True)
    assert len(most.test) == 9 and len(most.train) == 3
