"""Chart axes that do not mislead (newcomer trial): whole-number ticks on a count axis, a gap axis with readable
ticks, an empty chart drawn as a message with no axes from -1 to 1, and every axis of every chart titled: the
category axis too (the teams, authorities or agencies beside bars were named by no axis title; a review)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from paqa_dash.figures import between, cohorts, endings, style, trends

from support.figure_cases import CASES, NO_AXES, builder_of, builders


def quarters(started: list[int]) -> pd.DataFrame:
    n = len(started)
    return pd.DataFrame({"quarter": pd.date_range("2022-04-01", periods=n, freq="QS"),
                         "label": [f"q{i}" for i in range(n)], "plans_started": started,
                         "repeat_plans_started": [0] * n, "repeat_rate": [0.0] * n,
                         "plans_ended": [1] * n, "ended_le_3m": [0] * n})


def test_a_small_count_axis_ticks_whole_numbers_only():
    # 3 plans at most: plotly would tick 0, 0.5, 1, ... 3 ("0.5 plans")
    fig = trends.starts_endings_trend(quarters([2, 0, 3]))
    assert fig.layout.yaxis.dtick == 1 and fig.layout.yaxis.tick0 == 0
    assert fig.layout.yaxis.tickformat == ",d"
    gaps = cohorts.gap_histogram(pd.DataFrame({"gap_month": [12], "plans": [1]}), 365.0, 24)
    assert gaps.layout.yaxis.dtick == 1 and gaps.layout.yaxis.tickformat == ",d"   # not "0.2 repeat plans"


def _last_tick(axis) -> float:
    """The last tick drawn on a count axis whose step and end are set (style.count_ticks)."""
    return (axis.range[1] // axis.dtick) * axis.dtick


def test_a_large_count_axis_ends_on_a_tick_past_its_longest_bar_with_whole_labels():
    """Plotly's own steps (0, 100, 200, 300 on an axis to 360) left the tallest bar of 350 past the last tick."""
    fig = trends.starts_endings_trend(quarters([200, 350, 120]))
    axis = fig.layout.yaxis
    assert axis.tickformat == ",d" and axis.dtick == int(axis.dtick) and axis.tick0 == 0
    assert 350 <= _last_tick(axis) <= axis.range[1]


def test_stacked_bars_are_ticked_by_their_totals():
    fig = go.Figure([go.Bar(x=["a"], y=[6]), go.Bar(x=["a"], y=[6])]).update_layout(barmode="stack")
    axis = style.count_axis(fig, "y").layout.yaxis   # 12 in the stack: whole steps past 1, a tick at 12 or past
    assert axis.dtick in (2, 5) and _last_tick(axis) >= 12


@pytest.mark.parametrize("top", [10, 11, 23, 99, 138, 1_001, 93_739])
def test_every_bar_of_the_kinds_of_concern_lies_within_the_ticks(top):
    """The Between plans chart of the kinds of concern at 800 px: ticks 0, 50, 100 beside a bar of 138 (plotly's
    range ended past the bar, its last tick short of it).  The axis now ends on a tick at or past the longest bar,
    with 3 to 6 whole steps, and runs a little past that tick so its label is drawn."""
    groups = pd.DataFrame({"grp": ["police_callout", "missed_health", "referral"],
                           "agency": ["POLICE", "HEALTH", "CSC"], "concerns": [top, 8, 5], "plans": [5, 4, 3]})
    axis = between.groups_bars(groups).layout.xaxis
    assert axis.dtick == int(axis.dtick) and 3 <= axis.range[1] // axis.dtick <= 6
    assert top <= _last_tick(axis) < axis.range[1], (axis.dtick, axis.range)
    across = go.Figure(go.Bar(y=["a", "b"], x=[1, 2], orientation="h"))
    style.apply_layout(across, "t", "Ended plans (count)", None)
    assert across.layout.xaxis.dtick == 1 and across.layout.yaxis.dtick is None


