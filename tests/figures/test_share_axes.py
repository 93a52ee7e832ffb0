"""A share cannot pass 100%: a chart of shares that reach 100% ends its axis just past it, room for the "100%"
printed beside or above the bar, and has no tick past 100% (a newcomer read "120%" on the endings chart's axis)."""
from __future__ import annotations

import pandas as pd
import pytest

from paqa_dash.figures import agencies, challenge, cohorts, duplicates, endings, household, regional, trends, works
from paqa_dash.figures.style import SHARE_END
from paqa_dash.reference import benchmarks
from paqa_dash.reference.codes import BAND_LABELS

FULL = 1.0   # every plan of a small group: 100%


def _bands() -> tuple[pd.DataFrame, pd.DataFrame]:
    england = benchmarks.duration_shares(2025)
    bands = pd.DataFrame({"band": england["band"], "label": [BAND_LABELS[b] for b in england["band"]],
                          "plans": [3] + [0] * (len(england) - 1), "share": [FULL] + [0.0] * (len(england) - 1)})
    return bands, england


CASES = {
    "endings by duration band (bars upright)": (lambda: endings.bands_vs_england(*_bands(), base=3), "y"),
    "duplicated actions by team": (lambda: duplicates.team_share_bars(pd.DataFrame(
        {"team": ["North", "South"], "share": [FULL, 0.4], "duplicated": [5, 4], "actions": [5, 10],
         "plans": [2, 3]})), "x"),
    "duplication impact (bars upright)": (lambda: duplicates.impact_bars(pd.DataFrame(
        [{"group": g, **{f"{r}_pct": v for r, _ in duplicates.IMPACT_MEASURES}}
         for g, v in zip(duplicates.IMPACT_GROUPS, (100.0, 40.0))])), "y"),
    "re-planned by the work completed": (lambda: works.ending_work_bars(pd.DataFrame(
        {"ending_work": ["first_order_only", "underlying"], "endings": [3, 4], "outcome_known": [3, 4],
         "replanned": [3, 1], "replan_rate": [FULL, 0.25]}), 24), "x"),
    "repeat share by team": (lambda: cohorts.team_bars(pd.DataFrame(
        {"team": ["North", "South"], "repeat_share": [FULL, 0.2], "repeat_plans": [4, 2], "plans_started": [4, 10],
         "repeat_within_window": [1, 1]}), 0.245), "x"),
    "a pair of re-plan rates": (lambda: challenge.rate_pair(pd.DataFrame(
        {"replan_rate": [FULL, 0.3], "replanned": [4, 3], "followed_up": [4, 10]}), ("A", "B"), "endings", "x"), "x"),
    "core group attendance by agency": (lambda: agencies.attendance_bars(pd.DataFrame(
        {"agency": ["CSC", "POLICE"], "invited": [4, 10], "attended": [4, 3], "contributed": [2, 1],
         "rate": [FULL, 0.3], "contribution_rate": [0.5, 0.1]})), "x"),
    "re-planned by household changes (bars upright)": (lambda: household.replanned_share_bars(pd.DataFrame(
        {"bucket": ["0", "1", "2", "3+"], "children": [10, 5, 3, 4], "replanned_children": [1, 2, 1, 4],
         "replanned_share": [0.1, 0.4, 1 / 3, FULL]}), 24), "y"),
    "repeat share beside England": (lambda: trends.benchmark_bars("Here", FULL, benchmarks.comparators(2025), base=40), "x"),
    "repeat share beside published figures": (lambda: regional.repeat_vs_published(
        pd.DataFrame({"name": ["A"], "numerator": [9], "denominator": [9], "percent": [100.0]}),
        pd.DataFrame({"name": ["A"], "comparator": ["england"], "label": ["England"], "year": [2025],
                      "percent": [24.5]})), "x"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_share_axis_has_room_past_100_percent_but_no_tick_there(name: str) -> None:
    build, axis = CASES[name]
    layout_axis = getattr(build().layout, f"{axis}axis")
    start, end = layout_axis.range
    assert start == 0 and 1 < end <= SHARE_END, layout_axis.range   # the "100%" label fits; no more than that
    assert layout_axis.tickvals is not None and max(layout_axis.tickvals) == 1, layout_axis.tickvals
    assert layout_axis.tickformat == ".0%"


def test_a_share_axis_of_small_shares_stays_close_to_them() -> None:
    """Shares of at most 40% are drawn on an axis sized to them, with plotly's own ticks: no empty run to 100%."""
    fig = works.ending_work_bars(pd.DataFrame(
        {"ending_work": ["first_order_only", "underlying"], "endings": [10, 20], "outcome_known": [10, 20],
         "replanned": [4, 2], "replan_rate": [0.4, 0.1]}), 24)
    assert fig.layout.xaxis.range[1] == pytest.approx(0.4 * 1.3) and fig.layout.xaxis.tickvals is None
