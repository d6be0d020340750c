"""Selection rules on crafted inputs: which duplicates go, and near-duplicates never straddle the split."""

from __future__ import annotations

import random

from pipeline.dedupe import normalize_text, similar_pairs
from pipeline.stages.export.select import EXPORT_LSH, select

BASE = (
    "Describe the history of the {w} in a friendly tone for readers who have never heard of it, "
    "and end with a question."
)
VOCAB = (
    "amber basil cobalt dune ember fjord granite hazel indigo juniper kelp lumen marble nectar onyx pebble "
    "quartz russet saffron thistle umber velvet willow xenon yarrow zephyr"
).split()
WORDS = [
    "harbour",
    "castle",
    "bridge",
    "market",
    "library",
    "railway",
    "theatre",
    "garden",
    "mill",
    "tower",
    "museum",
    "canal",
    "square",
    "chapel",
    "fortress",
    "observatory",
]


def _distinct(i: int, w: str) -> str:
    rng = random.Random(i)
    return f"Tell me about the {w}: " + " ".join(rng.choice(VOCAB) for _ in range(18)) + "."


def test_near_pairs_finds_exact_and_near_but_not_distinct_texts():
    texts = [
        BASE.format(w="harbour"),
        BASE.format(w="harbour").upper(),
        BASE.format(w="harbour") + "!",
        "A completely different prompt about cooking rice in a clay pot.",
    ]
    pairs, _ = similar_pairs([normalize_text(t) for t in texts], 0.9, params=EXPORT_LSH)
    assert sorted(map(tuple, pairs.tolist())) == [(0, 1), (0, 2), (1, 2)]


def test_duplicates_keep_the_best_scored_and_near_twins_share_a_split():
    ids, tasks, texts, scores, keys = [], [], [], [], []
    for i, w in enumerate(WORDS):
        ids.append(f"i{i:02d}")
        tasks.append(f"t{i:02d}")
        texts.append(_distinct(i, w))
        scores.append(0.5)
        keys.append("a")
    # a near twin of i00 in another task with the same constraints (a duplicate, better scored) ...
    for row in (
        ("z-dup", "t-dup", texts[0] + " ", 1.0, "a"),
        # ... and one with different constraints (kept, but must stay on i03's side of the split)
        ("z-twin", "t-twin", texts[3].replace(":", " please:"), 0.2, "b"),
    ):
        for column, value in zip((ids, tasks, texts, scores, keys), row):
            column.append(value)
    sel = select(ids, tasks, texts, scores, keys, threshold=0.9, test_fraction=0.5, seed=3)
    kept = {ids[i] for i in sel.kept}
    assert "z-dup" in kept and "i00" not in kept and "z-twin" in kept
    assert sel.removed_duplicates == 1
    test = {ids[i] for i in sel.test}
    assert 0 < len(test) < len(kept)
    assert ("i03" in test) == ("z-twin" in test)
    again = select(ids, tasks, texts, scores, keys, threshold=0.9, test_fraction=0.5, seed=3)
    assert again.test == sel.test and again.kept == sel.kept


def test_same_task_never_splits():
    ids = [f"i{i}" for i in range(12)]
    tasks = [f"t{i // 3}" for i in range(12)]
    texts = [_distinct(100 + i, WORDS[i]) for i in range(12)]
    sel = select(ids, tasks, texts, [1.0] * 12, [str(i) for i in range(12)], 0.9, 0.3, seed=1)
    for t in set(tasks):
        sides = {i in sel.test for i in range(12) if tasks[i] == t}
        assert len(sides) == 1
    assert sel.test
