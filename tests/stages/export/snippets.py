"""Reading the card's code blocks, and pointing the lines users edit at a test's export and model."""

from __future__ import annotations

import re
import shlex

from pipeline.stages.export.howto import DATA, MODEL


def card_block(card: str, heading: str, lang: str = "python", nth: int = 0) -> str:
    """The nth ```lang block under `### heading` (before the next heading)."""
    section = re.split(r"\n#{2,3} ", card.split(f"### {heading}\n", 1)[1], maxsplit=1)[0]
    blocks = re.findall(rf"```{lang}\n(.*?)```", section, re.S)
    assert len(blocks) > nth, f"no {lang} block #{nth} under {heading!r}"
    return blocks[nth]


def runnable(snippet: str, data, model) -> str:
    """A Python snippet with its `data = ...` and `model = ...` lines pointed at the export and the model."""
    out, n = re.subn(r'(?m)^data = ".*"$', f"data = {str(data)!r}", snippet)
    out, m = re.subn(r'(?m)^model = ".*"$', f"model = {str(model)!r}", out)
    assert n == m == 1, snippet
    return out


def command(block: str, data, model) -> list[str]:
    """A bash block as argv: continuation lines joined, the trailing comment dropped, placeholders replaced."""
    text = block.replace("\\\n", " ").split("  #", 1)[0]
    assert DATA in text and MODEL in text, block
    return shlex.split(text.replace(DATA, str(data)).replace(MODEL, str(model)))
