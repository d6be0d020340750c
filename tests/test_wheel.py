"""The wheel works on its own: built from this checkout, installed into a fresh venv that cannot see the
checkout, it lists the constraints, renders every prompt template, loads the shipped configs and runs the seeds
stage on the shipped seeds.

Offline: the wheel is built with the hatchling already installed (`--no-build-isolation`), installed with
`--no-deps --no-index`, and the fresh venv borrows this venv's third-party packages through a .pth file (a plain
path line, so this venv's own .pth files, among them the editable install of ifgen, are not run).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
from importlib.util import find_spec
from pathlib import Path

from pipeline.constraints.catalogue import constraint_rows
from tests.test_resources import TEMPLATE_VARIABLES

ROOT = Path(__file__).resolve().parents[1]

# Runs inside the fresh venv, from a directory with no configs/ or seeds/ in it.
CHECK = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path

    import pipeline
    from pipeline.config import load_config
    from pipeline.llm.prompts import render, render_messages
    from pipeline.resources import find, resource_dir
    from pipeline.stages.report.html import _asset
    from pipeline.stages.seeds.load import load_seeds, shipped_seeds

    checkout, variables = sys.argv[1], json.loads(sys.argv[2])
    prompts = resource_dir("prompts")
    names = sorted(p.relative_to(prompts).as_posix() for p in prompts.rglob("*.j2"))
    rendered = {name: render_messages(name, **variables[name]) for name in names}
    whole = {name: render(name, **variables[name]) for name in names}
    cfg = load_config("configs/demo.yaml")
    print(json.dumps({
        "pipeline": pipeline.__file__,
        "checkout_on_path": any(p and Path(p).resolve() == Path(checkout) for p in sys.path),
        "dirs": {kind: str(resource_dir(kind)) for kind in ("prompts", "configs", "seeds")},
        "templates": names,
        "rendered": {name: [m["role"] for m in msgs if m["content"]] for name, msgs in rendered.items()},
        "whole_empty": [name for name, text in whole.items() if not text],
        "default_config": load_config().run.name,
        "demo_by_name": load_config("demo") == cfg,
        "demo_seeds": len(load_seeds(cfg.seeds.model_copy(update={"path": find(cfg.seeds.path, "seeds")}))),
        "default_seeds": len(load_seeds(cfg.seeds.model_copy(update={"path": shipped_seeds("default")}))),
        "report_assets": [len(_asset(name)) for name in ("report.css", "report.js")],
    }))
    """
)


def _run(cmd: list, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=240, **kw)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))[:300]} failed ({done.returncode}):\n{done.stderr[-3000:]}"
    return done


def test_installed_wheel_works_without_the_checkout(tmp_path):
    assert find_spec("hatchling"), "the wheel is built offline with the installed hatchling (a dev extra: make install)"
    dist, venv, elsewhere = tmp_path / "dist", tmp_path / "venv", tmp_path / "elsewhere"
    elsewhere.mkdir()
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    _run([*pip, "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index", "-w", dist, ROOT])
    (wheel,) = dist.glob("ifgen-*.whl")
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    _run([*pip, "--python", python, "install", "-q", "--no-deps", "--no-index", wheel])
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "_ifgen_test_borrowed_packages.pth").write_text("\n".join(sorted(ours)) + "\n")

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "IFGEN_PROMPTS_DIR")}
    env["PYTHONNOUSERSITE"] = "1"
    kw = {"cwd": elsewhere, "env": env}

    listed = json.loads(_run([venv / "bin" / "ifgen", "constraints", "list", "--format", "json"], **kw).stdout)
    assert [r["id"] for r in listed] == [r["id"] for r in constraint_rows()]
    assert "punctuation:no_comma" in _run([venv / "bin" / "ifgen", "constraints", "list"], **kw).stdout

    out = json.loads(_run([python, "-c", CHECK, ROOT, json.dumps(TEMPLATE_VARIABLES)], **kw).stdout)
    installed = site / "pipeline"
    assert Path(out["pipeline"]).parent == installed and not out["checkout_on_path"]
    assert out["dirs"] == {kind: str(installed / "_resources" / kind) for kind in ("prompts", "configs", "seeds")}
    assert out["templates"] == sorted(TEMPLATE_VARIABLES)
    assert all(roles and roles[-1] == "user" for roles in out["rendered"].values()), out["rendered"]
    assert out["whole_empty"] == []
    assert out["default_config"] == "default" and out["demo_by_name"]
    assert out["demo_seeds"] == 12 and out["default_seeds"] > 300
    assert all(n > 100 for n in out["report_assets"])

    # the seeds stage, from the console script, on `seeds.path: seeds/tiny.jsonl` of the shipped demo config
    run = ["seeds", "--config", "configs/demo.yaml", "--run", "w", "--set", f"run.output_dir={tmp_path / 'out'}"]
    _run([venv / "bin" / "ifgen", *run, "--quiet"], **kw)
    assert json.loads((tmp_path / "out" / "w" / "seeds" / "stats.json").read_text())["seeds"] == 12
