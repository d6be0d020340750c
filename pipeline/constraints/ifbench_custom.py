"""IFBench one-off task constraints (custom:*).

Each of these ids *is* a complete task with a single right shape of answer
("count from 10 to 50 printing multiples of 7", "Napoleon's battle dates as
YYYY-MM-DD", ...). The facts the checkers compare against (the multiples, the
ordered capitals, the CSV headers) are IFBench's.
"""

from __future__ import annotations

import csv
import io
import re
import string
import unicodedata
from itertools import pairwise

from .ifbench_util import PUNCT_SPACE, make, sentences

MULTIPLES_OF_7 = [str(i) for i in range(14, 51, 7)]
# Capitals of European countries north of 45 degrees latitude, north to south.
NORTHERN_CAPITALS = (
    "Reykjavik",
    "Helsinki",
    "Oslo",
    "Tallinn",
    "Stockholm",
    "Riga",
    "Moscow",
    "Copenhagen",
    "Vilnius",
    "Minsk",
    "Dublin",
    "Berlin",
    "Amsterdam",
    "Warsaw",
    "London",
    "Brussels",
    "Prague",
    "Luxembourg",
    "Paris",
    "Vienna",
    "Bratislava",
    "Budapest",
    "Vaduz",
    "Chisinau",
    "Bern",
    "Ljubljana",
    "Zagreb",
)
CITY_HEADER = ["ID", "Country", "City", "Year", "Count"]
_PRODUCT_HEADER = re.compile(
    r'^(ProductID|"ProductID"),[ \t]*(Category|"Category"),[ \t]*(Brand|"Brand"),[ \t]*(Price|"Price"),'
    r'[ \t]*(Stock|"Stock")$'
)
_STUDENT_HEADER = re.compile(
    r'^(StudentID|"StudentID")\t *(Subject|"Subject")\t *(Grade|"Grade")\t *(Semester|"Semester")\t *(Score|"Score")$'
)
_MONTH_DAYS = {1: 31, 3: 31, 5: 31, 7: 31, 8: 31, 10: 31, 12: 31, 4: 30, 6: 30, 9: 30, 11: 30, 2: 29}


def _ascii_fold(s: str) -> str:
    """'São Tomé' -> 'Sao Tome': NFKD, then drop what is not ASCII."""
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


def multiples(response: str) -> bool:
    return re.findall(r"\d+", response.replace(",", ", ")) == MULTIPLES_OF_7


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


def reverse_newline(response: str) -> bool:
    """From the line naming Zimbabwe on, 52+ lines in reverse alphabetical order."""
    lines = [ln.strip(PUNCT_SPACE) for ln in response.split("\n") if ln.strip(PUNCT_SPACE)]
    start = next((i for i, ln in enumerate(lines) if "Zimbabwe" in ln), None)
    if start is None or len(lines) - start < 52:
        return False
    folded = [_ascii_fold(ln) for ln in lines[start:]]
    return folded == sorted(folded, reverse=True)


def word_reverse(response: str) -> bool:
    """Reading the words backwards gives one sentence that mentions the bald eagle."""
    flipped = " ".join(response.lower().strip().translate(str.maketrans("", "", string.punctuation)).split()[::-1])
    return "bald eagle" in flipped and flipped in sentences(flipped)


def character_reverse(response: str) -> bool:
    return "elgae dlab" in response.lower()


def sentence_alphabet(response: str) -> bool:
    sents = sentences(response)
    if len(sents) != 26:
        return False
    for i, sent in enumerate(sents):
        head = sent.lstrip(string.punctuation + string.whitespace)
        if not head or head[0].lower() != chr(97 + i):
            return False
    return True


def european_capitals_sort(response: str) -> bool:
    names = [c.strip() for c in _ascii_fold(response).split(",") if c.strip()]
    return names == list(NORTHERN_CAPITALS)


def csv_city(response: str) -> bool:
    rows = list(csv.reader(io.StringIO(response)))
    return len(rows) == 8 and rows[0] == CITY_HEADER and all(len(r) == 5 for r in rows[1:])


def csv_special_character(response: str) -> bool:
    """Header line, 14 rows of 5 fields, and a quoted field holding a special character.

    IFBench triples every '"' before parsing, so a quoted field survives parsing
    with its quotes and can be recognised; rows are checked in order and the
    first row holding such a field ends the check."""
    if not _PRODUCT_HEADER.match(response.split("\n")[0].strip()):
        return False
    rows = list(csv.reader(io.StringIO(response.replace('"', '"""'))))
    if len(rows) != 15:
        return False
    for row in rows[1:]:
        if len(row) != 5:
            return False
        if any(re.match(r'".*[^\d\w\s].*"', field) for field in row):
            return True
    return False


def csv_quotes(response: str) -> bool:
    """Tab-separated header and 3 rows, 5 fields each, every field in double quotes."""
    if not _STUDENT_HEADER.match(response.split("\n")[0].strip()):
        return False
    rows = list(csv.reader(io.StringIO(response.replace('"', '"""')), delimiter="\t"))
    if len(rows) != 4:
        return False
    for row in rows:
        if len(row) != 5:
            return False
        for field in row:
            f = field.strip()
            if not f or f[0] != '"' or f[-1] != '"':  # IFBench raises on an empty field; we fail it
                return False
    return True


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


