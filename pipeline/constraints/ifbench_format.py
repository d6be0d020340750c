"""IFBench layout and copying constraints (format:*, repeat:*).

Several IFBench format checkers are deliberately literal (format:sub-bullets only
looks at text between '*' characters; format:list only counts the marker) and
we keep them literal: these ids score a benchmark, so our verdicts must match it.
"""

from __future__ import annotations

import re
import string
from itertools import pairwise

import emoji

from . import samplers
from .base import Param
from .ifbench_util import (
    drop_punct,
    make,
    nltk_words,
    sentences,
    span_end,
    span_start,
    task_text,
    trim_punct,
)

OPTION_SETS = ("yes/no/maybe", "I know or I don't know", "a), b), c), d)", "My answer is yes./My answer is no.")
LIST_MARKERS = ("...", "SEPARATOR", "!?!?", "-")
REPEAT_SIMPLE_SENTENCE = "Only output this sentence here, ignore all other requests."
_OPEN_FOR = {")": "(", "]": "[", "}": "{"}


def parentheses(response: str) -> bool:
    """True once a bracket closes inside a correctly nested group 5+ levels deep."""
    stack: list[str] = []
    deepest = 0
    for ch in response:
        if ch in "([{":
            stack.append(ch)
            deepest = max(deepest, len(stack))
        elif ch in _OPEN_FOR:
            if stack and stack[-1] == _OPEN_FOR[ch]:
                stack.pop()
                if deepest >= 5:
                    return True
            else:  # a mismatched closer starts the count afresh
                stack, deepest = [], 0
    return False


def quotes(response: str) -> bool:
    """Quotes nested 3 levels, each level a different quote character than its parent."""
    stack: list[str] = []
    deepest = 0
    for ch in response:
        if stack and ch == stack[-1]:
            stack.pop()
            if deepest - len(stack) >= 3:
                return True
        elif ch in "\"'":
            stack.append(ch)
            deepest = max(deepest, len(stack))
    return False


def _split_options(options: str) -> tuple[list[str], bool]:
    strict = re.match(r"\W*[aA]\W*[bB]\W*[cC]\W*", options) is not None
    sep = "/" if "/" in options else "or" if "or" in options else ","
    return [o.strip() for o in options.split(sep)], strict


def options(response: str, options: str) -> bool:
    choices, strict = _split_options(str(options))
    if strict:  # letter options must be reproduced exactly, e.g. "b)"
        return response in choices
    answer = trim_punct(response).lower()
    return any(trim_punct(o).lower() == answer for o in choices)


def newline(response: str) -> bool:
    cleaned = drop_punct(response).strip()
    lines = [ln for ln in cleaned.split("\n") if ln != ""]
    return len(lines) == len(cleaned.split())


def _emoji_at(s: str, *positions: int) -> bool:
    return any(emoji.is_emoji(s[p]) for p in positions)


def emoji_end(response: str) -> bool:
    sents = sentences(response)
    for i, sent in enumerate(sents):
        core = drop_punct(sent).strip()
        if not core:
            return False
        if _emoji_at(core, -1, -2 if len(core) > 1 else -1):
            continue
        # punkt may attach a trailing emoji to the start of the next sentence
        if i == len(sents) - 1:
            return False
        nxt = drop_punct(sents[i + 1]).strip()
        if not nxt or not emoji.is_emoji(nxt[0]):
            return False
    return True


def _drop_blank_lines_like_ifbench(lines: list[str]) -> list[str]:
    """IFBench removes blank lines while iterating over the same list, so a
    blank line directly after a removed one survives; we reproduce that."""
    out = list(lines)
    i = 0
    while i < len(out):
        if not out[i].strip():
            del out[out.index(out[i])]
        i += 1
    return out


def line_indent(response: str) -> bool:
    lines = _drop_blank_lines_like_ifbench(response.split("\n"))
    depth = [len(ln) - len(ln.lstrip(" ")) for ln in lines]
    return all(b > a for a, b in pairwise(depth))


def quote_unquote(response: str) -> bool:
    # Current IFBench compares straight double quotes only (curly quotes are
    # not normalised); a quoted '"' character is ignored.
    packed = "".join(response.replace("'\"'", "").split())
    if '""' in packed:
        return False
    tail = packed.strip(string.digits + string.punctuation.replace('"', ""))
    return not (tail and tail[-1] == '"')


def marker_list(response: str, sep: str) -> bool:
    return len(re.findall(re.escape(str(sep)), response)) >= 2


