"""Small reference tables that named SQL joins by name, registered on a connection when a query needs them.

Why: a code list or a calendar step written into SQL as literals (`IN ('2A', '2B', ...)`) is a second copy
of a definition that lives here in Python; a registered table is the same list, joined.  Registration works
on read-only connections (nothing is written to the store) and costs microseconds.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

import duckdb
import numpy as np
import pandas as pd

from ..settings import Thresholds
from . import action_classes, benchmarks, calendar, codes, concerns, recorded, works


@lru_cache(maxsize=8)
def _workday_due(n: int) -> pd.DataFrame:
    """Every date in the calendar's range -> that date + n working days (England and Wales)."""
    days = np.arange(np.datetime64(f"{calendar.FIRST_YEAR}-01-01"), np.datetime64(f"{calendar.LAST_YEAR}-12-01"),
                     dtype="datetime64[D]")
    due = np.busday_offset(days, n, roll="forward", busdaycal=calendar._calendar())
    return pd.DataFrame({"start_date": days, "due": due})   # timestamps; the SQL casts them to DATE


@lru_cache(maxsize=1)
def _adult_factors() -> pd.DataFrame:
    """factor, label: the adult factors of reference/codes.py (SQL joins them instead of listing codes)."""
    return pd.DataFrame({"factor": list(codes.ADULT_FACTORS),
                         "label": [codes.ADULT_FACTOR_LABELS[f] for f in codes.ADULT_FACTORS]})


@lru_cache(maxsize=1)
def _end_reason_kinds() -> pd.DataFrame:
    """end_reason, kind ('final': no re-plan can follow; 'looked_after'): the watch list's exceptions."""
    rows = [(r, "final") for r in codes.FINAL_END_REASONS] + [(codes.LOOKED_AFTER_END_REASON, "looked_after")]
    return pd.DataFrame(rows, columns=["end_reason", "kind"])


@lru_cache(maxsize=1)
def _concern_groups() -> pd.DataFrame:
    """event_type, agency ('*' = any), grp, kind, impact, new_concern, short_of_referral: reference/concerns.py as
    rows."""
    return pd.DataFrame(concerns.rows(), columns=["event_type", "agency", "grp", "kind", "impact", "new_concern",
                                                  "short_of_referral"])


@lru_cache(maxsize=1)
def _source_not_concerns() -> pd.DataFrame:
    """import_kind, event_type: the event types that an import kind's data holds as the service's steps, not
    concerns (reference/concerns.py SOURCE_NOT_CONCERNS)."""
    return pd.DataFrame(concerns.source_rows(), columns=["import_kind", "event_type"])


@lru_cache(maxsize=1)
def _partial_sources() -> pd.DataFrame:
    """import_kind, kind: the kinds of record an import kind holds in part only (reference/recorded.py)."""
    rows = [(source, kind) for source, kinds in recorded.PARTIAL_SOURCES.items() for kind in kinds]
    return pd.DataFrame(rows, columns=["import_kind", "kind"])


@lru_cache(maxsize=1)
def _reporting_months() -> pd.DataFrame:
    """month (its first day), year: the DfE reporting year of every month in the calendar's range, named as the
    pages name it ('2024-25'): a grouping by year in SQL joins it rather than restating the April-to-March rule."""
    months = pd.date_range(f"{calendar.FIRST_YEAR}-01-01", f"{calendar.LAST_YEAR}-12-01", freq="MS")
    return pd.DataFrame({"month": months, "year": [benchmarks.year_label(benchmarks.reporting_year(m.date()))
                                                   for m in months]})


@lru_cache(maxsize=1)
def _class_order() -> pd.DataFrame:
    """action_class, position: the classes of action (reference/works.py ACTION_CLASSES) in the pages' order, which
    SQL counts a plan's actions in (one count per class, in this order)."""
    return pd.DataFrame({"action_class": list(works.ACTION_CLASSES),
                         "position": range(1, len(works.ACTION_CLASSES) + 1)})


@lru_cache(maxsize=1)
def _adult_agencies() -> pd.DataFrame:
    """agency: the adult-facing agencies (reference/works.py)."""
    return pd.DataFrame({"agency": list(works.ADULT_AGENCIES)})


@lru_cache(maxsize=1)
def _action_classes() -> pd.DataFrame:
    """theme, any_other, adult_owned, action_class, relational: reference/action_classes.py's mapping as rows."""
    return action_classes.class_rows()


# name as SQL mentions it -> the rows, for the thresholds in force
TABLES: dict[str, Callable[[Thresholds], pd.DataFrame]] = {
    "metrics_workday_due": lambda t: _workday_due(int(t.first_core_group_working_days)),
    "ref_adult_factors": lambda t: _adult_factors(),
    "ref_end_reason_kinds": lambda t: _end_reason_kinds(),
    "ref_concern_groups": lambda t: _concern_groups(),
    "ref_partial_sources": lambda t: _partial_sources(),
    "ref_source_not_concerns": lambda t: _source_not_concerns(),
    "ref_reporting_months": lambda t: _reporting_months(),
    "ref_adult_agencies": lambda t: _adult_agencies(),
    "ref_action_classes": lambda t: _action_classes(),
    "ref_class_order": lambda t: _class_order(),
}


# The word patterns of What works (reference/works.py) that SQL matches, bound as named parameters (in every
# block's context: derive/registry.py threshold_params).  Why parameters and not a registered table's columns:
# DuckDB compiles a pattern given as a constant once, and one read from a column again for every row it matches; at
# 100,000 census plans the 63,680 distinct event details took 7.5 CPU s to match against 0.06 s, and the import's
# derivation of derived_works_plans grew with every distinct detail (docs/benchmark_history.md).
PATTERNS: dict[str, str] = {"works_fgc": works.FGC_PATTERN, "works_views": works.VIEWS_PATTERN,
                            "works_co_produced": works.CO_PRODUCED_PATTERN, "works_mi": works.MI_PATTERN,
                            "works_named": works.NAMED_INTERVENTION_PATTERN}
_PATTERN_USE = {name: re.compile(rf"\${name}\b") for name in PATTERNS}


def digest(text: str) -> str:
    """The rows of every reference table the SQL `text` mentions, and every pattern (PATTERNS) it binds, as one
    string to hash (at the default thresholds: what a threshold changes is recorded apart), "" when it mentions
    none: derive/currency.py counts them in a derived table's definition."""
    return ("".join(f"{name}:{TABLES[name](Thresholds()).to_csv(index=False)}" for name in TABLES if name in text)
            + "".join(f"${name}:{value}\n" for name, value in PATTERNS.items() if _PATTERN_USE[name].search(text)))


def register(con: duckdb.DuckDBPyConnection, text: str, thresholds: Thresholds) -> None:
    """Register on `con` every reference table that the SQL `text` mentions."""
    needed = [name for name in TABLES if name in text]
    if not needed:
        return
    # DuckDB refuses to register while an earlier fetchone() left a result open; a finished statement closes it.
    con.execute("SELECT 1").fetchall()
    for name in needed:
        con.register(name, TABLES[name](thresholds))
