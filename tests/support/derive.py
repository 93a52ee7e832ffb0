"""Helpers for tests of the derive registry: is an entry read for a question, and forcing the inline path."""
from __future__ import annotations

import duckdb
import pytest

from paqa_dash.derive import currency, registry
from paqa_dash.filters import Filters
from paqa_dash.settings import DEFAULTS, Thresholds


def current(con: duckdb.DuckDBPyConnection, name: str, filters: Filters, thresholds: Thresholds = DEFAULTS) -> bool:
    """True when the resolver reads entry `name`'s stored rows for this question."""
    return registry.resolve(con, filters, thresholds).reads_stored(name)


def inline(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """Make the named entries (every entry when none is named) never current: queries run inline.  With them, every
    entry standing for one of their inline blocks (a table of the recent dates and one read for any date)."""
    blocks = {block for entry in registry.ENTRIES if entry.name in names for block in entry.swaps}
    names = (*names, *(entry.name for entry in registry.ENTRIES if blocks & set(entry.swaps)))
    real = currency.is_current
    monkeypatch.setattr(currency, "is_current",
                        lambda entry, *a, **k: False if (not names or entry.name in names) else real(entry, *a, **k))


def inline_block(entry: currency.Entry) -> str:
    """The inline block a derived table stands in for."""
    return next(iter(entry.swaps))


def rows_block(entry: currency.Entry) -> str:
    """The main block selecting a derived table's rows from its inline block."""
    return entry.blocks[-1]


def ctes(entry: currency.Entry) -> tuple[str, ...]:
    """The CTE blocks a derived table's rows are computed from (besides the plan sequence)."""
    earlier = {block for blocks in entry.earlier.values() for block in blocks}
    return tuple(b for b in entry.blocks[2:-2] if b not in earlier)
