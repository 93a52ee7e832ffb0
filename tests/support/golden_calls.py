"""What the golden test asks of a store: `metrics --json`, and the data every page reads, named by page.

Keep the names stable: they are the keys of `tests/golden/*.json`.  When a function moves, change the
import here, not the name.
"""
from __future__ import annotations

from typing import Any, Callable

import duckdb

from paqa_dash.metrics import audit, chronology, data_quality
from paqa_dash.metrics import cohorts as cohort_data
from paqa_dash.metrics import engagement, household, sequence, summary, timeliness
from paqa_dash.metrics import plan_quality as pq
from paqa_dash.store import with_data_date
from paqa_dash.filters import Filters
from paqa_dash.settings import Thresholds

Call = Callable[[duckdb.DuckDBPyConnection, Filters, Thresholds], Any]


def metrics_json(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds) -> dict[str, Any]:
    """As `python -m paqa_dash metrics --json` computes it (the as-of defaults to the store's data date)."""
    return summary.compute(con, with_data_date(con, filters), thresholds)


def _dated(call: Call) -> Call:
    """As the app asks: the as-of defaults to the store's data date."""
    return lambda con, f, t: call(con, with_data_date(con, f), t)


def _timeline(con: duckdb.DuckDBPyConnection, f: Filters, t: Thresholds) -> Any:
    place = chronology.cohort_place(con, f, t, None)
    if not place.first_children:
        return {"place": place}
    chron = chronology.chronology(con, place.first_children[0])
    return {"place": place, "plans": chron.plans, "events": chron.events, "needs": chron.needs,
            "family_changes": chron.family_changes, "actions": chron.actions}


PAGE_DATA: dict[str, Call] = {name: _dated(call) for name, call in {
    "headline": cohort_data.headline,
    "quarterly": summary.quarterly,
    "cohort_curve": lambda con, f, t: cohort_data.cohort_curve(con, f, t, split="cohort", max_months=36),
    "cohort_curve_band": lambda con, f, t: cohort_data.cohort_curve(con, f, t, split="band", max_months=36),
    "gap_months": cohort_data.gap_months,
    "start_counts": sequence.start_counts,
    "end_counts": sequence.end_counts,
    "pathways": cohort_data.pathways,
    "repeat_by_team": cohort_data.repeat_by_team,
    "ended_bands": cohort_data.ended_bands,
    "ending_outcomes": cohort_data.ending_outcomes,
    "premature_list": lambda con, f, t: cohort_data.ending_list(con, f, t, kind="premature", limit=500),
    "at_risk_list": lambda con, f, t: cohort_data.ending_list(con, f, t, kind="at_risk", limit=500),
    "dup_summary": cohort_data.dup_summary,
    "dup_pairs": lambda con, f, t: cohort_data.dup_pairs(con, f, t, limit=1000),
    "timeline": _timeline,
    "challenges_by_team": engagement.challenges_by_team,
    "attendance_by_quarter": engagement.attendance_by_quarter,
    "challenges": engagement.challenges,
    "core_group_counts": timeliness.core_group_counts,
    "review_counts": timeliness.review_counts,
    "change_buckets": household.change_buckets,
    "household_after_first_plan": household.after_first_plan,
    "family_change_counts": household.family_change_counts,
    "most_changes": household.most_changes,
    "plan_quality": pq.review,
    "audit_sample": lambda con, f, t: audit.sample_page(con, f, t, audit.Criteria(), limit=500),
    "quality_table_counts": lambda con, f, t: data_quality.table_counts(con),
    "quality_rejects": lambda con, f, t: data_quality.rejects(con, 1_000_000, table=None, reason=None, source=None),
}.items()}
