"""Rows of one instruction-id range: the export's per-prompt work, as a task any executor can run.

`build_range(job)` reads one range of the partitioned join (store.py), walks its kept instructions in id
order and turns each prompt and its responses into SFT / DPO / RL / verl rows (rows.py, rpo.py), exactly as
the export did prompt by prompt before it was partitioned. Rows go to one pickle stream per (dataset, split)
in the range's folder, in the order they were made (for `export.rl.order: curriculum`, RL and verl rows
already sorted by the curriculum key, so the driver only merges ranges); the counts the card and stats.json
show come back as a `RangeStats`, which the driver merges in range order. A job holds only its range's
ids and the settings, so it pickles small for Ray; everything it reads and writes is under the range folder.
"""

from __future__ import annotations

import heapq
import pickle
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from ...config import ExportSection
from ...dedupe import normalize_text
from ...records import content_id
from .passrate import Histogram, PassRate, band, curriculum_key
from .rows import Prompt, Scored, best_worst_pairs, rl_checkable, rl_row, sft_ok, sft_row, verl_row
from .rpo import reverse_pairs
from .store import read_chunks, read_range
from .write import KINDS, SPLITS

ROWS_CHUNK = 512  # rows per pickled chunk of a row file (what a reader holds of one range at a time)


def unique_responses(responses: list[Scored], threshold: float) -> tuple[list[Scored], int]:
    """Drop exact and near-duplicate responses to one prompt (ratio of normalised texts >= threshold).

    The best-scored member of each duplicate group stays (then the smallest id).
    A prompt has a handful of responses, so comparing all pairs is cheap.
    """

    def rank(s: Scored):
        return (-(s.fraction if s.fraction is not None else -1.0), s.id)

    ordered = sorted(responses, key=rank)
    kept: list[Scored] = []
    kept_norm: list[str] = []
    cutoff = threshold * 100.0
    for s in ordered:
        norm = normalize_text(s.text)
        if any(norm == k or fuzz.ratio(norm, k, score_cutoff=cutoff) for k in kept_norm):
            continue
        kept.append(s)
        kept_norm.append(norm)
    return sorted(kept, key=lambda s: s.id), len(responses) - len(kept)


def rl_sort_key(row: dict[str, Any]) -> tuple:
    return curriculum_key(row["passrate"], len(row["constraints"]), row["id"])


def verl_sort_key(row: dict[str, Any]) -> tuple:
    x = row["extra_info"]
    return curriculum_key(x["passrate"], len(x["constraint_ids"]), x["id"])


#: datasets whose rows `export.rl.order: curriculum` reorders, and the key it orders them by
CURRICULUM: dict[str, Callable[[dict[str, Any]], tuple]] = {"rl": rl_sort_key, "verl": verl_sort_key}


@dataclass
class RangeJob:
    """Everything `build_range` needs (picklable): the range folder, which of its instructions are kept and
    which of those go to test (ascending ids), and the settings the rows depend on."""

    folder: str
    kept: list[str]
    test: list[str]
    export: ExportSection
    seed: int
    by_model: bool
    accepted: dict[str, str] = field(default_factory=dict)  # LLM mappings checkers accepted (records.resolve_mapping)
    strict_verdicts: bool = False  # verify ran strict (`verify.loose` off): its builtin verdicts are registry.check's


@dataclass
class RangeStats:
    """What one range adds to the export's stats; `merge` adds ranges in order (first-seen key order kept)."""

    rows: dict[str, dict[str, int]] = field(default_factory=lambda: {k: {s: 0 for s in SPLITS} for k in KINDS})
    constraints: Counter[str] = field(default_factory=Counter)
    models: dict[str, dict[str, int]] = field(default_factory=dict)
    strategies: Counter[str] = field(default_factory=Counter)
    funnel: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    passrates: list[tuple[float | None, int]] = field(default_factory=list)  # (rate, constraints) per prompt
    shapes: dict[str, Counter[str]] = field(default_factory=dict)  # prompt shape -> prompts, responses, rows

    def merge(self, other: RangeStats, hist: Histogram) -> None:
        for k, splits in other.rows.items():
            for s, n in splits.items():
                self.rows[k][s] += n
        self.constraints.update(other.constraints)
        for m, v in other.models.items():
            mine = self.models.setdefault(m, {"responses": 0, "sft": 0})
            mine["responses"] += v["responses"]
            mine["sft"] += v["sft"]
        self.strategies.update(other.strategies)
        self.funnel.update(other.funnel)
        self.languages.update(other.languages)
        for shape, c in other.shapes.items():
            self.shapes.setdefault(shape, Counter()).update(c)
        for rate, n in other.passrates:  # replayed in prompt order: the same float sums as one pass
            hist.add(rate, n)


