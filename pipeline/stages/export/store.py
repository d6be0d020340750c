"""The join of instructions, responses and verdicts, partitioned on disk by instruction-id range.

compose streams back in instruction-id order (a k-way merge of sorted shards); instructions are cut into
consecutive id ranges as they stream, each sized so that its instructions and their responses take about
`range_bytes` on disk (`add_instructions`). Responses and verdicts are then routed to their ranges and
joined range by range, as tasks (join.py). Records are copied as the JSON lines they were read from, so
a record is parsed once on the way in and once where its range becomes rows (`read_range`, one range at
a time, on any executor), and never encoded again. Nothing here grows with the run but the list of range
boundaries (one id per range).

Semantics kept from the SQLite join this replaces: a repeated instruction id or a repeated joined response
id keeps the last one read (counts count every one read); responses whose instruction is unknown are
counted as `orphan_responses`; an instruction's selection score is the best `fraction` among its joined
responses (-1 when none has one).
"""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...jsonl import loads
from ...records import Shape, instruction_shape
from .rows import Scored

INSTRUCTIONS = "instructions.jsonl"  # one instruction JSON line each, in id order
RESPONSES = "responses.jsonl"  # two lines per joined response (response, verdict), in response-id order
SCORES = "scores.pkl"  # pickled lists of (instruction id, fraction) per joined response, in the same order


@dataclass
class Range:
    """One instruction-id range: the ids from `lo` (inclusive) up to the next range's `lo`."""

    index: int
    folder: Path
    lo: str
    instructions: int = 0
    instruction_bytes: int = 0
    responses: int = 0
    response_bytes: int = 0


class JoinedRanges:
    def __init__(self, folder: Path, range_bytes: int, flush_bytes: int = 8 << 20):
        self.folder = Path(folder)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.range_bytes = max(1, int(range_bytes))
        self.flush_bytes = flush_bytes
        self.ranges: list[Range] = []
        self._bounds: list[str] = []  # lo of each range, ascending ("" for the first: every id routes somewhere)
        self.counts = {
            "instructions": 0,
            "responses": 0,
            "verdicts": 0,
            "joined": 0,
            "responses_without_verdict": 0,
            "verdicts_without_response": 0,
            "orphan_responses": 0,
        }
        self.models: set[str] = set()  # the models whose responses were joined (a handful)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _new_range(self, lo: str) -> Range:
        rg = Range(len(self.ranges), self.folder / f"r{len(self.ranges):05d}", "" if not self.ranges else lo)
        rg.folder.mkdir()
        self.ranges.append(rg)
        self._bounds.append(rg.lo)
        return rg

    # -- loading ---------------------------------------------------------------------------
    def add_instructions(self, records: Iterable[tuple[dict[str, Any], str]], share: float = 1.0) -> None:
        """Instructions in id order (record, JSON line), cut into ranges. `share`: the part of a range's bytes
        its instructions are expected to take (the rest is their responses), from the inputs' sizes."""
        cut = max(1, int(self.range_bytes * min(1.0, max(share, 1e-6))))
        rg = self._new_range("")
        buf: list[str] = []
        for iid, line in _last_per_id(records, self.counts):
            if rg.instruction_bytes >= cut:
                self._flush_lines(rg, INSTRUCTIONS, buf)
                rg = self._new_range(iid)
            buf.append(_line(line))
            rg.instructions += 1
            rg.instruction_bytes += len(line)
            if len(buf) >= 4096:
                self._flush_lines(rg, INSTRUCTIONS, buf)
        self._flush_lines(rg, INSTRUCTIONS, buf)

    @staticmethod
    def _flush_lines(rg: Range, name: str, buf: list[str]) -> None:
        if buf:
            with open(rg.folder / name, "a", encoding="utf-8") as f:
                f.writelines(buf)
            buf.clear()

    # -- reading ---------------------------------------------------------------------------
    def selection_rows(self) -> Iterator[tuple[str, str, str, str, float]]:
        """(id, text, constraint key, task_id, best fraction or -1) per instruction in id order, one range at a
        time; counts the orphan responses on the way."""
        orphans = 0
        for rg in self.ranges:
            best: dict[str, float | None] = {}
            for iid, frac in read_chunks(rg.folder / SCORES):
                cur = best.get(iid, _MISSING)
                if frac is None:
                    if cur is _MISSING:
                        best[iid] = None
                elif cur is _MISSING or cur is None or frac > cur:
                    best[iid] = frac
            for line in _lines(rg.folder / INSTRUCTIONS):
                rec = loads(line)
                iid = rec["id"]
                score = best.pop(iid, None)
                key = dedupe_key(rec)
                task = rec.get("task_id") or iid
                yield iid, rec.get("text") or "", key, task, -1.0 if score is None else float(score)
            orphans += sum(1 for iid, _ in read_chunks(rg.folder / SCORES) if iid in best)
        self.counts["orphan_responses"] = orphans


