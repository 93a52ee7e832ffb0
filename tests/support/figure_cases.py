"""Every figure builder of paqa_dash/figures, each built from a small hand-made frame with something to draw, for
checks that hold for every chart (its axes titled).  `builders()` lists the builders the package has, so a new one
without a case here is found, not skipped."""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import date
from typing import Callable

import pandas as pd
import plotly.graph_objects as go

import paqa_dash.figures as figures_package
from paqa_dash.figures import (agencies, audit, between, challenge, cohorts, duplicates, endings, household,
                               judgements, quality, quality_text, refresh, regional, timeline, trends, works)
from paqa_dash.reference import benchmarks
from paqa_dash.reference.codes import BAND_LABELS, DURATION_BANDS, RELEVANCE_VERDICTS
from paqa_dash.reference.judgements import GRADES, NOT_JUDGED, QUESTION_NUMBERS, question_label

D = pd.Timestamp

# builders that draw no axes, or are the layout of others checked through them
NO_AXES = {
    "style.empty_figure": "a message, no axes",
    "cohorts.pathway_sankey": "a Sankey diagram, no axes",
    "challenge.stacked": "the layout of topic_bars, followed_bars, resolution_bars and agreement_bars",
}


def builders() -> list[str]:
    """Every public function of paqa_dash/figures that returns a figure and does not take one ("module.name")."""
    found = []
    for module in pkgutil.iter_modules(figures_package.__path__):
        mod = importlib.import_module(f"paqa_dash.figures.{module.name}")
        for name, function in inspect.getmembers(mod, inspect.isfunction):
            if function.__module__ != mod.__name__ or name.startswith("_"):
                continue
            signature = inspect.signature(function)
            first = next(iter(signature.parameters), None)
            if "Figure" in str(signature.return_annotation) and first != "fig":
                found.append(f"{module.name}.{name}")
    return sorted(found)


def _quarters() -> pd.DataFrame:
    return pd.DataFrame({"quarter": pd.to_datetime(["2024-04-01", "2024-07-01"]), "label": ["Apr-Jun 2024", "Jul-Sep 2024"],
                         "repeat_rate": [0.3, 0.5], "repeat_plans_started": [6, 10], "plans_started": [20, 20],
                         "plans_ended": [10, 12], "ended_le_3m": [2, 3]})


def _bands() -> tuple[pd.DataFrame, pd.DataFrame]:
    england = benchmarks.duration_shares(2025)
    plans = [3, 5] + [2] * (len(england) - 2)
    total = sum(plans)
    return (pd.DataFrame({"band": england["band"], "label": [BAND_LABELS[b] for b in england["band"]],
                          "plans": plans, "share": [p / total for p in plans]}), england)


def _rates(names=("Camden", "Darlington"), measure: str = "Repeat within 24 months") -> pd.DataFrame:
    return pd.DataFrame({"name": list(names), "numerator": [10, 12], "denominator": [40, 30],
                         "percent": [25.0, 40.0], "measure": measure})


PUBLISHED = pd.DataFrame({"name": ["Camden"], "comparator": ["england"], "label": ["England"], "year": [2025],
                          "percent": [24.5]})
CHALLENGES = pd.DataFrame([("HEALTH", "CHALLENGE", "ENDING", "UPHELD", "ENDING_REVERSED", 3),
                           ("POLICE", "ESCALATION", "STEP_DOWN", "NOT_RECORDED", "NO_REPLAN", 9)],
                          columns=["agency", "event_type", "topic", "resolution", "followed", "events"])
WORDING = pd.DataFrame({"team": ["North", "South"], "actions": [20, 10], "with_deficit": [5, 1],
                        "with_strength": [4, 6], "with_need": [0, 2], "with_trauma_informed": [2, 1],
                        "with_positive": [5, 7]})
for _share, _count in (("deficit_share", "with_deficit"), ("strength_share", "with_strength"),
                       ("need_share", "with_need"), ("trauma_informed_share", "with_trauma_informed"),
                       ("positive_share", "with_positive")):
    WORDING[_share] = WORDING[_count] / WORDING["actions"]


def _timeline() -> go.Figure:
    plans = pd.DataFrame({"plan_id": ["p1", "p2"], "start_date": [D("2020-01-01"), D("2021-01-01")],
                          "end_date": [D("2020-03-01"), pd.NaT], "initial_category": ["NEG", "NEG"],
                          "team": ["North", "North"], "end_reason": ["NO_LONGER_AT_RISK", None], "plan_number": [1, 2]})
    events = pd.DataFrame({"event_id": ["e1", "e2"], "event_date": [D("2020-01-01"), D("2020-02-01")],
                           "event_type": ["ICPC", "CHALLENGE"], "agency": ["CSC", "HEALTH"], "plan_id": ["p1"] * 2,
                           "detail": ["icpc", "challenged step-down"]})
    changes = pd.DataFrame({"change_id": ["x1"], "change_date": [D("2020-06-01")], "change_type": ["ADULT_JOINED"],
                            "detail": ["partner"]})
    needs = pd.DataFrame({"need_id": ["n1"], "plan_id": ["p1"], "factor": ["4B"],
                          "identified_date": [D("2019-12-01")], "resolved_date": [pd.NaT]})
    return timeline.timeline_figure(plans, events, changes, needs, as_of=date(2021, 1, 11))


