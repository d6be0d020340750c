"""When items fail, the last line names their most common cause (from the state DB) and ifgen exits 1; tested
against the fake server for a server that is down, HTTP 401 / 429 / 500 and garbage replies. SIGTERM stops a run
the way Ctrl-C does, and the run resumes."""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.runner.summary import StageSummary
from pipeline.testkit.fake_proc import FakeServerProcess
from pipeline.testkit.threaded import ThreadedFakeServer
from tests.demo_args import demo_args

ROOT = Path(__file__).resolve().parents[2]


def _closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def _args(out: Path, url: str) -> list[str]:
    return [*demo_args(out, url, "llm.max_retries=1", "llm.backoff_base_s=0.01"), "-q"]


CAUSES = {
    "down": "cannot connect to {url} (is the server running?)",
    "401": "HTTP 401 from {url} (key refused)",
    "429": "HTTP 429 from {url} (rate limited)",
    "500": "HTTP 500 from {url} (server error)",
    "malformed": "malformed reply from {url} (not an OpenAI chat completion)",
}


@pytest.mark.parametrize("fault", list(CAUSES))
def test_the_last_line_names_the_most_common_cause(tmp_path, capsys, fault):
    if fault == "down":
        url = _closed_port_url()
        server = None
    else:
        server = ThreadedFakeServer(fault_rate=1.0, fault_kinds=[fault], retry_after=0.01)
        url = server.__enter__().url
    try:
        assert main(["seeds", *_args(tmp_path, url)]) == 0
        capsys.readouterr()
        assert main(["expand", *_args(tmp_path, url)]) == 1
        last = capsys.readouterr().err.strip().splitlines()[-1]
        assert last == (
            f"ifgen: expand: 12 of 12 items failed: {CAUSES[fault].format(url=url)}; "
            "fix that and rerun `ifgen expand` to retry them"
        )
        assert main(["run", *_args(tmp_path, url)]) == 1  # `ifgen run` ends the same way
        last = capsys.readouterr().err.strip().splitlines()[-1]
        assert CAUSES[fault].format(url=url) in last and last.endswith("rerun `ifgen run` to retry them")
    finally:
        if server is not None:
            server.__exit__(None, None, None)
    with sqlite3.connect(tmp_path / "r" / "state.sqlite") as db:
        errors = [e for (e,) in db.execute("SELECT last_error FROM items WHERE stage='expand'")]
    assert len(errors) == 12 and all(e.splitlines()[0] == CAUSES[fault].format(url=url) for e in errors)
    assert all(len(e.splitlines()) > 1 for e in errors)  # the detail follows the cause


def test_mixed_causes_name_the_most_common_one():
    s = StageSummary("verify", total=40, done=30, failed=10, causes=[("judge: HTTP 500", 7), ("timeout", 3)])
    assert s.failure() == (
        "verify: 10 of 40 items failed: judge: HTTP 500 (7 of them; 3 for other reasons, see state.sqlite "
        "items.last_error)"
    )
    sink = StageSummary("export", total=1, failed=1, kind="sink", causes=[("OSError: boom", 1)])
    assert sink.failure() == "export failed: OSError: boom"
    assert StageSummary("x", total=3, done=3).failure() == ""


def _expand_done(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as c:
            return c.execute("SELECT COUNT(*) FROM items WHERE stage='expand' AND status='done'").fetchone()[0]
    except sqlite3.Error:
        return 0


def _rows(run_dir: Path, stage: str) -> list[str]:
    return sorted(line for p in (run_dir / stage).glob("part-*.jsonl") for line in p.read_text().splitlines())


def test_sigterm_stops_like_ctrl_c_and_the_run_resumes(tmp_path):
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    with FakeServerProcess(latency=0.2) as srv:

        def argv(stage: str, out: Path) -> list[str]:
            return [
                sys.executable,
                "-m",
                "pipeline",
                stage,
                "-c",
                "configs/demo.yaml",
                "--run",
                "r",
                "-q",
                *(
                    "--set",
                    f"run.output_dir={out}",
                    "--set",
                    "seeds.path=seeds/default.jsonl",
                    "--set",
                    "seeds.limit=80",
                ),
                *("--set", "run.batch_size=4", "--set", "llm.max_concurrency=4"),
                *("--set", f"llm.api_base={srv.url}", "--set", "llm.model=openai/fake"),
            ]

        def expand(out: Path) -> subprocess.Popen:
            return subprocess.Popen(argv("expand", out), cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)

        clean, cut = tmp_path / "clean", tmp_path / "cut"
        for out in (clean, cut):
            p = subprocess.run(argv("seeds", out), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
            assert p.returncode == 0, p.stderr
        assert expand(clean).wait(timeout=300) == 0

        proc = expand(cut)
        deadline = time.time() + 120
        while _expand_done(cut / "r" / "state.sqlite") < 8 and time.time() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 143, err
        assert err.strip().splitlines() == ["ifgen: stopped by SIGTERM; rerun the same command to resume"], err
        with sqlite3.connect(cut / "r" / "state.sqlite") as db:
            done = db.execute("SELECT COUNT(*) FROM items WHERE stage='expand' AND status='done'").fetchone()[0]
        assert 8 <= done < 80
        assert not [p for p in (cut / "r").rglob("*.tmp")]

        again = expand(cut)
        _, err = again.communicate(timeout=300)
        assert again.returncode == 0, err
    assert _rows(cut / "r", "expand") == _rows(clean / "r", "expand")
    stats = json.loads((cut / "r" / "expand" / "stats.json").read_text())
    assert stats == json.loads((clean / "r" / "expand" / "stats.json").read_text())
