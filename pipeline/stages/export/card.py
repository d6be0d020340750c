"""The dataset card (export/README.md): what the Hub and `datasets` read first.

The YAML front matter declares one config per dataset (sft, dpo, rl, verl) with its
train/test files, which is what makes `datasets.load_dataset(folder, "sft")`
work locally and on the Hub. The body is for people: counts, each config's columns
and how to train on it (howto.py), how hard the prompts are (pass-rate histogram),
what was filtered and why, the thresholds, and the exact config to reproduce the run.
"""

from __future__ import annotations

from typing import Any

import yaml

from .howto import training_section
from .write import KINDS, data_file

TITLES = {
    "sft": "Supervised fine-tuning (messages; prompt / completion)",
    "dpo": "Preference pairs (TRL conversational format)",
    "rl": "RL prompts with verifiable ground truth and pass rates (TRL and open-instruct)",
    "verl": "RL prompts in verl's format",
}


def front_matter(written: dict[str, list[str]], fmt: str, license: str, run_name: str, languages: list[str]) -> str:
    configs = [
        {"config_name": kind, "data_files": [{"split": s, "path": data_file(kind, s, fmt)} for s in written[kind]]}
        for kind in KINDS
        if written.get(kind)
    ]
    meta = {
        "license": license,
        "language": sorted(set(languages)) or ["en"],
        "pretty_name": f"ifgen {run_name}",
        "tags": ["instruction-following", "verifiable-constraints", "synthetic", "ifgen"],
        "task_categories": ["text-generation"],
        "configs": configs,
    }
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n"


def _table(rows: list[tuple], header: tuple) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows]
    return "\n".join(out)


def _rate(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:.0f}%" if total else "-"


def passrate_section(stats: dict[str, Any], ex) -> list[str]:
    """The pass-rate histogram, overall and by number of constraints, and what the RL datasets did with it."""
    pr = stats.get("passrate") or {}
    bins, n = pr.get("bins") or [], pr.get("prompts", 0)
    out = [
        "## How hard the prompts are\n",
        "Pass rate of a prompt: the share of its responses verified in this run that pass every verifiable "
        f"constraint. {n} prompt(s) with verified responses"
        + (f", mean pass rate {pr['mean']:.2f}" if pr.get("mean") is not None else "")
        + (f"; {pr['no_rollouts']} without any" if pr.get("no_rollouts") else "")
        + ".\n",
    ]
    if not n:
        return out
    overall = pr["overall"]
    out += [_table([(b, overall[b], _pct(overall[b], n)) for b in bins], ("pass rate", "prompts", "share")), ""]
    by = pr.get("by_constraints") or {}
    rows = [(k, *(c[b] for b in bins), sum(c.values())) for k, c in by.items()]
    out += ["By number of constraints:\n", _table(rows, ("constraints", *bins, "prompts")), ""]
    lo, hi = ex.rl.min_passrate, ex.rl.max_passrate
    keep = "every prompt" if lo <= 0 and hi >= 1 else f"prompts with a pass rate in [{lo}, {hi}]"
    order = "easy to hard (pass rate high to low)" if ex.rl.order == "curriculum" else "by id"
    out.append(f"The RL datasets keep {keep}, ordered {order} (`export.rl`).\n")
    return out


