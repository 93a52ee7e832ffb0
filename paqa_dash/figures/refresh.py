"""Plan refresh (docs/definitions.md, "Plan refresh"): the share of reviews, core groups and new concerns
followed by a plan update in time, by team and by quarter.

Builders take the frames of `paqa_dash.metrics.refresh`; titles state the finding.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..reference.calendar import quarter_label
from .agencies import _layout
from ..reference import benchmarks
from .style import HUES, TEAM, both_comparable, extreme, few_named, pct_labels, pct_text, portion, share_axis
from ..reference.words import counted

KIND_LABELS = {"meeting": "After a review or core group", "concern": "After a new concern"}
KIND_COLOURS = {"meeting": HUES["blue"], "concern": HUES["orange"]}


def team_rates(by_team: pd.DataFrame, days: int, concerns: tuple[int, int] | None = None) -> go.Figure:
    """Per team, the share of meetings and of new concerns followed by a plan update within `days` days (of
    those whose deadline had passed).  `by_team`: team, kind, on_time, late, due, rate.  `concerns`: (on time,
    due), the page's "After new concerns" tile, for the finding where a team's cells are withheld (a sum over the
    teams left would be short); no team is then named lowest while a team without a rate shown could be."""
    frame = by_team.copy()
    frame["team"] = frame["team"].replace("", "No team")
    teams = sorted(frame["team"].unique(), reverse=True)
    fig = go.Figure()
    for kind in ("meeting", "concern"):
        part = frame[frame["kind"] == kind].set_index("team").reindex(teams)
        fig.add_trace(go.Bar(y=teams, x=part["rate"].to_numpy(dtype="float64"), orientation="h",
                             name=KIND_LABELS[kind], marker_color=KIND_COLOURS[kind],
                             customdata=part[["on_time", "due"]].to_numpy(dtype="float64"),
                             hovertext=pct_labels(part["rate"]),
                             hovertemplate="%{y}: %{hovertext} (%{customdata[0]:,.0f} of %{customdata[1]:,.0f})"
                                           "<extra>%{fullData.name}</extra>"))
    fig.update_layout(barmode="group")
    concern = frame[frame["kind"] == "concern"]
    on_time, due = concerns or (concern["on_time"].sum(), float(concern["due"].sum()))
    unranked = concern["rate"].isna() & (concern["due"].isna() | concern["due"].map(benchmarks.comparable).astype(bool))
    if due:
        title = (f"The plan was updated within {counted(days, 'day')} of {pct_text(on_time / due)} of new concerns"
                 if benchmarks.comparable(due) else
                 f"{portion(on_time, due, 'new concern')} {'was' if on_time == 1 else 'were'} followed by a plan "
                 f"update within {counted(days, 'day')}")
        # the lowest of the teams with enough concerns due; a team of fewer than 20 is named, not ranked
        low, few = extreme(concern[concern["due"] > 0], "rate", "due", "team")
        if low is not None and not unranked.any():
            title += f";<br>lowest in {low['team']} ({pct_text(float(low['rate']))})"
        if few and len(concern[concern["due"] > 0]) > 1:
            title += f";<br>{few_named(few, 'new concerns')}"
    else:
        title = f"No new concern during a plan had reached its {days}-day deadline"
    fig = _layout(fig, title, f"Followed by a plan update within {counted(days, 'day')}, %", TEAM, height=max(320, 120 + 60 * len(teams)))
    share_axis(fig, "x", room=1.05)
    return fig


def quarter_rates(by_quarter: pd.DataFrame, days: int) -> go.Figure:
    """By the quarter of the meeting or concern, the share followed by a plan update within `days` days.
    `by_quarter`: quarter, kind, on_time, late, due, rate."""
    frame = by_quarter.sort_values("quarter")
    fig = go.Figure()
    for kind in ("meeting", "concern"):
        part = frame[frame["kind"] == kind]
        fig.add_trace(go.Scatter(x=[quarter_label(q) for q in part["quarter"]], y=part["rate"].to_numpy(dtype="float64"),
                                 mode="lines+markers", name=KIND_LABELS[kind], line={"color": KIND_COLOURS[kind]},
                                 customdata=part[["on_time", "due"]].to_numpy(dtype="float64"),
                                 hovertext=pct_labels(part["rate"]),
                                 hovertemplate="%{x}: %{hovertext} (%{customdata[0]:,.0f} of %{customdata[1]:,.0f})"
                                               "<extra>%{fullData.name}</extra>"))
    concern = frame[(frame["kind"] == "concern") & (frame["due"] > 0)]
    if len(concern) >= 2 and both_comparable(concern["due"].iloc[0], concern["due"].iloc[-1]):
        first, last = concern.iloc[0], concern.iloc[-1]
        word = "rose" if last["rate"] > first["rate"] else "fell" if last["rate"] < first["rate"] else "held"
        title = (f"Timely updates after new concerns {word} from {pct_text(float(first['rate']))} "
                 f"({quarter_label(first['quarter'])})<br>to {pct_text(float(last['rate']))} ({quarter_label(last['quarter'])})")
    elif len(concern) >= 2:   # the first and last quarter not set against each other on too few concerns
        title = (f"Plan updates within {counted(days, 'day')}, by quarter:<br>too few new concerns to compare the "
                 f"first quarter with the last ({benchmarks.NEEDS} in each)")
    else:
        title = f"Plan updates within {counted(days, 'day')}, by quarter"
    fig = _layout(fig, title, "Quarter of the meeting or concern", f"Followed by a plan update within {counted(days, 'day')}, %")
    share_axis(fig, "y", room=1.05)
    fig.update_xaxes(type="category")
    return fig
