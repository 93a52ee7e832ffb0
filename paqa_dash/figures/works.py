"""The "What works" charts: restorative evidence by team, re-plans after first-order-only endings, the kinds of
completed action by team, and Kaplan-Meier curves of time from an ending to another plan.

Titles state the finding from the data; a curve is drawn only where enough endings are still followed (the
page hands in tables whose suppressed cells are missing).
"""
from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go

from ..reference.words import counted
from ..reference.works import ACTION_CLASSES, ENDING_WORK_SHORT, RESTORATIVE_WORDS, SPLIT_PHRASES, WORKS_SPLITS
from ..reference import benchmarks
from .style import (ENGLAND, HIGHLIGHT, LOCAL, MISSING, apply_layout, axis_title, both_comparable, colour,
                    counted_each, legend_at_foot, pct_labels, pct_text, portion, share_axis, share_text, stack, too_few_each,
                    TEAM, TEAM_OR_YEAR)

_FILL = {LOCAL: "rgba(0,114,178,0.15)", HIGHLIGHT: "rgba(213,94,0,0.15)"}


TITLE_LINE = 48   # characters a title line holds at 800 px; a longer finding breaks after a clause
KIND_CHARS = 24   # characters a line of a restorative kind's name holds beside its bars (the rest of 800 px: the bars)


def _wrapped(title: str) -> str:
    """The finding broken after its clauses ("; ", ": ", ", ") into lines of at most about TITLE_LINE."""
    pieces = re.split(r"(?<=[;:,]) ", title)
    lines = [pieces[0]]
    for piece in pieces[1:]:
        if len(lines[-1]) + 1 + len(piece) > TITLE_LINE:
            lines.append(piece)
        else:
            lines[-1] += " " + piece
    return "<br>".join(lines)


def _finish(fig: go.Figure, title: str, *args, legend_below: bool = False, **kwargs) -> go.Figure:
    """apply_layout with the finding wrapped, and the legend under the plot where it would meet the title."""
    title = _wrapped(title)
    fig = apply_layout(fig, title, *args, **kwargs)
    fig.update_layout(margin={"t": 40 + 26 * (title.count("<br>") + 1)})
    if legend_below:
        legend_at_foot(fig)
    return fig


