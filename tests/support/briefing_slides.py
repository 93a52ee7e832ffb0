"""One slide of a briefing section, built on a hand-built store (for tests of what a slide says)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from support.store_builder import build_store

from paqa_dash.filters import Filters
from paqa_dash.report.briefing.charts import Card, Chart
from paqa_dash.report.briefing.sections import Ask
from paqa_dash.settings import Thresholds


def slide(db: Path, section: Callable[..., None], key: str, filters: Filters, **tables: Any) -> Chart:
    """The chart `key` that `section` (a report/briefing/sections.py builder) adds for `filters`, on a store of
    `tables` (build_store's rows)."""
    con = build_store(db, **tables)
    try:
        card = Card()
        section(con, Ask(filters, Thresholds(), filters), card)
    finally:
        con.close()
    return next(c for c in card.charts if c.key == key)
