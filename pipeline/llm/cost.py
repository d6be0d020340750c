"""Token usage and USD cost accounting.

Prices come from litellm's bundled cost map (`model_prices_and_context_window_backup.json`, the same file
litellm itself reads when LITELLM_LOCAL_MODEL_COST_MAP=True). We read the JSON directly instead of
importing litellm, because importing litellm costs ~4 s of CPU and the hot path must not pay that.
A model missing from the map costs 0 (local and self-hosted models).

Usage dicts are plain JSON-able dicts so that worker processes can ship them back and be summed with
`add_usage`.
"""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

USAGE_KEYS = ("calls", "requests", "retries", "cache_hits", "failures", "prompt_tokens", "completion_tokens", "cost")


@lru_cache(maxsize=1)
def _cost_map() -> dict[str, Any]:
    spec = importlib.util.find_spec("litellm")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "model_prices_and_context_window_backup.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


@lru_cache(maxsize=256)
def price_per_token(model: str) -> tuple[float, float]:
    """(input USD/token, output USD/token) for a litellm model string, (0, 0) when unknown."""
    cmap = _cost_map()
    candidates = [model]
    if "/" in model:
        candidates.append(model.split("/", 1)[1])
    for name in candidates:
        entry = cmap.get(name)
        if isinstance(entry, dict) and entry.get("mode", "chat") in ("chat", "completion", "responses"):
            try:
                return float(entry.get("input_cost_per_token") or 0.0), float(entry.get("output_cost_per_token") or 0.0)
            except (TypeError, ValueError):
                return 0.0, 0.0
    return 0.0, 0.0


@lru_cache(maxsize=256)
def batch_price_per_token(model: str) -> tuple[float, float]:
    """Batch-API prices (`*_cost_per_token_batches` in the map, typically half); the normal price when the
    map has none (an upper bound, never an undercount)."""
    cmap = _cost_map()
    for name in [model, model.split("/", 1)[1]] if "/" in model else [model]:
        entry = cmap.get(name)
        if isinstance(entry, dict) and entry.get("input_cost_per_token_batches") is not None:
            try:
                return (
                    float(entry["input_cost_per_token_batches"]),
                    float(entry.get("output_cost_per_token_batches") or entry.get("output_cost_per_token") or 0.0),
                )
            except (TypeError, ValueError):
                break
    return price_per_token(model)


def cost_usd(model: str, prompt_tokens: int, completion_tokens: int, *, batch: bool = False) -> float:
    pin, pout = batch_price_per_token(model) if batch else price_per_token(model)
    return prompt_tokens * pin + completion_tokens * pout


def new_usage() -> dict[str, Any]:
    u: dict[str, Any] = {k: 0 for k in USAGE_KEYS}
    u["cost"] = 0.0
    u["by_model"] = {}
    return u


def record(usage: dict[str, Any], model: str, **counts: float) -> None:
    """Add counts (any of USAGE_KEYS) to the totals and to `by_model[model]`."""
    per: dict[str, Any] | None = usage["by_model"].get(model)
    if per is None:
        per = {k: 0 for k in USAGE_KEYS}
        per["cost"] = 0.0
        usage["by_model"][model] = per
    for k, v in counts.items():
        usage[k] += v
        per[k] += v


def add_usage(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Sum two usage dicts (numbers add, nested dicts merge recursively). Inputs are not modified."""
    out: dict[str, Any] = {}
    for key in set(a) | set(b):
        va, vb = a.get(key), b.get(key)
        if isinstance(va, dict) or isinstance(vb, dict):
            out[key] = add_usage(va or {}, vb or {})
        else:
            out[key] = (va or 0) + (vb or 0)
    return out
