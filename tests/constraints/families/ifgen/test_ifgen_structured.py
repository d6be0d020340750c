"""The ifgen data-format, convention and anchor blocks (families/ifgen/data_formats.py, conventions.py,
anchors.py): which module holds which id, and the acronym reader behind `ifgen:acronym_definitions`.

Each block's pass/fail examples live in the block and run in tests/constraints/test_blocks.py.
"""

import pytest

from pipeline.constraints import all_constraints
from pipeline.constraints.families.ifgen import conventions

MODULES = {
    "data_formats": {"ifgen:json_keys", "ifgen:valid_yaml", "ifgen:csv_columns"},
    "conventions": {
        "ifgen:citation_markers", "ifgen:email_format", "ifgen:hashtags_count", "ifgen:iso_dates",
        "ifgen:acronym_definitions",
    },
    "anchors": {"ifgen:wrap_in_tags", "ifgen:tldr_summary", "ifgen:start_phrase"},
}  # fmt: skip


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_defines_its_blocks(module):
    name = f"pipeline.constraints.families.ifgen.{module}"
    defined = {cid for cid, c in all_constraints().items() if c.check.__module__ == name}
    assert defined == MODULES[module]


@pytest.mark.parametrize(
    "words,acronym,spelled",
    [
        (["World", "Health", "Organization"], "WHO", True),
        (["Department", "of", "Energy"], "DOE", True),  # the small word gives its letter
        (["Bank", "of", "England"], "BE", True),  # ... or is skipped
        (["Weather", "Office"], "WHO", False),
        (["natural", "language", "processing"], "NLP", True),  # initials compared in upper case
        ([], "", True),
    ],
)
def test_spells(words, acronym, spelled):
    assert conventions._spells(words, acronym) is spelled


def test_every_acronym_needs_its_definition_at_first_use():
    assert conventions.acronym_definitions("The Food and Drug Administration (FDA) and the FDA agree.")
    assert not conventions.acronym_definitions("The FDA (Food and Drug Administration) and the EPA agree.")
