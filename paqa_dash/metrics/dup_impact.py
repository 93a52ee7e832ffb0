"""Impact of duplication (Q5, "did duplication hurt the family's progress"): repeat plans that largely
repeated the child's earlier plans beside those that did not, on what became of them.

Why beside each other, not a correlation: the audit group reads two rows of plain counts (plans, how long,
ended, re-planned again, adult needs addressed) and can check each against the duplicates list.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from ..filters import Filters
from ..settings import FOLLOW_UP, Thresholds
from .sqlrun import run

COUNTS = ("plans", "ended", "followed_up", "replanned", "with_adult_need", "adult_needs_addressed")


def compare(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
            thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """largely_repeated (bool; both rows always), plans, ended, median_length_days, followed_up, replanned,
    with_adult_need, adult_needs_addressed, and the rates ended_rate, replan_rate, addressed_rate (None
    without a denominator)."""
    frame = run(con, "dup_impact_plans", filters, thresholds, shared=FOLLOW_UP.params())
    frame = pd.DataFrame({"largely_repeated": [True, False]}).merge(frame, on="largely_repeated", how="left")
    for col in COUNTS:
        frame[col] = frame[col].fillna(0).astype("int64")
    frame["median_length_days"] = frame["median_length_days"].astype("float64")
    for rate, (num, den) in {"ended_rate": ("ended", "plans"), "replan_rate": ("replanned", "followed_up"),
                             "addressed_rate": ("adult_needs_addressed", "with_adult_need")}.items():
        frame[rate] = (frame[num] / frame[den].where(frame[den] > 0)).astype("float64")
    return frame


def as_json(frame: pd.DataFrame) -> dict:
    """The `metrics --json` block: the two groups side by side."""
    def side(flag: bool) -> dict:
        row = frame[frame["largely_repeated"] == flag].iloc[0]
        plain = lambda v: None if pd.isna(v) else float(v)  # noqa: E731
        return {**{c: int(row[c]) for c in COUNTS}, "median_length_days": plain(row["median_length_days"]),
                "ended_rate": plain(row["ended_rate"]), "replan_rate": plain(row["replan_rate"]),
                "addressed_rate": plain(row["addressed_rate"])}

    return {"largely_repeated_share": FOLLOW_UP.largely_repeated_share, "largely_repeated": side(True),
            "not_largely_repeated": side(False)}
