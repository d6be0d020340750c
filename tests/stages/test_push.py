"""Push: against a local Hub stand-in, resumable (only changed files), loadable after upload."""

from __future__ import annotations

import pytest

from pipeline.config import RunConfig
from pipeline.runner.run import run_stage
from pipeline.stages.push import local_files, push_folder
from tests.local_datasets import load_local

from .hub_standin import HubStandIn

PUSH = "pipeline.stages.push:PushSink"
TOKEN = "hf_test_token_123"


@pytest.fixture
def hub(tmp_path, monkeypatch):
    import huggingface_hub.constants as hc

    monkeypatch.setattr(hc, "HF_HUB_OFFLINE", False)  # conftest makes the session offline; this is 127.0.0.1
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    with HubStandIn(tmp_path / "hub", TOKEN) as h:
        yield h


def _with_push(cfg, hub, **push):
    data = cfg.model_dump(mode="json")
    data["push"] = {"repo_id": "ifgen-org/synth", "endpoint": hub.url, **push}
    return RunConfig(**data)


def test_push_uploads_everything_then_nothing_then_only_the_change(exported, hub):
    cfg = _with_push(exported[0], hub, private=True)
    export = cfg.run_dir() / "export"
    first = run_stage(PUSH, cfg, force=True, quiet=True)
    assert first.ok, first.errors
    names = local_files(export)
    assert first.stats["uploaded"] == len(names) and first.stats["commits"] == 2
    assert hub.commits[-1]["paths"] == ["README.md"]  # the card comes last
    stored = hub.files("ifgen-org/synth")
    assert stored == {n: (export / n).read_bytes() for n in names}
    assert hub.repos["ifgen-org/synth"]["private"] is True

    commits, seen = len(hub.commits), len(hub.requests)
    again = run_stage(PUSH, cfg, force=True, quiet=True)
    assert again.ok and again.stats["uploaded"] == 0 and again.stats["unchanged"] == len(names)
    assert len(hub.commits) == commits
    assert not [r for r in hub.requests[seen:] if "/commit/" in r[1] or "/preupload/" in r[1]]

    card = export / "README.md"
    original = card.read_bytes()
    try:
        card.write_bytes(original + b"\nEdited.\n")
        third = push_folder(export, "ifgen-org/synth", endpoint=hub.url)
        assert third["uploaded_paths"] == ["README.md"]
    finally:
        card.write_bytes(original)


def test_pushed_folder_loads_with_datasets(exported, hub):
    cfg = _with_push(exported[0], hub)
    assert run_stage(PUSH, cfg, force=True, quiet=True).ok
    repo_dir = hub.repo_dir("ifgen-org/synth")
    for name in ("sft", "dpo", "rl"):
        ds = load_local(repo_dir, name)
        assert {s: len(ds[s]) for s in ds} == exported[1]["rows"][name]


def test_pushed_card_downloads_through_resolve(exported, hub, tmp_path):
    from huggingface_hub import hf_hub_download

    cfg = _with_push(exported[0], hub)
    assert run_stage(PUSH, cfg, force=True, quiet=True).ok
    path = hf_hub_download(
        "ifgen-org/synth", "README.md", repo_type="dataset", endpoint=hub.url, cache_dir=tmp_path / "cache"
    )
    assert open(path, "rb").read() == (cfg.run_dir() / "export" / "README.md").read_bytes()


def test_push_without_a_valid_token_fails_clearly(exported, hub, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "wrong")
    cfg = _with_push(exported[0], hub)
    summary = run_stage(PUSH, cfg, force=True, quiet=True)
    assert not summary.ok
    assert "401" in summary.errors[0][1] or "nvalid credentials" in summary.errors[0][1]
    assert hub.commits == []


def test_push_needs_a_repo_id(exported):
    with pytest.raises(Exception, match="repo-id"):
        run_stage(PUSH, exported[0], quiet=True)
