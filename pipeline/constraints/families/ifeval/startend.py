"""IFEval start/end constraints: a fixed closing phrase, and the whole response in double quotes."""

from __future__ import annotations

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import Conflicts, Param, fails, passes
from . import define

END_PHRASES = (
    "Any other questions?",
    "Is there anything else I can help with?",
    "Let me know if you have additional questions.",
    "Hope this helps!",
    "That is all you need to know.",
    "Thank you for reading.",
)


def end_checker(response: str, end_phrase: str) -> bool:
    return response.strip().strip('"').lower().endswith(str(end_phrase).strip().lower())


def end_checker_facts(p: dict) -> F.Facts:
    phrase = str(p["end_phrase"]).strip()
    f = F.literal(F.Facts(decor=True), phrase, case_sensitive=False)
    f.end.append(F.Anchor("phrase", phrase))
    return f


define(
    "startend:end_checker",
    category="startend",
    description="Ends with the exact phrase (case-insensitive, quotes ignored).",
    params=[Param("end_phrase", "choice", choices=END_PHRASES, sample=S.choice(END_PHRASES))],
    phrasings=[
        "Finish your response with this exact phrase: {end_phrase} No other words should follow it.",
        'End your answer with the words "{end_phrase}" and nothing after them.',
        "The last words of your reply must be: {end_phrase}",
    ],
    check=end_checker,
    conflicts=Conflicts(
        ids={
            "detectable_content:postscript": "both must come last",
            "startend:quotation": "the closing quotation mark would follow the end phrase",
        }
    ),
    facts=F.one_value("end_phrase", end_checker_facts),
    examples=[
        passes("That is all. Any other questions?", end_phrase="Any other questions?"),
        passes(
            '"Done. any other questions?"\n',
            "case, surrounding whitespace and double quotes are ignored",
            end_phrase="Any other questions?",
        ),
        fails("Any other questions? Thanks.", end_phrase="Any other questions?"),
        fails("Any other questions", end_phrase="Any other questions?"),
    ],
)


def quotation(response: str) -> bool:
    body = response.strip()
    return len(body) > 1 and body[0] == '"' and body[-1] == '"'


def quotation_facts(p: dict) -> F.Facts:
    f = F.Facts(decor=True).need('char:"', 2)
    f.start.append(F.Anchor("mark", '"'))
    f.end.append(F.Anchor("mark", '"'))
    return f


define(
    "startend:quotation",
    category="startend",
    description="The whole response is wrapped in double quotation marks.",
    phrasings=[
        "Wrap your entire response in double quotation marks.",
        'Put the whole answer inside a pair of double quotes (").',
        "Your reply must begin and end with a double quotation mark.",
    ],
    check=quotation,
    conflicts=Conflicts(ids={"detectable_format:title": "a title would sit outside the quotation"}),
    groups=("start_rule",),
    facts=quotation_facts,
    examples=[
        passes('"Wrapped."'),
        passes('  "x"  \n', "surrounding whitespace is ignored"),
        fails('"', "one quotation mark cannot both open and close"),
        fails('Not "wrapped"'),
        fails('"open only'),
    ],
)
