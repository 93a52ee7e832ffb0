"""The measures of docs/definitions.md as one JSON-ready dict (the `metrics --json` command), and the
quarterly trend the Overview page draws.

Every value is a plain Python int/float/str/list/dict/None (no numpy types, dates as ISO text) so
`json.dumps` works without a custom encoder.
"""
from __future__ import annotations

import math
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from ..reference.calendar import quarter_label
from ..reference.recorded import UNDATED_EARLIER_PLANS, reason
from ..settings import Thresholds
from . import (agreements, between, challenge, coverage, dup_impact, endings, engagement, household, refresh, regional,
               sequence, timeliness, wording, works)
from ..filters import Filters
from ..reference.words import text_column
from .sqlrun import cached_sequence, run


# The keys whose data a source may lack (each declared in reference/recorded.py's MEASURE_NEEDS).
RECORDED_KEYS = ("core_groups", "reviews", "agency_attendance",
                 "family_changes", "duplicate_actions", "between_plans", "plan_refresh", *works.JSON_KEYS)
# A count inside a key whose data a source may lack on its own: (key, count, measure in MEASURE_NEEDS).  Its
# not_recorded entry is named "key.count".
RECORDED_PARTS = (("between_plans", "with_impact_before_decision", "impact_before_decision"),
                  # how many concerns came before each plan: not from referrals alone (a CIN census)
                  ("between_plans", "bands", "concern_volume"),
                  # no strategy discussion in the data (a census, an Annex A return): null with why, not a bare null
                  ("between_plans", "median_days_to_strategy", "days_to_strategy"))
ISSUE14_KEYS = ("challenge_and_escalation", "written_agreements", "duplication_impact")


