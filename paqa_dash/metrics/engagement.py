"""7.6 engagement: per-agency attendance and contribution at core groups, and the network's
CHALLENGE / ESCALATION events, for plans that started in the filter.

Only invited attendance rows count, so attended / invited is a rate in 0..1.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from ..settings import Thresholds
from ..filters import Filters
from .sqlrun import run



def _attendance(con: duckdb.DuckDBPyConnection, main: str, filters: Filters, thresholds: Thresholds) -> pd.DataFrame:
    """Attendance sums: the resolver reads them from the sums stored at import when those are current."""
    return run(con, main, filters, thresholds)


def _rates(frame: pd.DataFrame) -> pd.DataFrame:
    for col in ("invited", "attended", "contributed"):
        frame[col] = frame[col].astype("int64")
    invited = frame["invited"].where(frame["invited"] > 0)
    frame["rate"] = (frame["attended"] / invited).astype("float64")
    frame["contribution_rate"] = (frame["contributed"] / invited).astype("float64")
    return frame


def agency_attendance(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                      thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """agency, invited, attended, contributed, rate, contribution_rate (one row per agency)."""
    return _rates(_attendance(con, "engagement_agency_attendance", filters, thresholds))


def attendance_by_authority(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                            thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """authority, invited, attended: `agency_attendance`'s sums for each authority of the filter's plans, from one
    query (the Regional view; docs/benchmark_history.md)."""
    frame = _attendance(con, "engagement_attendance_by_authority", filters, thresholds)
    frame[["invited", "attended"]] = frame[["invited", "attended"]].astype("int64")
    return frame


def attendance_by_quarter(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                          thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """quarter (first day, by meeting date), agency, invited, attended, contributed, rate, contribution_rate."""
    return _rates(_attendance(con, "engagement_attendance_by_quarter", filters, thresholds))


def challenges(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
               thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """agency, event_type ('CHALLENGE' | 'ESCALATION'), events, plans (distinct plans with one)."""
    frame = run(con, "engagement_challenges", filters, thresholds)
    frame[["events", "plans"]] = frame[["events", "plans"]].astype("int64")
    return frame


def challenges_by_team(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                       thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """team, plans (started in the filter), plans_with_challenge, plans_with_escalation, challenges,
    escalations: `challenges_per_plan` summed per team in SQL (a row per team, not per plan)."""
    frame = run(con, "engagement_challenges_by_team", filters, thresholds)
    cols = ["plans", "plans_with_challenge", "plans_with_escalation", "challenges", "escalations"]
    frame[cols] = frame[cols].astype("int64")
    return frame


def agency_totals(by_quarter: pd.DataFrame) -> pd.DataFrame:
    """`agency_attendance` from an `attendance_by_quarter` frame (the sums over quarters), so a page
    that shows both asks the store once."""
    cols = ["invited", "attended", "contributed"]
    if by_quarter.empty:
        return _rates(pd.DataFrame({"agency": pd.Series(dtype=object), **{c: pd.Series(dtype="int64") for c in cols}}))
    frame = by_quarter.groupby("agency", sort=True)[cols].sum().reset_index()
    return _rates(frame)


def challenges_per_plan(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                        thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """plan_id, child_id, team, challenges, escalations for every plan started in the filter (a row per
    plan: for a few plans; the page uses `challenges_by_team`)."""
    frame = run(con, "engagement_challenges_per_plan", filters, thresholds)
    frame[["challenges", "escalations"]] = frame[["challenges", "escalations"]].astype("int64")
    return frame
