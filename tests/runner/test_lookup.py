"""RecordIndex answers as the dict of a stage's merged records would, holding only offsets."""

from __future__ import annotations

import json
import random

import pytest

from pipeline.runner.files import read_shards_sorted
from pipeline.runner.lookup import RecordIndex


def _shard(path, records, blank_every: int = 0) -> None:
    lines = []
    for n, r in enumerate(sorted(records, key=lambda r: r["id"])):
        lines.append(json.dumps(r, ensure_ascii=False))
        if blank_every and n % blank_every == 0:
            lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_lookups_equal_the_merged_records(tmp_path):
    rng = random.Random(3)
    paths = []
    for k in range(4):
        recs = [
            {"id": f"i{rng.randrange(300):04d}{'é' if n % 7 == 0 else ''}", "v": [k, n], "_item": f"it{k}"}
            for n in range(120)
        ]
        paths.append(tmp_path / f"part-{k}.jsonl")
        _shard(paths[-1], recs, blank_every=5 if k == 1 else 0)
    want = {}
    for r in read_shards_sorted(paths):  # the later shard's record wins a repeated id, as a dict built from it
        r.pop("_item", None)
        want[r["id"]] = r
    index = RecordIndex(paths)
    try:
        assert len(index) == len(want)
        for rid, rec in want.items():
            assert index.get(rid) == rec
        for missing in ("", "i", "i9999", "x" * 50, "i0001é" * 3):
            if missing not in want:
                assert index.get(missing) is None
    finally:
        index.close()


def test_empty_shard_and_bad_line(tmp_path):
    (tmp_path / "a.jsonl").write_text("")
    assert RecordIndex([tmp_path / "a.jsonl"]).get("x") is None
    (tmp_path / "b.jsonl").write_text('{"id": "a"}\nnot json\n')
    with pytest.raises(ValueError, match=r"b\.jsonl:2"):
        RecordIndex([tmp_path / "b.jsonl"])