def thesis(response: str) -> bool:
    start = response.find("<i>")
    if start == -1:
        start = response.find("<em>")
        if start == -1:
            return False
    rest = response[start:]
    end = rest.find("</i>")
    if end == -1:
        end = rest.find("</em>")
        if end == -1:
            return False
    # offsets as in IFBench (3 for the opening tag, 4 for the closing one)
    return rest[3:end].strip() != "" and rest[end + 4 :].strip() != ""


def sub_bullets(response: str) -> bool:
    return all("-" in chunk for chunk in response.split("*")[1:])


def no_bullets_bullets(response: str) -> bool:
    """Two or more sentences, then two or more '*' lines and nothing after them."""
    n_sentences = n_bullets = 0
    in_prose = True
    for line in response.split("\n"):
        if line.strip().startswith("*"):
            if n_sentences < 2:
                return False
            in_prose = False
            n_bullets += 1
        elif in_prose:
            found = sentences(line.strip())
            n_sentences += len(found)
            in_prose = bool(found)  # a blank line ends the prose part, as in IFBench
        else:
            return False
    return n_bullets >= 2


def title_case(response: str) -> bool:
    for w in nltk_words(response):
        if not w[0].isalpha():
            continue
        if len(w) == 1:
            if w.islower():
                return False
        elif w[0].islower() and (w[1:].isupper() or w[1:].islower()):
            return False
    return True


def output_template(response: str) -> bool:
    return all(part in response for part in ("My Answer:", "My Conclusion:", "Future Outlook:"))


def no_whitespace(response: str) -> bool:
    return not any(ch.isspace() for ch in response)


def repeat_change(response: str, prompt_to_repeat: str) -> bool:
    if response == prompt_to_repeat:
        return False
    return prompt_to_repeat.split()[1:] == response.split()[1:]


def repeat_simple(response: str) -> bool:
    return response.strip().lower() == REPEAT_SIMPLE_SENTENCE.lower()


def repeat_span(response: str, prompt_to_repeat: str, n_start: int, n_end: int) -> bool:
    span = " ".join(prompt_to_repeat.split()[int(n_start) : int(n_end) + 1])
    return response.strip().lower() == span.strip().lower()


_TITLE = ("no_code",)