def test_the_gap_axis_runs_from_0_past_the_window_ticked_every_half_year():
    # repeat plans 11 to 13 months after the previous plan: fitted to the bars, the axis showed one tick, "12"
    gaps = pd.DataFrame({"gap_month": [11, 12, 13], "plans": [1, 2, 1]})
    axis = cohorts.gap_histogram(gaps, 365.0, 24).layout.xaxis
    assert list(axis.tickvals) == [0, 6, 12, 18, 24] and list(axis.range) == [-0.5, 24.5]
    late = cohorts.gap_histogram(pd.DataFrame({"gap_month": [3, 60], "plans": [1, 1]}), 900.0, 24).layout.xaxis
    assert late.tickvals[-1] == 60 and late.ticktext[-1] == "60+" and late.range[1] == 60.5


def no_axes(fig: go.Figure) -> bool:
    return fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False and not fig.data


def test_an_empty_figure_shows_its_message_and_no_axes():
    fig = style.empty_figure("Warning signs", "Nothing to show")
    assert no_axes(fig) and [a.text for a in fig.layout.annotations] == ["Nothing to show"]


def test_warning_signs_with_no_ended_plan_showing_one_is_a_message_not_axes_from_minus_1():
    counts = endings.reason_counts_from_outcomes(pd.DataFrame(
        columns=["premature", "at_risk", "any_reason", *[c for _, c in endings.REASON_COLUMNS]]))
    fig = endings.reasons_bars(counts, 4, 0)
    assert no_axes(fig)
    assert fig.layout.title.text == "0 of 4 ended plans ended with at least one warning sign"   # too few for a share
    assert fig.layout.annotations[0].text == "No ended plan in the period<br>showed a warning sign"   # not cut at 800 px


def test_no_concerns_between_plans_is_a_message_not_axes():
    months = pd.DataFrame({"months_before": pd.Series(dtype="int64"), "agency": pd.Series(dtype=object),
                           "concerns": pd.Series(dtype="int64")})
    groups = pd.DataFrame({"grp": pd.Series(dtype=object), "agency": pd.Series(dtype=object),
                           "concerns": pd.Series(dtype="int64"), "plans": pd.Series(dtype="int64")})
    for fig in (between.months_before_bars(months), between.groups_bars(groups)):
        assert no_axes(fig) and fig.layout.title.text == between.NO_CONCERNS


def test_a_suppressed_count_is_not_taken_for_nothing():
    assert style.nothing_to_draw([0, 0]) and style.nothing_to_draw([])
    assert not style.nothing_to_draw([0, None]) and not style.nothing_to_draw(pd.Series([0, float("nan")]))


def test_every_figure_builder_is_checked_for_its_axis_titles():
    """A builder added without a case in support/figure_cases.py would go unchecked."""
    assert sorted(set(builders()) - set(NO_AXES)) == sorted({builder_of(c) for c in CASES})


def _axes_drawn(fig: go.Figure) -> list[str]:
    """The layout names of the axes the figure's traces are drawn on ("xaxis", "yaxis2", ...), hidden ones left out."""
    names = set()
    for trace in fig.data:
        if trace.type in ("bar", "scatter", "heatmap"):
            names |= {f"xaxis{(trace.xaxis or 'x')[1:]}", f"yaxis{(trace.yaxis or 'y')[1:]}"}
    return sorted(n for n in names if fig.layout[n].visible is not False)


@pytest.mark.parametrize("case", list(CASES))
def test_every_axis_of_a_chart_is_titled_the_category_axis_too(case: str):
    fig = CASES[case]()
    drawn = _axes_drawn(fig)
    assert drawn, "nothing drawn: the case should give the builder something to draw"
    untitled = [n for n in drawn if not (fig.layout[n].title.text or "").strip()]
    assert not untitled, f"{case}: no title on {untitled}"


def test_a_category_axis_named_by_several_charts_has_one_name():
    """Teams, agencies and authorities are named alike wherever they are listed (figures/style.py)."""
    teams = [CASES[c]().layout.yaxis.title.text for c in ("cohorts.team_bars", "duplicates.team_share_bars",
                                                         "refresh.team_rates", "quality_text.wording_figure")]
    agencies = [CASES[c]().layout.yaxis.title.text for c in ("agencies.attendance_bars", "agencies.challenges_bars",
                                                            "agencies.attendance_heatmap", "challenge.topic_bars")]
    authorities = [CASES[c]().layout.yaxis.title.text for c in ("regional.repeat_vs_published", "regional.gap_bars",
                                                               "regional.bands_by_authority")]
    assert set(teams) == {style.TEAM} and set(agencies) == {style.AGENCY} and set(authorities) == {style.AUTHORITY}
