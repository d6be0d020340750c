"""Every SFT and DPO row goes through TRL's own data utilities (trl is a test-only dependency).

The tokenizer is built offline: a tiny WordLevel `tokenizers` model wrapped in
`PreTrainedTokenizerFast` with a hand-written chat template, so no Hub access.
"""

from __future__ import annotations

import pytest

from tests.local_datasets import load_local

trl_data = pytest.importorskip("trl.data_utils", reason="trl not installed (test-only dependency)")

TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}</s>\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)


@pytest.fixture(scope="module")
def tokenizer():
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.WordLevel(vocab={"[UNK]": 0, "</s>": 1, "<pad>": 2}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    t = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", eos_token="</s>", pad_token="<pad>")
    t.chat_template = TEMPLATE
    return t


def _rows(cfg, name):
    ds = load_local(cfg.run_dir() / "export", name)
    return [row for split in ds for row in ds[split]]


def test_sft_rows_are_conversational_and_template(exported, tokenizer):
    cfg, _ = exported
    rows = _rows(cfg, "sft")
    assert rows
    for row in rows:
        assert trl_data.is_conversational(row)
        # language-modeling format: messages
        out = trl_data.maybe_apply_chat_template({"messages": row["messages"]}, tokenizer)
        user, answer = row["messages"][0]["content"], row["messages"][1]["content"]
        assert out["text"] == f"<|user|>\n{user}</s>\n<|assistant|>\n{answer}</s>\n"
        # prompt-completion format: the same conversation, split where the loss starts
        assert row["prompt"] + row["completion"] == row["messages"]
        pc = trl_data.maybe_apply_chat_template({"prompt": row["prompt"], "completion": row["completion"]}, tokenizer)
        assert pc["prompt"] == f"<|user|>\n{user}</s>\n<|assistant|>\n"
        assert pc["prompt"] + pc["completion"] == out["text"]


def test_dpo_rows_are_conversational_preference_examples(exported, tokenizer):
    cfg, _ = exported
    rows = _rows(cfg, "dpo")
    assert {r["strategy"] for r in rows} == {"best_vs_worst", "reverse_constraints"}
    for row in rows:
        assert trl_data.is_conversational(row)
        out = trl_data.maybe_apply_chat_template(row, tokenizer)
        assert out["prompt"] == f"<|user|>\n{row['prompt'][0]['content']}</s>\n<|assistant|>\n"
        assert out["chosen"].startswith(row["chosen"][0]["content"])
        assert out["rejected"].startswith(row["rejected"][0]["content"])
        assert out["chosen"] != out["rejected"]
