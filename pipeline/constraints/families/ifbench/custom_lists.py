"""IFBench one-off tasks whose answer is a list with one right shape: multiples of 7, European capitals by
latitude, Napoleon's battle dates, African countries Z to A, and a set of growing multiple-choice questions.

Each of these ids *is* a complete task. The facts the checkers compare against (the multiples, the ordered
capitals, the date range) are IFBench's.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

from ...core.contract import NO_CONFLICTS, fails, passes
from . import define
from ._text import PUNCT_SPACE


def _ascii_fold(s: str) -> str:
    """'São Tomé' -> 'Sao Tome': NFKD, then drop what is not ASCII."""
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


MULTIPLES_OF_7 = [str(i) for i in range(14, 51, 7)]


def multiples(response: str) -> bool:
    return re.findall(r"\d+", response.replace(",", ", ")) == MULTIPLES_OF_7


define(
    "custom:multiples",
    category="custom",
    description="prints exactly 14 21 28 35 42 49",
    phrasings=[
        "Count from 10 to 50, but print only the multiples of 7.",
        "List every multiple of 7 between 10 and 50, and no other numbers.",
        "Write out the numbers from 10 to 50 that are divisible by 7, nothing else.",
    ],
    check=multiples,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("14, 21, 28, 35, 42, 49"),
        passes("14,21,28,35,42,49"),
        fails("14, 21, 28, 35, 42", "49 is missing"),
        fails("7, 14", "7 is below 10"),
    ],
)

# Capitals of European countries north of 45 degrees latitude, north to south.
NORTHERN_CAPITALS = tuple(
    "Reykjavik Helsinki Oslo Tallinn Stockholm Riga Moscow Copenhagen Vilnius Minsk Dublin Berlin Amsterdam Warsaw "
    "London Brussels Prague Luxembourg Paris Vienna Bratislava Budapest Vaduz Chisinau Bern Ljubljana Zagreb".split()
)


def european_capitals_sort(response: str) -> bool:
    names = [c.strip() for c in _ascii_fold(response).split(",") if c.strip()]
    return names == list(NORTHERN_CAPITALS)


define(
    "custom:european_capitals_sort",
    category="custom",
    description="the 27 European capitals north of 45N, comma-separated, north first",
    phrasings=[
        (
            "Name all capital cities of European countries located north of 45 degrees latitude. List only the "
            "cities, separated by commas, from the highest latitude to the lowest."
        ),
        (
            "Which capitals of European countries lie above 45 degrees north? Give just the city names, "
            "comma-separated, ordered from north to south."
        ),
        (
            "List, separated by commas and sorted by latitude from highest to lowest, the capitals of European "
            "countries whose latitude is above 45 degrees; no country names."
        ),
    ],
    check=european_capitals_sort,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes(", ".join(NORTHERN_CAPITALS)),
        passes(", ".join(NORTHERN_CAPITALS).replace("Reykjavik", "Reykjavík"), "accents are folded to ASCII"),
        fails(", ".join(reversed(NORTHERN_CAPITALS)), "south to north"),
    ],
)

_MONTH_DAYS = {1: 31, 3: 31, 5: 31, 7: 31, 8: 31, 10: 31, 12: 31, 4: 30, 6: 30, 9: 30, 11: 30, 2: 29}


def date_format_list(response: str) -> bool:
    """Comma-separated YYYY-MM-DD dates within Napoleon's lifetime (1769-1821)."""
    for item in response.strip().split(","):
        item = item.strip()
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", item):
            return False
        year, month, day = (int(x) for x in item.split("-"))
        if not 1769 <= year <= 1821 or month > 12:
            return False
        if day > _MONTH_DAYS.get(month, 99):
            return False
    return True


define(
    "custom:date_format_list",
    category="custom",
    description="comma-separated YYYY-MM-DD dates of Napoleon's battles",
    phrasings=[
        (
            "List the start dates of all battles Napoleon fought, separated by commas, in YYYY-MM-DD format, with "
            "no explanation."
        ),
        "Give the starting date of every battle Napoleon fought as YYYY-MM-DD, comma-separated, nothing else.",
        "Write only the start dates (YYYY-MM-DD) of Napoleon's battles, separated by commas.",
    ],
    check=date_format_list,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("1796-04-12, 1805-12-02"),
        fails("1796-04-31", "April has 30 days"),
        fails("1830-01-01", "after Napoleon's death"),
        fails("12/02/1805", "not YYYY-MM-DD"),
    ],
)


