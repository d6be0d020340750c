"""Scoring outside the pipeline stages.

* `score_files` is a drop-in for the IFEval / IFBench evaluation scripts (same input rows, same output files and
  fields, strict and loose), with our own checkers from the registry. It never drops a row (the references abort
  the whole file on one bad row): what cannot be checked scores False and is listed.
* `row_verdicts` is the one "safe verdicts for one row" helper: strict and loose verdicts that never raise, with
  the reason for each instruction it could not check (the scorer uses it; rewards may).

The RL reward is in `pipeline.rewards`.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import constraints as registry
from .constraints import ConstraintError
from .jsonl import iter_jsonl, write_jsonl_atomic

STRICT_FILE = "eval_results_strict.jsonl"
LOOSE_FILE = "eval_results_loose.jsonl"


# --------------------------------------------------------------------- safe verdicts for one row
@dataclass
class RowVerdicts:
    """Strict and loose verdicts of one row, by position, and what could not be checked.

    An instruction that cannot be checked (unknown id, invalid or missing kwargs, a checker that refuses its
    parameters) is False in both lists and has one `errors` entry: {"index", "instruction_id", "error"}.
    """

    strict: list[bool] = field(default_factory=list)
    loose: list[bool] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def fail(self, index: int, instruction_id: Any, error: str) -> None:
        self.strict.append(False)
        self.loose.append(False)
        self.errors.append({"index": index, "instruction_id": instruction_id, "error": error})


def _error_text(e: BaseException) -> str:
    text = str(e.args[0]) if isinstance(e, KeyError) and e.args else str(e)
    return text if isinstance(e, ConstraintError) else f"{type(e).__name__}: {text}"


def row_verdicts(ids: Any, kwargs: Any, response: str, prompt: str | None = None) -> RowVerdicts:
    """Verdicts for one row that never raise: every instruction gets a strict and a loose verdict, one that
    cannot be checked gets False and an `errors` entry. `ids` / `kwargs` are taken as a row of an IFEval-style
    file has them (kwargs may be None, or hold None entries); `prompt` feeds checkers that take the prompt.
    One pass of `check_many(mode="both")` scores a well-formed row; only a row holding a bad instruction is
    checked again one instruction at a time, so each bad one is isolated."""
    out = RowVerdicts()
    if not isinstance(ids, list):
        out.errors.append({"index": None, "instruction_id": None, "error": "'instruction_id_list' must be a list"})
        return out
    if kwargs is None:
        kwargs = [None] * len(ids)
    if not isinstance(kwargs, list):
        kwargs = [kwargs] * len(ids)  # reported per instruction below
    response = response if isinstance(response, str) else ""
    pairs: list[tuple[str, dict[str, Any]] | str] = []  # (id, params) or why it cannot be checked
    for i, cid in enumerate(ids):
        kw = kwargs[i] if i < len(kwargs) else None
        if not isinstance(cid, str):
            pairs.append(f"instruction id must be a string, got {type(cid).__name__}")
        elif i >= len(kwargs):
            pairs.append(f"'kwargs' has {len(kwargs)} entries for {len(ids)} instruction ids")
        elif kw is not None and not isinstance(kw, dict):
            pairs.append(f"kwargs[{i}] must be an object or null, got {type(kw).__name__}")
        else:
            try:
                pairs.append((cid, _params_for(cid, kw or {}, prompt)))
            except ConstraintError as e:
                pairs.append(_error_text(e))
    good = [p for p in pairs if not isinstance(p, str)]
    try:
        both = registry.check_many(response, good, mode="both") if len(good) == len(pairs) else None
    except Exception:  # noqa: BLE001 - a bad parameter raises from inside its checker; isolate it below
        both = None
    if both is not None:
        out.strict = [s for s, _ in both]
        out.loose = [lo for _, lo in both]
        return out
    for i, pair in enumerate(pairs):
        if isinstance(pair, str):
            out.fail(i, ids[i], pair)
            continue
        try:
            ((strict, loose),) = registry.check_many(response, [pair], mode="both")
        except Exception as e:  # noqa: BLE001 - any checker error is this instruction's, never the row's
            out.fail(i, pair[0], _error_text(e))
            continue
        out.strict.append(strict)
        out.loose.append(loose)
    return out


# --------------------------------------------------------------------- reading
def _jsonl(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, object) for every non-blank line; ValueError names file and line."""
    return iter_jsonl(path)


def _read_inputs(path: Path) -> list[tuple[int, dict]]:
    """Rows as given; only a row that is no JSON object or has no string prompt is an error (naming file and
    line): anything wrong inside a row is scored as failing and reported in its output line."""
    rows = []
    for n, obj in _jsonl(path):
        if not isinstance(obj.get("prompt"), str):
            raise ValueError(f"{path}:{n}: 'prompt' must be a string")
        rows.append((n, obj))
    if not rows:
        raise ValueError(f"{path}: no input rows")
    return rows


