"""Recall/precision of the LSH near-duplicate search against exhaustive rapidfuzz.

A 50k planted corpus (bases, edited copies at 1-9% of words, exact copies with
case/space noise, same-topic rewrites as hard negatives) is deduplicated. For a
sample of query texts — half drawn from planted copies so the sample contains
many true pairs, half uniform — brute force computes every partner in the WHOLE
corpus with ratio >= 90 (pairs outside the +-length window that ratio allows
cannot reach 90, so only that window is scanned; rapidfuzz itself applies the
same bound). The search must recover >= 95% of those pairs and every pair or
removal it reports must be confirmed by brute force (>= 99%).
"""

import bisect
import random

import numpy as np
import pytest
from rapidfuzz import fuzz, process

from pipeline.dedupe import dedupe, normalize_text, similar_pairs
from pipeline.dedupe.near import clusters_from_pairs

from .synthetic import planted_corpus

N = 50_000
THRESHOLD = 0.9


@pytest.fixture(scope="module")
def corpus():
    c = planted_corpus(N, seed=7)
    norm = [normalize_text(t) for t in c.texts]
    first: dict[str, int] = {}
    for i, t in enumerate(norm):
        first.setdefault(t, i)
    uniq = list(first)  # distinct normalised texts; index space for pairs
    uniq_origin = [c.kind[i] for i in first.values()]
    return c, uniq, uniq_origin


def brute_partners(uniq, queries):
    order = sorted(range(len(uniq)), key=lambda i: len(uniq[i]))
    lens = [len(uniq[i]) for i in order]
    t = THRESHOLD
    out = {}
    for q in queries:
        L = len(uniq[q])
        lo = bisect.bisect_left(lens, L * t / (2 - t) - 1)
        hi = bisect.bisect_right(lens, L * (2 - t) / t + 1)
        window = [order[k] for k in range(lo, hi)]
        hits = process.extract(uniq[q], [uniq[w] for w in window], scorer=fuzz.ratio, score_cutoff=t * 100, limit=None)
        out[q] = {window[k] for _, _, k in hits} - {q}
    return out


def test_planted_recall_and_precision(corpus):
    _, uniq, kinds = corpus
    pairs, sims = similar_pairs(uniq, THRESHOLD)
    assert len(pairs) > 5000  # the corpus really has planted near-duplicates
    labels = clusters_from_pairs(len(uniq), pairs)
    edges = {}
    for (a, b), s in zip(pairs.tolist(), sims.tolist()):
        edges.setdefault(a, {})[b] = s
        edges.setdefault(b, {})[a] = s

    rng = random.Random(1)
    planted = [i for i, k in enumerate(kinds) if k == "near"]
    queries = sorted(set(rng.sample(planted, 250) + rng.sample(range(len(uniq)), 250)))
    truth = brute_partners(uniq, queries)

    true_pairs = {(min(q, x), max(q, x)) for q, xs in truth.items() for x in xs}
    assert len(true_pairs) >= 300
    near_threshold = sum(fuzz.ratio(uniq[a], uniq[b]) < 94 for a, b in true_pairs) / len(true_pairs)
    assert near_threshold >= 0.1  # the truth really probes the boundary, not only easy copies
    same_cluster = sum(labels[a] == labels[b] for a, b in true_pairs) / len(true_pairs)
    direct_edge = sum(b in edges.get(a, {}) for a, b in true_pairs) / len(true_pairs)

    found = {(min(q, x), max(q, x)) for q in queries for x in edges.get(q, {})}
    confirmed = sum(p in true_pairs for p in found) / max(1, len(found))
    # reported similarities are the scorer's own numbers
    for a, b in list(found)[:200]:
        assert edges[a][b] == pytest.approx(fuzz.ratio(uniq[a], uniq[b]) / 100, abs=1e-4)

    print(
        f"true pairs {len(true_pairs)}, recall (cluster) {same_cluster:.4f}, recall (edge) {direct_edge:.4f}, "
        f"precision {confirmed:.4f} over {len(found)} found"
    )
    assert same_cluster >= 0.95
    assert direct_edge >= 0.95
    assert confirmed >= 0.99


def test_planted_dedupe_removals_are_justified(corpus):
    c, uniq, _ = corpus
    records = [{"id": i, "text": t} for i, t in enumerate(c.texts)]
    r = dedupe(records, "text", threshold=THRESHOLD)
    assert r.counts["input"] == N and r.counts["kept"] + r.counts["removed"] == N
    assert r.counts["exact"] > 1000 and r.counts["near"] > 5000
    # hard negatives (same-topic rewrites keeping ~half the words) are not near-dups of their base
    neg_removed = [x for x in r.removed if c.kind[x.index] == "negative" and x.duplicate_of == c.origin[x.index]]
    assert not neg_removed
    # every removed "near" record has a verified partner >= threshold in its cluster;
    # check a sample by brute force over the whole corpus
    pos = {t: i for i, t in enumerate(uniq)}
    near = [x for x in r.removed if x.kind == "near"]
    sample = random.Random(3).sample(near, 100)
    partners = brute_partners(uniq, [pos[normalize_text(x.record["text"])] for x in sample])
    justified = sum(bool(p) for p in partners.values()) / len(partners)
    assert justified >= 0.99
    sims = np.array([x.similarity for x in near])
    assert (sims >= THRESHOLD).mean() > 0.9  # most removals are direct, some chained
