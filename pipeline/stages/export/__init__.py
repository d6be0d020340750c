"""Sink export: verdicts + responses + instructions -> SFT / DPO / RL (and verl) datasets and a card.

Reads: compose (Instruction), sample (Response), verify (Verdict), all finished (or, with
`--allow-partial`, what is verified so far, which the card then says); checkers for the LLM-proposed
mappings it accepted (a free-form constraint exports as the registry constraint it maps to).
Writes: outputs/<run>/export/: README.md (card), <dataset>/{train,test}.parquet for each dataset in
export.formats (sft, dpo, rl by default; verl opt-in; .jsonl with export.format: jsonl, except verl),
stats.json (funnel, rows, models, pass-rate histogram, prompt shapes).

A sink: the fingerprint covers its inputs' records, the config (the card embeds it) and partial inputs, so
`ifgen export` is skipped when nothing changed and redone when anything did. The work streams: instructions
and joined responses go to a scratch SQLite file (store.py), selection (dedupe, decontamination, split;
select.py) needs only the instruction texts, and rows (rows.py, rpo.py) are produced one prompt at a time
into spools that `datasets` turns into the final files (write.py); each prompt's pass rate, the RL band
and curriculum order come from passrate.py; card.py writes the card.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from ...dedupe import normalize_text
from ...dedupe.stream import IdSet
from ...records import proposal_key
from ...runner.files import atomic_write_text, file_digests
from ..base import Sink
from .card import render_card
from .passrate import Histogram, PassRate, band, curriculum_key
from .rows import Scored, best_worst_pairs, rl_checkable, rl_row, sft_ok, sft_row, verl_row
from .rpo import reverse_pairs
from .select import select_stream
from .store import JoinStore
from .write import KINDS, Spools, write_outputs


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


def shape_stats(c: Counter[str]) -> dict[str, Any]:
    """Counts of one prompt shape in the export, and the share of its responses passing every constraint."""
    keys = ("prompts", "responses", "sft", "dpo", "rl")
    rate = round(c["all_pass"] / c["responses"], 4) if c["responses"] else None
    return {**{k: c[k] for k in keys}, "all_pass_rate": rate}


class ExportSink(Sink):
    name = "export"
    accepts_partial = True

    def settings(self) -> dict[str, Any]:
        """The config the card embeds (`RunConfig.data_config()`: the rows depend on export.* and run.seed).
        Left out: `push` (a push must not find the export it uploads stale because `--repo-id` was given on
        the command line) and the keys that only say how the run goes (endpoints, concurrency, progress...)."""
        return self.config.data_config()

    def input_files(self) -> dict[str, str]:
        """The decontamination files by content: an edited benchmark file (same path) redoes the export."""
        out: dict[str, str] = {}
        for f in self.config.export.decontaminate:
            out.update(file_digests(Path(f), f))
        return out

    def write(self, out_dir: Path) -> dict[str, Any]:
        stats = self.export(out_dir)
        # as JSON reads them back (sorted keys, JSON types): a stable stats.json
        return json.loads(json.dumps(stats, sort_keys=True, default=str))

    # -- the work ---------------------------------------------------------------------------
    def export(self, out: Path) -> dict[str, Any]:
        ex = self.config.export
        out.mkdir(parents=True, exist_ok=True)
        store = JoinStore(out / ".join.sqlite")
        spools = Spools(out / ".spool")
        try:
            store.add_instructions(self.read("compose"))
            store.add_joined(self.read("sample"), self.read("verify"))
            sel_stats, kept, test = self._select(store)
            by_model = len(store.models) > 1
            stats = self._rows(store, kept, test, spools, by_model, self._accepted())
            stats["rl_by_model"] = by_model
            if ex.rl.order == "curriculum":
                spools.sort("rl", lambda r: curriculum_key(r["passrate"], len(r["constraints"]), r["id"]))
                spools.sort(
                    "verl",
                    lambda r: curriculum_key(
                        r["extra_info"]["passrate"], len(r["extra_info"]["constraint_ids"]), r["extra_info"]["id"]
                    ),
                )
            written = write_outputs(spools, out, ex.format, by_model=by_model)
        finally:
            spools.remove()
            store.close()
        stats["funnel"] = {**{k: v for k, v in store.counts.items()}, **sel_stats, **stats.pop("funnel_rows")}
        if self.partial:
            stats["partial"] = dict(self.partial)
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

    def _accepted(self) -> dict[str, str]:
        """Free-form constraint id -> proposal_key of the LLM mapping checkers accepted for it."""
        out = {}
        for r in self.read_optional("checkers"):
            m = r.get("mapping")
            if m and m["accepted"]:
                out[r["id"]] = proposal_key(m["id"], m["params"])
        return out

    def _rows(
        self, store: JoinStore, kept: IdSet, test: IdSet, spools: Spools, by_model: bool, accepted: dict[str, str]
    ) -> dict[str, Any]:
        ex = self.config.export
        wanted = set(ex.formats)
        hist: Counter[str] = Counter()
        models: dict[str, dict[str, int]] = {}
        strategies: Counter[str] = Counter()
        funnel: Counter[str] = Counter()
        languages: Counter[str] = Counter()
        passrates = Histogram()
        shapes: dict[str, Counter[str]] = {}
        for prompt, responses, _ in store.prompts(kept, accepted):
            split = "test" if prompt.id in test else "train"
            languages[prompt.language or "en"] += 1
            hist.update(str(c.get("id")) for c in prompt.constraints)
            pr = PassRate.of(responses)  # every verified response, before near-duplicates are dropped
            passrates.add(pr.rate, len(prompt.constraints))
            responses, dup = unique_responses(responses, ex.dedupe_threshold)
            funnel["removed_duplicate_responses"] += dup
            sh = shapes.setdefault(prompt.shape, Counter())
            sh["prompts"] += 1
            for s in responses:
                m = models.setdefault(s.model, {"responses": 0, "sft": 0})
                m["responses"] += 1
                sh["responses"] += 1
                sh["all_pass"] += s.all_pass
                if "sft" in wanted and sft_ok(s, ex.sft_min_fraction):
                    spools.add("sft", split, sft_row(prompt, s, pr.rate))
                    m["sft"] += 1
                    sh["sft"] += 1
            if "dpo" in wanted:
                pairs = best_worst_pairs(
                    prompt, responses, ex.dpo.chosen_min, ex.dpo.rejected_max, ex.dpo.max_pairs_per_prompt, pr.rate
                )
                if ex.dpo.reverse_pairs:
                    rng = self.rng("rpo", prompt.id)
                    pairs += reverse_pairs(prompt, responses, ex.dpo.max_pairs_per_prompt, rng, pr.rate)
                for row in pairs:
                    spools.add("dpo", split, row)
                    strategies[row["strategy"]] += 1
                sh["dpo"] += len(pairs)
            if not wanted & {"rl", "verl"}:
                continue
            if not prompt.complete:
                funnel["rl_skipped_no_first_answer"] += 1
                continue
            if not rl_checkable(prompt):
                funnel["rl_skipped_unverifiable"] += 1
                continue
            dropped = band(pr.rate, ex.rl.min_passrate, ex.rl.max_passrate)
            if dropped:
                funnel[dropped] += 1
                continue
            if "rl" in wanted:
                spools.add("rl", split, rl_row(prompt, pr, by_model))
                sh["rl"] += 1
            if "verl" in wanted:
                spools.add("verl", split, verl_row(prompt, pr, split))
        return {
            "rows": {k: dict(spools.counts[k]) for k in KINDS},
            "constraints": dict(hist),
            "models": models,
            "dpo_strategies": dict(strategies),
            "funnel_rows": dict(funnel),
            "languages": dict(languages.most_common()),
            "passrate": passrates.stats(),
            "shapes": {k: shape_stats(c) for k, c in sorted(shapes.items())},
        }
