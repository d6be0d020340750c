"""Registration, metadata, parameter binding and phrasings of the IFBench ids."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from pipeline.constraints.core import registry
from pipeline.constraints.core.contract import KNOWN_TAGS, ConstraintError, MissingParameterError

IDS = [cid for cid, c in registry.all_constraints().items() if c.family == "ifbench"]

TASK = "Write a short story about a lighthouse keeper who finds a message in a bottle at dawn."
CTX = {"task_text": TASK, "expected_length": 180, "topic_words": ["lighthouse", "keeper", "bottle", "message"]}


def _reference_table() -> dict[str, list[str]]:
    """ids and kwarg names of the IFBench section of the shared reference list."""
    path = Path("/work/shared/reference_ids.md")
    if not path.exists():
        pytest.skip("shared reference list not available")
    section = path.read_text().split("## IFBench OOD")[1].split("\n## ")[0]
    out = {}
    for m in re.finditer(r"^\| `([^`]+)` \| (.*?) \|$", section, flags=re.MULTILINE):
        out[m.group(1)] = [k.strip() for k in m.group(2).split(",") if k.strip() not in ("", "—")]
    return out


def test_ids_and_kwarg_names_match_reference_list() -> None:
    table = _reference_table()
    assert set(table) == set(IDS) and len(IDS) == 58
    for cid, names in table.items():
        assert list(registry.get(cid).param_names) == names, cid


@pytest.mark.parametrize("cid", IDS)
def test_metadata(cid: str) -> None:
    c = registry.get(cid)
    assert c.family == "ifbench" and c.split == "eval_only"
    assert c.category and c.description
    assert len(c.phrasings) >= 3 and len(set(c.phrasings)) == len(c.phrasings)
    assert c.tags <= KNOWN_TAGS
    needs_prompt = any(p.name in ("prompt_to_repeat", "reference_text") for p in c.params)
    assert ("needs_prompt" in c.tags) == needs_prompt


def _mentions(text: str, value) -> bool:
    if isinstance(value, (list, tuple)):
        return all(str(v) in text for v in value)
    return str(value) in text


@pytest.mark.parametrize("cid", IDS)
def test_every_phrasing_mentions_every_bound_value(cid: str) -> None:
    c = registry.get(cid)
    for seed in range(5):
        params = c.bind(random.Random(seed), CTX)
        assert set(params) == set(c.param_names)
        for i in range(len(c.phrasings)):
            rendered = c.render(params, index=i)
            for name, value in params.items():
                assert _mentions(rendered, value), f"{cid} phrasing {i} lacks {name}={value!r}"
        registry.check(cid, "A plain response. With two sentences.", params)  # bound values are accepted


def test_bound_values_are_sensible() -> None:
    rng = random.Random(7)
    for _ in range(20):
        p = registry.get("count:word_count_range").bind(rng, CTX)
        assert 10 <= p["min_words"] < p["max_words"] <= p["min_words"] * 1.2 + 2
        s = registry.get("repeat:repeat_span").bind(rng, CTX)
        assert 0 <= s["n_start"] < s["n_end"] < len(TASK.split())
        k = registry.get("count:keywords_multiple").bind(rng, CTX)
        assert len({k[f"keyword{i}"] for i in range(1, 6)}) == 5


@pytest.mark.parametrize("cid", ["repeat:repeat_change", "repeat:repeat_span", "ratio:overlap"])
def test_prompt_params_need_task_text(cid: str) -> None:
    with pytest.raises(ConstraintError, match="task_text"):
        registry.get(cid).bind(random.Random(0), {"expected_length": 100})


def test_missing_parameter_is_reported() -> None:
    with pytest.raises(MissingParameterError, match="small_n"):
        registry.check("words:repeats", "text", {})


def test_null_kwargs_are_dropped_like_ifbench_inputs() -> None:
    kw = {"N": 2, "keyword": None, "prompt_to_repeat": None}
    assert registry.check("count:numbers", "1 and 2", kw)
