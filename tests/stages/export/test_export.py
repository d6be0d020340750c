"""Export: loading, determinism, split hygiene, dedupe, SFT / DPO / RPO rules."""

from __future__ import annotations

import json
import shutil

import pytest

from pipeline.config import RunConfig
from pipeline.constraints.core import registry
from pipeline.runner.run import run_stage
from tests.local_datasets import load_local

from ..conftest import EXPORT
from ..synth import load_records, make_run


def _load(cfg, name):
    return load_local(cfg.run_dir() / "export", name)


def _instructions(cfg):
    return {r["id"]: r for r in load_records(cfg.run_dir(), "compose")}


def test_every_config_loads_offline_with_both_splits(exported):
    cfg, stats = exported
    for name in ("sft", "dpo", "rl"):
        ds = _load(cfg, name)
        assert set(ds) == {"train", "test"}
        assert {s: len(ds[s]) for s in ds} == stats["rows"][name]
        assert len(ds["train"]) > 0


def test_second_export_is_byte_identical(exported, tmp_path):
    cfg, _ = exported
    out = cfg.run_dir() / "export"
    files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file() and p.name != "stats.json")
    before = {p: (out / p).read_bytes() for p in files}
    assert any(str(p).endswith(".parquet") for p in files)
    summary = run_stage(EXPORT, cfg, force=True, quiet=True)
    assert summary.ok
    after = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file() and p.name != "stats.json")
    assert after == files
    for p in files:
        assert (out / p).read_bytes() == before[p], p


def test_no_task_and_no_near_duplicate_crosses_the_split(exported):
    cfg, stats = exported
    instr = _instructions(cfg)
    seen: dict[str, set[str]] = {}
    for name, key in (("sft", "prompt_id"), ("dpo", "prompt_id"), ("rl", "id")):
        ds = _load(cfg, name)
        for split in ds:
            for pid in ds[split][key]:
                seen.setdefault(instr[pid]["task_id"], set()).add(split)
    assert stats["funnel"]["instructions_test"] > 0
    assert all(len(s) == 1 for s in seen.values()), {t: s for t, s in seen.items() if len(s) > 1}


def test_planted_duplicates_are_removed_keeping_one(exported):
    cfg, stats = exported
    f = stats["funnel"]
    assert f["removed_duplicates"] == 2  # one exact copy + one near copy
    assert f["removed_duplicate_responses"] == 1
    rl_texts = [m[0]["content"] for m in _load(cfg, "rl")["train"]["messages"]] + [
        m[0]["content"] for m in _load(cfg, "rl")["test"]["messages"]
    ]
    assert len(rl_texts) == len(set(rl_texts))
    sft = _load(cfg, "sft")["train"]
    per_prompt: dict[str, list[str]] = {}
    for pid, msgs in zip(sft["prompt_id"], sft["messages"]):
        per_prompt.setdefault(pid, []).append(msgs[1]["content"])
    assert all(len(v) == len(set(v)) for v in per_prompt.values())


def test_sft_rows_pass_every_constraint_and_are_not_truncated(exported):
    cfg, _ = exported
    responses = {r["id"]: r for r in load_records(cfg.run_dir(), "sample")}
    ds = _load(cfg, "sft")
    n = 0
    for split in ds:
        for row in ds[split]:
            assert row["scores"]["fraction"] >= cfg.export.sft_min_fraction
            assert responses[row["id"]]["finish_reason"] != "length"
            assert [m["role"] for m in row["messages"]] == ["user", "assistant"]
            for c in row["constraints"]:
                if c["source"] == "registry":
                    assert registry.check(c["id"], row["messages"][1]["content"], json.loads(c["params"]))
            n += 1
    assert n >= 5


def test_best_vs_worst_pairs_respect_thresholds(exported):
    cfg, _ = exported
    d = cfg.export.dpo
    rows = [r for s in _load(cfg, "dpo").values() for r in s if r["strategy"] == "best_vs_worst"]
    assert rows
    per_prompt: dict[str, int] = {}
    for r in rows:
        assert r["chosen_score"] >= d.chosen_min and r["rejected_score"] <= d.rejected_max
        assert r["chosen"][0]["content"] != r["rejected"][0]["content"]
        per_prompt[r["prompt_id"]] = per_prompt.get(r["prompt_id"], 0) + 1
    assert max(per_prompt.values()) <= d.max_pairs_per_prompt


