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


def kaplan_meier(durations: pd.Series | np.ndarray, events: pd.Series | np.ndarray, z: float = Z95) -> pd.DataFrame:
    """One row per distinct time with an event or a censoring, after a row for time 0.

    Columns: time, at_risk (followed just before `time`), events, censored, survival, lower, upper.
    Censored at the same time as an event count as still at risk at that time (the usual convention)."""
    t = np.asarray(durations, dtype=float)
    d = np.asarray(events, dtype=bool)
    if t.size and (np.isnan(t).any() or (t < 0).any()):
        raise ValueError("durations must be non-negative numbers")
    rows = [{"time": 0.0, "at_risk": int(t.size), "events": 0, "censored": 0, "survival": 1.0,
             "lower": 1.0, "upper": 1.0}]
    s, greenwood, n = 1.0, 0.0, int(t.size)
    for time in np.unique(t):
        here = t == time
        dead, cens = int((here & d).sum()), int((here & ~d).sum())
        if dead:
            s *= 1 - dead / n
            greenwood = greenwood + dead / (n * (n - dead)) if n > dead else math.inf
        lower, upper = _interval(s, greenwood, z)
        if time == 0.0:
            rows[0].update(events=dead, censored=cens, survival=s, lower=lower, upper=upper)
        else:
            rows.append({"time": float(time), "at_risk": n, "events": dead, "censored": cens, "survival": s,
                         "lower": lower, "upper": upper})
        n -= dead + cens
    return pd.DataFrame(rows)


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
