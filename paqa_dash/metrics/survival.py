"""Kaplan-Meier survival with Greenwood confidence intervals: the share of endings not yet followed by another
plan, month by month after the ending, allowing for endings not followed for the whole time (censored).

Why our own, not `lifelines`: lifelines 0.30 requires pandas < 3 and matplotlib; installing it would have
replaced the pandas this app is pinned to.  The estimator is a few lines, checked in
tests/metrics/test_survival.py against hand-worked tables.  The interval is the log(-log) ("exponential
Greenwood") one, which stays inside 0..1, as lifelines and R's survival package give by default.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

Z95 = 1.959963984540054


def kaplan_meier(durations: pd.Series | np.ndarray, events: pd.Series | np.ndarray, z: float = Z95,
                 weights: pd.Series | np.ndarray | None = None) -> pd.DataFrame:
    """One row per distinct time with an event or a censoring, after a row for time 0.

    Columns: time, at_risk (followed just before `time`), events, censored, survival, lower, upper.
    Censored at the same time as an event count as still at risk at that time (the usual convention).  With no
    durations at all, the one row of time 0 has 0 at risk and no survival or interval (NaN): a share of nothing.
    `weights`: how many subjects each row is (whole numbers; default one each), so that subjects counted alike in
    SQL (a million endings fall on a few thousand days) give the curve of the subjects themselves."""
    t = np.asarray(durations, dtype=float)
    d = np.asarray(events, dtype=bool)
    w = np.ones(t.size, dtype=np.int64) if weights is None else np.asarray(weights, dtype=np.int64)
    if t.size and (np.isnan(t).any() or (t < 0).any()):
        raise ValueError("durations must be non-negative numbers")
    times, index = np.unique(np.concatenate([[0.0], t]), return_inverse=True)
    index = index[1:]                                      # the 0.0 put first guarantees a row for time 0
    dead = np.bincount(index, weights=w * d, minlength=times.size).astype(np.int64)
    cens = np.bincount(index, weights=w * ~d, minlength=times.size).astype(np.int64)
    total = int(w.sum())
    left = np.concatenate([[total], total - np.cumsum(dead + cens)[:-1]]).astype(np.int64)   # at risk at each time
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(dead > 0, 1 - dead / np.maximum(left, 1), 1.0)
        term = np.where(dead > 0, np.where(left > dead, dead / (left * (left - dead)), np.inf), 0.0)
    surv = np.cumprod(factor)
    greenwood = np.cumsum(term)
    bounds = [_interval(float(sv), float(g), z) for sv, g in zip(surv, greenwood)]
    if not t.size:   # no ending in the group: no share still without a plan (not 100% of none), no interval
        surv, bounds = np.full(times.size, np.nan), [(np.nan, np.nan)] * times.size
    return pd.DataFrame({"time": times.astype(float), "at_risk": left, "events": dead, "censored": cens,
                         "survival": surv, "lower": [b[0] for b in bounds], "upper": [b[1] for b in bounds]})


def _interval(s: float, greenwood: float, z: float) -> tuple[float, float]:
    """The log(-log) interval of S: S ** exp(+-z * sqrt(V) / log S), V the Greenwood sum."""
    if s <= 0.0:
        return 0.0, 0.0
    if s >= 1.0 or greenwood == 0.0:
        return s, s
    if math.isinf(greenwood):
        return 0.0, s
    spread = z * math.sqrt(greenwood) / abs(math.log(s))
    return s ** math.exp(spread), s ** math.exp(-spread)


def at(curve: pd.DataFrame, time: float) -> dict[str, float | int]:
    """The curve's value at `time` (the last step at or before it) and the number still followed at `time`
    (those whose follow-up reached it): what a "numbers at risk" table shows under the chart."""
    before = curve[curve["time"] <= time].iloc[-1]
    later = curve[curve["time"] >= time]   # the next step's at-risk count: every ending followed up to `time`
    at_risk = int(later["at_risk"].iloc[0]) if len(later) else 0
    return {"survival": float(before["survival"]), "lower": float(before["lower"]),
            "upper": float(before["upper"]), "at_risk": at_risk}
