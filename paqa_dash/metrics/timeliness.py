"""7.5 timeliness of core groups and review conferences (Working Together to Safeguard Children).

First core group within N working days of the plan start (the ICPC), later ones at most W weeks
apart; first review within M calendar months, later ones at most L months apart.  Each later
deadline runs from the meeting before it.  A deadline on or before min(plan end, as-of) with no
meeting by then is late (a missed meeting is late); one after either is not yet due.

The working-day deadline is the only step SQL cannot do well, so a small table (every date in the
bank-holiday range -> that date + N working days, numpy busday) is registered on the connection
and joined by start date: the row work still happens in DuckDB.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from ..settings import Thresholds
from ..filters import Filters
from .sqlrun import run

STATUSES = ("on_time", "late", "not_due")


def core_group_timeliness(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                          thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """One row per core-group deadline of plans started in the filter: plan_id, kind
    ('first' | 'interval'), due, met_on, status ('on_time' | 'late' | 'not_due')."""
    return run(con, "timeliness_core_group_rows", filters, thresholds)


def review_timeliness(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                      thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """One row per review-conference deadline: plan_id, kind ('first' | 'later'), due, met_on, status."""
    return run(con, "timeliness_review_rows", filters, thresholds)


def _counts(frame: pd.DataFrame) -> dict[tuple[str, str], int]:
    return {(k, s): int(n) for k, s, n in frame[["kind", "status", "n"]].itertuples(index=False)}


def core_group_counts(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                      thresholds: Thresholds = Thresholds()) -> dict[str, int]:
    """The `metrics --json` key `core_groups`: first_on_time, first_late, intervals_on_time, intervals_late
    (plus first_not_due, intervals_not_due), aggregated in SQL."""
    c = _counts(run(con, "timeliness_core_group_counts", filters, thresholds))
    return {f"{label}_{status}": c.get((kind, status), 0)
            for kind, label in (("first", "first"), ("interval", "intervals")) for status in STATUSES}


def review_counts(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                  thresholds: Thresholds = Thresholds()) -> dict[str, int]:
    """The `metrics --json` key `reviews`: first_on_time, first_late, later_on_time, later_late (plus *_not_due)."""
    c = _counts(run(con, "timeliness_review_counts", filters, thresholds))
    return {f"{kind}_{status}": c.get((kind, status), 0) for kind in ("first", "later") for status in STATUSES}