_MISSING: Any = object()


def _line(line: str) -> str:
    return line if line.endswith("\n") else line + "\n"


def _lines(path: Path) -> Iterator[str]:
    if not path.is_file():
        return
    with open(path, encoding="utf-8") as f:
        yield from f


def _last_per_id(records: Iterable[tuple[dict[str, Any], str]], counts: dict[str, int]) -> Iterator[tuple[str, str]]:
    """(id, JSON line) per instruction id of records in id order; of a repeated id, the last one read."""
    held: tuple[str, str] | None = None
    for rec, line in records:
        counts["instructions"] += 1
        if held is not None and held[0] != rec["id"]:
            yield held
        held = (rec["id"], line)
    if held is not None:
        yield held


def read_chunks(path: Path) -> Iterator[Any]:
    """The items of a file of pickled lists (appended a chunk at a time), in order, a chunk in memory at a time;
    nothing when the file does not exist."""
    if not path.is_file():
        return
    with open(path, "rb") as f:
        while True:
            try:
                chunk = pickle.load(f)
            except EOFError:
                return
            yield from chunk


def dedupe_key(rec: dict[str, Any]) -> str:
    """What near-duplicate instructions must share: their sorted constraint ids joined, behind the prompt shape
    unless single (the same task and rules as one user turn and as a system prompt are two examples)."""
    key = "|".join(sorted(str(c.get("id")) for c in rec.get("constraints") or []))
    shape = instruction_shape(rec)
    return key if shape == Shape.SINGLE else f"{shape}:{key}"


def read_range(folder: Path) -> tuple[list[dict[str, Any]], dict[str, list[Scored]], dict[str, Any]]:
    """One range: its instructions in id order, its joined responses by instruction id (each list in
    response-id order, as the join wrote them), and per instruction the first `history` among its responses
    (a multiturn prompt's drawn answer; all of them share it)."""
    folder = Path(folder)
    instructions = []
    for line in _lines(folder / INSTRUCTIONS):
        rec = loads(line)
        rec.pop("_item", None)
        instructions.append(rec)
    by_instruction: dict[str, list[Scored]] = {}
    histories: dict[str, Any] = {}
    it = _lines(folder / RESPONSES)
    for rline in it:
        r, v = loads(rline), loads(next(it))
        iid = r["instruction_id"]
        if r.get("history") and not histories.get(iid):
            histories[iid] = r["history"]
        by_instruction.setdefault(iid, []).append(_scored({"response": r, "verdict": v}))
    return instructions, by_instruction, histories


def _scored(body: dict[str, Any]) -> Scored:
    r, v = body["response"], body["verdict"]
    results = list(v.get("results") or [])
    n_ver = v.get("n_verifiable")
    if n_ver is None:
        n_ver = sum(1 for x in results if x.get("passed") is not None)
    return Scored(
        id=r["id"],
        text=r.get("text") or "",
        model=str(r.get("model") or v.get("model") or ""),
        finish_reason=r.get("finish_reason"),
        fraction=v.get("fraction"),
        all_pass=bool(v.get("all_pass")),
        results=results,
        n_verifiable=int(n_ver),
    )
