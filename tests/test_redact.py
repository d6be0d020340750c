"""Secrets are redacted everywhere: a server that echoes the Authorization header (in a 401 body, or in the text of
its replies) cannot put the key under the run folder or on stderr."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.cli.process import StderrHandler
from pipeline.redact import MASK, redact, redact_obj, watch
from pipeline.testkit.responder import pipeline_reply
from pipeline.testkit.threaded import ThreadedFakeServer
from tests.demo_args import demo_args

KEY = "sk-test-7f3a9c1e5b2d48f6a0e9c3b7d1f5a2e8"  # what the run is configured with
RIGHT = "sk-right-0c4e8a2f6b1d5e9a3c7f0b4d8e2a6c1f"  # what the server accepts


def test_values_of_watched_variables_and_bearer_tokens_are_masked(monkeypatch):
    monkeypatch.setenv("IFGEN_TEST_KEY_A", "abcdefgh12345678")
    monkeypatch.setenv("HF_TOKEN", "hf_abcdefghijklmnop")
    monkeypatch.setenv("IFGEN_TEST_SHORT", "EMPTY")
    watch("IFGEN_TEST_KEY_A", "IFGEN_TEST_SHORT", None)
    text = "key abcdefgh12345678, hf_abcdefghijklmnop; Authorization: Bearer tok.en-123_456 and bearer xyz12 EMPTY"
    assert redact(text) == f"key {MASK}, {MASK}; Authorization: Bearer {MASK} and bearer {MASK} EMPTY"
    assert redact_obj({"e": [text], "n": 3}) == {"e": [redact(text)], "n": 3}
    assert redact("no secrets here") == "no secrets here" and redact("") == ""


def test_a_config_watches_every_key_variable_it_names(monkeypatch):
    from pipeline.config import load_config
    from pipeline.redact import watched

    load_config(
        "configs/demo.yaml",
        [
            "llm.api_key_env=IFGEN_K_TOP",
            "checkers.llm.api_key_env=IFGEN_K_STAGE",
            "sample.models.0.api_key_env=IFGEN_K_M",
        ],
    )
    assert {"IFGEN_K_TOP", "IFGEN_K_STAGE", "IFGEN_K_M", "OPENAI_API_KEY", "HF_TOKEN"} <= set(watched())


def test_log_lines_are_redacted(monkeypatch, capsys):
    monkeypatch.setenv("IFGEN_TEST_KEY_LOG", KEY)
    watch("IFGEN_TEST_KEY_LOG")
    handler = StderrHandler()
    handler.handle(logging.LogRecord("x", logging.WARNING, __file__, 1, "server said %s", (KEY,), None))
    assert KEY not in capsys.readouterr().err


def _leaks(run_dir: Path, secret: str) -> list[str]:
    """Files under the run folder holding the secret: raw bytes (SQLite files and their WAL included), and the
    decoded text of Parquet files (compressed, so their bytes alone prove nothing)."""
    found = []
    needle = secret.encode()
    for p in run_dir.rglob("*"):
        if not p.is_file():
            continue
        if needle in p.read_bytes():
            found.append(str(p))
        elif p.suffix == ".parquet" and secret in str(pq.read_table(p).to_pylist()):
            found.append(str(p))
    return found


def _args(out: Path, url: str) -> list[str]:
    return demo_args(out, url, "llm.api_key_env=IFGEN_TEST_API_KEY", "sample.n=2")


def test_a_key_echoed_in_a_401_body_lands_nowhere(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("IFGEN_TEST_API_KEY", KEY)
    with ThreadedFakeServer(api_key=RIGHT, echo_auth=True) as srv:
        assert main(["run", *_args(tmp_path, srv.url)]) == 1
        assert srv.stats()["statuses"] == {"401": 12}
    out, err = capsys.readouterr()
    assert err.strip().splitlines()[-1].endswith("(key refused); fix that and rerun `ifgen run` to retry them")
    assert KEY not in out + err and _leaks(tmp_path, KEY) == []
    with sqlite3.connect(tmp_path / "r" / "state.sqlite") as db:
        (error,) = db.execute("SELECT last_error FROM items WHERE status='failed' LIMIT 1").fetchone()
    assert f"received Authorization: Bearer {MASK}" in error  # what the server said, minus the key
    assert main(["report", *_args(tmp_path, srv.url)]) == 2  # nothing verified: no page with the error either


def test_a_key_echoed_in_every_reply_lands_nowhere_after_a_whole_run(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("IFGEN_TEST_API_KEY", RIGHT)
    with ThreadedFakeServer(api_key=RIGHT, echo_auth=True, reply=pipeline_reply) as srv:
        rc = main(["run", *_args(tmp_path, srv.url)])
        assert srv.stats()["with_auth"] > 0 and "401" not in srv.stats()["statuses"]
    out, err = capsys.readouterr()
    assert rc == 0, err
    run_dir = tmp_path / "r"
    assert (run_dir / "report.html").is_file() and list((run_dir / "export").rglob("*.parquet"))
    assert RIGHT not in out + err and _leaks(run_dir, RIGHT) == []
    responses = (run_dir / "sample").glob("part-*.jsonl")
    assert any(f"request authorised by Bearer {MASK}" in p.read_text() for p in responses)


@pytest.mark.parametrize("name", ["HF_TOKEN", "OPENAI_API_KEY"])
def test_implicit_key_variables_are_always_watched(monkeypatch, name):
    monkeypatch.setenv(name, "tok-" + "x" * 20)
    assert redact(f"push failed for tok-{'x' * 20}") == f"push failed for {MASK}"
