"""Markdown list items, read the same way by the list checkers and the table-of-contents checker."""

from __future__ import annotations

import re

# a bullet (-, *, +) or number (1. / 1)) item: group 1 its indent, group 2 its text
LIST_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+(\S.*)$")
