"""7.1 plan number, DfE repeat, repeat within the re-plan window, gap; 7.2 duration band; age band.

All row work is one window query in DuckDB (`metrics_sequence_cte_seq`), so a million plans stay fast.
"""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from ..settings import Thresholds
from ..filters import Filters
from ..reference.codes import DURATION_BANDS
from .sqlrun import run

SEQUENCE_COLUMNS = ["plan_id", "child_id", "team", "start_date", "end_date", "initial_category", "plan_number",
                    "is_repeat", "previous_plan_id", "previous_end", "gap_days", "repeat_within_window",
                    "duration_band", "age_band"]


def plan_sequence(con: duckdb.DuckDBPyConnection, thresholds: Thresholds = Thresholds(),
                  as_of: date | None = None) -> pd.DataFrame:
    """Every plan in the store (started by `as_of`, default today), one row each.

    Columns: SEQUENCE_COLUMNS plus next_plan_id, next_start.  end_date is blank for a plan still
    open at `as_of`; duration_band only for ended plans; gap_days only when the previous plan is
    in the store.
    """
    return run(con, "metrics_sequence_plan_sequence", Filters(as_of=as_of), thresholds)


def started_plans(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                  thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """Plans that started in the filter's period (and match its teams, categories, ...)."""
    return run(con, "metrics_sequence_started_plans", filters, thresholds)


def start_counts(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                 thresholds: Thresholds = Thresholds()) -> dict:
    """plans_started, repeat_plans_started, repeat_within_window, repeat_plans_dated (repeat plans whose previous
    plan's end is in the store: only these can be placed within the window or not), median_gap_days (None if no
    gap)."""
    row = run(con, "metrics_sequence_start_counts", filters, thresholds).iloc[0]
    gap = row["median_gap_days"]
    return {
        "plans_started": int(row["plans_started"]),
        "repeat_plans_started": int(row["repeat_plans_started"]),
        "repeat_within_window": int(row["repeat_within_window"]),
        "repeat_plans_dated": int(row["repeat_plans_dated"]),
        "median_gap_days": None if pd.isna(gap) else float(gap),
    }


def window_known(starts: dict) -> bool:
    """Whether `start_counts` can tell how many repeat plans came within the re-plan window: not when repeat plans
    started but none has its previous plan in the store with an end date (no gap: median_gap_days None), as when a
    source gives earlier plans only as a count (reference/recorded.py UNDATED_EARLIER_PLANS).  No repeat plan at
    all: known (none came within it)."""
    return known_window(starts["repeat_plans_started"], starts["median_gap_days"] is not None)


def undated_repeats(starts: dict) -> int:
    """How many repeat plans of `start_counts` have no dated previous plan while some have: then the count within
    the window is a floor (recorded.some_undated says so).  0 when every one is dated, and when none is (the count
    is then not known at all: `window_known`)."""
    undated = starts["repeat_plans_started"] - starts["repeat_plans_dated"]
    return undated if window_known(starts) else 0


def known_window(repeat_plans: int, any_dated: bool) -> bool:
    """`window_known` for any group of plans (a team, an authority): `repeat_plans` repeat plans started, `any_dated`
    whether one of them has its previous plan's end in the store.  One rule for the Overview, the teams and the
    authorities, so an Annex A team or authority reads "not recorded" where the whole store would."""
    return not (repeat_plans and not any_dated)


def end_counts(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
               thresholds: Thresholds = Thresholds()) -> dict:
    """plans_ended in the period and their DfE D7 duration bands."""
    row = run(con, "metrics_sequence_end_counts", filters, thresholds).iloc[0]
    bands = {b: int(row[b]) for b in DURATION_BANDS}
    return {"plans_ended": int(row["plans_ended"]), "ended_duration_bands": bands}
