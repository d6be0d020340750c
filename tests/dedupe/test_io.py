"""run_cli (JSONL in/out, atomic write, line-numbered errors), decontaminate, split_by_group, minhash parts."""

import json

import numpy as np
import pytest

from pipeline.dedupe import decontaminate, run_cli, split_by_group
from pipeline.dedupe.minhash import candidate_pairs, char_shingles, oph_signatures

from .synthetic import planted_corpus


def write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_run_cli_roundtrip(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "sub" / "out.jsonl"
    rows = [
        {"id": 1, "prompt": "Write a limerick about a cat."},
        {"id": 2, "prompt": "write a limerick about a cat"},
        {"id": 3, "prompt": "Write a limerick about a cta."},
        {"id": 4, "prompt": "List three prime numbers."},
    ]
    write(src, rows)
    (tmp_path / "in.jsonl").open("a").write("\n")  # blank lines are allowed
    counts = run_cli(src, "prompt", out, 0.9)
    assert counts == {"input": 4, "kept": 2, "removed": 2, "exact": 1, "near": 1, "clusters": 1}
    got = [json.loads(line) for line in out.read_text().splitlines()]
    assert got == [rows[0], rows[3]]
    assert [p.name for p in out.parent.iterdir()] == ["out.jsonl"]  # no temp file left behind
    assert run_cli(src, "prompt", out, 1.0)["kept"] == 3


def test_run_cli_errors_name_file_and_line(tmp_path):
    src = tmp_path / "bad.jsonl"
    src.write_text('{"prompt": "ok"}\n{"prompt": "ok"\n')
    with pytest.raises(ValueError, match=r"bad\.jsonl:2: invalid JSON"):
        run_cli(src, "prompt", tmp_path / "o.jsonl", 0.9)
    src.write_text('{"prompt": "ok"}\n\n{"text": "no prompt"}\n')
    with pytest.raises(ValueError, match=r"bad\.jsonl:3: field 'prompt'"):
        run_cli(src, "prompt", tmp_path / "o.jsonl", 0.9)
    src.write_text("[1, 2]\n")
    with pytest.raises(ValueError, match=r"bad\.jsonl:1: expected a JSON object"):
        run_cli(src, "prompt", tmp_path / "o.jsonl", 0.9)
    assert not (tmp_path / "o.jsonl").exists()


BENCH = (
    "Write a 300+ word summary of the wikipedia page about the history of the printing press "
    "in Europe. Do not use any commas and highlight at least 3 sections."
)


def test_decontaminate_jsonl_and_txt(tmp_path):
    bj, bt = tmp_path / "bench.jsonl", tmp_path / "bench.txt"
    write(bj, [{"prompt": BENCH, "key": 1}])
    bt.write_text("Say hello in French\n\nshort one\n", encoding="utf-8")
    rows = [
        {"t": "Please do this: " + BENCH.upper().replace(",", " ,")},  # contains a 13-gram
        {"t": "Write a 300+ word summary of the wikipedia page about cats."},  # shares < 13 words in a row
        {"t": "say hello in french!"},  # equals a short prompt
        {"t": "Say hello in French, then in Spanish."},  # contains it: not whole
        {"t": "Unrelated instruction about gardening tools and soil."},
    ]
    kept, removed = decontaminate(rows, "t", [bj, bt], n=13)
    assert kept == [rows[1], rows[3], rows[4]]
    assert [(r["index"], r["benchmark_file"]) for r in removed] == [(0, str(bj)), (2, str(bt))]
    assert len(removed[0]["ngram"].split()) == 13
    res = decontaminate(rows, "t", [bj, bt], n=13)
    assert res.counts == {
        "input": 5,
        "kept": 3,
        "removed": 2,
        "benchmark_prompts": 3,
        "benchmark_ngrams": len(BENCH.replace("+", " ").split()) - 13 + 1 + 2,
    }
    kept5, _ = decontaminate(rows, "t", [bj], n=5)
    assert rows[1] not in kept5  # "write a 300 word summary" is a shared 5-gram


def test_decontaminate_bad_benchmark_file(tmp_path):
    bj = tmp_path / "b.jsonl"
    bj.write_text('{"prompt": "x"}\n{"question": "y"}\n')
    with pytest.raises(ValueError, match=r"b\.jsonl:2: expected an object with a string 'prompt'"):
        decontaminate([{"t": "a"}], "t", [bj])


def test_split_by_group_never_crosses_and_is_deterministic():
    c = planted_corpus(3000, seed=11)
    # group = the base each text was derived from, but give every planted copy its
    # own group id so only near-duplicate merging can keep the family together
    rows = [
        {"gid": f"g{i}" if k != "base" else f"g{o}", "text": t, "k": k}
        for i, (t, o, k) in enumerate(zip(c.texts, c.origin, c.kind))
    ]
    res = split_by_group(rows, "gid", 0.2, seed=5, near_dup_threshold=0.9, text_field="text")
    train, test = res
    assert len(train) + len(test) == len(rows) and 0.1 < len(test) / len(rows) < 0.3
    from pipeline.dedupe import near_duplicate_groups, normalize_text

    side = {id(r): "test" for r in test} | {id(r): "train" for r in train}
    groups = near_duplicate_groups([normalize_text(r["text"]) for r in rows], 0.9)
    assert len(groups) > 100
    for g in groups:
        assert len({side[id(rows[i])] for i in g}) == 1
    assert res.counts["components"] < res.counts["groups"]
    again = split_by_group(list(reversed(rows)), "gid", 0.2, seed=5, near_dup_threshold=0.9, text_field="text")
    assert {r["gid"] for r in again.test} == {r["gid"] for r in test}
    other = split_by_group(rows, "gid", 0.2, seed=6, near_dup_threshold=0.9, text_field="text")
    assert {r["gid"] for r in other.test} != {r["gid"] for r in test}
    # without merging, planted copies land on both sides of their base
    plain = split_by_group(rows, "gid", 0.2, seed=5, near_dup_threshold=None)
    pside = {id(r): "test" for r in plain.test} | {id(r): "train" for r in plain.train}
    assert any(len({pside[id(rows[i])] for i in g}) > 1 for g in groups)
    with pytest.raises(ValueError, match="record 0: group field 'nope'"):
        split_by_group(rows, "nope", 0.2)


def test_char_shingles_exact_bytes():
    vals, doc = char_shingles(["abcdef", "", "ab", "é"], 3)
    got = [v.to_bytes(8, "little").rstrip(b"\0") for v in vals.tolist()]
    assert got == [b"abc", b"bcd", b"cde", b"def", b"ef", b"f", b"ab", b"b", "é".encode(), "é".encode()[1:]]
    assert doc.tolist() == [0, 0, 0, 0, 0, 0, 2, 2, 3, 3]
    with pytest.raises(ValueError):
        char_shingles(["x"], 9)


def test_signatures_and_candidates():
    texts = ["the quick brown fox jumps over the lazy dog"] * 3 + ["", "completely unrelated words go here"]
    sig = oph_signatures(texts, 128, 5, chunk=2)  # chunking must not change rows
    assert (sig[0] == sig[1]).all() and (sig[0] == oph_signatures(texts[:1], 128, 5)[0]).all()
    assert (sig[3] == 0xFFFFFFFF).all() and (sig[4] != 0xFFFFFFFF).all()  # densified, no empty bins
    pairs = candidate_pairs(sig[:, :125], 25, 5, active=np.array([True, True, True, False, True]))
    assert pairs.tolist() == [[0, 1], [0, 2], [1, 2]]
    # a bucket larger than the window is paired with successors only, staying connected
    same = oph_signatures(["identical text here"] * 10, 128, 5)
    p = candidate_pairs(same[:, :125], 25, 5, window=2)
    assert len(p) == 17 and set(p[:, 0].tolist()) | set(p[:, 1].tolist()) == set(range(10))
    with pytest.raises(ValueError, match="power of two"):
        oph_signatures(texts, 100)
