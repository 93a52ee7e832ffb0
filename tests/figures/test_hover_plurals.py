"""A hover says a count of one in the singular: "1 plan", "1 child", never "1 plans" (figures/style.py
`counted_each`, the one rule of reference/words.py).  Each chart whose hover counts something is built from a
small frame holding a count of 1 and a count of 2, and its hovers are read as plotly would fill them in."""
from __future__ import annotations

import re
from typing import Callable

import pandas as pd
import plotly.graph_objects as go
import pytest

from paqa_dash.figures import (agencies, audit, between, cohorts, duplicates, endings, household, judgements, quality,
                               quality_text, regional, trends, works)
from paqa_dash.reference import benchmarks
from paqa_dash.reference.codes import BAND_LABELS, RELEVANCE_VERDICTS
from paqa_dash.reference.judgements import GRADES, NOT_JUDGED, QUESTION_NUMBERS, question_label

PLACEHOLDER = re.compile(r"%\{([^}:|]+)([:|][^}]*)?\}")


def _point(values, i: int):
    if values is None:
        return None
    values = list(values)
    return values[i] if i < len(values) else None


def _format(value: object, fmt: str | None) -> str:
    """A value as plotly's d3 format would show it (the formats the figures use: ",", ",.0f", ".0%", ".1f")."""
    if fmt is None or fmt.startswith("|") or isinstance(value, str):
        return str(value)
    spec = fmt[1:]
    if spec == "," and float(value).is_integer():
        value = int(value)
    return format(value, spec)


def _fill(template: str, part, i: int) -> str:
    """One point's hover: each %{...} of `template` replaced by the point's value."""
    def value(match: re.Match) -> str:
        name, fmt = match.group(1), match.group(2)
        indexed = re.fullmatch(r"customdata\[(\d+)\]", name)
        if indexed:
            got = _point(part.customdata, i)[int(indexed.group(1))]
        elif name in ("x", "y", "z", "text", "customdata", "value"):
            got = _point(getattr(part, name, None), i)
        else:
            return match.group(0)   # the trace's name and the like: not a count
        if got is None:
            return match.group(0)   # worked out by plotly (a Sankey node's value): left as written
        return _format(got, fmt)
    return PLACEHOLDER.sub(value, template)


def hovers(fig: go.Figure) -> list[str]:
    """Every point's hover text of `fig` (a Sankey's nodes and links as well)."""
    out = []
    for trace in fig.data:
        parts = [trace.node, trace.link] if trace.type == "sankey" else [trace]
        for part in parts:
            if not part.hovertemplate:
                continue
            points = max(len(list(v)) for v in (getattr(part, a, None) for a in ("x", "y", "customdata", "value"))
                         if v is not None)
            template = re.sub(r"<extra>.*?</extra>", "", part.hovertemplate)   # the trace's name box
            out += [_fill(template, part, i) for i in range(points)]
    return out


def _grades(children: dict[tuple[int, str], int]) -> pd.DataFrame:
    return pd.DataFrame([{"question": q, "question_label": question_label(q), "grade_code": g,
                          "children": children.get((q, g), 0)}
                         for q in QUESTION_NUMBERS for g in (*GRADES, NOT_JUDGED)])


def _bands() -> tuple[pd.DataFrame, pd.DataFrame]:
    england = benchmarks.duration_shares(2025)
    plans = [1, 2] + [0] * (len(england) - 2)
    bands = pd.DataFrame({"band": england["band"], "label": [BAND_LABELS[b] for b in england["band"]],
                          "plans": plans, "share": [p / 3 for p in plans]})
    return bands, england


def _curves() -> pd.DataFrame:
    return pd.DataFrame([{"split": "adult_practitioner", "group": g, "time": t, "at_risk": n, "events": 0,
                          "censored": 0, "survival": 0.9, "lower": 0.8, "upper": 1.0}
                         for g in ("with", "without") for t, n in ((0.0, 2), (6.0, 1))])