class RowFiles:
    """One append-only pickle stream of row chunks per (dataset, split) in a folder. Rows of the kinds in
    `hold` stay in memory until `close` (a range's worth), so `sort` can reorder them first."""

    def __init__(self, folder: Path, hold: tuple[str, ...] = ()):
        self.folder = Path(folder)
        self.hold = hold
        self._buf: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def path(self, kind: str, split: str) -> Path:
        return self.folder / f"rows-{kind}-{split}.pkl"

    def add(self, kind: str, split: str, row: dict[str, Any]) -> None:
        buf = self._buf.setdefault((kind, split), [])
        buf.append(row)
        if len(buf) >= ROWS_CHUNK and kind not in self.hold:
            self._flush(kind, split)

    def sort(self, kind: str, key: Callable[[dict[str, Any]], tuple]) -> None:
        """Reorder the rows of `kind` (one of `hold`) by key; ties keep their order."""
        for (k, _s), buf in self._buf.items():
            if k == kind:
                buf.sort(key=key)

    def _flush(self, kind: str, split: str) -> None:
        buf = self._buf.get((kind, split))
        if buf:
            with open(self.path(kind, split), "ab") as f:
                for lo in range(0, len(buf), ROWS_CHUNK):
                    pickle.dump(buf[lo : lo + ROWS_CHUNK], f, protocol=pickle.HIGHEST_PROTOCOL)
            self._buf[(kind, split)] = []

    def close(self) -> None:
        for kind, split in list(self._buf):
            self._flush(kind, split)


def read_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of one row file, in order, a chunk in memory at a time."""
    return read_chunks(path)


def merged_rows(folders: list[Path], kind: str, split: str, order: str) -> Iterator[dict[str, Any]]:
    """The rows of (kind, split) over all ranges: ranges in id order, or for the curriculum merged by its key
    (ties in range order, i.e. in the order the rows were made)."""
    files = [RowFiles(f).path(kind, split) for f in folders]
    if order == "curriculum" and kind in CURRICULUM:
        yield from heapq.merge(*(read_rows(p) for p in files), key=CURRICULUM[kind])
        return
    for p in files:
        yield from read_rows(p)


def build_range(job: RangeJob) -> RangeStats:
    """Rows of one range's kept prompts (see the module docstring)."""
    ex = job.export
    wanted: set[str] = set(ex.formats)
    kept, test = set(job.kept), set(job.test)
    instructions, responses_of, histories = read_range(Path(job.folder))
    st = RangeStats()
    curriculum = ex.rl.order == "curriculum"
    out = RowFiles(Path(job.folder), hold=tuple(CURRICULUM) if curriculum else ())
    for rec in instructions:
        if rec["id"] not in kept:
            continue
        prompt = Prompt.from_record(rec, job.accepted, histories.get(rec["id"]))
        responses = responses_of.pop(prompt.id, [])
        _prompt_rows(prompt, responses, "test" if prompt.id in test else "train", job, wanted, st, out)
    if curriculum:
        for kind, key in CURRICULUM.items():
            out.sort(kind, key)
    out.close()
    return st


def _prompt_rows(
    prompt: Prompt,
    responses: list[Scored],
    split: str,
    job: RangeJob,
    wanted: set[str],
    st: RangeStats,
    out: RowFiles,
) -> None:
    ex = job.export
    st.languages[prompt.language or "en"] += 1
    st.constraints.update(str(c.get("id")) for c in prompt.constraints)
    pr = PassRate.of(responses)  # every verified response, before near-duplicates are dropped
    st.passrates.append((pr.rate, len(prompt.constraints)))
    responses, dup = unique_responses(responses, ex.dedupe_threshold)
    st.funnel["removed_duplicate_responses"] += dup
    sh = st.shapes.setdefault(prompt.shape, Counter())
    sh["prompts"] += 1
    for s in responses:
        m = st.models.setdefault(s.model, {"responses": 0, "sft": 0})
        m["responses"] += 1
        sh["responses"] += 1
        sh["all_pass"] += s.all_pass
        if "sft" in wanted and sft_ok(s, ex.sft_min_fraction):
            _add(out, st, "sft", split, sft_row(prompt, s, pr.rate))
            m["sft"] += 1
            sh["sft"] += 1
    if "dpo" in wanted:
        pairs = best_worst_pairs(
            prompt, responses, ex.dpo.chosen_min, ex.dpo.rejected_max, ex.dpo.max_pairs_per_prompt, pr.rate
        )
        if ex.dpo.reverse_pairs:
            # the sink's per-item RNG (`_Step.rng("rpo", id)` of the "export" step), rebuilt here
            rng = random.Random(content_id(job.seed, "export", "rpo", prompt.id))
            pairs += reverse_pairs(
                prompt, responses, ex.dpo.max_pairs_per_prompt, rng, pr.rate, strict_verdicts=job.strict_verdicts
            )
        for row in pairs:
            _add(out, st, "dpo", split, row)
            st.strategies[row["strategy"]] += 1
        sh["dpo"] += len(pairs)
    if not wanted & {"rl", "verl"}:
        return
    if not prompt.complete:
        st.funnel["rl_skipped_no_first_answer"] += 1
        return
    if not rl_checkable(prompt):
        st.funnel["rl_skipped_unverifiable"] += 1
        return
    dropped = band(pr.rate, ex.rl.min_passrate, ex.rl.max_passrate)
    if dropped:
        st.funnel[dropped] += 1
        return
    if "rl" in wanted:
        _add(out, st, "rl", split, rl_row(prompt, pr, job.by_model))
        sh["rl"] += 1
    if "verl" in wanted:
        _add(out, st, "verl", split, verl_row(prompt, pr, split))


def _add(out: RowFiles, st: RangeStats, kind: str, split: str, row: dict[str, Any]) -> None:
    out.add(kind, split, row)
    st.rows[kind][split] += 1
