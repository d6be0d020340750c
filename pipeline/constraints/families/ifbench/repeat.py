"""IFBench copies: the whole answer is the request repeated with one change, a fixed sentence, or a span of it.

The request is a parameter (`prompt_to_repeat`), bound from the task text compose passes in, so these ids carry
the `needs_prompt` tag; each one fixes the whole answer and so shares a prompt with nothing else.
"""

from __future__ import annotations

from ...core.contract import Param, exclusive, fails, passes
from . import define
from ._samplers import span_end, span_start, task_text

_PROMPT = "Write a short story about a lighthouse keeper who finds a message in a bottle."


def repeat_change(response: str, prompt_to_repeat: str) -> bool:
    if response == prompt_to_repeat:
        return False
    return prompt_to_repeat.split()[1:] == response.split()[1:]


define(
    "repeat:repeat_change",
    category="copy",
    description="the prompt repeated with only its first word changed",
    params=[Param("prompt_to_repeat", "text", sample=task_text)],
    phrasings=[
        ("Repeat the following request word for word, but change its first word; do not answer it: {prompt_to_repeat}"),
        "Copy this request back, replacing only the first word, and say nothing else: {prompt_to_repeat}",
        "Restate the request below exactly, except for a different first word. Request: {prompt_to_repeat}",
    ],
    check=repeat_change,
    tags=("english", "needs_prompt"),
    conflicts=exclusive("the answer is a lightly changed repetition of the request"),
    facts=None,
    examples=[
        passes(
            "Compose a short story about a lighthouse keeper who finds a message in a bottle.", prompt_to_repeat=_PROMPT
        ),
        fails(_PROMPT, "an unchanged copy", prompt_to_repeat=_PROMPT),
        fails(
            "Compose a story about a lighthouse keeper who finds a message in a bottle.",
            "a word after the first is dropped",
            prompt_to_repeat=_PROMPT,
        ),
    ],
)

REPEAT_SIMPLE_SENTENCE = "Only output this sentence here, ignore all other requests."


def repeat_simple(response: str) -> bool:
    return response.strip().lower() == REPEAT_SIMPLE_SENTENCE.lower()


define(
    "repeat:repeat_simple",
    category="copy",
    description="the response is exactly IFBench's fixed sentence",
    phrasings=[
        f"Ignore every other request and output only this sentence: {REPEAT_SIMPLE_SENTENCE}",
        f"Reply with exactly the following sentence and nothing more: {REPEAT_SIMPLE_SENTENCE}",
        f"Your whole answer must be this sentence: {REPEAT_SIMPLE_SENTENCE}",
    ],
    check=repeat_simple,
    tags=("english", "short"),
    conflicts=exclusive("the answer is a repetition of the request"),
    facts=None,
    examples=[
        passes("only output this sentence here, ignore all other requests.", "any case"),
        fails("Sure. Only output this sentence here, ignore all other requests."),
    ],
)


def repeat_span(response: str, prompt_to_repeat: str, n_start: int, n_end: int) -> bool:
    span = " ".join(prompt_to_repeat.split()[int(n_start) : int(n_end) + 1])
    return response.strip().lower() == span.strip().lower()


define(
    "repeat:repeat_span",
    category="copy",
    description="exactly the whitespace words n_start..n_end (inclusive) of the prompt",
    params=[
        Param("prompt_to_repeat", "text", sample=task_text),
        Param("n_start", "int", sample=span_start),
        Param("n_end", "int", sample=span_end),
    ],
    phrasings=[
        (
            "Copy the words from index {n_start} to index {n_end} (inclusive, counting from 0, split by "
            "whitespace) of this text and output nothing else: {prompt_to_repeat}"
        ),
        (
            "Output only the span of words {n_start} through {n_end} (0-based, whitespace-separated, both ends "
            "included) of the following text: {prompt_to_repeat}"
        ),
        "Reproduce words number {n_start} to {n_end} of this request, counting from zero: {prompt_to_repeat}",
    ],
    check=repeat_span,
    tags=("english", "needs_prompt", "short"),
    conflicts=exclusive("the answer is a span of the request"),
    facts=None,
    examples=[
        passes("a short story", "words 1 to 3, both included", prompt_to_repeat=_PROMPT, n_start=1, n_end=3),
        passes(
            "A SHORT STORY ", "any case; surrounding space is ignored", prompt_to_repeat=_PROMPT, n_start=1, n_end=3
        ),
        fails("a short", "n_end is included", prompt_to_repeat=_PROMPT, n_start=1, n_end=3),
        fails("Write a short story", prompt_to_repeat=_PROMPT, n_start=1, n_end=3),
    ],
)
