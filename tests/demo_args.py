"""The `ifgen` arguments tests use to run the demo config against a fake server (not a test module)."""

from __future__ import annotations

from pathlib import Path


def demo_args(out: Path, url: str, *sets: str) -> list[str]:
    """`-c configs/demo.yaml --run r` into `out`, against the server at `url`, plus `--set` for each of `sets`."""
    base = [f"run.output_dir={out}", f"llm.api_base={url}", "llm.model=openai/fake", *sets]
    return ["-c", "configs/demo.yaml", "--run", "r", *(x for s in base for x in ("--set", s))]
