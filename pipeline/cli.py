"""`ifgen`: the command line. Parses commands, loads config, hands stages to the runner.

Nothing imports this module. The stage subcommands and `ifgen run` come from the pipeline declaration
(`pipeline.stages.PIPELINE`). Exit codes: 0 ok; 1 some items failed (the last line names their most common
cause) or the run folder could not be written (disk full, read-only: the line names the path) - rerun to
resume; 2 bad input or configuration, a stage whose inputs are not ready (one line on stderr naming the key,
file, line or the stage to run), or a run another process is writing (naming its pid); 130 interrupted
(SIGINT), 143 stopped by SIGTERM - rerun to resume. Commands that write a run hold its lock for their whole
length; `status` and `config show` only read.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from .redact import redact  # noqa: E402
from .stages import ORDER, PIPELINE, STAGES  # noqa: E402 - the declaration only: no stage is imported

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


def _load(args):
    from .config import load_config

    return load_config(args.config, args.sets, getattr(args, "run_name", None))


def _run_stage(name: str, cfg, args, rerun: str) -> int:
    """Run one step; when items failed, the last line names their most common cause (and exit 1)."""
    from .runner.run import run_stage

    summary = run_stage(
        STAGES[name].target,
        cfg,
        force=getattr(args, "force", False),
        executor=getattr(args, "executor", None),
        ray_address=getattr(args, "ray_address", None),
        quiet=getattr(args, "quiet", False),
        allow_partial=getattr(args, "allow_partial", False),
    )
    if summary.ok:
        return 0
    _say(f"ifgen: {summary.failure()}; fix that and rerun `{rerun}` to retry them")
    return 1


def _lock(cfg):
    from .runner.lock import RunLock

    return RunLock(cfg.run_dir(), cfg.run.name)


def cmd_stage(args) -> int:
    if args.cmd == "checkers" and args.action == "exec":
        return cmd_checkers_exec(args)
    overrides = list(args.sets)
    if args.cmd == "push":
        if args.repo_id:
            overrides.append(f"push.repo_id={args.repo_id}")
        if args.private:
            overrides.append("push.private=true")
        args.sets = overrides
    cfg = _load(args)
    with _lock(cfg):
        return _run_stage(args.cmd, cfg, args, f"ifgen {args.cmd}")


def cmd_run(args) -> int:
    cfg = _load(args)
    first = ORDER.index(args.from_stage) if args.from_stage else 0
    last = ORDER.index(args.until_stage) if args.until_stage else len(ORDER) - 1
    asked = {args.from_stage, args.until_stage}
    stages = [s.name for s in PIPELINE[first : last + 1] if s.runs_by_default(cfg) or s.name in asked]
    from .runner.executors import executor_session

    with _lock(cfg), executor_session(args.executor or cfg.run.executor, args.ray_address or cfg.run.ray_address):
        for name in stages:
            rc = _run_stage(name, cfg, args, "ifgen run")
            if rc:
                return rc
    run_dir = cfg.run_dir()
    print_outputs(run_dir)
    return 0


def print_outputs(run_dir: Path) -> None:
    exp = run_dir / "export"
    print(f"\nrun folder: {run_dir}")
    for kind in ("sft", "dpo", "rl", "verl"):
        if (exp / kind).is_dir():
            print(f"  {kind:6s} dataset: {exp / kind}")
    if (exp / "README.md").is_file():
        print(f"  card:          {exp / 'README.md'}")
    if (run_dir / "report.html").is_file():
        print(f"  report:        {run_dir / 'report.html'}")


def cmd_status(args) -> int:
    """Per stage: items done / failed / pending, usage, and whether its output still matches the config
    (stale, and why). Reads only: it works while another process runs the pipeline, on a read-only folder, and
    on a run folder from an older version."""
    from .runner import fingerprint
    from .runner.executors import load_stage_class
    from .runner.lock import holder
    from .runner.state import StateDB

    cfg = _load(args)
    run_dir = cfg.run_dir()
    db_path = run_dir / "state.sqlite"
    if not db_path.is_file():
        print(f"no run at {run_dir} (nothing has run yet)", file=sys.stderr)
        return 2
    db = StateDB(db_path, readonly=True)
    try:
        counts, usage = db.counts(), db.usage()
        ran = [s for s in ORDER if s in counts or s in usage or db.has_run(s)]
        inputs = fingerprint.Inputs(db)
        stale = {s: fingerprint.staleness(load_stage_class(STAGES[s].target)(cfg, run_dir), inputs) for s in ran}
    finally:
        db.close()
    order = ran + sorted(set(counts) - set(ORDER))

    def state_of(s: str) -> str:
        c = counts.get(s, {})
        if stale.get(s):
            return "stale"
        return "unfinished" if c.get("failed") or c.get("pending") else "done"

    if args.json:
        out = {s: {**counts.get(s, {}), **usage.get(s, {}), "state": state_of(s)} for s in order}
        for s in ran:
            out[s]["stale"] = stale[s]
        print(redact(json.dumps(out, indent=2)))
        return 0
    pid = holder(run_dir)
    print(f"run: {run_dir}" + (f" (in use by pid {pid})" if pid else ""))
    print(
        f"{'stage':10s} {'done':>8s} {'failed':>8s} {'pending':>8s} {'requests':>9s} {'tokens':>10s} {'cost $':>9s}"
        "  state"
    )
    for s in order:
        c, u = counts.get(s, {}), usage.get(s, {})
        tok = int((u.get("prompt_tokens") or 0) + (u.get("completion_tokens") or 0))
        print(
            f"{s:10s} {c.get('done', 0):8d} {c.get('failed', 0):8d} {c.get('pending', 0):8d} "
            f"{int(u.get('requests') or 0):9d} {tok:10d} {float(u.get('cost') or 0):9.4f}  {state_of(s)}"
        )
    if any(stale.values()):
        print("\nstale (the config or an input changed since it ran; `ifgen run` redoes what changed):")
        for s in ran:
            for why in stale[s]:
                print(redact(f"  {s}: {why}"))
    return 0


def cmd_config(args) -> int:
    print(_load(args).to_yaml(), end="")
    return 0


def cmd_serve(args) -> int:
    from .llm.local_server import serve

    api_base = args.api_base or _load(args).llm.api_base
    return serve(api_base)


def cmd_constraints(args) -> int:
    from .constraints import catalogue

    if args.action == "show":
        if not args.id:
            raise UsageError("constraints show needs an ID")
        print("\n\n".join(catalogue.describe(i) for i in args.id))
        return 0
    if args.action == "match":
        from .constraints.match import match_row

        if not args.id:
            raise UsageError("constraints match needs at least one TEXT")
        for text in args.id:
            print(json.dumps(match_row(text), ensure_ascii=False))
        return 0
    rows = catalogue.constraint_rows()
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    if args.format == "jsonl":
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
        return 0
    print(f"{'id':48s} {'category':12s} {'split':10s} {'family':8s} params")
    for r in rows:
        params = ", ".join(p["name"] for p in r["params"])
        print(f"{r['id']:48s} {r['category']:12s} {r['split']:10s} {r['family']:8s} {params}")
    print(f"{len(rows)} constraints", file=sys.stderr)
    return 0


def cmd_score(args) -> int:
    from .scoring import score_files

    res = score_files(Path(args.input), Path(args.responses), Path(args.output_dir))
    errors = res.pop("errors")
    for k, v in res.items():
        print(f"{k}: {v:.4f}" if isinstance(v, float) else f"{k}: {v}")
    print(
        f"errors: {errors['rows']} of {res['prompts']} row(s) could not be fully checked "
        f"({errors['instructions']} instruction(s) scored false for an unknown id or invalid kwargs)"
        + (f"; see the 'errors' field of those rows in {res['files']['strict']}" if errors["rows"] else "")
    )
    return 1 if args.strict and errors["rows"] else 0


def cmd_checkers_exec(args) -> int:
    from .sandbox import exec_file

    if not args.code or not args.responses:
        raise UsageError("checkers exec needs --code F.py and --responses R.jsonl")
    for row in exec_file(Path(args.code), Path(args.responses)):
        print(json.dumps(row))
    return 0


def cmd_dedupe(args) -> int:
    from .dedupe import run_cli

    counts = run_cli(Path(args.input), args.field, Path(args.output), args.threshold)
    print(json.dumps(counts))
    return 0


HANDLERS = {
    "run": cmd_run,
    "status": cmd_status,
    "config": cmd_config,
    "serve": cmd_serve,
    "constraints": cmd_constraints,
    "score": cmd_score,
    "dedupe": cmd_dedupe,
}


def _say(message: str) -> None:
    """One line for the user on stderr, secrets scrubbed (an error may quote what a server sent back)."""
    print(redact(message), file=sys.stderr)


def _redacted_excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    sys.stderr.write(redact("".join(traceback.format_exception(kind, value, tb))))


class _StderrHandler(logging.Handler):
    """Warnings to whatever sys.stderr is when they are emitted (as logging's last-resort handler does)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(redact(self.format(record)) + "\n")
        except Exception:  # noqa: BLE001 - logging must never break a run
            self.handleError(record)


def _log_to_stderr() -> None:
    """Warnings of every library on stderr, one line each, prefixed like ifgen's own messages (once)."""
    root = logging.getLogger()
    if not any(isinstance(h, _StderrHandler) for h in root.handlers):
        handler = _StderrHandler(logging.WARNING)
        handler.setFormatter(logging.Formatter("ifgen: %(message)s"))
        root.addHandler(handler)


class Terminated(KeyboardInterrupt):
    """SIGTERM, where SIGINT has no handler to hand it to (a process started with SIGINT ignored)."""


_signals: list[str] = []  # what stopped the current command: ["SIGTERM"] when SIGTERM did


def _on_sigterm(signum: int, frame: object) -> None:
    _signals.append("SIGTERM")
    if signal.getsignal(signal.SIGINT) in (signal.SIG_IGN, signal.SIG_DFL, None):
        raise Terminated
    signal.raise_signal(signal.SIGINT)  # whoever handles Ctrl-C now (asyncio's runner cancels its main task)


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """While a command runs, SIGTERM stops it the way SIGINT does, by delivering SIGINT: inside asyncio the
    runner cancels its main task (executors close, batches in flight are dropped), elsewhere KeyboardInterrupt
    unwinds every `finally` (the state DB commits nothing half-done); it ends with the "rerun to resume" line."""
    _signals.clear()
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = HANDLERS.get(args.cmd, cmd_stage)
    _log_to_stderr()
    sys.excepthook = _redacted_excepthook  # a crash's traceback is printed with secrets scrubbed too
    from .config import ConfigError
    from .jsonl import StorageError
    from .runner.lock import RunInUse
    from .runner.run import InputsNotReady
    from .stages.base import StageError

    try:
        with _sigterm_as_interrupt():
            return handler(args)
    except ConfigError as e:
        _say(f"ifgen: config error: {e}")
        return 2
    except (InputsNotReady, StageError, RunInUse) as e:
        _say(f"ifgen: error: {e}")
        return 2
    except StorageError as e:
        _say(
            f"ifgen: error: {e}; nothing was left half-written: free some space (or make the folder writable) "
            "and rerun the same command to resume"
        )
        return 1
    except (UsageError, FileNotFoundError, ValueError, KeyError) as e:
        msg = str(e.args[0]) if isinstance(e, KeyError) and e.args else str(e)
        _say(f"ifgen: error: {msg}")
        return 2
    except KeyboardInterrupt:
        term = bool(_signals)
        _say(f"ifgen: {'stopped by SIGTERM' if term else 'interrupted'}; rerun the same command to resume")
        return 143 if term else 130
    except Exception as e:  # a stage that cannot start (server problems): one line, exit 2
        if type(e).__name__ in ("LocalServerError", "LLMError"):
            _say(f"ifgen: error: {e}")
            return 2
        raise


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
