"""Scoring outside the pipeline stages: `score_files` is a drop-in for the IFEval / IFBench evaluation
scripts (same input rows, same output files and fields, strict and loose), with our own checkers from the
registry. The RL reward is in `pipeline.rewards`.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from . import constraints as registry
from .constraints import ConstraintError
from .jsonl import iter_jsonl, write_jsonl_atomic

STRICT_FILE = "eval_results_strict.jsonl"
LOOSE_FILE = "eval_results_loose.jsonl"


# --------------------------------------------------------------------- reading
def _jsonl(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, object) for every non-blank line; ValueError names file and line."""
    return iter_jsonl(path)


def _read_inputs(path: Path) -> list[tuple[int, dict]]:
    rows = []
    for n, obj in _jsonl(path):
        where = f"{path}:{n}"
        prompt, ids, kwargs = obj.get("prompt"), obj.get("instruction_id_list"), obj.get("kwargs")
        if not isinstance(prompt, str):
            raise ValueError(f"{where}: 'prompt' must be a string")  # noqa: TRY004
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ValueError(f"{where}: 'instruction_id_list' must be a list of strings")
        if kwargs is None:
            kwargs = [{} for _ in ids]
        if not isinstance(kwargs, list) or len(kwargs) != len(ids):
            raise ValueError(f"{where}: 'kwargs' must be a list with one entry per instruction id ({len(ids)})")
        for i, (cid, kw) in enumerate(zip(ids, kwargs)):
            if kw is not None and not isinstance(kw, dict):
                raise ValueError(f"{where}: kwargs[{i}] must be an object or null")
            try:
                registry.get(cid)
            except ConstraintError as e:
                raise ValueError(f"{where}: {e}") from None
        rows.append((n, {**obj, "kwargs": [kw or {} for kw in kwargs]}))
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
    """One verdict per position (a repeated id is scored each time)."""
    fn = registry.check_loose if loose else registry.check
    return [fn(cid, response, _params_for(cid, kw, prompt)) for cid, kw in zip(ids, kwargs, strict=True)]


def _accuracy(rows: list[dict]) -> dict[str, Any]:
    n_prompts = len(rows)
    flags = [f for r in rows for f in r["follow_instruction_list"]]
    by_id: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_category: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        for cid, ok in zip(r["instruction_id_list"], r["follow_instruction_list"]):
            for key, table in ((cid, by_id), (cid.split(":")[0], by_category)):
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
    """Score a responses file against an IFEval/IFBench-style input file.

    Input rows: {key, prompt, instruction_id_list, kwargs} (null kwarg values are
    ignored). Response rows: {prompt, response}, joined on the prompt text.
    Writes eval_results_strict.jsonl and eval_results_loose.jsonl into output_dir
    (rows: follow_all_instructions, follow_instruction_list, instruction_id_list,
    prompt, response: the references' fields) and returns
    {"prompts", "instructions", "strict": {prompt_level, instruction_level,
    by_category, by_id}, "loose": {...}, "files": {"strict", "loose"}}.
    """
    input_path, responses_path, out_dir = Path(input_path), Path(responses_path), Path(output_dir)
    inputs = _read_inputs(input_path)
    responses = _read_responses(responses_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, list[dict]] = {"strict": [], "loose": []}
    for n, row in inputs:
        prompt = row["prompt"]
        if prompt not in responses:
            raise ValueError(f"{input_path}:{n}: no response for this prompt in {responses_path}")
        response = responses[prompt]
        for mode in ("strict", "loose"):
            try:
                flags = verdicts(row["instruction_id_list"], row["kwargs"], response, prompt, loose=mode == "loose")
            except (ConstraintError, ValueError, TypeError) as e:
                raise ValueError(f"{input_path}:{n}: {e}") from None
            results[mode].append(
                {
                    "follow_all_instructions": all(flags),
                    "follow_instruction_list": flags,
                    "instruction_id_list": row["instruction_id_list"],
                    "prompt": prompt,
                    "response": response,
                }
            )
    files = {"strict": out_dir / STRICT_FILE, "loose": out_dir / LOOSE_FILE}
    for mode, path in files.items():
        write_jsonl_atomic(path, results[mode], dumps=json.dumps)  # plain json.dumps lines, as the references
    return {
        "prompts": len(inputs),
        "instructions": sum(len(r["instruction_id_list"]) for _, r in inputs),
        "strict": _accuracy(results["strict"]),
        "loose": _accuracy(results["loose"]),
        "files": {k: str(v) for k, v in files.items()},
    }
