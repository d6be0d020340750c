"""Pass rates: the numbers verify gave, on every row; the RL band and curriculum order; the verl format."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from pipeline.runner.run import run_stage
from pipeline.stages.export.passrate import BINS, Histogram, band, bin_of, curriculum_key
from pipeline.stages.export.rows import Prompt, rl_row
from tests.local_datasets import load_local

from ..conftest import EXPORT
from ..synth import load_records, make_run


def _rows(export, name):
    ds = load_local(export, name)
    return {split: list(ds[split]) for split in ds}


def _expected(run_dir):
    """Per instruction, from the verify records alone: [total, correct] overall and per model."""
    out: dict[str, dict] = {}
    for v in load_records(run_dir, "verify"):
        ok = v["n_verifiable"] > 0 and not any(r["passed"] is False for r in v["results"])
        e = out.setdefault(v["instruction_id"], {"total": 0, "correct": 0, "models": {}})
        e["total"] += 1
        e["correct"] += ok
        m = e["models"].setdefault(v["model"], [0, 0])
        m[0] += 1
        m[1] += ok
    return out


def _export(tmp_path, name="p", **export):
    cfg = make_run(tmp_path, name=name, **export)
    summary = run_stage(EXPORT, cfg, quiet=True)
    assert summary.ok, summary.errors
    return cfg, summary.stats


def test_rl_rows_carry_the_verify_records_numbers(exported):
    cfg, stats = exported
    expected = _expected(cfg.run_dir())
    rows = [r for split in _rows(cfg.run_dir() / "export", "rl").values() for r in split]
    assert rows
    rates = set()
    for row in rows:
        e = expected[row["id"]]
        assert (row["total_rollouts"], row["total_correct_rollouts"]) == (e["total"], e["correct"])
        assert row["passrate"] == pytest.approx(e["correct"] / e["total"])
        rates.add(row["passrate"])
        # two models sampled in this run: the same numbers per model, which add up
        assert row["passrate_by_model"] == [
            {"model": m, "total_rollouts": t, "total_correct_rollouts": c, "passrate": pytest.approx(c / t)}
            for m, (t, c) in sorted(e["models"].items())
        ]
        assert row["prompt"] == row["messages"] == [{"role": "user", "content": row["prompt"][0]["content"]}]
    assert len(rates) > 1  # not one constant: the synthetic run has easy and hard prompts
    assert stats["rl_by_model"] is True


def test_sft_and_dpo_rows_carry_their_prompts_passrate(exported):
    cfg, _ = exported
    expected = _expected(cfg.run_dir())
    export = cfg.run_dir() / "export"
    for name in ("sft", "dpo"):
        rows = [r for split in _rows(export, name).values() for r in split]
        assert rows
        for row in rows:
            e = expected[row["prompt_id"]]
            assert row["passrate"] == pytest.approx(e["correct"] / e["total"]), (name, row["id"])


def test_histogram_counts_every_kept_prompt(exported):
    cfg, stats = exported
    hist = stats["passrate"]
    assert hist["bins"] == list(BINS)
    assert hist["prompts"] == stats["funnel"]["instructions_kept"] and hist["no_rollouts"] == 0
    assert sum(hist["overall"].values()) == hist["prompts"]
    assert {b: sum(c[b] for c in hist["by_constraints"].values()) for b in BINS} == hist["overall"]
    # the RL rows are a subset of the kept prompts: bin by bin, and by number of constraints
    rl = [r for split in _rows(cfg.run_dir() / "export", "rl").values() for r in split]
    for b in BINS:
        assert sum(bin_of(r["passrate"]) == b for r in rl) <= hist["overall"][b]
    for k, counts in hist["by_constraints"].items():
        assert sum(len(r["constraints"]) == int(k) for r in rl) <= sum(counts.values())
    card = (cfg.run_dir() / "export" / "README.md").read_text(encoding="utf-8")
    assert "## How hard the prompts are" in card and "By number of constraints" in card
    for b in BINS:
        assert f"| {b} | {hist['overall'][b]} |" in card


def test_histogram_stats():
    h = Histogram()
    for rate, n in ((0.0, 1), (1.0, 1), (2 / 3, 2), (1 / 3, 2), (None, 3), (0.1, 3)):
        h.add(rate, n)
    s = h.stats()
    assert s["prompts"] == 5 and s["no_rollouts"] == 1
    assert s["mean"] == round((0 + 1 + 2 / 3 + 1 / 3 + 0.1) / 5, 4)
    assert s["overall"] == dict(zip(BINS, [1, 1, 1, 1, 0, 1]))
    assert s["by_constraints"] == {
        "1": dict(zip(BINS, [1, 0, 0, 0, 0, 1])),
        "2": dict(zip(BINS, [0, 0, 1, 1, 0, 0])),
        "3": dict(zip(BINS, [0, 1, 0, 0, 0, 0])),
    }
    assert band(None, 0.0, 1.0) is None and band(0.0, 0.0, 1.0) is None
    assert band(None, 0.1, 1.0) == "rl_removed_no_rollouts"
    assert band(0.0, 0.1, 1.0) == "rl_removed_below_min_passrate"
    assert band(1.0, 0.0, 0.9) == "rl_removed_above_max_passrate"
    assert band(0.5, 0.5, 0.5) is None


def test_bins():
    assert [bin_of(x) for x in (0.0, 0.1, 0.25, 0.49, 0.5, 0.74, 0.75, 0.99, 1.0)] == [
        BINS[0],
        BINS[1],
        BINS[2],
        BINS[2],
        BINS[3],
        BINS[3],
        BINS[4],
        BINS[4],
        BINS[5],
    ]


@pytest.mark.parametrize("lo,hi", [(0.3, 1.0), (0.0, 0.3)])
def test_band_keeps_only_prompts_inside_it(tmp_path, exported, lo, hi):
    base_cfg, base = exported
    cfg, stats = _export(tmp_path, rl={"min_passrate": lo, "max_passrate": hi})
    rows = [r for split in _rows(cfg.run_dir() / "export", "rl").values() for r in split]
    base_rows = [r for split in _rows(base_cfg.run_dir() / "export", "rl").values() for r in split]
    assert rows and all(lo <= r["passrate"] <= hi for r in rows)
    assert {r["id"] for r in rows} == {r["id"] for r in base_rows if lo <= r["passrate"] <= hi}
    f = stats["funnel"]
    below, above = sum(r["passrate"] < lo for r in base_rows), sum(r["passrate"] > hi for r in base_rows)
    assert below + above > 0
    assert f.get("rl_removed_below_min_passrate", 0) == below and f.get("rl_removed_above_max_passrate", 0) == above
    # the band is the RL datasets' only: SFT / DPO rows are untouched
    assert stats["rows"]["sft"] == base["rows"]["sft"] and stats["rows"]["dpo"] == base["rows"]["dpo"]
    card = (cfg.run_dir() / "export" / "README.md").read_text(encoding="utf-8")
    assert f"keep prompts with a pass rate in [{lo}, {hi}]" in card


def test_curriculum_orders_easy_to_hard_and_verl_matches_rl(tmp_path, exported):
    base_cfg, _ = exported
    cfg, stats = _export(tmp_path, rl={"order": "curriculum"}, formats=["rl", "verl"])
    export = cfg.run_dir() / "export"
    assert sorted(p.name for p in export.iterdir() if p.is_dir()) == ["rl", "verl"]  # formats picks datasets
    rl, verl = _rows(export, "rl"), _rows(export, "verl")
    base = _rows(base_cfg.run_dir() / "export", "rl")
    for split in ("train", "test"):
        keys = [curriculum_key(r["passrate"], len(r["constraints"]), r["id"]) for r in rl[split]]
        assert keys == sorted(keys)
        if split == "train":
            assert keys != sorted(keys, key=lambda k: k[2])  # not simply id order
        assert sorted(r["id"] for r in rl[split]) == sorted(r["id"] for r in base[split])
        # verl: the same prompts in the same order, with verl's columns
        assert [v["extra_info"]["id"] for v in verl[split]] == [r["id"] for r in rl[split]]
        for i, (v, r) in enumerate(zip(verl[split], rl[split])):
            assert v["data_source"] == "ifgen" and v["ability"] == "instruction_following"
            assert v["prompt"] == r["prompt"]
            assert v["reward_model"] == {"style": "rule", "ground_truth": r["ground_truth"]}
            info = v["extra_info"]
            assert (info["split"], info["index"], info["dataset"]) == (split, i, r["dataset"])
            assert info["constraint_ids"] == [c["id"] for c in r["constraints"]]
            assert (info["total_rollouts"], info["total_correct_rollouts"]) == (
                r["total_rollouts"],
                r["total_correct_rollouts"],
            )
    assert stats["rows"]["sft"] == {"train": 0, "test": 0}


def test_verl_is_parquet_whatever_the_file_format(tmp_path):
    cfg, _ = _export(tmp_path, format="jsonl", formats=["rl", "verl"])
    export = cfg.run_dir() / "export"
    assert (export / "rl" / "train.jsonl").is_file() and (export / "verl" / "train.parquet").is_file()
    schema = pq.read_schema(export / "verl" / "train.parquet")
    assert schema.names == ["data_source", "prompt", "ability", "reward_model", "extra_info"]
    card = (export / "README.md").read_text(encoding="utf-8")
    assert "path: verl/train.parquet" in card and "path: rl/train.jsonl" in card


def test_one_model_has_no_by_model_column(tmp_path):
    cfg = make_run(tmp_path, name="one")
    run_dir = cfg.run_dir()
    # rewrite every response and verdict as model-a's
    from pipeline.runner.files import list_shards

    for stage in ("sample", "verify"):
        for shard in list_shards(run_dir / stage):
            text = shard.read_text(encoding="utf-8").replace('"model-b"', '"model-a"')
            shard.write_text(text, encoding="utf-8")
    summary = run_stage(EXPORT, cfg, quiet=True)
    assert summary.ok, summary.errors
    assert "passrate_by_model" not in pq.read_schema(run_dir / "export" / "rl" / "train.parquet").names
    assert summary.stats["rl_by_model"] is False


def test_multi_message_prompt_keeps_open_instructs_last_message_rule(monkeypatch):
    """open-instruct drops the last message of a multi-message `messages`: the prompt must survive that."""
    from pipeline.stages.export import rows
    from pipeline.stages.export.passrate import PassRate

    two = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi."}]
    monkeypatch.setattr(rows, "prompt_messages", lambda p: list(two))
    p = Prompt(id="x", task_id="x", text="Hi.", constraints=[{"id": "punctuation:no_comma", "params": {}}])
    row = rl_row(p, PassRate(total=2, correct=1))
    assert row["prompt"] == two
    msgs = row["messages"]
    open_instruct_prompt = msgs if len(msgs) == 1 else msgs[:-1]  # its rlvr_tokenize rule
    assert open_instruct_prompt == two and msgs[-1] == {"role": "assistant", "content": ""}
    assert row["passrate"] == 0.5


@pytest.mark.parametrize("band_on", [False, True])
def test_prompt_without_verified_responses(tmp_path, band_on):
    from pipeline.runner.files import write_shard

    cfg = make_run(tmp_path, name="lonely", rl={"min_passrate": 0.1} if band_on else {})
    ins = dict(load_records(cfg.run_dir(), "compose")[0], id="0000-lonely", task_id="lonely-task")
    ins["text"] = "A prompt nobody answered, about quiet harbours at dawn and the boats that sleep there."
    ins["constraints"] = [ins["constraints"][0]]
    write_shard(cfg.run_dir() / "compose", "lonely", [ins])
    summary = run_stage(EXPORT, cfg, quiet=True)
    assert summary.ok, summary.errors
    rows = {r["id"]: r for split in _rows(cfg.run_dir() / "export", "rl").values() for r in split}
    assert summary.stats["passrate"]["no_rollouts"] == 1
    if band_on:
        assert "0000-lonely" not in rows and summary.stats["funnel"]["rl_removed_no_rollouts"] == 1
    else:
        lonely = rows["0000-lonely"]
        assert (lonely["total_rollouts"], lonely["total_correct_rollouts"], lonely["passrate"]) == (0, 0, None)
