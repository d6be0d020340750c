"""A scratch SQLite file that joins instructions, responses and verdicts on disk.

Responses and verdicts share ids and both stages stream back in id order, so
they are merge-joined without holding either in memory; the joined rows go to
an on-disk table indexed by instruction id, which is what lets the export walk
one prompt (and its few responses) at a time. Memory stays flat whatever the
run size; the file is deleted when the export ends.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Container, Iterator
from pathlib import Path
from typing import Any

from ...records import Shape, instruction_shape
from .rows import Prompt, Scored


class JoinStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.unlink(missing_ok=True)
        self.conn = sqlite3.connect(self.path)
        self.conn.execute("PRAGMA journal_mode=OFF")
        self.conn.execute("PRAGMA synchronous=OFF")
        self.conn.executescript(
            "CREATE TABLE instr(id TEXT PRIMARY KEY, task_id TEXT, text TEXT, body TEXT);"
            "CREATE TABLE resp(id TEXT PRIMARY KEY, instruction_id TEXT, fraction REAL, body TEXT);"
        )
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
        self.conn.close()
        self.path.unlink(missing_ok=True)

    # -- loading ---------------------------------------------------------------------------
    def add_instructions(self, records: Iterator[dict[str, Any]]) -> None:
        rows = []
        for r in records:
            self.counts["instructions"] += 1
            rows.append((r["id"], r.get("task_id") or r["id"], r.get("text") or "", json.dumps(r)))
            if len(rows) >= 5000:
                self.conn.executemany("INSERT OR REPLACE INTO instr VALUES (?,?,?,?)", rows)
                rows = []
        self.conn.executemany("INSERT OR REPLACE INTO instr VALUES (?,?,?,?)", rows)
        self.conn.commit()

    def add_joined(self, responses: Iterator[dict[str, Any]], verdicts: Iterator[dict[str, Any]]) -> None:
        """Merge-join two id-sorted streams; responses of unknown instructions are dropped later."""
        rows: list[tuple] = []
        r = next(responses, None)
        v = next(verdicts, None)
        while r is not None or v is not None:
            if v is None or (r is not None and r["id"] < v["id"]):
                self.counts["responses"] += 1
                self.counts["responses_without_verdict"] += 1
                r = next(responses, None)
                continue
            if r is None or v["id"] < r["id"]:
                self.counts["verdicts"] += 1
                self.counts["verdicts_without_response"] += 1
                v = next(verdicts, None)
                continue
            self.counts["responses"] += 1
            self.counts["verdicts"] += 1
            self.counts["joined"] += 1
            body = {"response": r, "verdict": v}
            self.models.add(str(r.get("model") or v.get("model") or ""))
            frac = v.get("fraction")
            rows.append((r["id"], r["instruction_id"], frac, json.dumps(body)))
            if len(rows) >= 2000:
                self.conn.executemany("INSERT OR REPLACE INTO resp VALUES (?,?,?,?)", rows)
                rows = []
            r, v = next(responses, None), next(verdicts, None)
        self.conn.executemany("INSERT OR REPLACE INTO resp VALUES (?,?,?,?)", rows)
        self.conn.execute("CREATE INDEX resp_instr ON resp(instruction_id, id)")
        self.conn.commit()
        self.counts["orphan_responses"] = self.conn.execute(
            "SELECT COUNT(*) FROM resp WHERE instruction_id NOT IN (SELECT id FROM instr)"
        ).fetchone()[0]

    # -- reading ---------------------------------------------------------------------------
    def instruction_summaries(self) -> list[tuple[str, str, str, float]]:
        """(id, task_id, text, best response fraction or -1) for every instruction, by id."""
        return list(
            self.conn.execute(
                "SELECT i.id, i.task_id, i.text, COALESCE(MAX(r.fraction), -1.0) FROM instr i "
                "LEFT JOIN resp r ON r.instruction_id = i.id GROUP BY i.id ORDER BY i.id"
            )
        )

    def selection_rows(self) -> Iterator[tuple[str, str, str, str, float]]:
        """(id, text, constraint key, task_id, best fraction or -1) per instruction in id order, streamed:
        what `instruction_summaries` and `constraint_keys` give, without holding every instruction."""
        cur = self.conn.execute(
            "SELECT i.id, i.text, i.body, i.task_id, COALESCE(MAX(r.fraction), -1.0) FROM instr i "
            "LEFT JOIN resp r ON r.instruction_id = i.id GROUP BY i.id ORDER BY i.id"
        )
        for iid, text, body, task_id, score in cur:
            yield iid, text, dedupe_key(json.loads(body)), task_id, score

    def constraint_keys(self) -> dict[str, str]:
        """Instruction id -> its `dedupe_key`."""
        return {iid: dedupe_key(json.loads(body)) for iid, body in self.conn.execute("SELECT id, body FROM instr")}

    def prompts(
        self, ids: Container[str] | None = None, accepted: dict[str, str] | None = None
    ) -> Iterator[tuple[Prompt, list[Scored], dict]]:
        """(prompt, responses sorted by id, raw instruction record) in instruction-id order. `accepted`: the
        LLM mappings checkers accepted (records.resolve_mapping); a multiturn prompt's drawn answer comes from
        its responses' `history` (all of them share it)."""
        cur = self.conn.execute("SELECT id, body FROM instr ORDER BY id")
        for iid, body in cur:
            if ids is not None and iid not in ids:
                continue
            rec = json.loads(body)
            history = None
            resp = []
            for (b,) in self.conn.execute("SELECT body FROM resp WHERE instruction_id=? ORDER BY id", (iid,)):
                joined = json.loads(b)
                history = history or joined["response"].get("history")
                resp.append(_scored(joined))
            yield Prompt.from_record(rec, accepted, history), resp, rec


def dedupe_key(rec: dict[str, Any]) -> str:
    """What near-duplicate instructions must share: their sorted constraint ids joined, behind the prompt shape
    unless single (the same task and rules as one user turn and as a system prompt are two examples)."""
    key = "|".join(sorted(str(c.get("id")) for c in rec.get("constraints") or []))
    shape = instruction_shape(rec)
    return key if shape == Shape.SINGLE else f"{shape}:{key}"


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