def _plain(value: Any) -> Any:
    """numpy/pandas scalars -> Python; NaN/NA -> None; dates -> ISO."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, date):
        return value.isoformat()
    return value


def _endings_list(frame: pd.DataFrame) -> list[dict]:
    return [{"plan_id": str(p), "child_id": str(c), "reasons": endings.reasons_list(r)}
            for p, c, r in frame[["plan_id", "child_id", "reasons"]].itertuples(index=False)]


def duplicate_actions(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                      thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """action_id, matches_action_id, score, plan_id, child_id, matches_plan_id: stored matches
    (table action_matches) at or above the similarity threshold, for plans started in the filter."""
    return run(con, "summary_duplicate_actions", filters, thresholds)


def compute(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
            thresholds: Thresholds = Thresholds()) -> dict[str, Any]:
    """All the `metrics --json` keys (plus a few extras: as_of, filters, thresholds), and `not_recorded`:
    {key: why} for each measure whose data the plans of the filter do not hold (reference/recorded.py);
    such a key is None, never zeros.  A count inside a key that its source may lack alone (RECORDED_PARTS) is
    None the same way, its reason under "key.count"."""
    with cached_sequence(con, filters, thresholds):
        held = coverage.coverage(con, filters, thresholds)
        starts = sequence.start_counts(con, filters, thresholds)
        ends = sequence.end_counts(con, filters, thresholds)
        reasons = endings.ending_lists(con, filters, thresholds)
        dups = duplicate_actions(con, filters, thresholds)
        attendance = engagement.agency_attendance(con, filters, thresholds)
        core_groups = timeliness.core_group_counts(con, filters, thresholds)
        reviews = timeliness.review_counts(con, filters, thresholds)
        family = household.family_change_counts(con, filters, thresholds)
        # audit questions 2 and 7 (docs/definitions.md, "Between plans" and "Plan refresh")
        between_plans = between.counts(con, filters, thresholds)
        plan_refresh = refresh.counts(con, filters, thresholds)
        # issue 14: challenge and what followed, written agreements, the impact of duplication
        issue14 = {"challenge_and_escalation": challenge.as_json(challenge.events(con, filters, thresholds),
                                                                 challenge.endings(con, filters, thresholds)),
                   "written_agreements": agreements.as_json(agreements.counts(con, filters, thresholds),
                                                            agreements.step_downs(con, filters, thresholds)),
                   "duplication_impact": dup_impact.as_json(dup_impact.compare(con, filters, thresholds))}
        # issue 16: strengths-based and trauma-informed wording beside deficit wording (None without plan text)
        issue16 = {"wording_balance": wording.as_json(wording.by_team(con, filters, thresholds))}
    n_started = starts["plans_started"]
    absent = held.not_recorded(*RECORDED_KEYS)
    result = {
        "as_of": filters.effective_as_of.isoformat(),
        "filters": {k: _plain(v) if not isinstance(v, list) else v for k, v in filters.params().items()
                    if not k.startswith("scope_")},  # the CLI reads everything: its scope says nothing
        "thresholds": {k: _plain(v) for k, v in vars(thresholds).items()},
        "plans_started": n_started,
        "repeat_plans_started": starts["repeat_plans_started"],
        # no plan started: no share (null), not 0.0, which says none of some were repeats
        "repeat_rate": (starts["repeat_plans_started"] / n_started) if n_started else None,
        "repeat_within_window": starts["repeat_within_window"],
        # repeat plans whose previous plan is not dated here (earlier plans only a count, or before the data): not
        # placed within the window or outside it, so while any are, repeat_within_window is a floor
        "repeat_plans_undated": starts["repeat_plans_started"] - starts["repeat_plans_dated"],
        "plans_ended": ends["plans_ended"],
        "ended_duration_bands": ends["ended_duration_bands"],
        "median_gap_days": starts["median_gap_days"],
        "premature_endings": _endings_list(reasons[reasons["premature"]]),
        "endings_at_risk": _endings_list(reasons[reasons["at_risk"]]),
        # the warning signs the two lists above could not check, the data lacking what they are read from (a short
        # plan needs only dates, so the lists are counted in every source): {sign code: why}, empty when all are
        "warning_signs_not_checked": {code: reason(kinds) for code, kinds in held.unchecked_signs().items()},
        "duplicate_actions": [{"action_id": str(a), "matches_action_id": str(m), "score": float(s)}
                              for a, m, s in dups[["action_id", "matches_action_id", "score"]].itertuples(index=False)],
        "core_groups": core_groups,
        "reviews": reviews,
        "agency_attendance": {str(r.agency): {"invited": int(r.invited), "attended": int(r.attended),
                                              "contributed": int(r.contributed), "rate": _plain(r.rate)}
                              for r in attendance.itertuples(index=False)},
        "family_changes": family,
        "between_plans": between_plans,
        "plan_refresh": plan_refresh,
    }
    absent.update(held.not_recorded(*ISSUE14_KEYS))
    result.update({key: None if key in absent else value for key, value in issue14.items()})
    absent.update(held.not_recorded(*issue16))
    result.update({key: None if key in absent else value for key, value in issue16.items()})
    # What works (restorative practice, first-order endings, sustained endings): after the batch above, since it
    # reads the sequence in a batch of its own
    result.update(works.summary(con, filters, thresholds))
    result.update({key: None for key in absent})
    for key, part, measure in RECORDED_PARTS:
        missing = held.not_recorded(measure)
        if result[key] is not None and missing:
            result[key][part] = None
            absent[f"{key}.{part}"] = missing[measure]
    if not sequence.window_known(starts):   # repeat plans whose earlier plans are only a count: not "0 within"
        result["repeat_within_window"] = None
        absent["repeat_within_window"] = UNDATED_EARLIER_PLANS
        # nor "0 gaps, 0 concerns in them": no gap before a repeat plan could be searched (the page says so too)
        if result["between_plans"] is not None and not result["between_plans"]["repeat_plans_with_gap"]:
            result["between_plans"] = None
            absent["between_plans"] = UNDATED_EARLIER_PLANS
            for part in [k for k in absent if k.startswith("between_plans.")]:   # the whole key says it
                del absent[part]
    result["not_recorded"] = absent
    result.update(regional.as_json(con))   # issue 15: the store's authorities, when more than one
    return result


def quarterly(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
              thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """quarter (first day), label ('Jan-Mar 2024'), plans_started, repeat_plans_started, repeat_rate,
    plans_ended, ended_le_3m: starts by start quarter, endings by end quarter.  Every quarter from the first to
    the last is a row: a quarter in which no plan started or ended has zeros (the store holds plans on both sides
    of it, so 0 is what the data records), not a missing row a chart would join across."""
    frame = every_quarter(run(con, "summary_quarterly", filters, thresholds))
    for col in ("plans_started", "repeat_plans_started", "plans_ended", "ended_le_3m"):
        frame[col] = frame[col].astype("int64")
    frame["repeat_rate"] = (frame["repeat_plans_started"] / frame["plans_started"].where(frame["plans_started"] > 0)).astype("float64")
    q = pd.to_datetime(frame["quarter"])
    frame["label"] = text_column((quarter_label(d) for d in q), frame.index)
    return frame[["quarter", "label", "plans_started", "repeat_plans_started", "repeat_rate", "plans_ended", "ended_le_3m"]]


def every_quarter(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` (a `quarter` column of first days, one row a quarter, the rest counts) with a row of zero counts
    for each quarter missing between its first and last."""
    if frame.empty:
        return frame
    firsts = pd.to_datetime(frame["quarter"])
    quarters = pd.date_range(firsts.min(), firsts.max(), freq="QS")
    filled = frame.assign(quarter=firsts).set_index("quarter").reindex(quarters, fill_value=0)
    filled.index.name = "quarter"
    return filled.reset_index()
