"""Writing conventions a reader or a program relies on: citation markers, e-mail shape, hashtags, ISO dates,
acronyms defined at first use."""

from __future__ import annotations

import datetime as dt
import re

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Conflicts, Param, fails, passes
from . import define
from ._common import nonempty_lines


def citation_markers(response: str, num_citations: int) -> bool:
    """Markers [1]..[n] all present, none above n, first used in ascending order."""
    seen: list[int] = []
    for m in re.finditer(r"\[(\d+)\]", response):
        k = int(m.group(1))
        if k not in seen:
            seen.append(k)
    return seen == list(range(1, num_citations + 1))


define(
    "ifgen:citation_markers",
    category="content",
    description="Numbered citation markers [1]..[n], in order of first use.",
    params=[Param("num_citations", "int", 2, 6, sample=S.int_range(2, 5))],
    phrasings=[
        "Support your claims with numbered citation markers [1] through [{num_citations}], introduced in order.",
        "Cite exactly {num_citations} sources inline as [1], [2], ..., numbered in order of first mention.",
        "Use bracketed citation numbers from [1] up to [{num_citations}], each used at least once, first uses in ascending order.",
    ],
    check=citation_markers,
    tags=("prose",),
    conflicts=NO_CONFLICTS,
    groups=("numbered",),
    facts=F.needs("char:[", "char:]", "char:digit"),
    examples=[
        passes("Claim [1]. Another [2]. Again [1].", "a marker may be reused", num_citations=2),
        fails("Claim [2]. Another [1].", "first uses must ascend", num_citations=2),
        fails("Claim [1]. Another [2]. Extra [3].", "no marker above n", num_citations=2),
        fails("Claim [1]. Another [2].", num_citations=3),
    ],
)


SIGN_OFFS = ("Best regards", "Kind regards", "Sincerely", "Warm wishes", "Many thanks", "All the best")


def email_format(response: str, sign_off: str) -> bool:
    """'Subject:' first line, a greeting-to-sign-off body, sign-off line near the end."""
    ls = [ln.strip().strip("*").strip() for ln in nonempty_lines(response)]
    if len(ls) < 3 or not re.match(r"(?i)^subject:\s*\S", ls[0]):
        return False
    for i, ln in enumerate(ls):
        if ln.rstrip(",").strip().lower() == sign_off.lower():
            return 1 < i and len(ls) - i - 1 <= 2
    return False


def email_facts(p: dict) -> F.Facts:
    f = F.Facts(decor=True).need("lines", 3).need("char::", 1)
    f.start.append(F.Anchor("phrase", "Subject:"))
    f.end.append(F.Anchor("block", "sign-off"))
    return f


_EMAIL = "Subject: Team offsite\n\nHi all,\n\nThe offsite moves to Friday.\n\nBest regards,\nDana"

define(
    "ifgen:email_format",
    category="format",
    description="An e-mail: Subject line first, a sign-off line near the end.",
    params=[Param("sign_off", "choice", choices=SIGN_OFFS)],
    phrasings=[
        "Write it as an email: start with a 'Subject:' line and close with the sign-off '{sign_off}' followed by a name.",
        "Format the response as an email with a Subject line at the top and '{sign_off},' as the sign-off.",
        "Compose an email: first line 'Subject: ...', then the message, ending with {sign_off} and your name.",
    ],
    check=email_format,
    tags=("email", "english"),
    conflicts=Conflicts(
        ids={
            "startend:end_checker": "an email ends with its sign-off",
            "combination:repeat_prompt": "the response must start with the prompt",
        }
    ),
    groups=("english_only", "layout", "start_rule", "whole_layout"),
    facts=F.one_value("sign_off", email_facts),
    examples=[
        passes(_EMAIL, sign_off="Best regards"),
        fails(
            _EMAIL.replace("Subject: Team offsite\n", ""), "the first line must be the Subject", sign_off="Best regards"
        ),
        fails(_EMAIL, sign_off="Sincerely"),
        fails(
            _EMAIL + "\n\nA long postscript.\nMore.\nEven more.",
            "at most two lines may follow the sign-off",
            sign_off="Best regards",
        ),
    ],
)


_HASHTAG = re.compile(r"(?<![\w#&/])#[A-Za-z]\w*")


def hashtags_count(response: str, num_hashtags: int) -> bool:
    return len(_HASHTAG.findall(response)) == num_hashtags


def hashtags_facts(p: dict) -> F.Facts:
    n = int(p["num_hashtags"])
    f = F.Facts().need("hashtags", n, n)
    return f.need("char:#", 1) if n else f


define(
    "ifgen:hashtags_count",
    category="format",
    description="Exactly n hashtags, as in a social media post.",
    params=[Param("num_hashtags", "int", 1, 6, sample=S.int_range(2, 5))],
    phrasings=[
        "End the post with exactly {num_hashtags} hashtags.",
        "Include precisely {num_hashtags} hashtags (#LikeThis) in the text.",
        "Use {num_hashtags} hashtags in total, no more and no fewer.",
    ],
    check=hashtags_count,
    tags=("short",),
    conflicts=NO_CONFLICTS,
    facts=hashtags_facts,
    examples=[
        passes(
            "Loving the sun! #summer #beach\n# Heading is not one", "a markdown heading is no hashtag", num_hashtags=2
        ),
        fails("#one #two #three", num_hashtags=2),
    ],
)


