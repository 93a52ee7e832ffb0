"""The store's CHECK constraints list the same codes as the one definition of each code list.

Why: the schema must refuse an unknown code on every path into the store, so it repeats each list in SQL;
this test keeps that copy equal to `paqa_dash.reference.codes` (and the vocabularies of `ingest.vocab`),
so a code added in one place and not the other fails here, not in an authority's import.
"""
from __future__ import annotations

import re

import pytest

from paqa_dash import sql
from paqa_dash.ingest import vocab
from paqa_dash.reference import codes

SCHEMA = sql.text("schema")


def check_list(column: str) -> list[set[str]]:
    """Every `column IN (...)` code list of the schema's CHECK constraints."""
    found = re.findall(rf"CHECK \({column} IN \(([^)]*)\)\)", SCHEMA, flags=re.S)
    assert found, f"no CHECK on {column}"
    return [set(re.findall(r"'([^']*)'", body)) for body in found]


@pytest.mark.parametrize("column,codes_", [
    ("initial_category", codes.CATEGORIES), ("latest_category", codes.CATEGORIES),
    ("end_reason", codes.END_REASONS), ("agency", codes.AGENCIES), ("owner_agency", codes.AGENCIES),
    ("event_type", tuple(vocab.EVENT_TYPE)), ("change_type", tuple(vocab.CHANGE_TYPE)),
    ("status", tuple(vocab.STATUS)),
])
def test_schema_checks_list_the_reference_codes(column: str, codes_: tuple[str, ...]) -> None:
    for listed in check_list(column):
        assert listed == set(codes_)
