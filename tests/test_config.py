"""The whole config is checked at load, before any work; every error names the key and where it was set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from pipeline.cli import main
from pipeline.config import (
    ConfigError,
    ConstraintId,
    LLMOverride,
    ModelSpec,
    RunConfig,
    load_config,
)
from pipeline.llm.settings import LLMSettings
from pipeline.testkit.threaded import ThreadedFakeServer

DEMO = "configs/demo.yaml"


def _error(*sets: str, path: str | Path = DEMO, run: str | None = None) -> str:
    with pytest.raises(ConfigError) as e:
        load_config(path, list(sets), run)
    text = str(e.value)
    assert "\n" not in text
    return text


def _yaml(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "config.yaml"
    p.write_text(text, encoding="utf-8")
    return p


# -- per-stage llm blocks: the top-level model's fields, typed, all optional ----------------------------------


def test_a_stage_llm_block_has_every_llm_field_optional_and_forbids_others():
    assert list(LLMOverride.model_fields) == list(LLMSettings.model_fields)
    assert all(not f.is_required() and f.default is None for f in LLMOverride.model_fields.values())
    assert set(LLMSettings.model_fields) < set(ModelSpec.model_fields) == {*LLMSettings.model_fields, "weight", "n"}
    with pytest.raises(ValidationError):
        LLMOverride(modle="x")


@pytest.mark.parametrize("stage", ["expand", "compose", "sample", "checkers", "verify"])
def test_a_misspelt_or_mistyped_key_in_any_stage_llm_block_fails_at_load(stage):
    assert _error(f"{stage}.llm.modle=big") == (
        f"--set {stage}.llm.modle=big: {stage}.llm.modle: unknown key (did you mean 'model'?)"
    )
    assert _error(f"{stage}.llm.temperature=hot").startswith(
        f"--set {stage}.llm.temperature=hot: {stage}.llm.temperature: Input should be a valid number"
    )
    assert "less than or equal to 2" in _error(f"{stage}.llm.temperature=3")
    assert "must start with http://" in _error(f"{stage}.llm.api_base=ftp://host")


def test_sample_models_take_the_llm_fields_too():
    assert _error("sample.models.0.temprature=1").endswith("unknown key (did you mean 'temperature'?)")
    assert _error("sample.models.0.max_tokens=0").startswith(
        "--set sample.models.0.max_tokens=0: sample.models.0.max_tokens: Input should be greater than or equal to 1"
    )
    cfg = load_config(DEMO, ["sample.models=[{model: openai/b, api_key_env: B_KEY, top_p: 0.5, weight: 2}]"])
    (spec,) = cfg.sample.models
    assert spec.overrides() == {"model": "openai/b", "api_key_env": "B_KEY", "top_p": 0.5}
    merged = cfg.llm_for("sample", spec.overrides())
    assert (merged.model, merged.api_key_env, merged.top_p, merged.api_base) == (
        "openai/b",
        "B_KEY",
        0.5,
        cfg.llm.api_base,
    )


def test_merged_settings_are_checked_per_stage():
    assert load_config(DEMO, ["llm.adaptive=true", "llm.min_concurrency=2"])  # demo: max_concurrency 2
    text = _error("llm.adaptive=true", "llm.min_concurrency=2", "checkers.llm.min_concurrency=3")
    assert text == (
        "--set checkers.llm.min_concurrency=3: checkers.llm.min_concurrency: (3) must be <= max_concurrency (2) "
        "when adaptive"
    )


def test_stage_blocks_are_saved_as_written_and_reload_unchanged():
    cfg = load_config(DEMO, ["checkers.llm.model=openai/big"])
    dumped = cfg.model_dump(mode="json")
    assert dumped["checkers"]["llm"] == {"model": "openai/big", "temperature": 0.8, "max_tokens": 300}
    assert dumped["expand"]["llm"] == {"temperature": 0.2, "max_tokens": 250} and dumped["verify"]["llm"] == {}
    assert dumped["sample"]["models"] == [
        {
            "model": None,
            "api_base": None,
            "temperature": None,
            "max_tokens": None,
            "system_prompt": None,
            "weight": 1.0,
            "n": None,
            "batch": None,
        }
    ]
    again = RunConfig(**json.loads(json.dumps(dumped)))
    assert again.fingerprint() == cfg.fingerprint() and again.to_yaml() == cfg.to_yaml()
    assert cfg.llm_for("checkers").model == "openai/big" and cfg.llm_for("verify") == cfg.llm
    # a null that is written is an override (litellm routing for one stage), not "inherit"
    assert load_config(DEMO, ["checkers.llm.api_base=null"]).llm_for("checkers").api_base is None


# -- names checked against the registry -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("[IFEval]", "unknown family 'IFEval' (did you mean 'ifeval'?); valid: ifeval, ifevalg, ifbench, ifgen"),
        ("[ifeval, extra]", "compose.families.1: unknown family 'extra'; valid: ifeval, ifevalg, ifbench, ifgen"),
        ("[ifbench]", "compose.families: ['ifbench'] hold(s) only eval_only constraints"),
    ],
)
def test_family_names_are_checked(value, expected):
    assert expected in _error(f"compose.families={value}")


def test_eval_only_families_are_fine_when_asked_for_and_an_empty_list_means_free_form_only():
    assert load_config(DEMO, ["compose.families=[ifbench]", "compose.include_eval_only=true"])
    assert load_config(DEMO, ["compose.families=[]"]).compose.families == []


def test_pattern_names_and_weights_are_checked():
    assert _error("compose.pattern_weights={listin: 1}").endswith(
        "compose.pattern_weights.listin: unknown pattern 'listin' (did you mean 'listing'?); "
        "valid: listing, incorporation, example"
    )
    assert "at least one weight must be > 0" in _error("compose.pattern_weights={example: 0}")
    assert "greater than or equal to 0" in _error("compose.pattern_weights={example: -1}")


def test_constraint_ids_in_config_are_checked():
    class WithIds(BaseModel):
        ids: list[ConstraintId]

    assert WithIds(ids=["punctuation:no_comma"]).ids == ["punctuation:no_comma"]
    with pytest.raises(ValidationError, match=r"unknown constraint id 'punctuation:no_coma' \(did you mean"):
        WithIds(ids=["punctuation:no_coma"])


# -- origins ----------------------------------------------------------------------------------------------------


def test_errors_from_the_file_name_file_and_line(tmp_path):
    p = _yaml(
        tmp_path,
        "run:\n  name: t\ncompose:\n  families: [ifeval, IFEvalG]\ncheckers:\n  functions: 2\n  llm:\n"
        "    temperature: 0.5\n    modle: big\n",
    )
    assert _error(path=p).startswith(f"{p}:4: compose.families.1: unknown family 'IFEvalG'")
    p = _yaml(tmp_path, "checkers:\n  functions: 2\n  llm:\n    temperature: 0.5\n    modle: big\n")
    assert _error(path=p) == f"{p}:5: checkers.llm.modle: unknown key (did you mean 'model'?)"
    p = _yaml(tmp_path, "sample:\n  models:\n    - {model: a}\n    - {model: b, temperature: warm}\n")
    assert _error(path=p).startswith(f"{p}:4: sample.models.1.temperature: Input should be a valid number")
    p = _yaml(tmp_path, "compose:\n  min_constraints: 3\n  max_constraints: 2\n")
    assert _error(path=p) == f"{p}:3: compose.max_constraints: (2) must be >= compose.min_constraints (3)"
    p = _yaml(tmp_path, "run:\n  seed: 1\nexpand:\n  min_freeform: 6\n")  # the other bound is a default
    assert _error(path=p) == f"{p}:4: expand.max_freeform: (5) must be >= expand.min_freeform (6)"
    p = _yaml(tmp_path, "run:\n  seed: 1\n")  # nothing in the file: the file itself
    assert _error("compose.max_constraints=0", path=p).startswith("--set compose.max_constraints=0:")
    p = _yaml(tmp_path, "llm:\n  adaptive: true\ncheckers:\n  llm: {max_concurrency: 2}\n")
    assert _error(path=p).startswith(f"{p}:4: checkers.llm.min_concurrency: (4) must be <= max_concurrency (2)")


def test_a_bound_broken_by_a_set_flag_is_blamed_on_the_flag_not_the_file(tmp_path):
    p = _yaml(tmp_path, "compose:\n  min_constraints: 1\n  max_constraints: 3\n")
    assert _error("compose.min_constraints=5", path=p) == (
        "--set compose.min_constraints=5: compose.max_constraints: (3) must be >= compose.min_constraints (5)"
    )
    # a whole section replaced by a flag: the flag
    assert _error("checkers.llm={modle: x}", path=p).startswith("--set checkers.llm={modle: x}: checkers.llm.modle")
    # the file's own error stays the file's, even when flags touch other keys
    p = _yaml(tmp_path, "compose:\n  families: [extra]\n")
    assert _error("sample.n=3", "checkers.llm.model=m", path=p).startswith(f"{p}:2: compose.families.0")


def test_a_key_written_twice_in_the_file_is_an_error_naming_both_lines(tmp_path):
    p = _yaml(tmp_path, "checkers:\n  llm: {temperature: 0.2}\n  functions: 2\n  llm: {temperature: 0.3}\n")
    assert _error(path=p) == f"{p}:4: duplicate key checkers.llm (first at line 2)"


def test_config_show_refuses_what_a_run_would_refuse(capsys):
    assert main(["config", "show", "-c", DEMO, "--set", "checkers.llm.temperature=hot"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "ifgen: config error: --set checkers.llm.temperature=hot: checkers.llm.temperature: "
        "Input should be a valid number, unable to parse string as a number"
    ]


def test_a_bad_stage_llm_key_stops_ifgen_run_before_any_work(tmp_path, capsys):
    with ThreadedFakeServer() as srv:
        rc = main(
            [
                "run",
                "-c",
                DEMO,
                "--run",
                "early",
                "-q",
                "--set",
                f"run.output_dir={tmp_path}",
                "--set",
                f"llm.api_base={srv.url}",
                "--set",
                "llm.model=openai/fake",
                "--set",
                "checkers.llm.modle=big",
            ]
        )
        assert rc == 2 and srv.stats()["requests"] == 0
    assert "checkers.llm.modle: unknown key" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())  # not even the run folder


def test_the_cards_config_keeps_what_routes_a_call_and_drops_what_does_not():
    """`data_config()`: no endpoints, concurrency, pool sizes or page settings; `api_base: null` stays, because
    it is what sends a hosted provider's model through litellm (reloaded, the default local endpoint would not)."""
    import yaml

    cfg = RunConfig.model_validate(
        {"llm": {"model": "anthropic/claude-3-5-haiku-latest", "api_base": None}, "checkers": {"workers": 4}}
    )
    data = cfg.data_config()
    assert data["llm"]["api_base"] is None and "max_concurrency" not in data["llm"]
    assert "workers" not in data["checkers"] and "report" not in data and "push" not in data
    again = RunConfig.model_validate(yaml.safe_load(cfg.to_yaml(data_only=True)))
    assert again.llm.api_base is None and again.fingerprint() == cfg.fingerprint()
    assert RunConfig.model_validate({"checkers": {"workers": 4}, "report": {"sample_rows": 3}}).fingerprint() == (
        RunConfig().fingerprint()
    )
