"""Acceptance (issue 11, item 1): change a setting or a seed file, rerun the same `--run`, and get exactly what a
fresh run with the new config gives: every export file byte-identical (sha256), every stage's records and
stats equal (records of items that no longer belong are gone), unchanged LLM calls served from the cache
(changes that add no new call send zero requests), and `ifgen status` naming what is stale and why before the
rerun. Both runs use the fake server, the same run name and the same relative output folder (the card
embeds the resolved config)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.runner.files import list_shards, read_jsonl

from .conftest import overrides

ROOT = Path(__file__).resolve().parents[2]
CONFIG = str(ROOT / "configs" / "demo.yaml")
TINY = (ROOT / "seeds" / "tiny.jsonl").read_text(encoding="utf-8").splitlines()
MORE = (ROOT / "seeds" / "default.jsonl").read_text(encoding="utf-8").splitlines()
STAGES = ("seeds", "expand", "compose", "sample", "checkers", "verify")
VOLATILE = ("latency_s", "cached")  # how a call went, not what it returned: differs between any two runs

# change -> (--set overrides, or @edit-seeds / @other-seeds; requests the rerun sends: "zero", "fewer" than the
# fresh run (some calls are in the cache) or "all" (the change touches every call); a stage and what its stale
# reason in `ifgen status` must say before the rerun)
CASES = {
    "sample.n": (["sample.n=2"], "zero", ("sample", "sample.n: 3 -> 2")),
    "compose.max_constraints": (["compose.max_constraints=2"], "fewer", ("compose", "compose.max_constraints: 3 -> 2")),
    "llm.temperature": (["llm.temperature=0"], "fewer", ("sample", "sample.models.0.temperature: 0.7 -> 0.0")),
    "per-stage llm": (
        ["checkers.llm.max_tokens=200", "expand.llm.temperature=0.5"],
        "fewer",
        ("checkers", "checkers.llm.max_tokens: 300 -> 200"),
    ),
    "seeds.limit": (["seeds.limit=8"], "zero", ("seeds", "seeds.limit: None -> 8")),
    "seeds.path": (["@other-seeds"], "fewer", ("seeds", "seeds.path: 'seeds.jsonl' -> 'other.jsonl'")),
    "seed file content": (["@edit-seeds"], "fewer", ("seeds", "input file seeds.jsonl changed")),
    "export.*": (
        ["export.format=jsonl", "export.test_fraction=0.3", "export.dpo.max_pairs_per_prompt=1"],
        "zero",
        ("export", "export.format: 'parquet' -> 'jsonl'"),
    ),
    "llm.seed": (["llm.seed=5"], "all", ("expand", "expand.llm.seed: 0 -> 5")),
    "run.seed + compose.rewrite": (["run.seed=3", "compose.rewrite=true"], "fewer", ("compose", "run.seed: 0 -> 3")),
    "verify.loose + checkers off": (
        ["verify.loose=true", "checkers.enabled=false"],
        "zero",
        ("verify", "verify.loose: False -> True"),
    ),
}


# exactly what is redone: change -> {stage: (items done again, items removed)} in the rerun (every other stage
# of STAGES redoes and removes nothing). A setting of a stage redoes all its items (from the cache); a change
# upstream redoes only the items it changed.
EXACT = {
    "sample.n": {"sample": (24, 0), "verify": (0, 24)},
    "seeds.limit": {"seeds": (8, 4), "expand": (0, 4), "compose": (0, 4), "sample": (0, 8), "verify": (0, 24)},
    "seed file content": {"seeds": (2, 2), "expand": (2, 2), "compose": (2, 2), "sample": (4, 4), "verify": (12, 12)},
    "per-stage llm": {"expand": (12, 0), "checkers": (1, 0)},  # its one item (the others map onto the registry)
    "export.*": {},
}


def _prepare(where: Path, change: list[str]) -> list[str]:
    """Seed files in the run's working folder (the config names them relatively); the --set list."""
    where.mkdir(parents=True, exist_ok=True)
    if not (where / "seeds.jsonl").exists():
        (where / "seeds.jsonl").write_text("\n".join(TINY) + "\n", encoding="utf-8")
    sets = [c for c in change if not c.startswith("@")]
    if "@edit-seeds" in change:  # one seed reworded, one dropped, one added
        lines = TINY[:]
        lines[1] = lines[1].replace("password reset", "account recovery")
        del lines[5]
        lines.append(MORE[40])
        (where / "seeds.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if "@other-seeds" in change:  # overlaps the first file
        (where / "other.jsonl").write_text("\n".join(TINY[4:] + MORE[100:103]) + "\n", encoding="utf-8")
        sets.append("seeds.path=other.jsonl")
    return sets


def _ifgen(srv, where: Path, monkeypatch, cmd: str, change: list[str], *extra: str) -> int:
    sets = overrides(srv, "outputs", ["seeds.path=seeds.jsonl", *_prepare(where, change)])
    args = [cmd, "--config", CONFIG, "--run", "acc", *extra]
    for o in sets:
        args += ["--set", o]
    monkeypatch.chdir(where)
    return main(args)


def _run_dir(where: Path) -> Path:
    return where / "outputs" / "acc"


def _export_digests(where: Path) -> dict[str, str]:
    exp = _run_dir(where) / "export"
    files = sorted(p for p in exp.rglob("*") if p.is_file())
    return {str(p.relative_to(exp)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def _records(where: Path, stage: str) -> list[dict]:
    out = []
    for p in list_shards(_run_dir(where) / stage):
        for r in read_jsonl(p):
            out.append({k: v for k, v in r.items() if k != "_item" and k not in VOLATILE})
    return sorted(out, key=lambda r: r["id"])


def _last_runs(where: Path) -> dict[str, tuple[int, int]]:
    """{stage: (items done, items removed)} from each stage's last summary line in the state DB."""
    db = sqlite3.connect(_run_dir(where) / "state.sqlite")
    out = {}
    for stage, summary in db.execute("SELECT stage, summary FROM stage_runs ORDER BY rowid"):
        removed = re.search(r"(\d+) removed", summary)
        out[stage] = (int(re.match(r"\w+: (\d+) done", summary).group(1)), int(removed.group(1)) if removed else 0)
    db.close()
    return out


def _status(srv, where: Path, monkeypatch, change: list[str], capsys) -> dict:
    capsys.readouterr()
    assert _ifgen(srv, where, monkeypatch, "status", change, "--json") == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def base(fake_llm, tmp_path_factory):
    where = tmp_path_factory.mktemp("base")
    mp = pytest.MonkeyPatch()
    try:
        assert _ifgen(fake_llm, where, mp, "run", [], "-q") == 0
    finally:
        mp.undo()
    return where


@pytest.mark.parametrize("case", list(CASES))
def test_rerun_after_a_change_equals_a_fresh_run(case, base, fake_llm, tmp_path, monkeypatch, capsys):
    change, requests, (stale_stage, why) = CASES[case]
    rerun, fresh = tmp_path / "rerun", tmp_path / "fresh"
    shutil.copytree(base, rerun)

    status = _status(fake_llm, rerun, monkeypatch, change, capsys)
    assert status[stale_stage]["state"] == "stale"
    assert any(why in r for r in status[stale_stage]["stale"]), status[stale_stage]["stale"]
    assert status["report"]["state"] == "stale"

    before = fake_llm.stats()["requests"]
    assert _ifgen(fake_llm, rerun, monkeypatch, "run", change, "-q") == 0
    sent = fake_llm.stats()["requests"] - before
    if case in EXACT:
        redone = {s: v for s, v in _last_runs(rerun).items() if s in STAGES}
        assert redone == {s: EXACT[case].get(s, (0, 0)) for s in STAGES}
    assert _ifgen(fake_llm, fresh, monkeypatch, "run", change, "-q") == 0
    sent_fresh = fake_llm.stats()["requests"] - before - sent

    assert _export_digests(rerun) == _export_digests(fresh)
    for stage in STAGES:
        assert _records(rerun, stage) == _records(fresh, stage), stage
        if stage != "sample":  # sample's stats sum latencies
            stats = [(w / "outputs" / "acc" / stage / "stats.json").read_text() for w in (rerun, fresh)]
            assert stats[0] == stats[1], stage
    resolved = [(_run_dir(w) / "config.resolved.yaml").read_text() for w in (rerun, fresh)]
    assert resolved[0] == resolved[1]
    if requests == "zero":
        assert sent == 0, f"{case}: {sent} requests; every call it needs is in the cache"
    elif requests == "fewer":
        assert 0 < sent < sent_fresh, f"{case}: {sent} requests, a fresh run {sent_fresh}: the cache was not used"
    else:
        assert 0 < sent <= sent_fresh
    after = _status(fake_llm, rerun, monkeypatch, change, capsys)
    assert {s: v["state"] for s, v in after.items()} == {s: "done" for s in after}


def test_a_verdict_follows_a_changed_response_text_with_the_same_id(base, fake_llm, tmp_path, monkeypatch):
    """llm.temperature 0 changes what the fake server answers but not the response ids: verify must redo them."""
    rerun = tmp_path / "rerun"
    shutil.copytree(base, rerun)
    old = {r["id"]: r for r in _records(rerun, "verify")}
    old_text = {r["id"]: r["text"] for r in _records(rerun, "sample")}
    assert _ifgen(fake_llm, rerun, monkeypatch, "run", ["llm.temperature=0"], "-q") == 0
    new_text = {r["id"]: r["text"] for r in _records(rerun, "sample")}
    same_id = [i for i in new_text if i in old_text and new_text[i] != old_text[i]]
    assert same_id, "the change must keep some ids and change their text"
    new = {r["id"]: r for r in _records(rerun, "verify")}
    assert any(new[i]["results"] != old[i]["results"] for i in same_id)


def test_a_stale_input_is_refused_and_nothing_is_written(base, fake_llm, tmp_path, monkeypatch, capsys):
    rerun = tmp_path / "rerun"
    shutil.copytree(base, rerun)
    resolved = (_run_dir(rerun) / "config.resolved.yaml").read_bytes()
    exported = _export_digests(rerun)
    capsys.readouterr()
    assert _ifgen(fake_llm, rerun, monkeypatch, "export", ["sample.n=2"]) == 2
    err = capsys.readouterr().err
    assert "needs 'sample' redone" in err and "sample.n: 3 -> 2" in err and "run `ifgen sample`" in err
    assert (_run_dir(rerun) / "config.resolved.yaml").read_bytes() == resolved
    assert _export_digests(rerun) == exported


def test_a_refusal_names_the_stage_to_redo_first(base, fake_llm, tmp_path, monkeypatch, capsys):
    """A stale input made so by a stale stage behind it names that stage: following the message works. With
    checkers turned off, `ifgen verify` has nothing to redo (checkers is not its input then) and export's
    refusal must point at checkers, whose run drops the records verify would otherwise keep reading."""
    rerun = tmp_path / "rerun"
    shutil.copytree(base, rerun)
    capsys.readouterr()
    assert _ifgen(fake_llm, rerun, monkeypatch, "verify", ["compose.max_constraints=2"]) == 2
    err = capsys.readouterr().err
    assert "needs 'sample' redone" in err and "run `ifgen compose`" in err and "max_constraints: 3 -> 2" in err
    off = ["checkers.enabled=false"]
    assert _ifgen(fake_llm, rerun, monkeypatch, "export", off) == 2
    assert "run `ifgen checkers`" in capsys.readouterr().err
    for step in ("checkers", "verify", "export"):
        assert _ifgen(fake_llm, rerun, monkeypatch, step, off, "-q") == 0, step


def _downgrade_to_v1(db_path: Path) -> None:
    """The state DB as ifgen wrote it before fingerprints: no item keys or record hashes, no fingerprints."""
    db = sqlite3.connect(db_path)
    db.executescript(
        "DROP INDEX IF EXISTS items_by_shard; ALTER TABLE items DROP COLUMN key; ALTER TABLE items DROP COLUMN out;"
        "ALTER TABLE shards DROP COLUMN dirty; DROP TABLE fingerprints; PRAGMA user_version=0;"
    )
    db.close()


def test_a_run_folder_from_before_fingerprints(base, fake_llm, tmp_path, monkeypatch, capsys):
    """Readable as it is (status says every step is stale and why), refused as an input, and brought up to date
    by `ifgen run` from the cache alone, with the same exports."""
    old = tmp_path / "old"
    shutil.copytree(base, old)
    _downgrade_to_v1(_run_dir(old) / "state.sqlite")
    status = _status(fake_llm, old, monkeypatch, [], capsys)
    assert set(status) >= {*STAGES, "export", "report"}
    assert all(v["state"] == "stale" for v in status.values())
    assert all("before fingerprints" in v["stale"][0] for v in status.values())
    assert _ifgen(fake_llm, old, monkeypatch, "export", []) == 2
    assert "before fingerprints" in capsys.readouterr().err
    before = fake_llm.stats()["requests"]
    assert _ifgen(fake_llm, old, monkeypatch, "run", [], "-q") == 0
    assert fake_llm.stats()["requests"] == before
    assert _export_digests(old) == _export_digests(base)
    assert all(v["state"] == "done" for v in _status(fake_llm, old, monkeypatch, [], capsys).values())


def test_the_report_names_stale_stages(base, fake_llm, tmp_path, monkeypatch):
    """The report shows whatever has run: after a change that nothing redid, it says which stages are stale."""
    rerun = tmp_path / "rerun"
    shutil.copytree(base, rerun)
    resolved = (_run_dir(rerun) / "config.resolved.yaml").read_bytes()
    assert _ifgen(fake_llm, rerun, monkeypatch, "report", ["sample.n=2"], "-q") == 0
    assert (_run_dir(rerun) / "config.resolved.yaml").read_bytes() == resolved  # it describes the data on disk
    page = (_run_dir(rerun) / "report.html").read_text()
    assert "Some stages are stale" in page and "sample.n: 3 -&gt; 2" in page
    stats = json.loads((_run_dir(rerun) / "report" / "stats.json").read_text())
    assert set(stats["stale"]) == {"sample", "verify", "export"}
    assert _ifgen(fake_llm, rerun, monkeypatch, "run", ["sample.n=2"], "-q") == 0
    assert "Some stages are stale" not in (_run_dir(rerun) / "report.html").read_text()


def test_an_edited_prompt_template_redoes_what_it_made(base, fake_llm, tmp_path, monkeypatch, capsys):
    """Templates are part of what a stage's records were made under: editing one in `$IFGEN_PROMPTS_DIR` makes
    compose stale (status names the template) and the rerun equals a fresh run with the edited templates. A copy
    of the shipped templates, unedited, changes nothing (they are compared by content, not by folder)."""
    prompts = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", prompts)
    monkeypatch.setenv("IFGEN_PROMPTS_DIR", str(prompts))
    rerun, fresh = tmp_path / "rerun", tmp_path / "fresh"
    shutil.copytree(base, rerun)
    assert all(v["state"] == "done" for v in _status(fake_llm, rerun, monkeypatch, [], capsys).values())
    for f in (prompts / "compose").rglob("*.j2"):
        f.write_text("Edited. " + f.read_text(encoding="utf-8"), encoding="utf-8")
    status = _status(fake_llm, rerun, monkeypatch, [], capsys)
    assert any("prompts.compose/listing.j2" in r for r in status["compose"]["stale"]), status["compose"]
    assert status["expand"]["state"] == "done"  # its template did not change
    assert _ifgen(fake_llm, rerun, monkeypatch, "run", [], "-q") == 0
    assert _ifgen(fake_llm, fresh, monkeypatch, "run", [], "-q") == 0
    assert _export_digests(rerun) == _export_digests(fresh)
    for stage in STAGES:
        assert _records(rerun, stage) == _records(fresh, stage), stage
    assert all("Edited." in r["text"] for r in _records(rerun, "compose") if r["text"])


def test_keys_that_only_say_how_the_run_goes_redo_nothing(base, fake_llm, tmp_path, monkeypatch, capsys):
    """Concurrency, timeouts, retries, batch sizes, the progress display: nothing is stale, a rerun sends no
    request and leaves the export (card included) byte for byte as it was."""
    change = ["llm.max_concurrency=3", "llm.timeout_s=99", "sample.llm.max_retries=1", "run.batch_size=5"]
    change += ["run.progress=true", "run.max_inflight_batches=2", "checkers.workers=1", "run.memory_mb=128"]
    rerun = tmp_path / "rerun"
    shutil.copytree(base, rerun)
    status = _status(fake_llm, rerun, monkeypatch, change, capsys)
    assert {s: v["state"] for s, v in status.items()} == {s: "done" for s in status}, status
    before = fake_llm.stats()["requests"]
    assert _ifgen(fake_llm, rerun, monkeypatch, "run", change, "-q") == 0
    assert fake_llm.stats()["requests"] == before
    assert _export_digests(rerun) == _export_digests(base)


def test_verify_with_checkers_turned_off_reads_no_old_checker(base, fake_llm, tmp_path, monkeypatch, capsys):
    """`ifgen verify --set checkers.enabled=false` on its own (checkers not rerun, its old records still there):
    verify is stale by that setting, redoes its verdicts without generated checkers, as a fresh run does."""
    off = ["checkers.enabled=false"]
    rerun, fresh = tmp_path / "rerun", tmp_path / "fresh"
    shutil.copytree(base, rerun)
    status = _status(fake_llm, rerun, monkeypatch, off, capsys)
    assert any("checkers.enabled: True -> False" in r for r in status["verify"]["stale"]), status["verify"]
    assert _ifgen(fake_llm, rerun, monkeypatch, "verify", off, "-q") == 0
    assert _ifgen(fake_llm, fresh, monkeypatch, "run", off, "-q") == 0
    assert _records(rerun, "verify") == _records(fresh, "verify")


def test_a_rerun_that_sends_nothing_reports_no_tokens(base, fake_llm, tmp_path, monkeypatch):
    """A stage's summary line counts what that run spent, not the run folder's total so far."""
    rerun = tmp_path / "rerun"
    shutil.copytree(base, rerun)
    db = sqlite3.connect(_run_dir(rerun) / "state.sqlite")
    first = dict(db.execute("SELECT stage, summary FROM stage_runs ORDER BY rowid"))
    db.close()
    assert "tokens" in first["expand"]
    assert _ifgen(fake_llm, rerun, monkeypatch, "run", [], "-q") == 0
    db = sqlite3.connect(_run_dir(rerun) / "state.sqlite")
    again = dict(db.execute("SELECT stage, summary FROM stage_runs ORDER BY rowid"))
    db.close()
    assert "12 already done" in again["expand"] and "tokens" not in again["expand"], again["expand"]
