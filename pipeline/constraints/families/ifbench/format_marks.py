"""IFBench marks and word forms: nested brackets and quotes, quoted phrases, emoji, title case, whitespace and
one word per line.

Several IFBench format checkers are deliberately literal and we keep them literal: these ids score a benchmark,
so our verdicts must match it.
"""

from __future__ import annotations

import string

import emoji

from ...conflicts import facts as F
from ...core.contract import NO_CONFLICTS, Conflicts, fails, passes
from . import define
from ._text import drop_punct, nltk_words, sentences

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


define(
    "format:parentheses",
    category="format",
    description="brackets ( [ { correctly nested at least 5 levels deep",
    phrasings=[
        "Nest parentheses, brackets and braces at least 5 levels deep somewhere in your answer.",
        "Include a correctly closed group of brackets nested five levels, like ( [ {{ ( [ ] ) }} ] ).",
        "Somewhere in the text, put brackets inside brackets inside brackets, at least five levels deep.",
    ],
    check=parentheses,
    tags=("english", "no_code"),
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("(a [b {c (d [e] f) g} h] i)"),
        fails("(a [b {c (d) g} h] i)", "four levels only"),
        fails("((((( x ])))))", "a mismatched closer starts the count afresh"),
    ],
)


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


define(
    "format:quotes",
    category="format",
    description="quotes nested 3 levels, alternating \" and '",
    phrasings=[
        "Include quotes within quotes within quotes, three levels deep, alternating double and single quotes.",
        "Nest quotations at least three deep, switching between \" and ' at each level.",
        "Somewhere, quote someone who quotes someone who quotes someone, alternating \" and ' marks.",
    ],
    check=quotes,
    tags=("english", "no_code"),
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes('"a \'b "c" b\' a"'),
        fails("\"a 'b' a\"", "two levels only"),
        fails('"a "b" a"', "the same quote mark closes its parent instead of nesting"),
    ],
)


def quote_unquote(response: str) -> bool:
    # Current IFBench compares straight double quotes only (curly quotes are
    # not normalised); a quoted '"' character is ignored.
    packed = "".join(response.replace("'\"'", "").split())
    if '""' in packed:
        return False
    tail = packed.strip(string.digits + string.punctuation.replace('"', ""))
    return not (tail and tail[-1] == '"')


define(
    "format:quote_unquote",
    category="format",
    description="no two quoted phrases adjacent and no quote at the end",
    phrasings=[
        "Every quoted phrase must be followed by some unquoted explanation.",
        "After each phrase in double quotes, add your own explanation outside the quotes.",
        "Never end on a quotation or put two quotations back to back: explain each one.",
    ],
    check=quote_unquote,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes('He said "hi" to me.'),
        fails('He said "hi" "bye".', "two quotations back to back"),
        fails('He said "hi"', "ends on a quotation"),
    ],
)


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


define(
    "format:emoji",
    category="format",
    description="every sentence ends with an emoji",
    phrasings=[
        "End every sentence with an emoji.",
        "Finish each sentence you write with an emoji.",
        "Please put an emoji at the end of every sentence.",
    ],
    check=emoji_end,
    tags=("english", "no_code"),
    conflicts=NO_CONFLICTS,
    facts=F.needs("emoji"),
    examples=[
        passes("I love pizza 🍕. It is great 🚀!", "the closing punctuation is ignored"),
        fails("I love pizza 🍕. It is great!"),
    ],
)


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


define(
    "format:title_case",
    category="format",
    description="every word starts with a capital letter",
    phrasings=[
        "Write the entire response in title case.",
        "Capitalize the first letter of every word in your answer (Title Case).",
        "Use Title Case Throughout The Whole Response.",
    ],
    check=title_case,
    tags=("english", "no_code"),
    conflicts=Conflicts(
        ids={
            "change_case:english_lowercase": "all lowercase vs title case",
            "change_case:english_capital": "all capitals vs title case",
        }
    ),
    facts=F.needs("char:upper"),
    examples=[
        passes("The Quick Brown Fox"),
        fails("The quick Brown Fox"),
        fails("A Tale Of a City", "a one-letter lowercase word fails too"),
    ],
)


def no_whitespace(response: str) -> bool:
    return not any(ch.isspace() for ch in response)


define(
    "format:no_whitespace",
    category="format",
    description="no whitespace characters at all",
    phrasings=[
        "Your output must not contain any whitespace.",
        "Do not use spaces, tabs or line breaks anywhere in the response.",
        "Write the answer without a single whitespace character.",
    ],
    check=no_whitespace,
    tags=("english", "short"),
    conflicts=NO_CONFLICTS,
    groups=("token_wrapper",),
    facts=None,
    examples=[
        passes("no-space-at-all!"),
        fails("two words"),
        fails("tab\there"),
    ],
)


def newline(response: str) -> bool:
    cleaned = drop_punct(response).strip()
    lines = [ln for ln in cleaned.split("\n") if ln != ""]
    return len(lines) == len(cleaned.split())


define(
    "format:newline",
    category="format",
    description="each word on its own line",
    phrasings=[
        "Write each word on a new line.",
        "Put every single word of your answer on a separate line.",
        "One word per line, for the whole response.",
    ],
    check=newline,
    tags=("english", "no_code"),
    conflicts=NO_CONFLICTS,
    groups=("token_wrapper",),
    facts=None,
    examples=[
        passes("one\ntwo\nthree."),
        fails("one two\nthree", "two words share the first line"),
    ],
)
