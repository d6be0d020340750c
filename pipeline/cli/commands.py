"""One handler per `ifgen` command: load the config, take the run lock when writing, hand steps to the runner."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..redact import redact
from ..stages import ORDER, PIPELINE, STAGES
from .parser import UsageError
from .process import say as _say


def _load(args):
    from ..config import load_config

    return load_config(args.config, args.sets, getattr(args, "run_name", None))


def _run_stage(name: str, cfg, args, rerun: str) -> int:
    """Run one step; when items failed, the last line names their most common cause (and exit 1)."""
    from ..runner.run import run_stage

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
    from ..runner.lock import RunLock

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
    from ..runner.run import refuse_early

    refuse_early(STAGES[args.cmd].target, cfg)  # before the lock creates the run folder
    with _lock(cfg):
        return _run_stage(args.cmd, cfg, args, f"ifgen {args.cmd}")


def cmd_run(args) -> int:
    cfg = _load(args)
    first = ORDER.index(args.from_stage) if args.from_stage else 0
    last = ORDER.index(args.until_stage) if args.until_stage else len(ORDER) - 1
    asked = {args.from_stage, args.until_stage}
    stages = [s.name for s in PIPELINE[first : last + 1] if s.runs_by_default(cfg) or s.name in asked]
    from ..runner.executors import executor_session
    from ..runner.run import refuse_early

    if stages:
        refuse_early(STAGES[stages[0]].target, cfg)  # `--from verify --run typo`: before the lock makes the folder
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
    from ..runner import fingerprint
    from ..runner.executors import load_stage_class
    from ..runner.lock import holder
    from ..runner.state import StateDB

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
    from ..llm.local_server import serve

    api_base = args.api_base or _load(args).llm.api_base
    return serve(api_base)


def cmd_constraints(args) -> int:
    from ..constraints import catalogue

    if args.action == "show":
        if not args.id:
            raise UsageError("constraints show needs an ID")
        print("\n\n".join(catalogue.describe(i) for i in args.id))
        return 0
    if args.action == "match":
        from ..constraints.match import match_row

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
    from ..scoring import score_files

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
    from ..sandbox import exec_file

    if not args.code or not args.responses:
        raise UsageError("checkers exec needs --code F.py and --responses R.jsonl")
    for row in exec_file(Path(args.code), Path(args.responses)):
        print(json.dumps(row))
    return 0


def cmd_dedupe(args) -> int:
    from ..dedupe import run_cli

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
