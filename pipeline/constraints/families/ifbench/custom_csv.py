"""IFBench one-off tasks whose answer is CSV data: a city table, a product table with a quoted special character,
and a tab-separated student table with every field quoted.

The headers and row counts the checkers compare against are IFBench's. IFBench parses with Python's csv module
after tripling every '"', so quoted fields keep their quotes and can be recognised; we parse the same way.
"""

from __future__ import annotations

import csv
import io
import re

from ...core.contract import NO_CONFLICTS, fails, passes
from . import define

CITY_HEADER = ["ID", "Country", "City", "Year", "Count"]


def csv_city(response: str) -> bool:
    rows = list(csv.reader(io.StringIO(response)))
    return len(rows) == 8 and rows[0] == CITY_HEADER and all(len(r) == 5 for r in rows[1:])


_CSV_CITY = "ID,Country,City,Year,Count\n" + "\n".join(f"{i},France,Paris,2020,{i}" for i in range(1, 8))

define(
    "custom:csv_city",
    category="custom",
    description="comma CSV, header ID,Country,City,Year,Count, 7 rows",
    phrasings=[
        "Generate comma-delimited CSV data with the columns ID, Country, City, Year, Count and 7 data rows.",
        "Produce CSV (comma separated) with header ID,Country,City,Year,Count followed by exactly 7 rows.",
        'Create a CSV table, columns ["ID", "Country", "City", "Year", "Count"], with 7 rows of data.',
    ],
    check=csv_city,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes(_CSV_CITY),
        fails(_CSV_CITY + "\n8,Spain,Madrid,2021,8", "8 data rows"),
        fails(_CSV_CITY.replace("City", "Town"), "wrong header"),
    ],
)

_PRODUCT_HEADER = re.compile(
    r'^(ProductID|"ProductID"),[ \t]*(Category|"Category"),[ \t]*(Brand|"Brand"),[ \t]*(Price|"Price"),'
    r'[ \t]*(Stock|"Stock")$'
)


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


_SPECIAL = '"Acme & Co"'
_CSV_PRODUCTS = "ProductID,Category,Brand,Price,Stock\n" + "\n".join(
    f"{i},Toys,{_SPECIAL if i == 3 else 'Acme'},9.99,{i}" for i in range(1, 15)
)

define(
    "custom:csv_special_character",
    category="custom",
    description="14-row product CSV with a quoted special-character field",
    phrasings=[
        (
            "Generate comma-delimited CSV with columns ProductID, Category, Brand, Price, Stock and 14 rows; one "
            "field must contain a special character and be enclosed in double quotes."
        ),
        (
            "Produce a CSV of 14 products (ProductID,Category,Brand,Price,Stock). Put one field containing a "
            "special character inside double quotes."
        ),
        (
            'Create CSV data, columns ["ProductID", "Category", "Brand", "Price", "Stock"], 14 rows, with '
            "one double-quoted field that includes a special character."
        ),
    ],
    check=csv_special_character,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes(_CSV_PRODUCTS, 'row 3 holds the quoted field "Acme & Co"'),
        fails(_CSV_PRODUCTS.replace('"Acme & Co"', "Acme"), "no quoted special character"),
    ],
)

_STUDENT_HEADER = re.compile(
    r'^(StudentID|"StudentID")\t *(Subject|"Subject")\t *(Grade|"Grade")\t *(Semester|"Semester")\t *(Score|"Score")$'
)


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


_CSV_QUOTES = '"StudentID"\t"Subject"\t"Grade"\t"Semester"\t"Score"\n' + "\n".join(
    f'"{i}"\t"Math"\t"A"\t"Fall"\t"9{i}"' for i in range(1, 4)
)

define(
    "custom:csv_quotes",
    category="custom",
    description="tab-separated student CSV, 3 rows, every field double-quoted",
    phrasings=[
        (
            "Generate tab-delimited CSV data with columns StudentID, Subject, Grade, Semester, Score and 3 rows, "
            "enclosing every field in double quotes."
        ),
        (
            "Produce 3 rows of tab-separated data (header StudentID, Subject, Grade, Semester, Score) with each "
            "field wrapped in double quotes."
        ),
        (
            'Create a tab-delimited table, columns ["StudentID", "Subject", "Grade", "Semester", '
            '"Score"], 3 rows, every single field in double quotes.'
        ),
    ],
    check=csv_quotes,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes(_CSV_QUOTES),
        fails(_CSV_QUOTES.replace('"Math"', "Math", 1), "one field is not quoted"),
        fails(_CSV_QUOTES + '\n"4"', "a fourth row, with one field"),
    ],
)
