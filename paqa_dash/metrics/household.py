"""7.6 family change: household changes of the child or its family during plans, and in the gap
before a repeat plan (the audit found repeated changes of family composition).

A change shared by siblings is one change: counts are of distinct change ids.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from ..settings import Thresholds
from .filters import Filters
from .sqlrun import run

_FC = ("metrics_cte_family_changes",)
CHANGE_BUCKETS = ("0", "1", "2", "3+")


def family_change_counts(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                         thresholds: Thresholds = Thresholds()) -> dict[str, int]:
    """{'during_plans': n, 'before_repeat_plans': n} for plans started in the filter."""
    row = run(con, "metrics_family_change_counts", filters, thresholds, ctes=_FC).iloc[0]
    return {"during_plans": int(row["during_plans"] or 0), "before_repeat_plans": int(row["before_repeat_plans"] or 0)}


def changes_per_child(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                      thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """child_id, changes (during their started plans or in the gap before one), has_repeat_plan, bucket."""
    frame = run(con, "metrics_family_changes_per_child", filters, thresholds, ctes=_FC)
    frame["changes"] = frame["changes"].astype("int64")
    frame["has_repeat_plan"] = frame["has_repeat_plan"].fillna(False).astype(bool)
    frame["bucket"] = frame["changes"].clip(upper=3).map({0: "0", 1: "1", 2: "2", 3: "3+"})
    return frame


def repeat_share_by_changes(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                            thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """bucket ('0','1','2','3+'), children, repeat_children, repeat_share (None when no children)."""
    per_child = changes_per_child(con, filters, thresholds)
    grouped = per_child.groupby("bucket").agg(children=("child_id", "size"), repeat_children=("has_repeat_plan", "sum"))
    grouped = grouped.reindex(list(CHANGE_BUCKETS), fill_value=0).reset_index()
    grouped[["children", "repeat_children"]] = grouped[["children", "repeat_children"]].astype("int64")
    grouped["repeat_share"] = (grouped["repeat_children"] / grouped["children"].where(grouped["children"] > 0)).astype("float64")
    return grouped
