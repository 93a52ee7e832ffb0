"""Written agreements: how many, when against the child's plans (before, during, after a step-down), made by
which agency, whether they stood in for a plan's unfinished actions, and whether step-downs followed by one
were re-planned less often than step-downs without.

Why a measure of its own: the audit found written agreements used as the step-down's safety net; counted as
"other contact" nothing showed whether that net held.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from .. import scope
from ..filters import Filters
from ..settings import FOLLOW_UP, Thresholds
from .sqlrun import run


def counts(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
           thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """agency, timing (reference.codes.AGREEMENT_TIMINGS), agreements, children, unfinished: written
    agreements placed against plans started in the filter."""
    frame = run(con, "agreements_counts", filters, thresholds, shared=FOLLOW_UP.params())
    frame[["agreements", "children", "unfinished"]] = frame[["agreements", "children", "unfinished"]].astype("int64")
    return frame


def step_downs(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
               thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """with_agreement (bool), step_downs, followed_up, replanned, replan_rate (None when none followed up)."""
    frame = run(con, "agreements_step_downs", filters, thresholds, shared=FOLLOW_UP.params())
    frame = pd.DataFrame({"with_agreement": [True, False]}).merge(frame, on="with_agreement", how="left")
    for col in ("step_downs", "followed_up", "replanned"):
        frame[col] = frame[col].fillna(0).astype("int64")
    frame["replan_rate"] = (frame["replanned"] / frame["followed_up"].where(frame["followed_up"] > 0)).astype("float64")
    return frame


def for_child(con: duckdb.DuckDBPyConnection, child_id: str, filters: Filters = Filters(),
              thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """event_id, event_date, agency, plan_id, timing, unfinished, detail: one child's written agreements."""
    filters.scope.require(scope.CHILD_LEVEL, "A child's written agreements")
    child = Filters(child_ids=(child_id,), as_of=filters.as_of, scope=filters.scope)
    return run(con, "agreements_for_child", child, thresholds, shared=FOLLOW_UP.params())


def as_json(table: pd.DataFrame, steps: pd.DataFrame) -> dict:
    """The `metrics --json` block."""
    def side(flag: bool) -> dict:
        row = steps[steps["with_agreement"] == flag].iloc[0]
        rate = row["replan_rate"]
        return {"step_downs": int(row["step_downs"]), "followed_up": int(row["followed_up"]),
                "replanned": int(row["replanned"]), "replan_rate": None if pd.isna(rate) else float(rate)}

    by = lambda col: {str(k): int(v) for k, v in table.groupby(col)["agreements"].sum().items()}  # noqa: E731
    return {"agreements": int(table["agreements"].sum()), "by_timing": by("timing"), "by_agency": by("agency"),
            "stood_in_for_unfinished_actions": int(table["unfinished"].sum()),
            "step_downs_with_agreement": side(True), "step_downs_without_agreement": side(False)}