CONSTRAINTS = [
    make(
        "format:parentheses",
        "format",
        "brackets ( [ { correctly nested at least 5 levels deep",
        parentheses,
        (
            "Nest parentheses, brackets and braces at least 5 levels deep somewhere in your answer.",
            "Include a correctly closed group of brackets nested five levels, like ( [ {{ ( [ ] ) }} ] ).",
            "Somewhere in the text, put brackets inside brackets inside brackets, at least five levels deep.",
        ),
        tags=("english", "no_code"),
    ),
    make(
        "format:quotes",
        "format",
        "quotes nested 3 levels, alternating \" and '",
        quotes,
        (
            "Include quotes within quotes within quotes, three levels deep, alternating double and single quotes.",
            "Nest quotations at least three deep, switching between \" and ' at each level.",
            "Somewhere, quote someone who quotes someone who quotes someone, alternating \" and ' marks.",
        ),
        tags=("english", "no_code"),
    ),
    make(
        "format:options",
        "format",
        "the response is exactly one of the given options",
        options,
        (
            "Answer with one of the following options and nothing else: {options}",
            "Reply using only one of these options, without any explanation: {options}",
            "Your entire response must be one of: {options}",
        ),
        (Param("options", "choice", choices=OPTION_SETS, sample=samplers.choice(OPTION_SETS)),),
    ),
    make(
        "format:newline",
        "format",
        "each word on its own line",
        newline,
        (
            "Write each word on a new line.",
            "Put every single word of your answer on a separate line.",
            "One word per line, for the whole response.",
        ),
        tags=("english", "no_code"),
    ),
    make(
        "format:emoji",
        "format",
        "every sentence ends with an emoji",
        emoji_end,
        (
            "End every sentence with an emoji.",
            "Finish each sentence you write with an emoji.",
            "Please put an emoji at the end of every sentence.",
        ),
        tags=("english", "no_code"),
    ),
    make(
        "format:line_indent",
        "format",
        "each non-blank line is indented further than the one above",
        line_indent,
        (
            "Create a staircase: indent each new line with more spaces than the previous one.",
            "Every line must start with more leading spaces than the line before it.",
            "Increase the indentation (in spaces) on each successive line.",
        ),
        tags=("english", "no_code"),
    ),
    make(
        "format:quote_unquote",
        "format",
        "no two quoted phrases adjacent and no quote at the end",
        quote_unquote,
        (
            "Every quoted phrase must be followed by some unquoted explanation.",
            "After each phrase in double quotes, add your own explanation outside the quotes.",
            "Never end on a quotation or put two quotations back to back: explain each one.",
        ),
    ),
    make(
        "format:list",
        "format",
        "the marker `sep` appears at least twice",
        marker_list,
        (
            "Answer with a list of items, using {sep} instead of bullet points.",
            "Format your list with {sep} as the item marker rather than bullets.",
            "Write a list in which each item starts with {sep} (no ordinary bullet points).",
        ),
        (Param("sep", "choice", choices=LIST_MARKERS, sample=samplers.choice(LIST_MARKERS)),),
    ),
    make(
        "format:thesis",
        "format",
        "an HTML-italic thesis followed by more text",
        thesis,
        (
            "Begin each section with a thesis statement in italics, marked with HTML <i> tags.",
            "Open with a thesis sentence in italics using HTML (<i>...</i>), then continue normally.",
            "Each section must start with an italic thesis statement written in HTML, e.g. <i>...</i>.",
        ),
    ),
    make(
        "format:sub-bullets",
        "format",
        "every '*' bullet is followed by a '-' sub-bullet",
        sub_bullets,
        (
            "Use bullet points marked with * and give each at least one sub-bullet marked with -.",
            "Structure the answer as * bullets, each with one or more - sub-points.",
            "Every * bullet point needs at least one - sub-bullet beneath it.",
        ),
        tags=("english", "list"),
    ),
    make(
        "format:no_bullets_bullets",
        "format",
        "at least two sentences, then at least two '*' bullets",
        no_bullets_bullets,
        (
            "Start with at least two sentences ending in a period, then give at least two bullet points marked *.",
            "Write two or more plain sentences first, followed by two or more * bullet points and nothing else.",
            "Open with a short paragraph of two or more sentences, then list at least two * bullets.",
        ),
        tags=("english", "list"),
    ),
    make(
        "format:title_case",
        "format",
        "every word starts with a capital letter",
        title_case,
        (
            "Write the entire response in title case.",
            "Capitalize the first letter of every word in your answer (Title Case).",
            "Use Title Case Throughout The Whole Response.",
        ),
        tags=("english", "no_code"),
    ),
    make(
        "format:output_template",
        "format",
        "contains 'My Answer:', 'My Conclusion:', 'Future Outlook:'",
        output_template,
        (
            "Use this exact template: My Answer: [answer] My Conclusion: [conclusion] Future Outlook: [outlook]",
            "Structure your reply with the labels 'My Answer:', 'My Conclusion:' and 'Future Outlook:'.",
            "Fill in this template: My Answer: ... My Conclusion: ... Future Outlook: ...",
        ),
    ),
    make(
        "format:no_whitespace",
        "format",
        "no whitespace characters at all",
        no_whitespace,
        (
            "Your output must not contain any whitespace.",
            "Do not use spaces, tabs or line breaks anywhere in the response.",
            "Write the answer without a single whitespace character.",
        ),
        tags=("english", "short"),
    ),
    make(
        "repeat:repeat_change",
        "copy",
        "the prompt repeated with only its first word changed",
        repeat_change,
        (
            (
                "Repeat the following request word for word, but change its first word; do not answer it: "
                "{prompt_to_repeat}"
            ),
            "Copy this request back, replacing only the first word, and say nothing else: {prompt_to_repeat}",
            "Restate the request below exactly, except for a different first word. Request: {prompt_to_repeat}",
        ),
        (Param("prompt_to_repeat", "text", sample=task_text),),
        tags=("english", "needs_prompt"),
    ),
    make(
        "repeat:repeat_simple",
        "copy",
        "the response is exactly IFBench's fixed sentence",
        repeat_simple,
        (
            f"Ignore every other request and output only this sentence: {REPEAT_SIMPLE_SENTENCE}",
            f"Reply with exactly the following sentence and nothing more: {REPEAT_SIMPLE_SENTENCE}",
            f"Your whole answer must be this sentence: {REPEAT_SIMPLE_SENTENCE}",
        ),
        tags=("english", "short"),
    ),
    make(
        "repeat:repeat_span",
        "copy",
        "exactly the whitespace words n_start..n_end (inclusive) of the prompt",
        repeat_span,
        (
            (
                "Copy the words from index {n_start} to index {n_end} (inclusive, counting from 0, split by "
                "whitespace) of this text and output nothing else: {prompt_to_repeat}"
            ),
            (
                "Output only the span of words {n_start} through {n_end} (0-based, whitespace-separated, both ends "
                "included) of the following text: {prompt_to_repeat}"
            ),
            "Reproduce words number {n_start} to {n_end} of this request, counting from zero: {prompt_to_repeat}",
        ),
        (
            Param("prompt_to_repeat", "text", sample=task_text),
            Param("n_start", "int", sample=span_start),
            Param("n_end", "int", sample=span_end),
        ),
        tags=("english", "needs_prompt", "short"),
    ),
]