def _task(cid: str, description: str, check, *phrasings: str):
    return make(cid, "custom", description, check, phrasings, tags=("english",))


CONSTRAINTS = [
    _task(
        "custom:multiples",
        "prints exactly 14 21 28 35 42 49",
        multiples,
        "Count from 10 to 50, but print only the multiples of 7.",
        "List every multiple of 7 between 10 and 50, and no other numbers.",
        "Write out the numbers from 10 to 50 that are divisible by 7, nothing else.",
    ),
    _task(
        "custom:mcq_count_length",
        "4 'Question N' items with 5 options each, growing longer",
        mcq_count_length,
        "Write 4 multiple-choice questions about 20th-century art history, each with 5 options (A-E). Start "
        'each with the label "Question", make each question longer than the one before, and give no '
        "explanation.",
        "Generate four multiple-choice questions on 20th century art history with five options each, labelled "
        '"Question 1" to "Question 4"; each question must be longer than the previous one. No explanation.',
        "Create 4 quiz questions (5 options each, A to E) about art history of the 20th century. Begin each with "
        '"Question", let them get progressively longer, and add no explanation.',
    ),
    _task(
        "custom:reverse_newline",
        "African countries, Zimbabwe first, reverse alphabetical, one per line",
        reverse_newline,
        "List the countries of Africa in reverse alphabetical order, one per line.",
        "Write every African country on its own line, sorted from Z to A.",
        "Give all countries of Africa, each on a new line, in reverse alphabetical order.",
    ),
    _task(
        "custom:word_reverse",
        "the answer (bald eagle) written with its word order reversed",
        word_reverse,
        "What animal is the national symbol of the US? Answer in one sentence, but write the words in reverse order.",
        "Name the national animal of the United States in a sentence whose words are in reverse order.",
        "Answer this: what animal is the US national symbol? Reverse the order of the words in your sentence.",
    ),
    _task(
        "custom:character_reverse",
        "the answer (bald eagle) written backwards letter by letter",
        character_reverse,
        "What animal is the national symbol of the US? Answer with your sentence written backwards, letter by letter.",
        "Name the US national animal, but reverse your sentence character by character.",
        "Answer: what is the national symbol animal of the US? Write the answer with its letters in reverse order.",
    ),
    _task(
        "custom:sentence_alphabet",
        "26 sentences starting with A..Z in order",
        sentence_alphabet,
        "Tell me a 26-sentence story in which the sentences start with A, B, C, ... Z in order.",
        "Write a story of exactly 26 sentences; the first word of each starts with the next letter of the "
        "alphabet, from A to Z.",
        "Compose 26 sentences forming a story, their first letters running through the alphabet in order.",
    ),
    _task(
        "custom:european_capitals_sort",
        "the 27 European capitals north of 45N, comma-separated, north first",
        european_capitals_sort,
        "Name all capital cities of European countries located north of 45 degrees latitude. List only the "
        "cities, separated by commas, from the highest latitude to the lowest.",
        "Which capitals of European countries lie above 45 degrees north? Give just the city names, "
        "comma-separated, ordered from north to south.",
        "List, separated by commas and sorted by latitude from highest to lowest, the capitals of European "
        "countries whose latitude is above 45 degrees; no country names.",
    ),
    _task(
        "custom:csv_city",
        "comma CSV, header ID,Country,City,Year,Count, 7 rows",
        csv_city,
        "Generate comma-delimited CSV data with the columns ID, Country, City, Year, Count and 7 data rows.",
        "Produce CSV (comma separated) with header ID,Country,City,Year,Count followed by exactly 7 rows.",
        'Create a CSV table, columns ["ID", "Country", "City", "Year", "Count"], with 7 rows of data.',
    ),
    _task(
        "custom:csv_special_character",
        "14-row product CSV with a quoted special-character field",
        csv_special_character,
        "Generate comma-delimited CSV with columns ProductID, Category, Brand, Price, Stock and 14 rows; one "
        "field must contain a special character and be enclosed in double quotes.",
        "Produce a CSV of 14 products (ProductID,Category,Brand,Price,Stock). Put one field containing a "
        "special character inside double quotes.",
        'Create CSV data, columns ["ProductID", "Category", "Brand", "Price", "Stock"], 14 rows, with '
        "one double-quoted field that includes a special character.",
    ),
    _task(
        "custom:csv_quotes",
        "tab-separated student CSV, 3 rows, every field double-quoted",
        csv_quotes,
        "Generate tab-delimited CSV data with columns StudentID, Subject, Grade, Semester, Score and 3 rows, "
        "enclosing every field in double quotes.",
        "Produce 3 rows of tab-separated data (header StudentID, Subject, Grade, Semester, Score) with each "
        "field wrapped in double quotes.",
        'Create a tab-delimited table, columns ["StudentID", "Subject", "Grade", "Semester", '
        '"Score"], 3 rows, every single field in double quotes.',
    ),
    _task(
        "custom:date_format_list",
        "comma-separated YYYY-MM-DD dates of Napoleon's battles",
        date_format_list,
        "List the start dates of all battles Napoleon fought, separated by commas, in YYYY-MM-DD format, with "
        "no explanation.",
        "Give the starting date of every battle Napoleon fought as YYYY-MM-DD, comma-separated, nothing else.",
        "Write only the start dates (YYYY-MM-DD) of Napoleon's battles, separated by commas.",
    ),
]
