"""The demo-shaped export the trainer tests train on: `ifgen run --config configs/demo.yaml` against the
fake server (the demo's sizes and thresholds; every dataset, verl included), once per session."""

from __future__ import annotations

import pytest

from pipeline.cli import main
from pipeline.testkit.responder import pipeline_reply
from pipeline.testkit.threaded import ThreadedFakeServer

from ..conftest import overrides


@pytest.fixture(scope="session")
def demo_export(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    with ThreadedFakeServer(reply=pipeline_reply) as srv:
        args = ["run", "--config", "configs/demo.yaml", "--run", "demo", "--quiet"]
        for o in overrides(srv, root, ["export.formats=[sft,dpo,rl,verl]"]):
            args += ["--set", o]
        assert main(args) == 0
    return root / "demo"


@pytest.fixture(scope="session")
def tiny_model_dir(demo_export, tmp_path_factory):
    from . import tiny_lm

    return tiny_lm.save(demo_export / "export", tmp_path_factory.mktemp("tiny-model"))
