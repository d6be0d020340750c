"""Declared inputs, enforced: a stage whose required inputs are missing or unfinished exits 2 naming the stage to
run; `export --allow-partial` exports what is verified and says so in the card."""

from __future__ import annotations

import json
import shutil

import pytest

from pipeline.cli import main
from pipeline.runner.state import StateDB

from .synth import make_run


@pytest.fixture
def synth(tmp_path):
    cfg = make_run(tmp_path / "runs", n_topics=4)  # topic 4 holds the free-form constraint
    config = tmp_path / "config.yaml"
    config.write_text(cfg.to_yaml(), encoding="utf-8")

    def ifgen(*args: str) -> int:
        return main([args[0], "--config", str(config), "--run", cfg.run.name, "-q", *args[1:]])

    return cfg, ifgen


def test_verify_before_checkers_refuses_when_free_form_constraints_exist(synth, capsys):
    cfg, ifgen = synth
    shutil.rmtree(cfg.run_dir() / "checkers")  # compose wrote a free-form constraint; checkers never ran
    before = sorted(p.name for p in (cfg.run_dir() / "verify").iterdir())
    assert ifgen("verify", "--set", "verify.judge=false") == 2
    err = capsys.readouterr().err
    assert "run `ifgen checkers` first" in err and "free-form" in err
    assert sorted(p.name for p in (cfg.run_dir() / "verify").iterdir()) == before  # nothing was done
    # without checkers there is nothing to wait for: verify runs (free-form constraints stay unverifiable)
    assert ifgen("verify", "--set", "verify.judge=false", "--set", "checkers.enabled=false") == 0


def test_export_refuses_while_verify_is_unfinished_and_allow_partial_says_so(synth, capsys):
    cfg, ifgen = synth
    db = StateDB(cfg.run_dir() / "state.sqlite")
    db.add_pending("verify", ["still-pending"])
    db.close()
    assert ifgen("export") == 2
    err = capsys.readouterr().err
    assert "needs 'verify' finished" in err and "run `ifgen verify`" in err and "--allow-partial" in err
    assert not (cfg.run_dir() / "export" / "README.md").exists()

    assert ifgen("export", "--allow-partial") == 0
    card = (cfg.run_dir() / "export" / "README.md").read_text()
    assert "## Partial export" in card and "- verify: 1 of" in card
    stats = json.loads((cfg.run_dir() / "export" / "stats.json").read_text())
    assert stats["partial"] == {"verify": stats["partial"]["verify"]} and "1 pending" in stats["partial"]["verify"]
    assert ifgen("export") == 2  # the flag is not remembered

    db = StateDB(cfg.run_dir() / "state.sqlite")
    db.commit_batch("verify", None, 0, ["still-pending"], [])
    db.close()
    assert ifgen("export") == 0  # inputs finished: a full export replaces the partial one
    assert "Partial export" not in (cfg.run_dir() / "export" / "README.md").read_text()
    assert "partial" not in json.loads((cfg.run_dir() / "export" / "stats.json").read_text())


def test_push_refuses_an_export_that_did_not_finish(synth, capsys):
    cfg, ifgen = synth
    assert ifgen("export") == 0
    db = StateDB(cfg.run_dir() / "state.sqlite")
    db.start_sink("export", "a-write-that-was-killed")
    db.close()
    assert ifgen("push", "--repo-id", "org/name") == 2
    assert "needs 'export' finished" in capsys.readouterr().err


def test_a_stage_whose_input_never_ran_names_it(tmp_path, capsys):
    rc = main(["sample", "--config", "configs/demo.yaml", "--run", "x", "--set", f"run.output_dir={tmp_path}"])
    assert rc == 2
    assert "stage 'sample' needs 'compose', but it has not run: run `ifgen compose` first" in capsys.readouterr().err