def test_reverse_constraint_pairs_are_reverified(exported):
    cfg, _ = exported
    instr = _instructions(cfg)
    rows = [r for s in _load(cfg, "dpo").values() for r in s if r["strategy"] == "reverse_constraints"]
    assert rows
    inverted = 0
    for r in rows:
        prompt, chosen, rejected = r["prompt"][0]["content"], r["chosen"][0]["content"], r["rejected"][0]["content"]
        cons = [(c["id"], json.loads(c["params"])) for c in r["constraints"]]
        assert all(registry.check(i, chosen, p) for i, p in cons)
        assert not all(registry.check(i, rejected, p) for i, p in cons)
        assert all(c["text"] in prompt for c in r["constraints"])
        original = instr[r["prompt_id"]]
        assert prompt != original["text"]
        assert not all(registry.check(c["id"], chosen, c["params"]) for c in original["constraints"])
        before = {(o["id"], canonical(o)) for o in original["constraints"]}
        inverted += any((c["id"], c["params"]) not in before for c in r["constraints"])
    assert inverted > 0


def canonical(constraint):
    from pipeline.records import canonical_json

    return canonical_json(constraint["params"])


def test_decontamination_drops_benchmark_prompts_and_is_counted(tmp_path):
    probe = make_run(tmp_path / "a", n_topics=4)
    victim = sorted(load_records(probe.run_dir(), "compose"), key=lambda r: r["id"])[3]
    bench = tmp_path / "bench.jsonl"
    bench.write_text(json.dumps({"key": 1, "prompt": "Context: " + victim["text"].split("\n")[0] + " Thanks."}) + "\n")
    cfg = make_run(tmp_path / "b", n_topics=4, decontaminate=[str(bench)], format="jsonl")
    summary = run_stage(EXPORT, cfg, quiet=True)
    assert summary.ok, summary.errors
    assert summary.stats["funnel"]["removed_contaminated"] == 1
    out = cfg.run_dir() / "export"
    assert (out / "rl" / "train.jsonl").is_file()
    rl = load_local(out, "rl")
    assert victim["id"] not in [i for s in rl.values() for i in s["id"]]
    assert "1 instruction(s) removed" in (out / "README.md").read_text()


def test_bad_benchmark_line_names_file_and_line(tmp_path):
    bench = tmp_path / "bench.jsonl"
    bench.write_text('{"prompt": "ok"}\n{not json\n')
    cfg = make_run(tmp_path, n_topics=2, decontaminate=[str(bench)])
    summary = run_stage(EXPORT, cfg, quiet=True)
    assert not summary.ok
    assert f"{bench}:2" in summary.errors[0][1]


def test_card_declares_configs_and_reproduction(exported):
    cfg, stats = exported
    card = (cfg.run_dir() / "export" / "README.md").read_text()
    import yaml

    meta = yaml.safe_load(card.split("---\n")[1])
    assert [c["config_name"] for c in meta["configs"]] == ["sft", "dpo", "rl"]
    assert meta["license"] == cfg.export.license
    assert "ifgen run --config config.yaml" in card
    assert cfg.to_yaml(data_only=True) in card
    # the card's config is a config ifgen loads, with the same data fingerprint (no endpoint or local path in it)
    shown = yaml.safe_load(cfg.to_yaml(data_only=True))
    assert RunConfig.model_validate(shown).fingerprint() == cfg.fingerprint()
    assert "output_dir" not in shown["run"] and "api_base" not in shown["llm"]
    assert "keywords:existence" in card and "model-a" in card


def test_export_refuses_to_start_without_verdicts(tmp_path):
    cfg = make_run(tmp_path, n_topics=2)
    shutil.rmtree(cfg.run_dir() / "verify")
    with pytest.raises(Exception, match="verify"):
        run_stage(EXPORT, cfg, quiet=True)


def test_an_edited_benchmark_file_redoes_the_export(tmp_path):
    """The decontamination files are inputs of the export: editing one (same path) makes the export stale and
    the next run removes what now overlaps, as a fresh run would."""
    bench = tmp_path / "bench.jsonl"
    bench.write_text(json.dumps({"prompt": "nothing in the run looks like this"}) + "\n")
    cfg = make_run(tmp_path / "a", n_topics=4, decontaminate=[str(bench)], format="jsonl")
    first = run_stage(EXPORT, cfg, quiet=True)
    assert first.ok, first.errors
    assert first.stats["funnel"]["removed_contaminated"] == 0
    victim = sorted(load_records(cfg.run_dir(), "compose"), key=lambda r: r["id"])[3]
    bench.write_text(json.dumps({"prompt": "Context: " + victim["text"].split("\n")[0] + " Thanks."}) + "\n")
    again = run_stage(EXPORT, cfg, quiet=True)
    assert again.ok, again.errors
    assert again.stats["funnel"]["removed_contaminated"] == 1
