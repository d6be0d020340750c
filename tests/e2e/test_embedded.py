"""The embedded model for real: `ifgen serve` answers, and a small run goes through on SmolLM2."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("llama_cpp")
pytestmark = pytest.mark.embedded
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_gives_a_real_completion(tmp_path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}/v1"
    log = open(tmp_path / "serve.log", "wb")  # the server logs a lot: never an unread pipe
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "serve", "--api-base", base], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()[-2000:]
            try:
                urllib.request.urlopen(base + "/models", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        body = {
            "model": "smollm2-135m-instruct",
            "max_tokens": 40,
            "temperature": 0,
            "messages": [{"role": "user", "content": "Name one colour of the sky."}],
        }
        req = urllib.request.Request(
            base + "/chat/completions", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        reply = json.load(urllib.request.urlopen(req, timeout=120))
        text = reply["choices"][0]["message"]["content"]
        assert text.strip() and reply["usage"]["completion_tokens"] > 0
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.timeout(900)
def test_small_run_on_the_embedded_model(tmp_path):
    """The stage starts the server itself (nothing answers at the address), runs, and stops it."""
    port = _free_port()
    sets = [
        f"llm.api_base=http://127.0.0.1:{port}/v1",
        f"run.output_dir={tmp_path}",
        "run.progress=false",
        "seeds.limit=3",
        "compose.instructions_per_task=1",
        "sample.n=1",
        "llm.max_tokens=60",
        "compose.freeform_probability=1.0",
        "checkers.functions=1",
        "checkers.llm.max_tokens=200",
        "expand.llm.max_tokens=160",
        "expand.attempts=1",
    ]
    args = [x for s in sets for x in ("--set", s)]
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "run",
            "--config",
            "configs/demo.yaml",
            "--run",
            "emb",
            "--until",
            "verify",
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    verdicts = [
        json.loads(line)
        for p in (tmp_path / "emb" / "verify").glob("part-*.jsonl")
        for line in p.read_text().splitlines()
    ]
    assert len(verdicts) == 3
    assert all(v["results"] for v in verdicts)
    with pytest.raises(OSError):  # the stage stopped the server it started
        urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=1)