def _child_strip() -> go.Figure:
    gaps = pd.DataFrame({"plan_id": ["p2"], "plan_number": [2], "previous_end": pd.to_datetime(["2022-06-30"]),
                         "start_date": pd.to_datetime(["2023-01-10"]), "gap_days": [194], "concerns": [2],
                         "impact_events": [1], "strategy_date": pd.to_datetime(["2022-12-20"]),
                         "icpc_date": pd.to_datetime(["2023-01-10"])})
    concerns = pd.DataFrame({"plan_id": ["p2", "p2"], "event_date": pd.to_datetime(["2022-09-01", "2022-12-01"]),
                             "grp": ["police_callout", "referral"], "agency": ["POLICE", "HEALTH"],
                             "impact": [True, False]})
    return between.child_strip(gaps, concerns)


def _impact() -> go.Figure:
    compare = pd.DataFrame({"largely_repeated": [True, False], "plans": [40, 60], "ended": [20, 50],
                            "median_length_days": [200.0, 250.0], "followed_up": [20, 50], "replanned": [10, 10],
                            "with_adult_need": [20, 40], "adult_needs_addressed": [0, 20],
                            "ended_rate": [0.5, 50 / 60], "replan_rate": [0.5, 0.2], "addressed_rate": [0.0, 0.5]})
    return duplicates.impact_bars(duplicates.impact_table(compare))


def _authority_bands() -> pd.DataFrame:
    rows = [{"name": name, "band": b, "plans": 5} for name in ("Camden", "Darlington") for b in DURATION_BANDS]
    frame = pd.DataFrame(rows)
    return frame.assign(share=frame["plans"] / frame.groupby("name")["plans"].transform("sum"))


def _grades() -> pd.DataFrame:
    return pd.DataFrame([{"question": q, "question_label": question_label(q), "grade_code": g,
                          "children": 2 if g == GRADES[0] else 0}
                         for q in QUESTION_NUMBERS for g in (*GRADES, NOT_JUDGED)])


