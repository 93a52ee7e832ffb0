"""Between plans (audit question 2: was re-planning proportionate to the impact of neglect on the child to
date?): what was recorded in the gap before each repeat plan, how long the decision took from the first
renewed concern, and what evidence of impact on the child was recorded before it
(queries/metrics/between.sql; the groups of concern: reference/concerns.py).

Why in SQL: the gap's events are a join of every repeat plan to the child's chronology; the database
reduces them to one row per plan (or a handful of bands) before pandas sees anything.
"""
from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from ..filters import Filters
from ..reference.concerns import CONCERN_BANDS
from ..scope import CHILD_LEVEL
from ..settings import Thresholds
from .sqlrun import run

PLAN_COLUMNS = ("plan_id", "child_id", "team", "plan_number", "previous_plan_id", "previous_end", "start_date",
                "gap_days", "concerns", "agencies", "first_concern", "last_concern", "strategy_date", "icpc_date",
                "days_to_strategy", "days_to_icpc", "days_to_plan", "impact_events", "band")
MONTHS_CAP = 12   # months before the plan: 12 stands for a year or more (between_months_before)


def _int(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for col in columns:
        frame[col] = frame[col].fillna(0).astype("int64")
    return frame


def plan_rows(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
              thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """One row per repeat plan started in the filter whose previous plan ended before it (PLAN_COLUMNS): the
    concerns in the gap, the decision's dates and days from the first concern, the impact events recorded
    before the decision and the band.  Names children: child-level scope only."""
    filters.scope.require(CHILD_LEVEL, "A list naming children")
    frame = run(con, "between_plan_rows", filters, thresholds)
    return _int(frame, "concerns", "agencies", "impact_events")


def concern_rows(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                 thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """Every concern in the gap before a repeat plan: plan_id, event_id, event_date, event_type, agency, grp,
    impact (for one child's strip and the pack; child-level scope only)."""
    filters.scope.require(CHILD_LEVEL, "A list naming children")
    frame = run(con, "between_concern_rows", filters, thresholds)
    frame["impact"] = frame["impact"].fillna(False).astype(bool)
    return frame


def bands(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
          thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """band (reference.concerns.CONCERN_BANDS, all four, fewest concerns first), plans, with_impact,
    median_days_to_plan (None where no plan, or no concern)."""
    frame = run(con, "between_bands", filters, thresholds).set_index("band")
    out = frame.reindex(list(CONCERN_BANDS))
    out = _int(out, "plans", "with_impact")
    out["median_days_to_plan"] = out["median_days_to_plan"].astype("float64")
    return out.rename_axis("band").reset_index()[["band", "plans", "with_impact", "median_days_to_plan"]]


def months_before(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                  thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """months_before (0 = the month before the plan .. MONTHS_CAP = a year or more), agency, concerns."""
    return _int(run(con, "between_months_before", filters, thresholds), "months_before", "concerns")


def by_group(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
             thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """grp, agency, concerns, plans (repeat plans with at least one such concern)."""
    return _int(run(con, "between_by_group", filters, thresholds), "concerns", "plans")


def totals(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
           thresholds: Thresholds = Thresholds()) -> dict[str, Any]:
    """The page's tiles, one query: repeat_plans_with_gap, with_concerns, concerns,
    with_impact_before_decision, median_days_to_strategy / _icpc / _plan (from the first concern; None
    when none), median_gap_days.  Apart from `counts` because the page draws the groups and bands from
    their own calls: asked inside this one too, its two heaviest questions ran twice per page."""
    row = run(con, "between_counts", filters, thresholds).iloc[0]
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key.startswith("median_"):
            out[key] = None if pd.isna(value) else float(value)
        else:
            out[key] = int(value or 0)
    return out


def counts(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
           thresholds: Thresholds = Thresholds()) -> dict[str, Any]:
    """The `metrics --json` key `between_plans`: `totals`, and by_group {group: concerns}, bands {band: plans}."""
    out = totals(con, filters, thresholds)
    groups = by_group(con, filters, thresholds).groupby("grp")["concerns"].sum()
    out["by_group"] = {str(g): int(n) for g, n in groups.items()}
    banded = bands(con, filters, thresholds)
    out["bands"] = {str(b): int(n) for b, n in zip(banded["band"], banded["plans"])}
    return out
