"""What the response must start or end with: a wrapping tag, a final TL;DR line, an exact opening phrase."""

from __future__ import annotations

import re

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import Conflicts, Param, fails, passes
from . import define
from ._common import nonempty_lines


def wrap_in_tags(response: str, tag_name: str) -> bool:
    s = response.strip()
    return s.startswith(f"<{tag_name}>") and s.endswith(f"</{tag_name}>") and len(s) > 2 * len(tag_name) + 5


def wrap_tags_facts(p: dict) -> F.Facts:
    tag = str(p["tag_name"])
    f = F.literal(F.Facts(decor=True), f"<{tag}></{tag}>", case_sensitive=True)
    f.start.append(F.Anchor("phrase", f"<{tag}>", ci=False))
    f.end.append(F.Anchor("phrase", f"</{tag}>", ci=False))
    return f


define(
    "ifgen:wrap_in_tags",
    category="startend",
    description="The whole response wrapped in <tag>...</tag>.",
    params=[Param("tag_name", "choice", choices=("answer", "response", "final", "output", "summary"))],
    phrasings=[
        "Wrap your entire response in <{tag_name}> and </{tag_name}> tags.",
        "Enclose the whole answer between an opening <{tag_name}> tag and a closing </{tag_name}> tag.",
        "Put everything you write inside a single <{tag_name}>...</{tag_name}> element.",
    ],
    check=wrap_in_tags,
    conflicts=Conflicts(
        ids={
            "startend:end_checker": "the closing tag would follow the end phrase",
            "startend:quotation": "two different wrappers",
            "combination:repeat_prompt": "the response must start with the prompt",
        }
    ),
    facts=F.one_value("tag_name", wrap_tags_facts),
    examples=[
        passes("<answer>\nForty-two.\n</answer>", tag_name="answer"),
        fails("<answer>x</answer> trailing", "nothing may follow the closing tag", tag_name="answer"),
        fails("<answer></answer>", "the tags must wrap some content", tag_name="answer"),
    ],
)


def tldr_summary(response: str, max_words: int) -> bool:
    ls = nonempty_lines(response)
    if len(ls) < 2:
        return False
    m = re.match(r"(?i)^\s*\**\s*tl;?dr\s*\**\s*:\s*\**(.*)$", ls[-1])
    return m is not None and 1 <= len(re.findall(r"\w+", m.group(1))) <= max_words


def tldr_facts(p: dict) -> F.Facts:
    f = F.Facts(decor=True).need("lines", 2).need("char:;", 1).need("char::", 1)
    f.end.append(F.Anchor("block", "TL;DR line"))
    return f


define(
    "ifgen:tldr_summary",
    category="startend",
    description="A final 'TL;DR:' line of at most n words.",
    params=[Param("max_words", "int", 5, 25, sample=S.int_range(8, 20))],
    phrasings=[
        "Finish with a final line starting 'TL;DR:' that sums everything up in at most {max_words} words.",
        "End your answer with a one-line TL;DR: summary no longer than {max_words} words.",
        "The last line must be 'TL;DR: ...' with {max_words} words or fewer after the colon.",
    ],
    check=tldr_summary,
    tags=("long",),
    conflicts=Conflicts(
        ids={
            "startend:end_checker": "both must come last",
            "detectable_content:postscript": "both must come last",
            "ifgen:email_format": "both must come last",
            "ifgen:wrap_in_tags": "the closing tag must come last",
            "startend:quotation": "the closing quotation mark must come last",
        }
    ),
    groups=("layout",),
    facts=tldr_facts,
    examples=[
        passes("Long explanation here.\n\nTL;DR: use the blue one.", max_words=6),
        fails("Body.\nTL;DR: this is far too long a summary.", max_words=3),
        fails("TL;DR: first.\nThen body.", "the TL;DR line must be the last line", max_words=5),
    ],
)


START_PHRASES = ("In short:", "Here is my answer:", "Short answer:", "To begin,", "Good question.", "Let me explain.")


def starts_with_phrase(response: str, start_phrase: str) -> bool:
    return response.lstrip().startswith(start_phrase)


def start_phrase_facts(p: dict) -> F.Facts:
    text = str(p["start_phrase"])
    f = F.literal(F.Facts(decor=True), text, case_sensitive=True)
    f.start.append(F.Anchor("phrase", text, ci=False))
    return f


define(
    "ifgen:start_phrase",
    category="startend",
    description="The response begins with an exact phrase.",
    params=[Param("start_phrase", "choice", choices=START_PHRASES)],
    phrasings=[
        "Begin your response with the exact phrase '{start_phrase}'.",
        "The very first words of your answer must be: {start_phrase}",
        "Open with '{start_phrase}' exactly as written, then continue.",
    ],
    check=starts_with_phrase,
    conflicts=Conflicts(
        ids={
            "first_word:first_word_answer": "two rules for how the response starts",
            "combination:repeat_prompt": "the response must start with the prompt",
            "ifgen:wrap_in_tags": "the response must start with the tag",
            "ifgen:table_of_contents": "the table of contents comes first",
            "ifgen:email_format": "an email starts with its Subject line",
            "startend:quotation": "the response must start with a quotation mark",
        }
    ),
    facts=F.one_value("start_phrase", start_phrase_facts),
    examples=[
        passes("  In short: yes, it works.", "leading whitespace is ignored", start_phrase="In short:"),
        fails("in short: case matters.", "the phrase is case-sensitive", start_phrase="In short:"),
    ],
)