_ISO = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_OTHER_DATES = (
    re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"),
    re.compile(r"\b\d{4}/\d{1,2}/\d{1,2}\b"),
    re.compile(rf"\b(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b", re.IGNORECASE),
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\s+\d{{4}}\b", re.IGNORECASE),
)


def iso_dates(response: str, num_dates: int) -> bool:
    good = 0
    for y, m, d in _ISO.findall(response):
        try:
            dt.date(int(y), int(m), int(d))
        except ValueError:
            return False
        good += 1
    return good >= num_dates and not any(p.search(response) for p in _OTHER_DATES)


define(
    "ifgen:iso_dates",
    category="content",
    description="At least n dates, every date in ISO 8601 (YYYY-MM-DD) form.",
    params=[Param("num_dates", "int", 1, 4, sample=S.int_range(1, 3))],
    phrasings=[
        "Mention at least {num_dates} dates, writing every date in ISO format (YYYY-MM-DD).",
        "Include {num_dates} or more dates; all dates must use the YYYY-MM-DD format and no other.",
        "Every date you write must look like 2024-03-15; give at least {num_dates} of them.",
    ],
    check=iso_dates,
    conflicts=NO_CONFLICTS,
    groups=("numbered",),
    facts=lambda p: F.Facts().need("char:digit", 1).need("char:-", 2),
    examples=[
        passes("From 2024-03-15 to 2024-04-01.", num_dates=2),
        fails("On 2024-03-15 and on 03/16/2024.", "a date in another format fails", num_dates=1),
        fails("On March 3, 2024.", num_dates=1),
        fails("On 2024-02-30.", "an ISO-shaped date must exist in the calendar", num_dates=1),
    ],
)


_ACRONYM = re.compile(r"\b[A-Z]{2,6}s?\b")
_SMALL = frozenset(["of", "and", "the", "for", "in", "on", "to", "a", "an", "with", "by", "at"])


def _spells(ws: list[str], acr: str) -> bool:
    """Do the initials of `ws` spell `acr`? Small words (of, and, the...) may or may not count."""
    if not ws:
        return not acr
    w, rest = ws[0], ws[1:]
    if acr and w[0].upper() == acr[0] and _spells(rest, acr[1:]):
        return True
    return w.lower() in _SMALL and _spells(rest, acr)


def _expansion_before(ws: list[str], acr: str) -> bool:
    """Some run of words ending right before the parenthesis spells the acronym."""
    return any(_spells(ws[-k:], acr) for k in range(len(acr), min(len(ws), 2 * len(acr) + 2) + 1))


def _defined_at(text: str, start: int, end: int, acr: str) -> bool:
    before, after = text[:start], text[end:]
    if before.rstrip().endswith("(") and after.startswith(")"):  # Full Name (ACR)
        return _expansion_before(re.findall(r"[A-Za-z][\w-]*", before.rstrip()[:-1]), acr)
    m = re.match(r"\s*\(([^)]+)\)", after)  # ACR (Full Name)
    return m is not None and _spells(re.findall(r"[A-Za-z][\w-]*", m.group(1)), acr)


def acronym_definitions(response: str) -> bool:
    """At least one acronym, and each is spelled out at its first use."""
    seen: set[str] = set()
    for m in _ACRONYM.finditer(response):
        acr = m.group(0).rstrip("s") if m.group(0).endswith("s") and len(m.group(0)) > 2 else m.group(0)
        if acr in seen:
            continue
        seen.add(acr)
        if not _defined_at(response, m.start(), m.start() + len(acr), acr):
            return False
    return bool(seen)


define(
    "ifgen:acronym_definitions",
    category="content",
    description="Use acronyms and define each at its first use.",
    phrasings=[
        "Use at least one acronym and spell out every acronym at its first use, e.g. 'World Health Organization (WHO)'.",
        "Define each abbreviation the first time it appears, in the form Full Name (ABBR), and include at least one.",
        "Whenever you introduce an acronym (you must use one or more), write its expansion next to it on first use.",
    ],
    check=acronym_definitions,
    tags=("english",),
    conflicts=Conflicts(
        ids={
            "change_case:english_lowercase": "acronyms are written in capitals",
            "change_case:english_capital": "acronyms cannot stand out in all capitals",
        }
    ),
    groups=("english_only",),
    facts=F.needs("char:upper", "char:(", "char:)"),
    examples=[
        passes("The World Health Organization (WHO) said so. Later the WHO agreed.", "only the first use is defined"),
        passes("We used NLP (natural language processing) tools.", "the expansion may follow in parentheses"),
        passes("The Department of Energy (DOE) funds it.", "a small word such as 'of' may give its letter"),
        passes("The Bank of England (BE) sets rates.", "... or be skipped"),
        fails("The WHO said so."),
        fails("No acronyms at all here.", "at least one acronym is required"),
        fails("The Weather Office (WHO) said so.", "the expansion must spell the acronym"),
    ],
)
