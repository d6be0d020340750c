"""expand's repair: valid LLM fields kept, the rest filled by named fallbacks."""

from __future__ import annotations

from pipeline.stages.expand import repair


def test_expand_repair_keeps_valid_fields_and_names_fallbacks():
    seed = {"text": "Write a haiku about autumn rain.", "language": "en", "category": "poetry"}
    meta, fb = repair({"domain": "nature", "expected_length": "lots", "output_format": "sonnet-ish"}, seed, 2, 5)
    assert meta["domain"] == "nature"
    assert meta["expected_length"] == 20 and meta["output_format"] == "poem"
    assert {"expected_length", "output_format", "task_type"} <= set(fb) and "domain" not in fb
    assert 2 <= len(meta["freeform_constraints"]) <= 5


def test_expand_language_from_seed_wins():
    seed = {"text": "Escribe un correo para pedir vacaciones.", "language": "es", "category": "email"}
    meta, fb = repair({"language": "en"}, seed, 2, 5)
    assert meta["language"] == "es"
