"""pipeline/resources.py: shipped prompts, configs and seeds are found from any directory, and every prompt
template renders. tests/test_wheel.py runs the same renders against an installed wheel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.config import ConfigError, load_config
from pipeline.llm.prompts import render, render_messages
from pipeline.resources import find, resource_dir, shipped
from pipeline.stages.seeds.load import load_seeds

ROOT = Path(__file__).resolve().parents[1]

# Variables for every prompt template, as the stages pass them (a new template needs an entry here: the tests
# below fail on a template they do not know).
TEMPLATE_VARIABLES: dict[str, dict] = {
    "_smoke.j2": {"persona": "a pirate", "n_words": 10, "question": "Why is the sea salty?"},
    "backtranslate.j2": {"code": "def evaluate(response):\n    return ',' not in response", "constraint": "No commas."},
    "checker.j2": {"constraint": "Do not use any commas.", "cases": 3},
    "coverage.j2": {"instruction": "Write a haiku without commas.", "constraints": ["Do not use any commas."]},
    "expand.j2": {
        "task": "Write a haiku about snow.",
        "formats": ["prose", "list"],
        "show_example": True,
        "example": json.dumps({"domain": "poetry"}),
        "min_freeform": 2,
        "max_freeform": 3,
    },
    "feasibility.j2": {"task": "Write a haiku about snow.", "constraints": ["Do not use any commas."]},
    "judge.j2": {
        "instruction": "Write a haiku about snow.",
        "response": "Snow falls soft and slow",
        "constraints": ["Sound calm."],
    },
    "rewrite.j2": {"instruction": "Write a haiku about snow. Do not use any commas."},
    "compose/example.j2": {"task": "Write a haiku about snow.", "constraints": ["Do not use any commas."]},
    "compose/incorporation.j2": {"task": "Write a haiku about snow.", "constraints": ["Do not use any commas."]},
    "compose/listing.j2": {"task": "Write a haiku about snow.", "constraints": ["Do not use any commas."]},
    "compose/multiturn/example.j2": {"constraints": ["Do not use any commas."]},
    "compose/multiturn/incorporation.j2": {"constraints": ["Do not use any commas."]},
    "compose/multiturn/listing.j2": {"constraints": ["Do not use any commas."]},
    "compose/system/example.j2": {"constraints": ["Do not use any commas."]},
    "compose/system/incorporation.j2": {"constraints": ["Do not use any commas."]},
    "compose/system/listing.j2": {"constraints": ["Do not use any commas."]},
    "match.j2": {
        "rule": "Keep commas out of it.",
        "candidates": [{"id": "punctuation:no_comma", "description": "No commas.", "params": ""}],
    },
}


def template_names(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.j2"))


def test_checkout_folders_are_the_shipped_ones():
    for kind in ("prompts", "configs", "seeds"):
        assert resource_dir(kind) == ROOT / kind
    assert shipped("configs") == ["default", "demo"]
    assert {"default", "tiny"} <= set(shipped("seeds"))
    with pytest.raises(ValueError, match="unknown kind"):
        resource_dir("assets")  # type: ignore[arg-type]


def test_every_prompt_template_renders():
    names = template_names(resource_dir("prompts"))
    assert names == sorted(TEMPLATE_VARIABLES), "a template without variables in TEMPLATE_VARIABLES (or a stale entry)"
    for name in names:
        messages = render_messages(name, **TEMPLATE_VARIABLES[name])
        assert messages and messages[-1]["role"] == "user" and all(m["content"] for m in messages), name
        assert render(name, **TEMPLATE_VARIABLES[name]), name


def test_user_paths_fall_back_to_shipped_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a directory without configs/ or seeds/
    demo = ROOT / "configs" / "demo.yaml"
    for name in ("configs/demo.yaml", "demo.yaml", "demo"):
        assert find(name, "configs") == demo
    assert find("seeds/tiny.jsonl", "seeds") == ROOT / "seeds" / "tiny.jsonl"
    assert find("tiny", "seeds") == ROOT / "seeds" / "tiny.jsonl"
    assert find("seeds", "seeds") == ROOT / "seeds"
    assert find("configs/nope.yaml", "configs") == Path("configs/nope.yaml")  # unchanged: errors name it
    # a file in the working directory wins over a shipped one of the same name
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "demo.yaml").write_text("run: {name: mine}\n")
    assert find("configs/demo.yaml", "configs") == Path("configs/demo.yaml")
    assert load_config("configs/demo.yaml").run.name == "mine"
    assert load_config("demo").run.name == "demo"


def test_configs_and_seeds_load_from_another_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = load_config("configs/demo.yaml")
    assert cfg == load_config("demo")
    assert str(cfg.seeds.path) == "seeds/tiny.jsonl"  # the config keeps what the file says
    assert load_config().run.name == "default"
    seeds = load_seeds(cfg.seeds.model_copy(update={"path": find(cfg.seeds.path, "seeds")}))
    assert len(seeds) == 12
    with pytest.raises(ConfigError, match=r"config file not found: nope\.yaml \(shipped configs: default, demo\)"):
        load_config("nope.yaml")


def test_seeds_stage_reads_shipped_seeds_from_another_directory(tmp_path, monkeypatch):
    from pipeline.cli import main

    monkeypatch.chdir(tmp_path)
    args = ["seeds", "--config", "demo", "--run", "elsewhere", "--set", f"run.output_dir={tmp_path / 'out'}"]
    assert main([*args, "--quiet"]) == 0
    stats = json.loads((tmp_path / "out" / "elsewhere" / "seeds" / "stats.json").read_text())
    assert stats["seeds"] == 12 and stats["source"] == "seeds/tiny.jsonl"