def _read_responses(path: Path) -> dict[str, str]:
    """prompt -> response; a later row for the same prompt wins, as in the references."""
    out: dict[str, str] = {}
    for n, obj in _jsonl(path):
        prompt, response = obj.get("prompt"), obj.get("response")
        if not isinstance(prompt, str):
            raise ValueError(f"{path}:{n}: 'prompt' must be a string")  # noqa: TRY004
        if response is None:
            response = ""  # a model that returned nothing: scored as failing, not an input error
        if not isinstance(response, str):
            raise ValueError(f"{path}:{n}: 'response' must be a string")  # noqa: TRY004
        out[prompt] = response
    return out


# --------------------------------------------------------------------- verdicts
def _params_for(cid: str, kwargs: Mapping[str, Any], prompt: str | None) -> dict[str, Any]:
    """Kwargs as the references pass them: a checker with a `prompt` argument
    always gets the row's prompt (evaluation_lib rebuilds it with prompt=...)."""
    params = dict(kwargs)
    if prompt is not None and "prompt" in registry.get(cid).param_names:
        params["prompt"] = prompt
    return params


def verdicts(
    ids: list[str], kwargs: list[Mapping[str, Any]], response: str, prompt: str | None = None, loose: bool = False
) -> list[bool]:
    """One verdict per position (a repeated id is scored each time); raises on a bad id or parameter
    (`row_verdicts` never does)."""
    fn = registry.check_loose if loose else registry.check
    return [fn(cid, response, _params_for(cid, kw, prompt)) for cid, kw in zip(ids, kwargs, strict=True)]


def _accuracy(rows: list[dict]) -> dict[str, Any]:
    n_prompts = len(rows)
    flags = [f for r in rows for f in r["follow_instruction_list"]]
    by_id: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_category: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        for cid, ok in zip(r["instruction_id_list"], r["follow_instruction_list"]):
            for key, table in ((str(cid), by_id), (str(cid).split(":")[0], by_category)):
                table[key][0] += int(ok)
                table[key][1] += 1
    return {
        "prompt_level": sum(r["follow_all_instructions"] for r in rows) / n_prompts,
        "instruction_level": (sum(flags) / len(flags)) if flags else 0.0,
        "by_category": {k: v[0] / v[1] for k, v in sorted(by_category.items())},
        "by_id": {k: v[0] / v[1] for k, v in sorted(by_id.items())},
    }


def score_files(
    input_path: str | os.PathLike, responses_path: str | os.PathLike, output_dir: str | os.PathLike
) -> dict[str, Any]:
    """Score a responses file against an IFEval/IFBench-style input file; never drops a row.

    Input rows: {key, prompt, instruction_id_list, kwargs} (null kwarg values are
    ignored). Response rows: {prompt, response}, joined on the prompt text.
    Writes eval_results_strict.jsonl and eval_results_loose.jsonl into output_dir
    (rows: follow_all_instructions, follow_instruction_list, instruction_id_list,
    prompt, response: the references' fields), one line per input row in input
    order. An instruction that cannot be checked (unknown id, invalid kwargs) and
    a row without a response are scored False, and the row's lines carry an
    `errors` list ({"index", "instruction_id", "error"}; index null for the row).
    Returns {"prompts", "instructions", "strict": {prompt_level, instruction_level,
    by_category, by_id}, "loose": {...}, "errors": {"rows", "instructions"},
    "files": {"strict", "loose"}}. Only an unreadable file, a line that is not a
    JSON object or a row whose prompt is not a string raises (ValueError naming
    file and line).
    """
    input_path, responses_path, out_dir = Path(input_path), Path(responses_path), Path(output_dir)
    inputs = _read_inputs(input_path)
    responses = _read_responses(responses_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, list[dict]] = {"strict": [], "loose": []}
    bad_rows = bad_instructions = 0
    for _n, row in inputs:
        prompt = row["prompt"]
        ids = row.get("instruction_id_list")
        response = responses.get(prompt)
        found = response is not None
        text = response if response is not None else ""
        v = row_verdicts(ids, row.get("kwargs"), text, prompt)
        if not found:
            v.errors.insert(0, {"index": None, "instruction_id": None, "error": f"no response in {responses_path}"})
        bad_rows += bool(v.errors)
        bad_instructions += sum(e["index"] is not None for e in v.errors)
        for mode, flags in (("strict", v.strict), ("loose", v.loose)):
            line = {
                "follow_all_instructions": all(flags) and not v.errors,
                "follow_instruction_list": flags,
                "instruction_id_list": ids if isinstance(ids, list) else [],
                "prompt": prompt,
                "response": text,
            }
            if v.errors:
                line["errors"] = v.errors
            results[mode].append(line)
    files = {"strict": out_dir / STRICT_FILE, "loose": out_dir / LOOSE_FILE}
    for mode, path in files.items():
        write_jsonl_atomic(path, results[mode], dumps=json.dumps)  # plain json.dumps lines, as the references
    return {
        "prompts": len(inputs),
        "instructions": sum(len(r["instruction_id_list"]) for r in results["strict"]),
        "strict": _accuracy(results["strict"]),
        "loose": _accuracy(results["loose"]),
        "errors": {"rows": bad_rows, "instructions": bad_instructions},
        "files": {k: str(v) for k, v in files.items()},
    }
