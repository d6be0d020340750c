"""The 25 IFEval constraints: ids, kwarg names, samplers, phrasings; registered at import.

Ids and kwarg names are IFEval's (google-research `instruction_following_eval`)
so IFEval input files score unchanged; the checkers live in `ifeval_checks`.
Phrasings are our own wording. Every phrasing mentions every parameter value.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from . import ifeval_checks as ck
from . import samplers as s
from .base import Constraint, ConstraintError, Param
from .registry import register

SECTION_SPLITTERS = ("Section", "SECTION", "Part", "PARAGRAPH", "Chapter")
POSTSCRIPT_MARKERS = ("P.S.", "P.P.S")
END_PHRASES = (
    "Any other questions?",
    "Is there anything else I can help with?",
    "Let me know if you have additional questions.",
    "Hope this helps!",
    "That is all you need to know.",
    "Thank you for reading.",
)


def _relation_param(name: str) -> Param:
    return Param(name, "choice", choices=ck.RELATIONS, sample=s.relation)


def _swap(cid: str, rel_name: str):
    """Inverse for the "less than" / "at least" ids: same id, other relation."""

    def inverse(p: dict) -> tuple[str, dict]:
        other = "at least" if p[rel_name] == "less than" else "less than"
        return cid, {**p, rel_name: other}

    return inverse


def _nth_paragraph(rng: random.Random, ctx: Mapping[str, Any]) -> int:
    return rng.randint(1, int(ctx.get("num_paragraphs") or 1))


def _task_text(rng: random.Random, ctx: Mapping[str, Any]) -> str:
    txt = ctx.get("task_text")
    if not txt:
        raise ConstraintError("combination:repeat_prompt needs ctx['task_text'] (the task to repeat)")
    return str(txt)


def _c(cid: str, category: str, description: str, params, phrasings, check, tags=(), swap: str = "") -> Constraint:
    return Constraint(
        id=cid,
        category=category,
        description=description,
        params=tuple(params),
        phrasings=tuple(phrasings),
        check=check,
        family="ifeval",
        split="train",
        tags=frozenset(tags),
        inverse=_swap(cid, swap) if swap else None,
    )


CONSTRAINTS = [
    _c(
        "detectable_format:number_bullet_lists",
        "format",
        "Exactly N markdown bullet points (* or -).",
        [Param("num_bullets", "int", 2, 6, sample=s.int_range(2, 6))],
        [
            (
                "Your answer must contain exactly {num_bullets} bullet points, using markdown bullets such as:\n* point one\n"
                "* point two"
            ),
            "Format the answer as exactly {num_bullets} markdown bullet points (lines starting with * or -).",
            "Give precisely {num_bullets} bullets in markdown, no more and no fewer.",
        ],
        ck.number_bullet_lists,
        tags=("list",),
    ),
    _c(
        "detectable_format:constrained_response",
        "format",
        "Contains one of 'My answer is yes.', 'My answer is no.', 'My answer is maybe.'",
        [],
        [
            (
                'Answer with one of the following options: "My answer is yes.", "My answer is no.", '
                '"My answer is maybe."'
            ),
            "Reply using exactly one of these sentences: My answer is yes. / My answer is no. / My answer is maybe.",
            "Your reply must be one of: 'My answer is yes.', 'My answer is no.' or 'My answer is maybe.'",
        ],
        ck.constrained_response,
        tags=("short",),
    ),
    _c(
        "detectable_format:number_highlighted_sections",
        "format",
        "At least N *highlighted* markdown spans.",
        [Param("num_highlights", "int", 1, 5, sample=s.int_range(1, 5))],
        [
            "Highlight at least {num_highlights} sections of your answer with markdown, i.e. *highlighted section*.",
            "Mark {num_highlights} or more parts of the response as highlighted using asterisks, like *this part*.",
            "Use markdown italics (*like this*) to highlight at least {num_highlights} sections.",
        ],
        ck.number_highlighted_sections,
    ),
    _c(
        "detectable_format:multiple_sections",
        "format",
        "At least N sections, each opened by '<splitter> <number>'.",
        [
            Param("section_spliter", "choice", choices=SECTION_SPLITTERS, sample=s.choice(SECTION_SPLITTERS)),
            Param("num_sections", "int", 2, 5, sample=s.int_range(2, 5)),
        ],
        [
            (
                "Your response must have {num_sections} sections. Mark the beginning of each section with "
                "{section_spliter} X, for example:\n{section_spliter} 1\n[content of section 1]"
            ),
            (
                'Split the answer into {num_sections} sections, each starting with a header like "{section_spliter} 1", '
                '"{section_spliter} 2" and so on.'
            ),
            "Organise the reply in {num_sections} numbered sections headed {section_spliter} 1, {section_spliter} 2, ...",
        ],
        ck.multiple_sections,
        tags=("structured",),
    ),
    _c(
        "detectable_format:json_format",
        "format",
        "The whole output parses as JSON (``` fences allowed).",
        [],
        [
            "Wrap your entire output in JSON format; you may use markdown code fences such as ```.",
            "Return the answer as valid JSON only.",
            "The complete response has to be a JSON document, nothing outside it.",
        ],
        ck.json_format,
        tags=("json", "structured"),
    ),
    _c(
        "detectable_format:title",
        "format",
        "Contains a non-empty title in double angular brackets, <<like this>>.",
        [],
        [
            "Your answer must contain a title wrapped in double angular brackets, such as <<poem of joy>>.",
            "Give your response a title and put it inside double angle brackets, e.g. <<my title>>.",
            "Start with a title enclosed in << and >>.",
        ],
        ck.title,
    ),
    _c(
        "combination:two_responses",
        "format",
        "Two different responses separated by six asterisks ******.",
        [],
        [
            "Give two different responses, separated by 6 asterisk symbols: ******.",
            "Write two distinct answers and put ****** (six asterisks) between them and nowhere else.",
            "Provide two alternative replies divided by a line of six asterisks (******).",
        ],
        ck.two_responses,
    ),
    _c(
        "combination:repeat_prompt",
        "copy",
        "Starts by repeating the request verbatim (case-insensitive).",
        [Param("prompt_to_repeat", "text", sample=_task_text)],
        [
            (
                "First repeat the request below word for word without change, then give your answer. Do not say anything "
                "before the repetition. Request: {prompt_to_repeat}"
            ),
            "Begin your reply by copying this request exactly, then answer it: {prompt_to_repeat}",
            "Repeat the following request verbatim before responding (nothing may come before it): {prompt_to_repeat}",
        ],
        ck.repeat_prompt,
        tags=("needs_prompt",),
    ),
    _c(
        "startend:end_checker",
        "startend",
        "Ends with the exact phrase (case-insensitive, quotes ignored).",
        [Param("end_phrase", "choice", choices=END_PHRASES, sample=s.choice(END_PHRASES))],
        [
            "Finish your response with this exact phrase: {end_phrase} No other words should follow it.",
            'End your answer with the words "{end_phrase}" and nothing after them.',
            "The last words of your reply must be: {end_phrase}",
        ],
        ck.end_checker,
    ),
    _c(
        "startend:quotation",
        "startend",
        "The whole response is wrapped in double quotation marks.",
        [],
        [
            "Wrap your entire response in double quotation marks.",
            'Put the whole answer inside a pair of double quotes (").',
            "Your reply must begin and end with a double quotation mark.",
        ],
        ck.quotation,
    ),
]

register(*CONSTRAINTS)
