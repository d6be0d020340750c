"""IFEval format constraints: markup inside the text (bullets, highlights, numbered sections, a <<title>>) and
shapes of the whole response (one fixed answer, JSON, two answers)."""

from __future__ import annotations

import json
import re

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Conflicts, Param, exclusive, fails, passes
from . import define
from ._common import as_int, user_regex

_STAR_BULLET = re.compile(r"^\s*\*[^\*].*$", re.MULTILINE)
_DASH_BULLET = re.compile(r"^\s*-.*$", re.MULTILINE)


def number_bullet_lists(response: str, num_bullets) -> bool:
    # the reference's multi-line regexes: `^\s*` may span blank lines, and any line starting with "-" is a bullet
    found = len(_STAR_BULLET.findall(response)) + len(_DASH_BULLET.findall(response))
    return found == as_int("num_bullets", num_bullets)


define(
    "detectable_format:number_bullet_lists",
    category="format",
    description="Exactly N markdown bullet points (* or -).",
    params=[Param("num_bullets", "int", 2, 6, sample=S.int_range(2, 6))],
    phrasings=[
        "Your answer must contain exactly {num_bullets} bullet points, using markdown bullets such as:\n* point one\n* point two",
        "Format the answer as exactly {num_bullets} markdown bullet points (lines starting with * or -).",
        "Give precisely {num_bullets} bullets in markdown, no more and no fewer.",
    ],
    check=number_bullet_lists,
    tags=("list",),
    conflicts=NO_CONFLICTS,
    groups=("layout",),
    facts=lambda p: (
        F.Facts().need("bullets", int(p["num_bullets"]), int(p["num_bullets"])).need("lines", int(p["num_bullets"]))
    ),
    examples=[
        passes("* one\n* two", num_bullets=2),
        passes("- a\n  - b\nText", "nested bullets count too", num_bullets=2),
        fails("* one", num_bullets=2),
        fails("* a\n* b\n- c", "exactly N: one too many fails", num_bullets=2),
        fails("**a**\n**b**", "a bold line is not a star bullet", num_bullets=2),
        passes("---\n- one", "a horizontal rule --- counts as a dash bullet", num_bullets=2),
    ],
)


_SINGLE_STARS = re.compile(r"\*[^\n\*]*\*")
_DOUBLE_STARS = re.compile(r"\*\*[^\n\*]*\*\*")


def number_highlighted_sections(response: str, num_highlights) -> bool:
    """*x* and **x** both count, each once: inside **x** the single-star scan only finds the empty `**` pairs."""
    n = sum(1 for m in _SINGLE_STARS.findall(response) if m.strip("*").strip())
    n += sum(1 for m in _DOUBLE_STARS.findall(response) if m[2:-2].strip())
    return n >= as_int("num_highlights", num_highlights)


define(
    "detectable_format:number_highlighted_sections",
    category="format",
    description="At least N *highlighted* markdown spans.",
    params=[Param("num_highlights", "int", 1, 5, sample=S.int_range(1, 5))],
    phrasings=[
        "Highlight at least {num_highlights} sections of your answer with markdown, i.e. *highlighted section*.",
        "Mark {num_highlights} or more parts of the response as highlighted using asterisks, like *this part*.",
        "Use markdown italics (*like this*) to highlight at least {num_highlights} sections.",
    ],
    check=number_highlighted_sections,
    conflicts=NO_CONFLICTS,
    facts=lambda p: F.Facts().need("char:*", 2) if int(p["num_highlights"]) >= 1 else F.Facts(),
    examples=[
        passes("*one* and *two*", num_highlights=2),
        passes("**bold** and *it*", num_highlights=2),
        fails("*one* only", num_highlights=2),
        fails("* * and ** **", "blank highlights do not count", num_highlights=2),
        passes("**bold**", num_highlights=1),
        fails("**bold**", "a **bold** span counts once, not twice", num_highlights=2),
    ],
)


SECTION_SPLITTERS = ("Section", "SECTION", "Part", "PARAGRAPH", "Chapter")


def multiple_sections(response: str, section_spliter: str, num_sections) -> bool:
    # case-sensitive, and the number may follow the splitter without a space
    splitter = user_regex(str(section_spliter).strip(), 0, r"\s?", r"\s?\d+\s?")
    return len(splitter.split(response)) - 1 >= as_int("num_sections", num_sections)


def multiple_sections_facts(p: dict) -> F.Facts:
    # "Section 1" needs its letters in the given case and a digit; sections may share a line.
    return F.literal(F.Facts(), f"{p.get('section_spliter', 'Section')} 1", case_sensitive=True)


define(
    "detectable_format:multiple_sections",
    category="format",
    description="At least N sections, each opened by '<splitter> <number>'.",
    params=[
        Param("section_spliter", "choice", choices=SECTION_SPLITTERS, sample=S.choice(SECTION_SPLITTERS)),
        Param("num_sections", "int", 2, 5, sample=S.int_range(2, 5)),
    ],
    phrasings=[
        "Your response must have {num_sections} sections. Mark the beginning of each section with {section_spliter} X, for example:\n{section_spliter} 1\n[content of section 1]",
        'Split the answer into {num_sections} sections, each starting with a header like "{section_spliter} 1", "{section_spliter} 2" and so on.',
        "Organise the reply in {num_sections} numbered sections headed {section_spliter} 1, {section_spliter} 2, ...",
    ],
    check=multiple_sections,
    tags=("structured",),
    conflicts=Conflicts(ids={"detectable_format:number_highlighted_sections": "two competing ways to mark sections"}),
    groups=("layout", "numbered"),
    facts=F.one_value("section_spliter", multiple_sections_facts),
    examples=[
        passes("Section 1\nA\nSection 2\nB", section_spliter="Section", num_sections=2),
        passes("Section1 a Section2 b", "no space needed before the number", section_spliter="Section", num_sections=2),
        fails("Section 1\nA", section_spliter="Section", num_sections=2),
        fails("section 1 a section 2 b", "the splitter is case-sensitive", section_spliter="Section", num_sections=2),
    ],
)


