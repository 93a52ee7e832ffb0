"""7.3 ending reasons (SHORT, OPEN_ACTIONS, UNADDRESSED_ADULT_NEED), premature endings and the
forward-looking endings-at-risk list, for plans that ended in the filter's period.

Why these joins live in SQL: at national scale there are millions of actions and needs; the
database reduces them to three booleans per plan before pandas sees anything.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from ..settings import Thresholds
from ..filters import Filters
from .sqlrun import run


def ending_reasons(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                   thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """One row per ended plan in the filter.

    Columns: plan_id, child_id, team, start_date, end_date, initial_category, end_reason,
    plan_number, duration_band, next_plan_id, next_start, short, open_actions,
    unaddressed_adult_need, open_adult_factors (comma string or blank), reasons (comma string,
    '' when none), premature, at_risk.
    """
    frame = run(con, "endings_endings", filters, thresholds)
    for col in ("short", "open_actions", "unaddressed_adult_need", "premature", "at_risk"):
        frame[col] = frame[col].fillna(False).astype(bool)
    return frame


def ending_lists(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                 thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """Only the premature endings and endings at risk: plan_id, child_id, reasons, premature, at_risk.
    (The SQL filters, so a national store hands pandas the lists, not every ended plan.)"""
    frame = run(con, "endings_ending_lists", filters, thresholds)
    frame[["premature", "at_risk"]] = frame[["premature", "at_risk"]].fillna(False).astype(bool)
    return frame


def reason_counts(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                  thresholds: Thresholds = Thresholds()) -> dict[str, int]:
    """plans_ended, short, open_actions, unaddressed_adult_need, any_reason, premature, at_risk."""
    row = run(con, "endings_ending_reason_counts", filters, thresholds).iloc[0]
    return {k: int(v) for k, v in row.items()}


def reasons_list(reasons: str | None) -> list[str]:
    """'SHORT,OPEN_ACTIONS' -> ['SHORT', 'OPEN_ACTIONS']."""
    return [r for r in (reasons or "").split(",") if r]
