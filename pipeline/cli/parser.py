"""The `ifgen` argument parser: stage subcommands and `ifgen run` come from the pipeline declaration."""

from __future__ import annotations

import argparse

from ..stages import ORDER, PIPELINE  # the declaration only: no stage is imported

PARTIAL_HELP = "export what is verified even if an input stage has failed or pending items (the card says so)"


class UsageError(Exception):
    pass


def _config_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--config", "-c", help="run config: a YAML file, or a shipped one by name (default, demo); default: default"
    )
    p.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="override one config key (repeatable)",
    )
    p.add_argument("--run", dest="run_name", help="run name (folder under outputs/)")


def _stage_args(p: argparse.ArgumentParser) -> None:
    _config_args(p)
    p.add_argument("--force", action="store_true", help="redo the stage from scratch")
    p.add_argument("--executor", choices=["local", "ray"], help="where batches run (default: run.executor)")
    p.add_argument("--ray-address", help="Ray cluster address (default: start a local one)")
    p.add_argument("--quiet", "-q", action="store_true")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="ifgen", description="Verifiable instruction-following data, stage by stage.")
    sub = ap.add_subparsers(dest="cmd", required=True)

    for spec in PIPELINE:
        name = spec.name
        sp = sub.add_parser(name, help=spec.help, description=f"{name}: {spec.help}")
        _stage_args(sp)
        if name == "export":
            sp.add_argument("--allow-partial", action="store_true", help=PARTIAL_HELP)
        if name == "checkers":
            sp.add_argument("action", nargs="?", choices=["exec"], help="exec: run one checker file")
            sp.add_argument("--code", help="with exec: Python file defining evaluate(response) -> bool")
            sp.add_argument("--responses", help="with exec: JSONL rows {response}")
        if name == "push":
            sp.add_argument("--repo-id", help="ORG/NAME on the Hub")
            sp.add_argument("--private", action="store_true", default=None)

    rp = sub.add_parser("run", help="run the whole pipeline (resumes finished stages)")
    _stage_args(rp)
    rp.add_argument("--from", dest="from_stage", choices=ORDER)
    rp.add_argument("--until", dest="until_stage", choices=ORDER)
    rp.add_argument("--allow-partial", action="store_true", help=PARTIAL_HELP)

    st = sub.add_parser("status", help="per-stage done / failed / pending, tokens and cost")
    _config_args(st)
    st.add_argument("--json", action="store_true")

    cp = sub.add_parser("config", help="configuration")
    cp.add_argument("action", choices=["show"])
    _config_args(cp)

    sv = sub.add_parser("serve", help="serve the embedded model (SmolLM2-135M-Instruct)")
    sv.add_argument("--api-base", default=None, help="default: llm.api_base of the config")
    _config_args(sv)

    cs = sub.add_parser("constraints", help="the constraint registry")
    cs.add_argument("action", choices=["list", "show", "match"])
    cs.add_argument("id", nargs="*", help="show: constraint id(s); match: free-text constraint(s)")
    cs.add_argument(
        "--format",
        choices=["table", "json", "jsonl"],
        default="table",
        help="list: a table, one JSON array (json) or one JSON object per line (jsonl)",
    )

    sc = sub.add_parser("score", help="IFEval / IFBench-compatible scorer")
    sc.add_argument("--input", required=True)
    sc.add_argument("--responses", required=True)
    sc.add_argument("--output-dir", required=True)
    sc.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when a row could not be fully checked (unknown id, invalid kwargs, no response)",
    )

    dd = sub.add_parser("dedupe", help="exact + near-duplicate removal on any JSONL")
    dd.add_argument("--input", required=True)
    dd.add_argument("--field", required=True)
    dd.add_argument("--output", required=True)
    dd.add_argument("--threshold", type=float, default=0.9)
    return ap