QUARTERS = pd.DataFrame({"quarter": pd.to_datetime(["2024-04-01", "2024-07-01"]), "label": ["Apr-Jun 2024", "Jul-Sep 2024"],
                         "repeat_rate": [1.0, 0.5], "repeat_plans_started": [1, 1], "plans_started": [1, 2],
                         "plans_ended": [1, 2], "ended_le_3m": [1, 2]})
RUNS = pd.DataFrame({"run_id": [1, 2], "started_at": pd.to_datetime(["2025-01-01 10:00", "2025-01-02 10:00"]),
                     "kind": ["plans", "plans"], "source": ["a.csv", "b.csv"], "rows_read": [1, 2],
                     "rows_loaded": [1, 2], "rows_rejected": [0, 0], "rows_duplicate": [0, 0]})

# chart -> (builder, the counted noun in the singular, in the plural)
CASES: dict[str, tuple[Callable[[], go.Figure], str, str]] = {
    "repeat plans by the share repeated": (lambda: duplicates.distribution_bars(pd.DataFrame(
        {"band": list(duplicates.SHARE_BANDS), "plans": [1, 2, 0, 0, 0]})), "repeat plan", "repeat plans"),
    "repeated actions by team": (lambda: duplicates.team_share_bars(pd.DataFrame(
        {"team": ["North", "South"], "share": [1.0, 0.5], "duplicated": [1, 1], "actions": [1, 2],
         "plans": [1, 2]})), "action", "actions"),
    "repeated actions by team, the plans": (lambda: duplicates.team_share_bars(pd.DataFrame(
        {"team": ["North", "South"], "share": [1.0, 0.5], "duplicated": [1, 1], "actions": [1, 2],
         "plans": [1, 2]})), "repeat plan", "repeat plans"),
    "repeated actions by quarter": (lambda: duplicates.quarter_trend(pd.DataFrame(
        {"quarter": ["2024-04-01", "2024-07-01"], "share": [1.0, 0.5], "duplicated": [1, 1], "actions": [1, 2],
         "plans": [1, 2]})), "action", "actions"),
    "household changes": (lambda: household.changes_distribution(pd.DataFrame(
        {"bucket": ["0", "1"], "has_repeat_plan": [False, False], "children": [1, 2]})), "child", "children"),
    "re-planned by household changes": (lambda: household.replanned_share_bars(pd.DataFrame(
        {"bucket": ["0", "1", "2", "3+"], "children": [1, 2, 0, 0], "replanned_children": [1, 1, 0, 0],
         "replanned_share": [1.0, 0.5, None, None]}), 24), "child", "children"),
    "endings by duration band": (lambda: endings.bands_vs_england(*_bands(), base=3), "plan", "plans"),
    "ending reasons": (lambda: endings.reasons_bars(pd.DataFrame(
        {"reason": ["Short", "Short"], "outcome": list(endings.OUTCOME_ORDER[:2]), "plans": [1, 2]}), 3, 3),
        "plan", "plans"),
    "concern before repeat plans": (lambda: between.bands_bars(pd.DataFrame(
        {"band": ["none", "one"], "plans": [1, 2], "with_impact": [0, 1], "median_days_to_plan": [1.0, 2.0]})),
        "repeat plan", "repeat plans"),
    "concerns by month before": (lambda: between.months_before_bars(pd.DataFrame(
        {"months_before": [1, 2], "agency": ["POLICE", "POLICE"], "concerns": [1, 2]})), "concern", "concerns"),
    "the month before": (lambda: between.months_before_bars(pd.DataFrame(
        {"months_before": [1, 2], "agency": ["POLICE", "POLICE"], "concerns": [1, 2]})), "month before",
        "months before"),
    "concerns by group": (lambda: between.groups_bars(pd.DataFrame(
        {"grp": ["incident", "referral"], "agency": ["POLICE", "HEALTH"], "concerns": [1, 2], "plans": [1, 1]})),
        "concern", "concerns"),
    "failed SMART criteria": (lambda: quality_text.failed_criteria_figure(pd.DataFrame(
        {"criterion": ["Specific", "Measurable"], "actions_failing": [1, 2], "share": [0.25, 0.5]})),
        "action", "actions"),
    "deficit phrases": (lambda: quality_text.language_figure(pd.DataFrame(
        {"phrase": ["non-compliant", "engage"], "kind": ["deficit", "jargon"], "findings": [1, 2],
         "suggestion": ["did not", "take part"]})), "time", "times"),
    "reading ease": (lambda: quality_text.reading_ease_figure(pd.DataFrame({"band": [50, 60], "plans": [1, 2]}),
                                                              {"plans": 3, "median_ease": 60, "share_below": 0.3}),
                     "plan", "plans"),
    "relevance to adult needs": (lambda: quality_text.relevance_figure(pd.DataFrame(
        {"team": ["North", "South"], "verdict": [RELEVANCE_VERDICTS[0]] * 2, "plans": [1, 2]})), "plan", "plans"),
    "themes of actions": (lambda: quality_text.theme_figure(pd.DataFrame(
        {"team": ["North", "South"], "theme": ["safety", "safety"], "actions": [1, 2], "share": [1.0, 1.0]})),
        "action", "actions"),
    "restorative evidence": (lambda: works.restorative_bars(pd.DataFrame(
        {"team": ["All teams", "All teams"], "kind": ["fgc", "any_restorative"], "share": [1.0, 0.5],
         "with_evidence": [1, 1], "plans": [1, 2]})), "plan", "plans"),
    "re-planned by the work completed": (lambda: works.ending_work_bars(pd.DataFrame(
        {"ending_work": ["first_order_only", "underlying"], "endings": [1, 2], "outcome_known": [1, 2],
         "replanned": [1, 1], "replan_rate": [1.0, 0.5]}), 24), "ending", "endings"),
    "completed actions by kind": (lambda: works.action_class_bars(pd.DataFrame(
        {"team": ["North", "North"], "action_class": ["first_order", "underlying"], "completed": [1, 2]})),
        "action", "actions"),
    "endings still followed": (lambda: works.survival_figure(_curves(), "adult_practitioner", 24), "ending",
                               "endings"),
    "sustained endings": (lambda: works.sustained_dots(pd.DataFrame(
        {"split": ["adult_practitioner"] * 2, "by": ["team"] * 2, "value": ["North"] * 2, "group": ["with", "without"],
         "share": [1.0, 0.5], "followed": [1, 2], "sustained": [1, 1]}), "adult_practitioner"), "ending", "endings"),
    "recorded judgements": (lambda: judgements.judgement_bars(_grades({(1, "GOOD"): 1, (2, "GOOD"): 2}), 2),
                            "child", "children"),
    "repeat share beside published figures": (lambda: regional.repeat_vs_published(
        pd.DataFrame({"name": ["A", "B"], "numerator": [1, 1], "denominator": [1, 2], "percent": [100.0, 50.0]}),
        pd.DataFrame({"name": ["A"], "comparator": ["england"], "label": ["England"], "year": [2025],
                      "percent": [24.5]})), "plan started", "plans started"),
    "gap before a repeat plan by authority": (lambda: regional.gap_bars(pd.DataFrame(
        {"name": ["A", "B"], "gaps": [1, 2], "median_gap_days": [1.0, 2.0]})), "repeat plan", "repeat plans"),
    "median gap in days": (lambda: regional.gap_bars(pd.DataFrame(
        {"name": ["A", "B"], "gaps": [1, 2], "median_gap_days": [1.0, 2.0]})), "day", "days"),
    "repeat share by quarter": (lambda: trends.repeat_share_trend(QUARTERS, 0.67, base=3), "plan started", "plans started"),
    "starts and endings by quarter": (lambda: trends.starts_endings_trend(QUARTERS), "plan", "plans"),
    "core group attendance": (lambda: agencies.attendance_bars(pd.DataFrame(
        {"agency": ["CSC", "POLICE"], "invited": [1, 2], "attended": [1, 1], "contributed": [1, 1],
         "rate": [1.0, 0.5], "contribution_rate": [1.0, 0.5]})), "invitation", "invitations"),
    "challenges by agency": (lambda: agencies.challenges_bars(pd.DataFrame(
        {"agency": ["HEALTH", "POLICE"], "event_type": ["CHALLENGE", "CHALLENGE"], "events": [1, 2],
         "plans": [1, 2]})), "challenge", "challenges"),
    "challenges by agency, the plans": (lambda: agencies.challenges_bars(pd.DataFrame(
        {"agency": ["HEALTH", "POLICE"], "event_type": ["CHALLENGE", "CHALLENGE"], "events": [1, 2],
         "plans": [1, 2]})), "plan", "plans"),
    "re-planning curves": (lambda: cohorts.cohort_curves(pd.DataFrame(
        {"group": ["2019-20", "2019-20"], "months": [1, 2], "cumulative": [0.0, 0.5], "replanned": [0, 1],
         "followed_up": [1, 2]}), "cohort", 24, min_followed=1), "first plan", "first plans"),
    "re-planning curves, the months": (lambda: cohorts.cohort_curves(pd.DataFrame(
        {"group": ["2019-20", "2019-20"], "months": [1, 2], "cumulative": [0.0, 0.5], "replanned": [0, 1],
         "followed_up": [1, 2]}), "cohort", 24, min_followed=1), "month", "months"),
    "gap between plans": (lambda: cohorts.gap_histogram(pd.DataFrame({"gap_month": [1, 2], "plans": [1, 2]}), 45.0),
                          "repeat plan", "repeat plans"),
    "gap between plans, the months": (lambda: cohorts.gap_histogram(
        pd.DataFrame({"gap_month": [1, 2], "plans": [1, 2]}), 45.0), "full month", "full months"),
    "first plan pathway": (lambda: cohorts.pathway_sankey(pd.DataFrame(
        {"band": ["3 months or less", "1 to under 2 years"], "reason": ["No reason found", "Several reasons"],
         "outcome": ["Re-planned within 24 months", "Not re-planned within 24 months"], "plans": [1, 2]})),
        "first plan", "first plans"),
    "repeat share by team": (lambda: cohorts.team_bars(pd.DataFrame(
        {"team": ["North", "South"], "repeat_share": [1.0, 0.5], "repeat_plans": [1, 1], "plans_started": [1, 2],
         "repeat_within_window": [1, 1]}), 0.245), "plan started", "plans started"),
    "import history": (lambda: quality.import_history_bars(RUNS), "row", "rows"),
    "reject reasons": (lambda: quality.reject_reasons_bars(pd.DataFrame(
        {"table_name": ["plans", "events"], "reason": ["end before start", "bad date"], "n": [1, 2]})), "row", "rows"),
    "rows per table": (lambda: quality.table_counts_bars(pd.DataFrame(
        {"table_name": ["plans", "children"], "rows": [1, 2]})), "row", "rows"),
    "audit concerns": (lambda: audit.concern_bars(pd.DataFrame(
        {"concern": ["Neglect", "Domestic abuse"], "children": [1, 2], "share": [1 / 3, 2 / 3]}), 3),
        "child", "children"),
}


def _said(count: int, words: str) -> re.Pattern:
    """`count` then `words` as whole words ("1 plan" is not found in "11 plans", "1 plans" nor "1 planned")."""
    return re.compile(rf"(?<![\d,.]){count} {re.escape(words)}(?![\w])")


@pytest.mark.parametrize("name", list(CASES))
def test_a_hover_counts_one_in_the_singular_and_two_in_the_plural(name: str) -> None:
    build, one, many = CASES[name]
    said = hovers(build())
    assert any(_said(1, one).search(h) for h in said), said
    assert any(_said(2, many).search(h) for h in said), said
    assert not any(_said(1, many).search(h) for h in said), said


def test_the_hover_reader_fills_a_template_as_plotly_would() -> None:
    """The check above is only as good as its reading: a plain "%{y:,} plans" read with y = 1 says "1 plans"."""
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 1234], customdata=[["x", "1 plan"], ["y", "2 plans"]],
                           hovertemplate="%{x}: %{y:,} plans, %{customdata[1]}<extra></extra>"))
    assert hovers(fig) == ["a: 1 plans, 1 plan", "b: 1,234 plans, 2 plans"]
