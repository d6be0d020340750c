"""Harness entry point standing in for `open_instruct.grpo_fast` (see ../README.md): scores given responses
to the rows of a local Parquet file through build_all_verifiers + apply_verifiable_reward."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging

from open_instruct.ground_truth_utils import apply_verifiable_reward, build_all_verifiers


def main(argv: list[str] | None = None) -> None:
    from datasets import load_dataset

    p = argparse.ArgumentParser()
    p.add_argument("--dataset_mixer_list", nargs="+", required=True)
    p.add_argument("--dataset_mixer_list_splits", nargs="+", default=["train"])
    p.add_argument("--ground_truths_key", default="ground_truth")
    p.add_argument("--harness_responses", required=True)
    p.add_argument("--harness_output", required=True)
    args, _unknown = p.parse_known_args(argv)
    logging.basicConfig(level=logging.WARNING)
    path = args.dataset_mixer_list[0]
    rows = load_dataset("parquet", data_files=path, split=args.dataset_mixer_list_splits[0])
    by_id = {r["id"]: r for r in rows}
    responses = [json.loads(line) for line in open(args.harness_responses, encoding="utf-8")]
    todo = [(r, by_id[r["id"]]) for r in responses if r["id"] in by_id]
    prompts = []
    for _, row in todo:
        msgs = row["messages"]
        prompts.append(msgs if len(msgs) == 1 else msgs[:-1])
    verifiers = build_all_verifiers(args)
    scores, per_fn = asyncio.run(
        apply_verifiable_reward(
            verifiers,
            [[0] for _ in todo],
            [r["text"] for r, _ in todo],
            [row[args.ground_truths_key] for _, row in todo],
            [row["dataset"] for _, row in todo],
            queries=[m[-1]["content"] for m in prompts],
        )
    )
    out = [
        {"id": r["id"], "response": r.get("response_id"), "dataset": row["dataset"], "score": s, "by": f}
        for (r, row), s, f in zip(todo, scores, per_fn)
    ]
    with open(args.harness_output, "w", encoding="utf-8") as f:
        json.dump({"verifiers": sorted(verifiers), "rows": out}, f)


if __name__ == "__main__":
    main()