def render_card(stats: dict[str, Any], written: dict[str, list[str]], config) -> str:
    ex = config.export
    counts = stats["rows"]
    formats = [k for k in KINDS if k in ex.formats]
    langs = [lang.split("-")[0] for lang in stats.get("languages", {})]
    parts = [
        front_matter(written, ex.format, ex.license, config.run.name, langs),
        f"# ifgen dataset: {config.run.name}\n",
        "Verifiable instruction-following data made by ifgen: prompts carrying checkable constraints, "
        "model responses, and per-constraint verdicts from deterministic checkers (registry), "
        "generated-and-validated checkers (freeform) or an LLM judge (soft).\n",
        "## Configs\n",
        _table(
            [(k, TITLES[k], counts[k]["train"], counts[k]["test"]) for k in formats],
            ("config", "contents", "train", "test"),
        ),
        '\n```python\nfrom datasets import load_dataset\nds = load_dataset("<this repo or folder>", "sft")\n```\n',
        *training_section(formats, bool(stats.get("rl_by_model"))),
        *passrate_section(stats, ex),
    ]
    if stats.get("partial"):
        parts += [
            "## Partial export\n",
            "Made with `--allow-partial` while these input stages had unfinished items; the rows cover only "
            "what was verified. Finish them (rerun the stage) and export again for the full dataset.\n",
            "\n".join(f"- {stage}: {what}" for stage, what in sorted(stats["partial"].items())) + "\n",
        ]
    missing = [k for k in formats if not written.get(k)]
    if missing:
        parts.append(f"No rows were produced for: {', '.join(missing)} (these configs are not declared).\n")
    f = stats["funnel"]
    parts += [
        "## How rows were selected\n",
        _table([(k, v) for k, v in f.items()], ("step", "count")),
        "",
        f"- Instructions deduplicated (exact + near, rapidfuzz ratio >= {ex.dedupe_threshold} on normalised "
        "text with the same constraint ids; best-scored member kept); identical or near-identical responses to "
        "one prompt kept once.",
        f"- Decontamination: {len(ex.decontaminate)} benchmark file(s), word {ex.decontaminate_ngram}-grams; "
        f"{f.get('removed_contaminated', 0)} instruction(s) removed."
        + ("".join(f"\n  - `{p}`" for p in ex.decontaminate)),
        f"- Train/test split by task (test fraction {ex.test_fraction}); tasks with near-duplicate prompts "
        "are kept on one side.",
        f"- SFT: responses with pass fraction >= {ex.sft_min_fraction} over verifiable constraints, "
        "not truncated (finish_reason != length).",
        f"- DPO best-vs-worst: chosen >= {ex.dpo.chosen_min}, rejected <= {ex.dpo.rejected_max}, at most "
        f"{ex.dpo.max_pairs_per_prompt} pair(s) per prompt and strategy; reverse-constraint pairs "
        f"({'on' if ex.dpo.reverse_pairs else 'off'}): a failing response becomes chosen for the prompt "
        "re-rendered with its failed constraints inverted (or dropped), both sides re-checked.",
        "- Free-form constraints that state a registry constraint (recognised by ifgen's matcher, or proposed by "
        "an LLM and accepted because its checker agrees with the constraint's generated test cases) are checked "
        "by that constraint's checker and exported as it, keeping the original words as `text`; one that "
        "conflicted with the rest of its instruction was left out of it.",
        "- RL: prompts whose constraints are all registry-checkable; `ground_truth` is open-instruct's "
        "IFEvalVerifier label when every id is IFEval/IFEvalG (`dataset: ifeval`), else "
        '`{"format": "ifgen", ...}` JSON (`dataset: ifgen`, scored by `pipeline.reward`); pass-rate band '
        f"[{ex.rl.min_passrate}, {ex.rl.max_passrate}], order `{ex.rl.order}`.",
        f"- Checker thresholds: {config.checkers.functions} functions, {config.checkers.cases} cases, "
        f"accuracy >= {config.checkers.accuracy}.\n",
        "## Prompt shapes\n",
        "How the prompts are laid out: `single` (one user turn: the task with its constraints), `system` (the "
        "constraints in a system message, the task alone in the user turn), `multiturn` (the task, a first "
        "answer drawn without constraints, then a request to rewrite it under the constraints; responses "
        "answer that last turn). Every row carries all its turns.\n",
        _table(
            [
                (k, v["prompts"], v["responses"], _rate(v["all_pass_rate"]), v["sft"], v["dpo"], v["rl"])
                for k, v in stats.get("shapes", {}).items()
            ],
            ("shape", "prompts", "responses", "all-pass rate", "sft rows", "dpo rows", "rl rows"),
        )
        + "\n",
        "## DPO strategies\n",
        _table(sorted(stats["dpo_strategies"].items()), ("strategy", "pairs")) + "\n",
        "## Constraints (instructions kept, by id)\n",
        _table(sorted(stats["constraints"].items(), key=lambda kv: (-kv[1], kv[0])), ("constraint", "count")) + "\n",
        "## Models\n",
        _table(
            sorted((m, v["responses"], v["sft"]) for m, v in stats["models"].items()),
            ("model", "responses", "sft rows"),
        )
        + "\n",
        "## Source\n",
        f"- Seeds: `{config.seeds.label()}`",
        f"- License: {ex.license}",
        f"- Config fingerprint: `{config.fingerprint()}`\n",
        "## Reproduce\n",
        "Save the config below as `config.yaml`, then:\n",
        f"```bash\nifgen run --config config.yaml --run {config.run.name}\n```\n",
        "## Resolved config\n",
        "```yaml\n" + config.to_yaml() + "```\n",
    ]
    return "\n".join(parts)
