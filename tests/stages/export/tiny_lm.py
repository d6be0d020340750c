"""A tiny causal LM built here, for training tests: nothing is downloaded.

The tokenizer is a byte-level BPE trained with `tokenizers` on the export's own texts, wrapped in
`PreTrainedTokenizerFast` with a small chat template (no `{% generation %}` markers, like most stock
templates); the model is a one-layer Llama with random weights. `save` writes both to a folder, so code
that takes a model name (the card's snippets) loads them with `from_pretrained` like any Hub model.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}</s>\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)
SPECIAL = ["[UNK]", "</s>", "<pad>", "<|system|>", "<|user|>", "<|assistant|>"]


def export_texts(export: Path) -> Iterator[str]:
    import pyarrow.parquet as pq

    for f in sorted(Path(export).rglob("*.parquet")):
        for row in pq.read_table(f).to_pylist():
            yield json.dumps(row, ensure_ascii=False)


def tokenizer(export: Path, vocab_size: int = 512):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(export_texts(export), trainer)
    t = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", eos_token="</s>", pad_token="<pad>")
    t.chat_template = CHAT_TEMPLATE
    return t


def model(tok, seed: int = 0):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    cfg = LlamaConfig(
        vocab_size=len(tok),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=1,
        max_position_embeddings=4096,
        bos_token_id=None,
        eos_token_id=tok.eos_token_id,
        pad_token_id=tok.pad_token_id,
    )
    return LlamaForCausalLM(cfg)


def save(export: Path, folder: Path) -> Path:
    """Tokenizer + random-weight model in `folder` (loadable with from_pretrained, offline)."""
    tok = tokenizer(export)
    m = model(tok)
    m.generation_config.pad_token_id = tok.pad_token_id
    m.generation_config.eos_token_id = tok.eos_token_id
    m.save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder
