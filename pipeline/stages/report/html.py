"""The report page: one self-contained HTML file (inline CSS, inline SVG-drawing JS, data as JSON).

Server-side parts (headings, tables, sample rows) are escaped with
`html.escape`; the data block is JSON with every "<" written as \\u003c, so no
value from the run — a response containing "</script>", say — can end the
script element early. The charts are drawn by assets/report.js.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from typing import Any

from .data import ROUTES

CHARTS = [
    ("Funnel: records per stage", "funnel"),
    ("Export rows (train / test)", "export_rows"),
    ("Constraints used (instructions per id)", "constraints"),
    ("Constraints per instruction", "per_instruction"),
    ("Pass rate per constraint (lowest first)", "pass_constraint"),
    ("Pass rate per model", "pass_model"),
    ("Pass rate per prompt shape", "pass_shape"),
    ("How constraints are checked (constraints in instructions)", "routes"),
    ("Prompt pass rate (share of responses passing every constraint)", "prompt_passrate"),
    ("Prompt pass rate by number of constraints", "prompt_passrate_by_constraints"),
    ("Response lengths (words) per model", "lengths"),
    ("Generated-checker agreement with registry checkers", "checker_agreement"),
    ("Generated-checker accuracy on their test cases", "checker_accuracy"),
    ("Tokens and cost per stage", "tokens"),
]


def _asset(name: str) -> str:
    return (resources.files(__package__) / "assets" / name).read_text(encoding="utf-8")


def _json_for_script(obj: Any) -> str:
    text = json.dumps(obj, ensure_ascii=False, default=str)  # key order matters (bins, ranking)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _usage_table(usage: dict[str, dict[str, float]]) -> str:
    if not usage:
        return "<p class='empty'>No LLM usage recorded.</p>"
    rows = []
    tot = {"requests": 0, "prompt_tokens": 0, "completion_tokens": 0, "cost": 0.0}
    for stage, u in usage.items():
        for k in tot:
            tot[k] += u.get(k) or 0
        rows.append((stage, u))
    rows.append(("total", tot))
    body = "".join(
        f"<tr><td>{_e(s)}</td><td class='num'>{int(u.get('requests') or 0):,}</td>"
        f"<td class='num'>{int(u.get('prompt_tokens') or 0):,}</td>"
        f"<td class='num'>{int(u.get('completion_tokens') or 0):,}</td>"
        f"<td class='num'>${float(u.get('cost') or 0):.4f}</td></tr>"
        for s, u in rows
    )
    return (
        "<table><tr><th>stage</th><th class='num'>requests</th><th class='num'>prompt tokens</th>"
        f"<th class='num'>completion tokens</th><th class='num'>cost</th></tr>{body}</table>"
    )


def _verdict(r: dict[str, Any]) -> str:
    marks: dict[bool | None, tuple[str, str]] = {True: ("pass", "\u2713"), False: ("fail", "\u2717")}
    cls, mark = marks.get(r.get("passed"), ("unk", "?"))
    return f"<div class='{cls}'>{mark} {_e(r.get('id'))} <small>({_e(r.get('verifier'))})</small></div>"


def _pct(fraction: Any) -> str:
    return "" if fraction is None else f"{100 * float(fraction):.0f}% pass"


def _routes_table(routes: dict[str, int]) -> str:
    """Counts of mapped, built-in, generated, judged and dropped constraints, with what each means."""
    if not routes:
        return "<p class='empty'>No instructions yet.</p>"
    body = "".join(
        f"<tr><td>{_e(k.replace('_', ' '))}</td><td class='num'>{int(routes.get(k) or 0):,}</td>"
        f"<td>{_e(meaning)}</td></tr>"
        for k, meaning in ROUTES.items()
    )
    return f"<table><tr><th>route</th><th class='num'>constraints</th><th>meaning</th></tr>{body}</table>"


def _shape(shape: Any) -> str:
    return "" if shape in (None, "single") else f"<small>{_e(shape)} prompt (turns joined)</small>"


def _samples(samples: list[dict[str, Any]]) -> str:
    if not samples:
        return "<p class='empty'>No verified responses yet.</p>"
    rows = "".join(
        "<tr class='sample'>"
        f"<td><pre>{_e(s['instruction'])}</pre>{_shape(s.get('shape'))}</td><td><pre>{_e(s['response'])}</pre>"
        f"<small>{_e(s['model'])}</small></td>"
        f"<td>{''.join(_verdict(r) for r in s['results'])}"
        f"<div><b>{_pct(s['fraction'])}</b></div></td>"
        "</tr>"
        for s in samples
    )
    return f"<table><tr><th>instruction</th><th>response</th><th>verdicts</th></tr>{rows}</table>"


def _stale(stale: dict[str, list[str]]) -> str:
    """Stages made under other settings than the config this page names (`ifgen run` redoes them)."""
    if not stale:
        return ""
    items = "".join(f"<li><b>{_e(s)}</b>: {_e('; '.join(why))}</li>" for s, why in stale.items())
    return (
        "<div class='stale'><p>Some stages are stale: their records were made under other settings than this "
        f"config, and this page shows them as they are. Run <code>ifgen run</code> to redo them.</p><ul>{items}"
        "</ul></div>"
    )


def render(data: dict[str, Any], run_name: str, fingerprint: str) -> str:
    cards = "".join(
        f"<div class='card'><h3>{_e(title)}</h3><div data-chart='{key}'></div></div>" for title, key in CHARTS
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ifgen report: {_e(run_name)}</title>
<style>{_asset("report.css")}</style></head>
<body>
<h1>ifgen report: {_e(run_name)}</h1>
<p class="meta">config fingerprint {_e(fingerprint)}</p>
{_stale(data.get("stale") or {})}
<h2>Charts</h2>
<div class="grid">{cards}</div>
<h2>How constraints are checked</h2>
{_routes_table(data.get("routes") or {})}
<h2>Tokens and cost</h2>
{_usage_table(data.get("usage") or {})}
<h2>Sample rows</h2>
{_samples(data.get("samples") or [])}
<script type="application/json" id="ifgen-data">{_json_for_script(data)}</script>
<script>{_asset("report.js")}</script>
</body></html>
"""
