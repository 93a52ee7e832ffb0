"""Plan refresh (audit question 7: did the core group refresh the plan in time?): after each review
conference, core group meeting and new concern during a plan, was a plan update (PLAN_UPDATE) recorded within
the threshold's days (queries/metrics/refresh.sql; docs/definitions.md, "Plan refresh").

Why beside timeliness, not in it: timeliness asks whether the meetings happened; this asks whether the plan
changed after them, and after what happened to the child between them.
"""
from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from ..filters import Filters
from ..reference.concerns import TRIGGERS
from ..scope import CHILD_LEVEL
from ..settings import Thresholds
from .sqlrun import run

STATUSES = ("on_time", "late", "not_due")
KINDS = ("meeting", "concern")


def trigger_rows(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                 thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """One row per trigger of a plan started in the filter: plan_id, child_id, team, trigger
    (reference.concerns.TRIGGERS), trigger_date, due, updated_on (the first update on or after it, or None),
    status ('on_time' | 'late' | 'not_due').  Names children: child-level scope only."""
    filters.scope.require(CHILD_LEVEL, "A list naming children")
    return run(con, "refresh_trigger_rows", filters, thresholds)


def _rates(frame: pd.DataFrame) -> pd.DataFrame:
    frame[["on_time", "late"]] = frame[["on_time", "late"]].fillna(0).astype("int64")
    frame["due"] = frame["on_time"] + frame["late"]
    frame["rate"] = (frame["on_time"] / frame["due"].where(frame["due"] > 0)).astype("float64")
    return frame


def team_quarters(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                  thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """team ('' for none), quarter (first day), kind ('meeting' | 'concern'), on_time, late: the triggers whose
    deadline has passed, counted once for the page's two charts (`by_team`, `by_quarter` sum these rows): each
    chart read every trigger again, about a second apiece at a million plans."""
    frame = run(con, "refresh_by_team_quarter", filters, thresholds)
    frame[["on_time", "late"]] = frame[["on_time", "late"]].astype("int64")
    return frame


def _summed(grid: pd.DataFrame, by: str) -> pd.DataFrame:
    summed = grid.groupby([by, "kind"], as_index=False, sort=True)[["on_time", "late"]].sum()
    return _rates(summed.astype({"on_time": "int64", "late": "int64"}))


def by_team(grid: pd.DataFrame) -> pd.DataFrame:
    """team, kind ('meeting' | 'concern'), on_time, late, due (= on_time + late), rate (on_time / due; None
    when nothing was due), from `team_quarters`."""
    return _summed(grid, "team")


def by_quarter(grid: pd.DataFrame) -> pd.DataFrame:
    """quarter (first day), kind, on_time, late, due, rate: by the quarter of the meeting or concern, from
    `team_quarters`."""
    return _summed(grid, "quarter")


def late_plans(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
               thresholds: Thresholds = Thresholds(), limit: int = 500) -> pd.DataFrame:
    """Plans where a new concern had no timely plan update, most such concerns first: plan_id, child_id, team,
    late_concerns, first_late, last_late, triggers (comma codes), plans_listed (all such plans, in every
    row).  Names children: child-level scope only."""
    filters.scope.require(CHILD_LEVEL, "A list naming children")
    frame = run(con, "refresh_late_plans", filters, thresholds, limit=int(limit))
    return frame.astype({"late_concerns": "int64", "plans_listed": "int64"})


# The two rates the audit reads: after meetings, and after new concerns.
TRIGGER_GROUPS = {"meetings": ("review", "core_group"), "new_concerns": ("incident", "household_change", "new_need")}


def counts(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
           thresholds: Thresholds = Thresholds()) -> dict[str, Any]:
    """The `metrics --json` key `plan_refresh`: per trigger {on_time, late, not_due}, and for meetings and
    new concerns together the on-time rate of those due (None when none was due)."""
    frame = run(con, "refresh_counts", filters, thresholds)
    got = {(t, s): int(n) for t, s, n in frame[["trigger", "status", "n"]].itertuples(index=False)}
    out: dict[str, Any] = {t: {s: got.get((t, s), 0) for s in STATUSES} for t in TRIGGERS}
    for kind, members in TRIGGER_GROUPS.items():
        on_time = sum(out[t]["on_time"] for t in members)
        due = on_time + sum(out[t]["late"] for t in members)
        out[f"{kind}_rate"] = (on_time / due) if due else None
    return out
