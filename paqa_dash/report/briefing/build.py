"""Build a briefing: gather the charts and figures once (the reader's scope and threshold applied), then
write PowerPoint, PDF or Excel.  The pages' download button and `python -m paqa_dash brief` both call
`build_briefing`.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from ... import store
from ...filters import Filters
from ...metrics import data_dates, store_info, summary
from ...reference import authorities as la, ending_lists
from ...scope import AGGREGATES, CHILD_LEVEL
from ...settings import Thresholds
from . import compare, headline, presets
from .charts import Card
from .contents import ENDINGS_AT_RISK, Briefing
from .names import FORMATS
from .sections import Ask, authorities_covered



def gather(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds, sections: tuple[str, ...],
           cohort: Filters | None = None, previous: compare.Previous | None = None,
           child_lists: bool = False, title: str = "Repeat child protection plans: briefing",
           asked_as_of: date | None = None) -> Briefing:
    """Read everything once for `filters` (its scope is the reader's: threshold, teams, capabilities).
    `asked_as_of`: the as-of date the reader chose, where `filters` already holds it brought back to the data date
    (the pages' filters, the command's default period): the front then says so, as the page does; by default
    `filters.as_of`."""
    scope = filters.scope
    scope.require(AGGREGATES, "A briefing")
    asked = asked_as_of or filters.as_of
    filters = store.with_data_date(con, filters)
    past = data_dates.past_data_note(asked, filters.as_of, data_dates.whose_data(filters.authorities))
    built, missing = presets.resolve(sections, scope)
    card = Card(threshold=scope.suppress_below)
    ask = Ask(filters, thresholds, store.with_data_date(con, cohort) if cohort else filters)
    for name in built:
        presets.SECTIONS[name][1](con, ask, card)
    figures = headline.figures(summary.compute(con, filters, thresholds), thresholds, scope.suppress_below)
    lists = {}
    if child_lists:
        scope.require(CHILD_LEVEL, "A list naming children")
        lists[ENDINGS_AT_RISK] = watch_list(con, filters, thresholds)
    covered, behind = authorities_covered(con, filters)
    out = Briefing(title, filters, thresholds, store.data_date(con), store.is_synthetic(con), scope.suppress_below,
                   built, missing, card.charts, figures, lists=lists, cohort=ask.cohort, authorities=covered,
                   behind=behind, past=past)
    if previous is not None:
        out.changes, out.compared_with = compare.changes(figures, previous), previous.source
    return out


def watch_list(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds) -> pd.DataFrame:
    """The endings-at-risk watch list as the Plan endings page's CSV has it (reference/ending_lists.py): the page's
    headings, the codes in words with the codes beside them, each child's authority named in a store of several.

    Why: the sheet once held the query's own columns, codes in the worded ones ("Duration band": le_3m), against
    the workbook's promise of headings in words and codes in extra columns."""
    from ...metrics import by_key, cohorts

    frame = cohorts.ending_list(con, filters, thresholds, kind="at_risk", limit=cohorts.CSV_ROWS)
    if len(store_info.authorities(con)["authorities"] or ()) > 1:
        ids = tuple(dict.fromkeys(frame["child_id"].astype(str)))
        frame = la.with_names(frame, by_key.child_authorities(con, ids))
    return ending_lists.tables(frame, "at_risk")[1]


def write(briefing: Briefing, fmt: str) -> bytes:
    """The briefing as `fmt` (pptx, pdf or xlsx) bytes: as that format holds it (`Briefing.as_written`)."""
    briefing = briefing.as_written(fmt)
    if fmt == "pptx":
        from .pptx_out import pptx_bytes
        return pptx_bytes(briefing)
    if fmt == "pdf":
        from .pdf_out import pdf_bytes
        return pdf_bytes(briefing)
    if fmt == "xlsx":
        from .xlsx_out import xlsx_bytes
        return xlsx_bytes(briefing)
    raise ValueError(f"unknown briefing format {fmt!r}; use one of {', '.join(FORMATS)}")


def build_briefing(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds, fmt: str,
                   sections: tuple[str, ...], cohort: Filters | None = None,
                   previous: compare.Previous | None = None, child_lists: bool = False,
                   asked_as_of: date | None = None) -> bytes:
    """Gather and write in one call (the download button's and the command's entry point)."""
    return write(gather(con, filters, thresholds, sections, cohort, previous, child_lists,
                        asked_as_of=asked_as_of), fmt)


def file_name(fmt: str, sections: tuple[str, ...], as_of: date | None) -> str:
    stem = "briefing_" + ("_".join(sections) if len(sections) < 3 else "partnership")
    return f"{stem}_{(as_of or date.today()).isoformat()}.{fmt}"


def read_previous(path: Path) -> compare.Previous:
    return compare.read_previous(path)
