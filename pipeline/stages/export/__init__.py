"""Sink export: verdicts + responses + instructions -> SFT / DPO / RL (and verl) datasets and a card.

Reads: compose (Instruction), sample (Response), verify (Verdict), all finished (or, with
`--allow-partial`, what is verified so far, which the card then says); checkers for the LLM-proposed
mappings it accepted (a free-form constraint exports as the registry constraint it maps to).
Writes: outputs/<run>/export/: README.md (card), <dataset>/{train,test}.parquet for each dataset in
export.formats (sft, dpo, rl by default; verl opt-in; .jsonl with export.format: jsonl, except verl),
stats.json (funnel, rows, models, pass-rate histogram, prompt shapes).

A sink: the fingerprint covers its inputs' records, the config (the card embeds it) and partial inputs, so
`ifgen export` is skipped when nothing changed and redone when anything did. Memory is set by
`run.memory_mb`, not by the run; the work goes in passes over data partitioned on disk:

1. join (store.py, join.py): instructions are cut into id ranges as they stream; responses and verdicts
   are routed to their instructions' ranges and merge-joined range by range (tasks on the executor);
2. selection (select.py): the ranges in order give one (text, constraint key, task, best score) row per
   instruction to the partitioned dedupe, decontamination and split;
3. rows (build.py): each range with kept instructions becomes SFT / DPO / RL / verl rows, one prompt at a
   time (rows.py, rpo.py; pass rates, the RL band and curriculum from passrate.py); ranges are independent
   tasks, run in this process, in local worker processes or on Ray (one `executors.TaskPool` for the
   join's and the rows' tasks);
4. write (write.py): the rows of each dataset and split, ranges concatenated in id order (or merged by the
   curriculum key), are written as `datasets` writes Parquet, one row group in memory at a time;
   card.py writes the card.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from ...dedupe.idset import IdSet
from ...records import proposal_key
from ...runner.executors import TaskPool
from ...runner.files import atomic_write_text, file_digests, list_shards
from ..base import Sink
from .build import RangeJob, RangeStats, build_range, merged_rows, unique_responses
from .card import render_card
from .join import join_shards
from .passrate import Histogram
from .select import select_stream
from .store import JoinedRanges
from .write import write_outputs

__all__ = ["ExportSink", "unique_responses"]

#: how `run.memory_mb` is shared: the selection's partitioned search, and one range of the join on disk
#: (a range is parsed whole into Python objects, several times its bytes, beside its rows)
SELECT_SHARE = 0.25
RANGE_SHARE = 1 / 16


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
        the command line) and the keys that only say how the run goes (endpoints, concurrency, progress,
        `run.memory_mb`, which changes how the work is cut, never the datasets)."""
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
        memory = self.config.run.memory_mb * 2**20
        self.workers = local_workers() if self.executor == "local" else 1
        sizes = {
            s: sum(p.stat().st_size for p in list_shards(self.run_dir / s)) for s in ("compose", "sample", "verify")
        }
        join = JoinedRanges(
            out / ".join", range_bytes=int(memory * RANGE_SHARE / self.workers), flush_bytes=memory // 32
        )
        try:
            join.add_instructions(self.read_lines("compose"), share=sizes["compose"] / max(1, sum(sizes.values())))
            with TaskPool(self.executor, address=self.ray_address, workers=self.workers) as pool:
                join_shards(join, self.shard_paths("sample"), self.shard_paths("verify"), pool)
                pool.release()  # idle workers would hold their memory beside the selection's budget
                sel_stats, kept, test = self._select(join)
                by_model = len(join.models) > 1
                stats, folders = self._rows(join, kept, test, by_model, pool)
            stats["rl_by_model"] = by_model
            written = write_outputs(
                lambda kind, split: merged_rows(folders, kind, split, ex.rl.order),
                stats["rows"],
                out,
                ex.format,
                out / ".write",
                by_model=by_model,
            )
        finally:
            join.close()
            _remove(out / ".write")
        stats["funnel"] = {**join.counts, **sel_stats, **stats.pop("funnel_rows")}
        if self.partial:
            stats["partial"] = dict(self.partial)
        atomic_write_text(out / "README.md", render_card(stats, written, self.config))
        stats["written"] = written
        return stats

    def _select(self, join: JoinedRanges) -> tuple[dict[str, int], IdSet, IdSet]:
        ex = self.config.export
        sel = select_stream(
            join.selection_rows(),
            ex.dedupe_threshold,
            ex.test_fraction,
            self.config.run.seed,
            benchmark_files=ex.decontaminate,
            ngram=ex.decontaminate_ngram,
            memory_mb=self.config.run.memory_mb * SELECT_SHARE,
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
        self, join: JoinedRanges, kept: IdSet, test: IdSet, by_model: bool, pool: TaskPool
    ) -> tuple[dict[str, Any], list[Path]]:
        """Rows of every range with kept instructions (tasks on the executor), stats merged in range order."""
        folders: list[Path] = []
        accepted = self._accepted()

        def jobs():  # made as the executor takes them: a range's ids at a time
            his = [rg.lo for rg in join.ranges[1:]] + [None]
            for rg, hi in zip(join.ranges, his):
                k = kept.between(rg.lo or None, hi)
                if k:
                    folders.append(rg.folder)
                    t = test.between(rg.lo or None, hi)
                    yield RangeJob(
                        str(rg.folder),
                        k,
                        t,
                        self.config.export,
                        self.config.run.seed,
                        by_model,
                        accepted,
                        strict_verdicts=not self.config.verify.loose,
                    )

        total = RangeStats()
        hist = Histogram()
        for st in pool.map(build_range, jobs()):
            total.merge(st, hist)
        stats = {
            "rows": total.rows,
            "constraints": dict(total.constraints),
            "models": total.models,
            "dpo_strategies": dict(total.strategies),
            "funnel_rows": dict(total.funnel),
            "languages": dict(total.languages.most_common()),
            "passrate": hist.stats(),
            "shapes": {k: shape_stats(c) for k, c in sorted(total.shapes.items())},
        }
        return stats, folders


def local_workers() -> int:
    """Worker processes for the export's per-range tasks with the local executor: the CPUs this process may
    use, at most 4 (each holds one range; `run.memory_mb` is shared between them)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(4, cpus))


def _remove(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