_TITLE = re.compile(r"<<[^\n]+>>")


def title(response: str) -> bool:
    return any(t.lstrip("<").rstrip(">").strip() for t in _TITLE.findall(response))


define(
    "detectable_format:title",
    category="format",
    description="Contains a non-empty title in double angular brackets, <<like this>>.",
    phrasings=[
        "Your answer must contain a title wrapped in double angular brackets, such as <<poem of joy>>.",
        "Give your response a title and put it inside double angle brackets, e.g. <<my title>>.",
        "Start with a title enclosed in << and >>.",
    ],
    check=title,
    conflicts=NO_CONFLICTS,
    groups=("layout",),
    facts=lambda p: F.Facts(decor=True).need("char:<", 2).need("char:>", 2),
    examples=[
        passes("<<My Title>>\nText"),
        passes("x <<a>> y", "the title may sit anywhere"),
        fails("<< >>", "a blank title does not count"),
        fails("<<a\nb>>", "a title stays on one line"),
        fails("No title"),
    ],
)


CONSTRAINED_OPTIONS = ("My answer is yes.", "My answer is no.", "My answer is maybe.")


def constrained_response(response: str) -> bool:
    # an option anywhere in the text passes, as in the reference (case-sensitive, with its full stop)
    body = response.strip()
    return any(option in body for option in CONSTRAINED_OPTIONS)


define(
    "detectable_format:constrained_response",
    category="format",
    description="Contains one of 'My answer is yes.', 'My answer is no.', 'My answer is maybe.'",
    phrasings=[
        'Answer with one of the following options: "My answer is yes.", "My answer is no.", "My answer is maybe."',
        "Reply using exactly one of these sentences: My answer is yes. / My answer is no. / My answer is maybe.",
        "Your reply must be one of: 'My answer is yes.', 'My answer is no.' or 'My answer is maybe.'",
    ],
    check=constrained_response,
    tags=("short",),
    conflicts=exclusive("the answer is one fixed sentence"),
    facts=None,
    examples=[
        passes("My answer is yes."),
        passes("Well... My answer is maybe. Sorry", "the option may sit inside other text"),
        fails("my answer is yes.", "case-sensitive"),
        fails("My answer is yes", "the full stop is part of the option"),
    ],
)


def json_format(response: str) -> bool:
    body = response.strip()
    for fence in ("```json", "```Json", "```JSON", "```"):
        body = body.removeprefix(fence)
    body = body.removesuffix("```").strip()
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


define(
    "detectable_format:json_format",
    category="format",
    description="The whole output parses as JSON (``` fences allowed).",
    phrasings=[
        "Wrap your entire output in JSON format; you may use markdown code fences such as ```.",
        "Return the answer as valid JSON only.",
        "The complete response has to be a JSON document, nothing outside it.",
    ],
    check=json_format,
    tags=("json", "structured"),
    conflicts=exclusive(
        "the whole response must be JSON",
        ids=("ifgen:json_keys", "ifgen:valid_yaml"),
        groups=("content_ban", "fits_json"),
    ),
    facts=lambda p: F.Facts(body="json"),
    examples=[
        passes('{"a": 1}'),
        passes('```json\n{"a": [1, 2]}\n```', "a markdown code fence is allowed"),
        passes("  42  ", "any JSON value counts, not only an object"),
        fails("{'a': 1}", "single quotes are not JSON"),
        fails('Here: {"a": 1}', "nothing may come before the JSON"),
    ],
)


def two_responses(response: str) -> bool:
    parts = response.split("******")
    last = len(parts) - 1
    kept = []
    for i, part in enumerate(parts):
        if part.strip():
            kept.append(part)
        elif 0 < i < last:
            return False
    return len(kept) == 2 and kept[0].strip() != kept[1].strip()


define(
    "combination:two_responses",
    category="format",
    description="Two different responses separated by six asterisks ******.",
    phrasings=[
        "Give two different responses, separated by 6 asterisk symbols: ******.",
        "Write two distinct answers and put ****** (six asterisks) between them and nowhere else.",
        "Provide two alternative replies divided by a line of six asterisks (******).",
    ],
    check=two_responses,
    conflicts=exclusive(
        "two separate responses split every count and position",
        ids=(
            "keywords:existence",
            "language:response_language",
            "detectable_format:title",
            "punctuation:no_comma",
            "ifgen:no_digits",
            "punctuation:punctuation_exclamation",
        ),
        groups=("content_ban",),
    ),
    facts=lambda p: F.Facts(decor=True).need("char:*", 6),
    examples=[
        passes("First answer.\n******\nSecond answer."),
        passes("******\nA\n******\nB\n******", "empty pieces at either end are allowed"),
        fails("Same\n******\nSame", "the two responses must differ"),
        fails("A\n******\n******\nB", "an empty piece in the middle fails"),
        fails("A ****** B ****** C"),
    ],
)