CASES: dict[str, Callable[[], go.Figure]] = {
    "agencies.attendance_heatmap": lambda: agencies.attendance_heatmap(pd.DataFrame({
        "quarter": pd.to_datetime(["2021-01-01", "2021-04-01"]), "agency": ["HEALTH", "HEALTH"],
        "invited": [10, 10], "attended": [9, 8], "contributed": [5, 4], "rate": [0.9, 0.8],
        "contribution_rate": [0.5, 0.4]})),
    "agencies.attendance_bars": lambda: agencies.attendance_bars(pd.DataFrame({
        "agency": ["CSC", "POLICE"], "invited": [20, 10], "attended": [19, 3], "contributed": [18, 1],
        "rate": [0.95, 0.3], "contribution_rate": [0.9, 0.1]})),
    "agencies.timeliness_bars": lambda: agencies.timeliness_bars(agencies.timeliness_frame(
        {"first_on_time": 6, "first_late": 4, "first_not_due": 1, "intervals_on_time": 20, "intervals_late": 5,
         "intervals_not_due": 2},
        {"first_on_time": 9, "first_late": 1, "later_on_time": 0, "later_late": 0, "later_not_due": 3})),
    "agencies.challenges_bars": lambda: agencies.challenges_bars(pd.DataFrame({
        "agency": ["HEALTH", "POLICE"], "event_type": ["CHALLENGE", "CHALLENGE"], "events": [3, 2], "plans": [2, 2]})),
    "audit.concern_bars": lambda: audit.concern_bars(pd.DataFrame(
        {"concern": ["Neglect", "Domestic abuse"], "children": [40, 10], "share": [0.8, 0.2]}), 50),
    "between.bands_bars": lambda: between.bands_bars(pd.DataFrame(
        {"band": ["none", "one", "few", "many"], "plans": [1, 3, 4, 2], "with_impact": [0, 1, 2, 2],
         "median_days_to_plan": [None, 15.0, 80.0, 300.0]})),
    "between.months_before_bars": lambda: between.months_before_bars(pd.DataFrame(
        {"months_before": [1, 2], "agency": ["POLICE", "POLICE"], "concerns": [1, 2]})),
    "between.groups_bars": lambda: between.groups_bars(pd.DataFrame(
        {"grp": ["incident", "referral"], "agency": ["POLICE", "HEALTH"], "concerns": [1, 2], "plans": [1, 1]})),
    "between.child_strip": _child_strip,
    "challenge.topic_bars": lambda: challenge.topic_bars(CHALLENGES),
    "challenge.followed_bars": lambda: challenge.followed_bars(CHALLENGES),
    "challenge.resolution_bars": lambda: challenge.resolution_bars(CHALLENGES),
    "challenge.agreement_bars": lambda: challenge.agreement_bars(pd.DataFrame(
        {"agency": ["CSC"], "timing": ["DURING_PLAN"], "agreements": [3], "children": [3], "unfinished": [0]})),
    "challenge.rate_pair": lambda: challenge.rate_pair(pd.DataFrame(
        {"replan_rate": [0.1, 0.3], "replanned": [2, 6], "followed_up": [20, 20]}),
        ("Endings with a challenge", "Endings without"), "endings", "Re-planned within 24 months (%)"),
    "cohorts.cohort_curves": lambda: cohorts.cohort_curves(pd.DataFrame(
        {"group": ["2019-20", "2019-20"], "months": [1, 2], "cumulative": [0.0, 0.5], "replanned": [0, 1],
         "followed_up": [1, 2]}), "cohort", 24, min_followed=1),
    "cohorts.gap_histogram": lambda: cohorts.gap_histogram(pd.DataFrame({"gap_month": [1, 2], "plans": [1, 2]}), 45.0),
    "cohorts.team_bars": lambda: cohorts.team_bars(pd.DataFrame(
        {"team": ["North", "South"], "repeat_share": [0.3, 0.5], "repeat_plans": [6, 10], "plans_started": [20, 20],
         "repeat_within_window": [6, 10]}), 0.245),
    "duplicates.distribution_bars": lambda: duplicates.distribution_bars(pd.DataFrame(
        {"band": list(duplicates.SHARE_BANDS), "plans": [1, 2, 0, 0, 0]})),
    "duplicates.team_share_bars": lambda: duplicates.team_share_bars(pd.DataFrame(
        {"team": ["North", "South"], "share": [0.4, 0.5], "duplicated": [8, 10], "actions": [20, 20],
         "plans": [5, 6]})),
    "duplicates.quarter_trend": lambda: duplicates.quarter_trend(pd.DataFrame(
        {"quarter": ["2024-04-01", "2024-07-01"], "share": [0.4, 0.5], "duplicated": [8, 10], "actions": [20, 20],
         "plans": [5, 6]})),
    "duplicates.impact_bars": _impact,
    "endings.bands_vs_england": lambda: endings.bands_vs_england(*_bands(), base=20),
    "endings.reasons_bars": lambda: endings.reasons_bars(pd.DataFrame(
        {"reason": ["Short", "Short"], "outcome": list(endings.OUTCOME_ORDER[:2]), "plans": [1, 2]}), 3, 3),
    "household.changes_distribution": lambda: household.changes_distribution(pd.DataFrame(
        {"bucket": ["0", "1"], "has_repeat_plan": [False, False], "children": [1, 2]})),
    "household.replanned_share_bars": lambda: household.replanned_share_bars(pd.DataFrame(
        {"bucket": ["0", "1", "2", "3+"], "children": [1, 2, 0, 0], "replanned_children": [1, 1, 0, 0],
         "replanned_share": [1.0, 0.5, None, None]}), 24),
    "judgements.judgement_bars": lambda: judgements.judgement_bars(_grades(), 2),
    "quality.import_history_bars": lambda: quality.import_history_bars(pd.DataFrame(
        {"run_id": [1, 2], "started_at": pd.to_datetime(["2025-01-01 10:00", "2025-01-02 10:00"]),
         "kind": ["plans", "plans"], "source": ["a.csv", "b.csv"], "rows_read": [1, 2], "rows_loaded": [1, 2],
         "rows_rejected": [0, 0], "rows_duplicate": [0, 0]})),
    "quality.reject_reasons_bars": lambda: quality.reject_reasons_bars(pd.DataFrame(
        {"table_name": ["plans", "events"], "reason": ["end before start", "unknown code"], "n": [93, 12]})),
    "quality.table_counts_bars": lambda: quality.table_counts_bars(pd.DataFrame(
        {"table_name": ["plans", "children"], "rows": [10, 8]})),
    "quality_text.smart_share_figure": lambda: quality_text.smart_share_figure(pd.DataFrame(
        {"team": ["North", "North"], "period": ["Apr-Jun 2024", "Jul-Sep 2024"],
         "period_start": pd.to_datetime(["2024-04-01", "2024-07-01"]), "smart_actions": [5, 8], "actions": [10, 10],
         "smart_share": [0.5, 0.8]})),
    "quality_text.failed_criteria_figure": lambda: quality_text.failed_criteria_figure(pd.DataFrame(
        {"criterion": ["Specific", "Measurable"], "actions_failing": [1, 2], "share": [0.25, 0.5]})),
    "quality_text.language_figure": lambda: quality_text.language_figure(pd.DataFrame(
        {"phrase": ["non-compliant", "engage"], "kind": ["deficit", "jargon"], "findings": [1, 2],
         "suggestion": ["did not", "take part"]})),
    "quality_text.reading_ease_figure": lambda: quality_text.reading_ease_figure(
        pd.DataFrame({"band": [50, 60], "plans": [1, 2]}), {"plans": 3, "median_ease": 60, "share_below": 0.3}),
    "quality_text.relevance_figure": lambda: quality_text.relevance_figure(pd.DataFrame(
        {"team": ["North", "South"], "verdict": [RELEVANCE_VERDICTS[0]] * 2, "plans": [1, 2]})),
    "quality_text.theme_figure": lambda: quality_text.theme_figure(pd.DataFrame(
        {"team": ["North", "South"], "theme": ["safety", "safety"], "actions": [1, 2], "share": [1.0, 1.0]})),
    "quality_text.wording_figure": lambda: quality_text.wording_figure(WORDING),
    "refresh.team_rates": lambda: refresh.team_rates(pd.DataFrame(
        {"team": ["North", "North"], "kind": ["meeting", "concern"], "on_time": [8, 3], "late": [2, 1],
         "due": [10, 4], "rate": [0.8, 0.75]}), 28),
    "refresh.quarter_rates": lambda: refresh.quarter_rates(pd.DataFrame(
        {"quarter": pd.to_datetime(["2024-01-01", "2024-01-01"]), "kind": ["meeting", "concern"], "on_time": [8, 3],
         "late": [2, 1], "due": [10, 4], "rate": [0.8, 0.75]}), 28),
    "regional.repeat_vs_published": lambda: regional.repeat_vs_published(_rates(), PUBLISHED),
    "regional.rate_bars": lambda: regional.rate_bars(pd.concat(
        [_rates(), _rates(measure="Reviews on time")]), "Share, %"),
    "regional.rate_bars, one measure": lambda: regional.rate_bars(_rates(), "Share, %"),
    "regional.bands_by_authority": lambda: regional.bands_by_authority(
        _authority_bands(), benchmarks.duration_shares(2025)),
    "regional.gap_bars": lambda: regional.gap_bars(pd.DataFrame(
        {"name": ["Camden", "Darlington"], "gaps": [30, 25], "median_gap_days": [200.0, 500.0]})),
    "timeline.timeline_figure": _timeline,
    "trends.repeat_share_trend": lambda: trends.repeat_share_trend(_quarters(), 0.4, base=40),
    "trends.starts_endings_trend": lambda: trends.starts_endings_trend(_quarters()),
    "trends.benchmark_bars": lambda: trends.benchmark_bars("Here", 0.3, benchmarks.comparators(2025), base=40),
    "works.restorative_bars": lambda: works.restorative_bars(pd.DataFrame(
        {"team": ["All teams", "All teams"], "kind": ["fgc", "any_restorative"], "share": [1.0, 0.5],
         "with_evidence": [1, 1], "plans": [1, 2]})),
    "works.ending_work_bars": lambda: works.ending_work_bars(pd.DataFrame(
        {"ending_work": ["first_order_only", "underlying"], "endings": [1, 2], "outcome_known": [1, 2],
         "replanned": [1, 1], "replan_rate": [1.0, 0.5]}), 24),
    "works.action_class_bars": lambda: works.action_class_bars(pd.DataFrame(
        {"team": ["North", "North"], "action_class": ["first_order", "underlying"], "completed": [1, 2]})),
    "works.survival_figure": lambda: works.survival_figure(pd.DataFrame(
        [{"split": "adult_practitioner", "group": g, "time": t, "at_risk": n, "events": 0, "censored": 0,
          "survival": 0.9, "lower": 0.8, "upper": 1.0} for g in ("with", "without") for t, n in ((0.0, 2), (6.0, 1))]),
        "adult_practitioner", 24),
    "works.sustained_dots": lambda: works.sustained_dots(pd.DataFrame(
        {"split": ["adult_practitioner"] * 2, "by": ["team"] * 2, "value": ["North"] * 2, "group": ["with", "without"],
         "share": [1.0, 0.5], "followed": [1, 2], "sustained": [1, 1]}), "adult_practitioner"),
}


def builder_of(case: str) -> str:
    """The builder a case builds ("regional.rate_bars, one measure" -> "regional.rate_bars")."""
    return case.split(",")[0]