def reverse_newline(response: str) -> bool:
    """From the line naming Zimbabwe on, 52+ lines in reverse alphabetical order."""
    lines = [ln.strip(PUNCT_SPACE) for ln in response.split("\n") if ln.strip(PUNCT_SPACE)]
    start = next((i for i, ln in enumerate(lines) if "Zimbabwe" in ln), None)
    if start is None or len(lines) - start < 52:
        return False
    folded = [_ascii_fold(ln) for ln in lines[start:]]
    return folded == sorted(folded, reverse=True)


_AFRICA_Z_TO_A = (
    "Zimbabwe;Zambia;Uganda;Tunisia;Togo;Tanzania;South Sudan;South Africa;Somalia;Sierra Leone;Seychelles;Senegal;"
    "São Tomé and Príncipe;Rwanda;Nigeria;Niger;Namibia;Mozambique;Morocco;Mauritius;Mauritania;Mali;Malawi;"
    "Madagascar;Libya;Liberia;Lesotho;Kenya;Guinea-Bissau;Guinea;Ghana;Gambia;Gabon;Ethiopia;Eswatini;Eritrea;"
    "Equatorial Guinea;Egypt;Djibouti;DR Congo;Côte d'Ivoire;Congo;Comoros;Chad;Central African Republic;Cameroon;"
    "Cabo Verde;Burundi;Burkina Faso;Botswana;Benin;Angola;Algeria"
).split(";")

define(
    "custom:reverse_newline",
    category="custom",
    description="African countries, Zimbabwe first, reverse alphabetical, one per line",
    phrasings=[
        "List the countries of Africa in reverse alphabetical order, one per line.",
        "Write every African country on its own line, sorted from Z to A.",
        "Give all countries of Africa, each on a new line, in reverse alphabetical order.",
    ],
    check=reverse_newline,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("\n".join(_AFRICA_Z_TO_A), "53 countries; 'São Tomé' sorts as 'Sao Tome'"),
        fails("\n".join(_AFRICA_Z_TO_A[:40]), "fewer than 52 lines"),
        fails("\n".join(sorted(_AFRICA_Z_TO_A)), "A to Z"),
    ],
)


def mcq_count_length(response: str) -> bool:
    """Four 'Question N' blocks, five A-E options each, question texts growing longer."""
    if not response.startswith("Question"):
        return False  # anything before the first question counts as an explanation
    blocks = [b.strip() for b in re.split(r"\n*(?:Question \d+[\.|\):;]?\s*)", response) if b.strip()]
    if len(blocks) != 4:
        return False
    lengths = []
    for block in blocks:
        stem, n_options, seen_option = "", 0, False
        for line in block.split("\n"):
            if re.match(r"^[A-Ea-e][\.|\)]\s*\w+", line.strip()):
                n_options += 1
                seen_option = True
            elif not seen_option:
                stem += " " + line.strip()
        if n_options != 5:
            return False
        lengths.append(len(stem.strip()))
    return all(a < b for a, b in pairwise(lengths))


_MCQ = "\n".join(
    f"Question {q}: Which painter {'really ' * q}made this work?\n" + "\n".join(f"{c}) Artist {c}" for c in "ABCDE")
    for q in range(1, 5)
)

define(
    "custom:mcq_count_length",
    category="custom",
    description="4 'Question N' items with 5 options each, growing longer",
    phrasings=[
        (
            "Write 4 multiple-choice questions about 20th-century art history, each with 5 options (A-E). Start "
            'each with the label "Question", make each question longer than the one before, and give no '
            "explanation."
        ),
        (
            "Generate four multiple-choice questions on 20th century art history with five options each, labelled "
            '"Question 1" to "Question 4"; each question must be longer than the previous one. No explanation.'
        ),
        (
            "Create 4 quiz questions (5 options each, A to E) about art history of the 20th century. Begin each with "
            '"Question", let them get progressively longer, and add no explanation.'
        ),
    ],
    check=mcq_count_length,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes(_MCQ, "each question has one 'really ' more than the one before"),
        fails("Sure!\n" + _MCQ, "text before the first question counts as an explanation"),
        fails(_MCQ.replace("E) Artist E", ""), "four options instead of five"),
    ],
)
