"""7.6 family change: household changes of the child or its family during plans, and in the gap
before a repeat plan (the audit found repeated changes of family composition).

A change shared by siblings is one change: counts are of distinct change ids.

Whether household change goes with coming back on a plan is asked only over the same exposure for every
child (`after_first_plan`): changes counted "during plans or before a repeat plan" grow with the plans a
child had, so children with a repeat plan would have more of them by construction.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from ..settings import Thresholds
from ..filters import Filters
from ..scope import CHILD_LEVEL
from .sqlrun import run

CHANGE_BUCKETS = ("0", "1", "2", "3+")


def family_change_counts(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                         thresholds: Thresholds = Thresholds()) -> dict[str, int | None]:
    """{'during_plans': n, 'before_repeat_plans': n} for plans started in the filter.  `before_repeat_plans` is None
    where no repeat plan's previous plan ends in the data (an Annex A return counts earlier plans only): no gap was
    searched, so the count is not known, and the page, `metrics --json` and the briefing say so rather than 0."""
    row = run(con, "household_family_change_counts", filters, thresholds).iloc[0]
    before = int(row["before_repeat_plans"] or 0) if int(row["gaps_measured"] or 0) else None
    return {"during_plans": int(row["during_plans"] or 0), "before_repeat_plans": before}


def repeat_plans_after_change(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                              thresholds: Thresholds = Thresholds()) -> tuple[int, int]:
    """(repeat plans that followed a change of household in the gap, repeat plans whose previous plan's end is in
    the data) for plans started in the filter: a share of plans, where `family_change_counts` counts changes."""
    row = run(con, "household_repeat_plans_after_change", filters, thresholds).iloc[0]
    return int(row["after_change"] or 0), int(row["repeat_plans_with_gap"] or 0)


def changes_per_child(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                      thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """child_id, changes (during their started plans or in the gap before one), has_repeat_plan, bucket.
    One row per child: for a few children (pack, tests); pages use `change_buckets` / `most_changes`."""
    frame = run(con, "household_family_changes_per_child", filters, thresholds)
    frame["changes"] = frame["changes"].astype("int64")
    frame["has_repeat_plan"] = frame["has_repeat_plan"].fillna(False).astype(bool)
    frame["bucket"] = frame["changes"].clip(upper=3).map({0: "0", 1: "1", 2: "2", 3: "3+"})
    return frame


def change_buckets(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                   thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """bucket ('0','1','2','3+'), has_repeat_plan, children: children with a plan started in the filter
    by number of household changes (during those plans or before them) and whether one of their plans
    is a repeat plan; all eight rows, zeros included.  Counted in SQL: one row per child never leaves
    the store."""
    frame = run(con, "household_family_change_buckets", filters, thresholds)
    frame["has_repeat_plan"] = frame["has_repeat_plan"].fillna(False).astype(bool)
    index = pd.MultiIndex.from_product([list(CHANGE_BUCKETS), [False, True]], names=["bucket", "has_repeat_plan"])
    counts = frame.groupby(["bucket", "has_repeat_plan"])["children"].sum().reindex(index, fill_value=0)
    out = counts.astype("int64").reset_index()
    out["bucket"] = out["bucket"].astype(object)
    return out


def most_changes(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                 thresholds: Thresholds = Thresholds(), limit: int = 20) -> pd.DataFrame:
    """child_id, changes, has_repeat_plan, children_with_changes: the `limit` children with most
    household changes (ties by pseudonym; children with none left out), and in every row the number of
    children with at least one change, so a page can say "N of M"."""
    filters.scope.require(CHILD_LEVEL, "A list naming children")
    frame = run(con, "household_family_change_top_children", filters, thresholds,
                limit=int(limit))
    frame[["changes", "children_with_changes"]] = frame[["changes", "children_with_changes"]].astype("int64")
    frame["has_repeat_plan"] = frame["has_repeat_plan"].fillna(False).astype(bool)
    return frame


def after_first_plan(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                     thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """bucket ('0','1','2','3+'), replanned, children: children whose first plan ended in the filter
    and who have been followed up the re-plan window by the as-of date, by household changes in that
    window after the end and whether another plan started within it; all eight rows, zeros included.
    The plan-number filter is ignored (the cohort is first plans).  Counted in SQL."""
    frame = run(con, "household_after_first_plan", filters.with_(plan_number="all"), thresholds)
    frame["replanned"] = frame["replanned"].fillna(False).astype(bool)
    index = pd.MultiIndex.from_product([list(CHANGE_BUCKETS), [False, True]], names=["bucket", "replanned"])
    counts = frame.groupby(["bucket", "replanned"])["children"].sum().reindex(index, fill_value=0)
    out = counts.astype("int64").reset_index()
    out["bucket"] = out["bucket"].astype(object)
    return out


def replanned_share(after: pd.DataFrame) -> pd.DataFrame:
    """bucket, children, replanned_children, replanned_share (None when no children), from an
    `after_first_plan` frame: of the children with 0, 1, 2 or 3+ changes in the window after their first
    plan ended, the share re-planned within that same window."""
    grouped = after.assign(re=after["children"].where(after["replanned"], 0)).groupby(
        "bucket", sort=False).agg(children=("children", "sum"), replanned_children=("re", "sum"))
    grouped = grouped.reindex(list(CHANGE_BUCKETS), fill_value=0).reset_index()
    grouped["bucket"] = grouped["bucket"].astype(object)
    grouped[["children", "replanned_children"]] = grouped[["children", "replanned_children"]].astype("int64")
    grouped["replanned_share"] = (grouped["replanned_children"]
                                  / grouped["children"].where(grouped["children"] > 0)).astype("float64")
    return grouped
