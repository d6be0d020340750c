"""Benchmark: dedupe() at 20k / 100k / 500k instruction-like strings (10-80 words).

Shows near-linear growth: prints seconds per 1k strings at each size and the
ratio to the smallest size, with a stage breakdown of the candidate search
(signatures = shingling + one-permutation MinHash; candidates = LSH banding;
total = full dedupe() incl. normalisation, exact pass, rapidfuzz verification
and union-find). Ends with one JSON line.

  python bench/bench_dedupe.py [--sizes 20000,100000,500000] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz, process

from pipeline.dedupe import dedupe, normalize_text
from pipeline.dedupe.minhash import candidate_pairs, oph_signatures
from pipeline.dedupe.near import LshParams
from tests.dedupe.synthetic import instruction_texts


def run(n: int, seed: int) -> dict:
    t0 = time.perf_counter()
    texts = instruction_texts(n, seed=seed)
    gen_s = time.perf_counter() - t0
    p = LshParams()
    norm = list(dict.fromkeys(normalize_text(t) for t in texts))
    t0 = time.perf_counter()
    sig = oph_signatures(norm, p.num_perm, p.k, p.seed)
    sig_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    cand = candidate_pairs(sig[:, : p.bands * p.rows], p.bands, p.rows, p.window)
    cand_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    sims = process.cpdist(
        [norm[i] for i in cand[:, 0].tolist()],
        [norm[j] for j in cand[:, 1].tolist()],
        scorer=fuzz.ratio,
        score_cutoff=90,
        workers=-1,
    )
    verify_s = time.perf_counter() - t0
    verified = int((sims >= 90).sum())
    records = [{"id": i, "text": t} for i, t in enumerate(texts)]
    t0 = time.perf_counter()
    res = dedupe(records, "text", threshold=0.9)
    total_s = time.perf_counter() - t0
    row = {
        "n": n,
        "gen_s": round(gen_s, 2),
        "signatures_s": round(sig_s, 2),
        "candidates_s": round(cand_s, 2),
        "candidate_pairs": len(cand),
        "verify_s": round(verify_s, 2),
        "verified_pairs": verified,
        "total_s": round(total_s, 2),
        "s_per_1k": round(total_s / n * 1000, 4),
        "kept": res.counts["kept"],
        "exact": res.counts["exact"],
        "near": res.counts["near"],
    }
    print(
        f"n={n:>7}  signatures {sig_s:6.2f}s  candidates {cand_s:6.2f}s ({len(cand)} pairs)  "
        f"verify {verify_s:5.2f}s ({verified} >= 0.9)  dedupe total {total_s:6.2f}s  = {row['s_per_1k']:.4f} s/1k  "
        f"(kept {res.counts['kept']}, exact {res.counts['exact']}, near {res.counts['near']})",
        flush=True,
    )
    return row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="20000,100000,500000")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    dedupe([{"t": t} for t in instruction_texts(2000, seed=99)], "t")  # warm-up: imports, page faults
    rows = [run(int(s), args.seed) for s in args.sizes.split(",")]
    base = rows[0]["s_per_1k"]
    for r in rows:
        r["ratio_vs_smallest"] = round(r["s_per_1k"] / base, 2)
        print(f"n={r['n']:>7}  {r['s_per_1k']:.4f} s per 1k strings  ratio {r['ratio_vs_smallest']:.2f}")
    print(json.dumps({"bench": "dedupe", "rows": rows}))


if __name__ == "__main__":
    main()