def _num(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def restorative_bars(table: pd.DataFrame) -> go.Figure:
    """Share of ended plans with each kind of restorative evidence: all teams, and each team.  Bars across, the
    kinds down the side: their names ("Family group conference or network meeting") are too long to stand under
    upright bars, where at 800 px they were turned, ran into each other and under the legend."""
    fig = go.Figure()
    teams = list(dict.fromkeys(table["team"]))
    for i, team in enumerate(teams):
        part = table[table["team"] == team]
        fig.add_bar(y=[axis_title(RESTORATIVE_WORDS[k], KIND_CHARS) for k in part["kind"]], x=part["share"], name=team, orientation="h",
                    marker_color=LOCAL if i == 0 else colour(i),
                    customdata=list(zip(part["with_evidence"], counted_each(part["plans"], "plan"))),
                    hovertext=pct_labels(part["share"]),
                    hovertemplate=f"{team}<br>%{{y}}: %{{hovertext}}<br>%{{customdata[0]}} of %{{customdata[1]}}"
                                  "<extra></extra>")
    overall = table[table["team"] == teams[0]].set_index("kind") if teams else pd.DataFrame()
    fgc = _num(overall["with_evidence"].get("fgc")) if len(overall) else None
    some = _num(overall["with_evidence"].get("any_restorative")) if len(overall) else None
    ended = _num(overall["plans"].get("any_restorative")) if len(overall) else None
    # shares of all ended plans; on fewer than 20 their counts (docs/definitions.md, "Small bases")
    title = (f"{portion(fgc, ended, 'ended plan')} recorded a family group conference or network meeting; "
             f"{share_text(ended - some, ended)} showed none of the four signs"
             if fgc is not None and some is not None and ended else "Restorative work recorded on ended plans")
    fig.update_layout(barmode="group", yaxis={"autorange": "reversed"})   # the first kind, and all teams, on top
    share_axis(fig, "x", room=1.05)
    kinds = table["kind"].nunique()
    return _finish(fig, title, "Ended plans with it (%)", "Evidence in the record", x_percent=True,
                   height=max(420, 180 + kinds * (12 * len(teams) + 18)), legend_below=True)


def ending_work_bars(table: pd.DataFrame, window: int) -> go.Figure:
    """Re-planned within the window, by what the ended plan's completed actions worked on."""
    fig = go.Figure()
    labels = [ENDING_WORK_SHORT[k] for k in table["ending_work"]]
    fig.add_bar(x=table["replan_rate"], y=labels, orientation="h",
                marker_color=[HIGHLIGHT if k == "first_order_only" else LOCAL for k in table["ending_work"]],
                text=[share_text(n, d) for n, d in zip(table["replanned"], table["outcome_known"])],
                textposition="outside",
                customdata=list(zip(table["replanned"], counted_each(table["outcome_known"], "ending"))),
                hovertext=pct_labels(table["replan_rate"]),
                hovertemplate="%{y}<br>%{hovertext} re-planned<br>%{customdata[0]} of %{customdata[1]}<extra></extra>")
    rows = table.set_index("ending_work")
    first, deeper = (_num(rows["replan_rate"].get(k)) for k in ("first_order_only", "underlying"))
    pair = [(words, rows["replanned"].get(k), rows["outcome_known"].get(k)) for k, words in
            (("first_order_only", "after first-order change only"), ("underlying", "after work on the adult difficulty"))]
    if first is not None and deeper is not None and both_comparable(*(whole for _, _, whole in pair)):
        title = (f"Re-planned within {counted(window, 'month')}: {pct_text(first)} after first-order change only, "
                 f"{pct_text(deeper)} after work on the adult difficulty")
    elif first is not None and deeper is not None:   # the small-base rule: counts, and no comparison
        title = ("Too few endings followed to compare re-planning by the work completed: "
                 + too_few_each(pair, f"re-planned within {counted(window, 'month')}"))
    else:
        title = f"Re-planned within {counted(window, 'month')}, by the work completed before the ending"
    fig.update_yaxes(autorange="reversed")
    share_axis(fig, "x", table["replan_rate"])
    return _finish(fig, title, f"Re-planned within {counted(window, 'month')} (% of endings followed)", "Work completed before the ending",
                   x_percent=True, legend=False, height=360)


def action_class_bars(table: pd.DataFrame) -> go.Figure:
    """Completed actions of ended plans by kind of change, per team (stacked shares)."""
    fig = go.Figure()
    totals = table.groupby("team")["completed"].sum(min_count=1)
    for i, (key, label) in enumerate(ACTION_CLASSES.items()):
        part = table[table["action_class"] == key].set_index("team").reindex(totals.index)
        share = part["completed"] / totals
        fig.add_bar(y=list(totals.index), x=share, name=label, orientation="h",
                    marker_color=[HIGHLIGHT, LOCAL, ENGLAND][i], customdata=counted_each(part["completed"], "action"),
                    hovertext=pct_labels(share),
                    hovertemplate=f"%{{y}}<br>{label}: %{{hovertext}} (%{{customdata}})<extra></extra>")
    done = table.groupby("action_class")["completed"].sum(min_count=1)
    total = _num(done.sum())
    first = _num(done.get("first_order"))
    under = _num(done.get("underlying"))
    title = (f"{portion(first, total, 'completed action')} asked for first-order change; "
             f"{share_text(under, total)} worked on an adult difficulty"
             if total and first is not None and under is not None else "Completed actions by the change they asked for")
    stack(fig)
    return _finish(fig, title, "Completed actions of ended plans (%)", TEAM, x_percent=True, legend_below=True,
                   height=220 + 40 * max(len(totals), 1))


def value_at(curves: pd.DataFrame, split: str, group: str, months: float) -> float | None:
    """The curve's survival at `months` (its last drawn step at or before), None when not drawn there."""
    part = curves[(curves["split"] == split) & (curves["group"] == group) & (curves["time"] <= months)]
    part = part[part["survival"].notna()]
    if part.empty or curves[(curves["split"] == split) & (curves["group"] == group)
                            & (curves["time"] >= months) & curves["survival"].notna()].empty:
        return None
    return float(part["survival"].iloc[-1])


def survival_figure(curves: pd.DataFrame, split: str, window: int) -> go.Figure:
    """Kaplan-Meier curves with 95% bands: share of endings with no other plan yet, by months since the ending."""
    fig = go.Figure()
    names = dict(zip(("with", "without"), WORKS_SPLITS[split]))
    for group, line in (("with", LOCAL), ("without", HIGHLIGHT)):
        part = curves[(curves["split"] == split) & (curves["group"] == group) & curves["survival"].notna()]
        if part.empty:
            continue
        fig.add_scatter(x=part["time"], y=part["upper"], mode="lines", line={"width": 0, "shape": "hv"},
                        hoverinfo="skip", showlegend=False)
        fig.add_scatter(x=part["time"], y=part["lower"], mode="lines", line={"width": 0, "shape": "hv"},
                        fill="tonexty", fillcolor=_FILL[line], hoverinfo="skip", showlegend=False)
        fig.add_scatter(x=part["time"], y=part["survival"], mode="lines", name=names[group],
                        line={"color": line, "width": 2.5, "shape": "hv"},
                        customdata=list(zip(counted_each(part["at_risk"], "ending"), part["lower"], part["upper"])),
                        hovertext=pct_labels(part["survival"]),
                        hovertemplate=(f"{names[group]}<br>%{{x:.1f}} months: %{{hovertext}} no other plan "
                                       "(95% CI %{customdata[1]:.0%}-%{customdata[2]:.0%})<br>"
                                       "%{customdata[0]} still followed<extra></extra>"))
    fig.add_vline(x=window, line_dash="dot", line_color=ENGLAND,
                  annotation_text=f"{window}-month window", annotation_position="bottom left")
    with_, without = value_at(curves, split, "with", window), value_at(curves, split, "without", window)
    # each group's endings (its curve's number at risk at the start): the two are set against each other only where
    # each has enough (docs/definitions.md, "Small bases")
    sizes = [_num(curves.loc[(curves["split"] == split) & (curves["group"] == g), "at_risk"].max())
             for g in ("with", "without")]
    if with_ is not None and without is not None and both_comparable(*sizes):
        title = (f"{counted(window, 'month')} after ending, no other plan: {pct_text(with_)} with "
                 f"{SPLIT_PHRASES[split]}, {pct_text(without)} without")
    elif with_ is not None and without is not None:
        title = (f"Too few endings to compare those with and without {SPLIT_PHRASES[split]}: "
                 + ", ".join(f"{g} {MISSING if n is None else counted(n, 'ending')}"
                             for g, n in zip(("with", "without"), sizes)) + f"; {benchmarks.NEEDS} in each")
    else:
        title = f"Endings with no other plan: {names['with'].lower()}"
    share_axis(fig, "y", room=1.02)
    fig.update_xaxes(range=[0, window + 12])   # past the window the few still followed say little
    return _finish(fig, title, "Months since the plan ended", "Endings with no other plan yet (%)",
                   y_percent=True, height=500, legend_below=True)


def sustained_dots(table: pd.DataFrame, split: str) -> go.Figure:
    """Share of endings sustained through the window, with and without, by team and by year the plan ended."""
    fig = go.Figure()
    part = table[table["split"] == split].copy()
    part["row"] = [f"Team: {v}" if b == "team" else f"Ended in {v}" for b, v in part[["by", "value"]].itertuples(index=False)]
    names = dict(zip(("with", "without"), WORKS_SPLITS[split]))
    for group, line in (("with", LOCAL), ("without", HIGHLIGHT)):
        g = part[part["group"] == group]
        fig.add_scatter(x=g["share"], y=g["row"], mode="markers", name=names[group],
                        marker={"color": line, "size": 11, "symbol": "circle" if group == "with" else "diamond"},
                        customdata=list(zip(g["sustained"], counted_each(g["followed"], "ending"))),
                        hovertext=pct_labels(g["share"]),
                        hovertemplate="%{y}<br>%{hovertext} sustained<br>%{customdata[0]} of %{customdata[1]}"
                                      "<extra></extra>")
    rows = list(dict.fromkeys(part["row"]))
    both = part.pivot_table(index="row", columns="group", values="share", aggfunc="first")
    bases = part.pivot_table(index="row", columns="group", values="followed", aggfunc="first")
    paired = {"with", "without"} <= set(both.columns) and {"with", "without"} <= set(bases.columns)
    # a team or year is counted only where both of its groups rest on enough endings (docs/definitions.md,
    # "Small bases"): "more common with" on 1 of 2 against 3 of 5 is no finding
    enough = (bases["with"].map(benchmarks.comparable) & bases["without"].map(benchmarks.comparable)
              & both["with"].notna() & both["without"].notna()) if paired else pd.Series(dtype=bool)
    ahead = int((both.loc[enough[enough].index, "with"] > both.loc[enough[enough].index, "without"]).sum()) if paired else 0
    compared = int(enough.sum()) if paired else 0
    left = int((both[["with", "without"]].notna().all(axis=1) & ~enough).sum()) if paired else 0
    title = (f"Sustained endings were more common with than without in {ahead} of "
             f"{counted(compared, 'team or year', 'teams and years')}"
             if compared else "Sustained endings by team and year")
    if left:
        title += (f"; too few endings in {counted(left, 'other team or year', 'other teams and years')} to compare "
                  f"({benchmarks.NEEDS} with and without)")
    fig.update_yaxes(categoryorder="array", categoryarray=rows[::-1])
    return _finish(fig, title, "Endings with no other plan within the window (%)", TEAM_OR_YEAR, x_percent=True,
                   height=230 + 26 * max(len(rows), 1), legend_below=True)
