"""Stage 7, export: verdicts + responses + instructions -> SFT / DPO / RL datasets and a card.

One work item whose id fingerprints the inputs (shard listings of compose,
sample, verify) and the export config, so `ifgen export` is skipped when nothing
changed and redone when anything did. The work streams: instructions and joined
responses go to a scratch SQLite file, selection (dedupe, decontamination,
split) needs only the instruction texts, and rows are produced one prompt at a
time into spools that `datasets` turns into the final files.

Layout under outputs/<run>/export/: README.md (card), {sft,dpo,rl}/{train,test}.parquet
(or .jsonl with export.format: jsonl).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from ..dedupe.normalize import normalize_text
from ..dedupe.stream import IdSet
from ..records import content_id
from ..runner.files import atomic_write_text, list_shards
from .base import Stage, StageError
from .export_card import render_card
from .export_rows import Scored, best_worst_pairs, rl_checkable, rl_row, sft_ok, sft_row
from .export_rpo import reverse_pairs
from .export_select import select_stream
from .export_store import JoinStore
from .export_write import KINDS, Spools, write_outputs

SUMMARY = ".export_summary.json"


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


class ExportStage(Stage):
    name = "export"
    requires = ("compose", "sample", "verify")

    def _fingerprint(self) -> str:
        listing = []
        for stage in self.requires + ("checkers",):
            for p in list_shards(self.run_dir / stage):
                st = p.stat()
                listing.append((stage, p.name, st.st_size, st.st_mtime_ns))
        return content_id(self.config.export.model_dump(mode="json"), listing)

    def items(self) -> Iterator[dict[str, Any]]:
        for stage in self.requires:
            if not list_shards(self.run_dir / stage):
                raise StageError(f"stage 'export' needs the output of {stage!r}; run `ifgen {stage}` first")
        yield {"id": self._fingerprint()}

    async def process(self, item: dict[str, Any]) -> list[dict[str, Any]]:
        stats = self.export()
        atomic_write_text(self.out_dir / SUMMARY, json.dumps(stats, indent=2, sort_keys=True))
        return []

    def finish(self) -> dict[str, Any]:
        path = self.out_dir / SUMMARY
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

    # -- the work ---------------------------------------------------------------------------
    def export(self) -> dict[str, Any]:
        ex = self.config.export
        out = self.out_dir
        out.mkdir(parents=True, exist_ok=True)
        store = JoinStore(out / ".join.sqlite")
        spools = Spools(out / ".spool")
        try:
            store.add_instructions(self.read("compose"))
            store.add_joined(self.read("sample"), self.read("verify"))
            sel_stats, kept, test = self._select(store)
            stats = self._rows(store, kept, test, spools)
            written = write_outputs(spools, out, ex.format)
        finally:
            spools.remove()
            store.close()
        stats["funnel"] = {**{k: v for k, v in store.counts.items()}, **sel_stats, **stats.pop("funnel_rows")}
        atomic_write_text(out / "README.md", render_card(stats, written, self.config))
        stats["written"] = written
        return stats

    def _select(self, store: JoinStore) -> tuple[dict[str, int], IdSet, IdSet]:
        ex = self.config.export
        sel = select_stream(
            store.selection_rows(),
            ex.dedupe_threshold,
            ex.test_fraction,
            self.config.run.seed,
            benchmark_files=ex.decontaminate,
            ngram=ex.decontaminate_ngram,
            workdir=self.out_dir / ".select",
        )
        return (
            {
                "removed_duplicates": sel.removed_duplicates,
                "removed_contaminated": sel.removed_contaminated,
                "instructions_kept": len(sel.kept),
                "instructions_test": len(sel.test),
            },
            sel.kept,
            sel.test,
        )

    def _rows(self, store: JoinStore, kept: IdSet, test: IdSet, spools: Spools) -> dict[str, Any]:
        ex = self.config.export
        hist: Counter[str] = Counter()
        models: dict[str, dict[str, int]] = {}
        strategies: Counter[str] = Counter()
        funnel: Counter[str] = Counter()
        languages: Counter[str] = Counter()
        for prompt, responses, _ in store.prompts(kept):
            split = "test" if prompt.id in test else "train"
            languages[prompt.language or "en"] += 1
            hist.update(str(c.get("id")) for c in prompt.constraints)
            responses, dup = unique_responses(responses, ex.dedupe_threshold)
            funnel["removed_duplicate_responses"] += dup
            for s in responses:
                m = models.setdefault(s.model, {"responses": 0, "sft": 0})
                m["responses"] += 1
                if sft_ok(s, ex.sft_min_fraction):
                    spools.add("sft", split, sft_row(prompt, s))
                    m["sft"] += 1
            pairs = best_worst_pairs(
                prompt, responses, ex.dpo.chosen_min, ex.dpo.rejected_max, ex.dpo.max_pairs_per_prompt
            )
            if ex.dpo.reverse_pairs:
                pairs += reverse_pairs(prompt, responses, ex.dpo.max_pairs_per_prompt, self.rng("rpo", prompt.id))
            for row in pairs:
                spools.add("dpo", split, row)
                strategies[row["strategy"]] += 1
            if rl_checkable(prompt):
                spools.add("rl", split, rl_row(prompt))
            else:
                funnel["rl_skipped_unverifiable"] += 1
        return {
            "rows": {k: dict(spools.counts[k]) for k in KINDS},
            "constraints": dict(hist),
            "models": models,
            "dpo_strategies": dict(strategies),
            "funnel_rows": dict(funnel),
            "languages": dict(languages.most_common()),
        }


def export_dir(run_dir: Path) -> Path:
    return Path(run_dir) / "export"
