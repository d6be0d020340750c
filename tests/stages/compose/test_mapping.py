"""compose's free-form -> registry mapping: the matcher's result becomes a registry entry (words kept), a
mapped constraint is conflict-checked with the rest of the instruction, and an LLM proposal is attached only
when it names an offered, usable, conflict-free registry constraint."""

from __future__ import annotations

import pytest

from pipeline.config import ConfigError, load_config
from pipeline.constraints import check
from pipeline.records import Source, freeform_constraint, freeform_constraint_id, resolve_mapping
from pipeline.stages.compose import mapping as M
from pipeline.stages.compose.render import faithful

FAMILIES = ["ifeval", "ifevalg", "ifgen"]


def test_a_matched_text_becomes_its_registry_constraint_with_its_words():
    ff = freeform_constraint("Do not use the word 'very'.")
    entry, outcome = M.map_by_rules(ff, [("punctuation:no_comma", {})], FAMILIES, False)
    assert outcome == M.RULES
    assert entry == {
        "id": "keywords:forbidden_words",
        "params": {"forbidden_words": ["very"]},
        "source": Source.REGISTRY,
        "soft": False,
        "text": "Do not use the word 'very'.",
        "mapped": {"by": "rules", "freeform_id": ff["id"], "rule": entry["mapped"]["rule"]},
    }
    assert entry["mapped"]["rule"]  # the matcher rule that fired is named
    assert check(entry["id"], "A calm reply.", entry["params"]) and not check(
        entry["id"], "A very calm reply.", entry["params"]
    )


def test_a_mapped_constraint_that_conflicts_with_the_instruction_is_dropped():
    ff = freeform_constraint("Do not use the word 'very'.")
    entry, outcome = M.map_by_rules(ff, [("keywords:existence", {"keywords": ["very"]})], FAMILIES, False)
    assert (entry, outcome) == (None, M.RULES_CONFLICT)
    # the same id twice is a conflict too
    entry, outcome = M.map_by_rules(ff, [("keywords:forbidden_words", {"forbidden_words": ["cat"]})], FAMILIES, False)
    assert (entry, outcome) == (None, M.RULES_CONFLICT)
    # a whole-answer constraint (an exact copy) leaves room for no other
    q = freeform_constraint("Include at least one question mark.")
    entry, outcome = M.map_by_rules(
        q, [("copy:copying_simple", {"prompt_to_repeat": "Write a poem."})], FAMILIES, False
    )
    assert (entry, outcome) == (None, M.RULES_CONFLICT)


def test_unmatched_and_excluded_texts_stay_free_form():
    soft = freeform_constraint("Use 'very' sparingly.")
    assert M.map_by_rules(soft, [], FAMILIES, False) == (soft, M.UNMAPPED)
    ff = freeform_constraint("Do not use the word 'very'.")  # keywords:forbidden_words is an ifeval id
    assert M.map_by_rules(ff, [], ["ifgen"], False) == (ff, M.RULES_EXCLUDED)


def test_the_gate_reads_a_mapped_constraint_by_its_words():
    ff = freeform_constraint("Answer in at most 100 words.")
    entry, outcome = M.map_by_rules(ff, [], FAMILIES, False)
    assert outcome == M.RULES and entry["params"] == {"relation": "less than", "num_words": 101}
    text = "Describe a lake.\n\nAnswer in at most 100 words."
    assert faithful(text, [entry]), "101 is not in the text, the words are"
    assert not faithful("Describe a lake. Keep it short.", [entry])


def test_candidates_leave_out_soft_and_eval_only_and_put_related_first():
    offered = M.candidates("Do not use any commas at all.", FAMILIES, False)
    ids = [c.id for c in offered]
    assert "punctuation:no_comma" in ids[:5]
    assert not any(c.soft for c in offered)
    assert not any(c.split == "eval_only" for c in offered)
    assert any(c.split == "eval_only" for c in M.candidates("no commas", [*FAMILIES, "ifbench"], True))
    assert M.candidates("x", FAMILIES, False) == M.candidates("x", FAMILIES, False)


def _offered():
    return {c.id for c in M.candidates("anything", FAMILIES, False)}


@pytest.mark.parametrize(
    ("proposal", "others", "outcome"),
    [
        (None, [], M.LLM_INVALID),  # no valid JSON came back
        (M.Proposal(id=None), [], M.LLM_NONE),
        (M.Proposal(id="no:such_id", params={}), [], M.LLM_INVALID),
        (M.Proposal(id="ifgen:formal_tone", params={}), [], M.LLM_INVALID),  # soft: never offered
        (M.Proposal(id="keywords:forbidden_words", params={"words": ["very"]}), [], M.LLM_INVALID),  # wrong name
        (M.Proposal(id="length_constraints:number_words", params={"num_words": 50}), [], M.LLM_INVALID),
        (
            M.Proposal(id="keywords:forbidden_words", params={"forbidden_words": ["very"]}),
            [("keywords:existence", {"keywords": ["very"]})],
            M.LLM_CONFLICT,
        ),
        (M.Proposal(id="keywords:forbidden_words", params={"forbidden_words": ["very"]}), [], M.LLM_PROPOSED),
    ],
)
def test_a_proposal_is_attached_only_when_usable_and_conflict_free(proposal, others, outcome):
    ff = freeform_constraint("Steer well clear of the adverb 'very'.")
    entry, got = M.check_proposal(ff, proposal, _offered(), others)
    assert got == outcome
    if outcome == M.LLM_PROPOSED:
        assert entry == {**ff, "proposed": {"id": "keywords:forbidden_words", "params": {"forbidden_words": ["very"]}}}
        assert entry["source"] == Source.FREEFORM, "a proposal is not a mapping until checkers accept it"
    else:
        assert entry == ff


def test_resolve_mapping_uses_only_the_accepted_proposal():
    ff = freeform_constraint("Steer well clear of the adverb 'very'.")
    entry, _ = M.check_proposal(
        ff, M.Proposal(id="keywords:forbidden_words", params={"forbidden_words": ["very"]}), _offered(), []
    )
    assert resolve_mapping(entry, {}) is entry
    other = {ff["id"]: '["keywords:forbidden_words",{"forbidden_words":["quite"]}]'}
    assert resolve_mapping(entry, other) is entry, "a different accepted proposal does not apply"
    accepted = {ff["id"]: '["keywords:forbidden_words",{"forbidden_words":["very"]}]'}
    got = resolve_mapping(entry, accepted)
    assert got["id"] == "keywords:forbidden_words" and got["source"] == Source.REGISTRY
    assert got["text"] == ff["text"] and got["mapped"] == {
        "by": "llm",
        "freeform_id": freeform_constraint_id(ff["text"]),
        "rule": None,
    }


def test_config_rejects_impossible_shares_and_llm_match_without_checkers(tmp_path):
    with pytest.raises(ConfigError, match="multiturn_probability"):
        load_config("configs/demo.yaml", ["compose.multiturn_probability=0.7", "compose.system_probability=0.4"])
    with pytest.raises(ConfigError, match=r"compose\.llm_match: needs checkers\.enabled"):
        load_config("configs/demo.yaml", ["compose.llm_match=true", "checkers.enabled=false"])
    with pytest.raises(ConfigError, match="system_probability"):
        load_config("configs/demo.yaml", ["compose.system_probability=1.5"])
