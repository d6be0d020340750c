"""Shared by the stage tests: the fake LLM server with the pipeline's responder, and one synthetic run exported
once per session (the export is the slow part)."""

import pytest

from pipeline.runner.run import run_stage
from pipeline.stages import STAGES
from pipeline.testkit.responder import pipeline_reply
from pipeline.testkit.threaded import ThreadedFakeServer

from .synth import make_run

EXPORT = STAGES["export"].target


@pytest.fixture(scope="module")
def fake_llm():
    with ThreadedFakeServer(reply=pipeline_reply) as srv:
        yield srv


def overrides(srv, out, extra=()):
    return [
        f"llm.api_base={srv.url}",
        "llm.model=openai/fake",
        f"run.output_dir={out}",
        "run.progress=false",
        "compose.instructions_per_task=2",
        "sample.n=3",
        "expand.attempts=2",
        *extra,
    ]


@pytest.fixture(scope="session")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("runs")
    cfg = make_run(root)
    summary = run_stage(EXPORT, cfg, quiet=True)
    assert summary.ok, summary.errors
    return cfg, summary.stats
