"""Figures for the plan quality page: SMART share, failed criteria, language findings, reading ease,
relevance of actions to adult needs and the theme mix.  Tidy frames from
`metrics.plan_quality.review` in, plotly figures out; every title states the finding.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..reference.benchmarks import comparable
from ..reference.codes import RELEVANCE_VERDICTS as VERDICTS
from ..reference.words import counted
from .style import (HIGHLIGHT, LOCAL, OKABE_ITO, apply_layout, counted_each, empty_figure, extreme, few_named, line_of,
                    pct_labels, pct_text, portion, share_text, stack, value_range, TEAM)

PLAIN_ENGLISH = 60.0   # Flesch reading ease: 60-70 is plain English
THEME_COLOURS = {"practical/compliance": HIGHLIGHT, "adult need": LOCAL, "child development": OKABE_ITO[2],
                 "safety": OKABE_ITO[1], "relationship/restorative": OKABE_ITO[4], "unclassified": "#9E9E9E"}
VERDICT_COLOURS = {"No action for an adult need": HIGHLIGHT, "Only practical/compliance actions": OKABE_ITO[1],
                   "Every adult need has an action": OKABE_ITO[2]}


def smart_share_figure(by_team_period: pd.DataFrame, overall: tuple[int, int] | None = None) -> go.Figure:
    """Share of SMART actions per plan-start quarter, one line per team.  `overall`: (SMART actions, actions), the
    page's "SMART actions" tile, for the finding where cells are withheld (a sum over the cells left would be
    short).  A team with a cell withheld has no share over the period (its sum would be short too); while such a
    team could be ranked, no team is named lowest: the lowest of those left might not be."""
    if by_team_period.empty:
        return empty_figure("No plan actions to review")
    smart, total = overall or (by_team_period["smart_actions"].sum(), by_team_period["actions"].sum())
    per_team = (by_team_period.groupby("team")[["actions", "smart_actions"]]
                .agg(lambda s: s.sum(skipna=False)).reset_index())
    per_team["share"] = per_team["smart_actions"] / per_team["actions"]
    title = f"{portion(smart, total, 'plan action')} are SMART"
    unranked = per_team["share"].isna() & (per_team["actions"].isna() | per_team["actions"].map(comparable).astype(bool))
    # the lowest of the teams with enough actions; a team of fewer than 20 is named, not ranked ("Small bases")
    low, few = extreme(per_team, "share", "actions", "team")
    if low is not None and not unranked.any():
        title += f"; lowest: {low['team']} ({pct_text(low['share'])})"
    if few and len(per_team) > 1:
        title += f"; {few_named(few, 'actions')}"
    fig = go.Figure()
    for i, (team, g) in enumerate(by_team_period.groupby("team", sort=True)):
        g = g.sort_values("period_start")
        fig.add_trace(go.Scatter(x=g["period"].tolist(), y=g["smart_share"].tolist(), name=str(team), mode="lines+markers",
                                 line=line_of(i), customdata=g[["smart_actions", "actions"]].to_numpy(),
                                 hovertext=pct_labels(g["smart_share"]),
                                 hovertemplate="%{x}: %{hovertext} (%{customdata[0]} of %{customdata[1]})"
                                               "<extra>" + str(team) + "</extra>"))
    order = by_team_period.drop_duplicates("period").sort_values("period_start")["period"].tolist()
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=order)
    return apply_layout(fig, title, x_title="Quarter or reporting year the plan started", y_title="SMART actions (% of actions)",
                        y_percent=True)


def failed_criteria_figure(failed: pd.DataFrame) -> go.Figure:
    """Actions failing each SMART criterion (an action can fail several)."""
    if failed.empty or failed["actions_failing"].sum() == 0:
        return empty_figure("No action fails a SMART criterion")
    top = failed.sort_values("actions_failing", ascending=False).iloc[0]
    title = f"Most often missing: {top['criterion'].lower()} ({pct_text(top['share'])} of actions)"
    f = failed.sort_values("actions_failing")
    fig = go.Figure(go.Bar(x=f["actions_failing"].tolist(), y=f["criterion"].tolist(), orientation="h", marker_color=LOCAL,
                           text=[pct_text(s) for s in f["share"]], textposition="outside", cliponaxis=False,
                           customdata=counted_each(f["actions_failing"], "action"),
                           hovertemplate="%{y}: failed by %{customdata}<extra></extra>"))
    fig.update_xaxes(range=value_range(f["actions_failing"], 1))
    return apply_layout(fig, title, x_title="Actions failing the criterion (count)", y_title="SMART criterion",
                        legend=False, height=340)


def language_figure(language: pd.DataFrame, top_n: int = 12) -> go.Figure:
    """The most frequent deficit phrases and unexplained jargon (hover: the suggested alternative)."""
    if language.empty:
        return empty_figure("No deficit phrases or unexplained jargon found")
    top = language.sort_values("findings", ascending=False, na_position="last").head(top_n)
    first = top.iloc[0]
    if pd.isna(first["findings"]):   # every count small and suppressed for this reader: no count to quote
        title = "Deficit phrases and unexplained jargon in plan actions: some values suppressed"
    else:
        title = f"Most frequent: “{first['phrase']}” ({counted(first['findings'], 'time')}); try “{first['suggestion']}”"
        if len(title) > 110:
            title = f"Most frequent: “{first['phrase']}” ({counted(first['findings'], 'time')} in plan actions)"
    fig = go.Figure()
    for kind, colour_ in (("deficit", HIGHLIGHT), ("jargon", LOCAL)):
        g = top[top["kind"] == kind].iloc[::-1]
        if g.empty:
            continue
        fig.add_trace(go.Bar(x=g["findings"].tolist(), y=g["phrase"].tolist(), orientation="h", name=f"{kind} phrase" if kind ==
                             "deficit" else "unexplained jargon", marker_color=colour_,
                             customdata=list(zip(g["suggestion"], counted_each(g["findings"], "time"))),
                             hovertemplate="“%{y}”: %{customdata[1]}<br>try: %{customdata[0]}<extra></extra>"))
    fig.update_yaxes(categoryorder="total ascending")
    return apply_layout(fig, title, x_title="Times found in plan actions (count)", y_title="Phrase as written",
                        height=max(300, 120 + 28 * len(top)))


def below_plain_english(reading: dict) -> int:
    """The plans scoring below plain English: the share's count ("0%" only when none is below)."""
    return round(reading["share_below"] * reading["plans"])


def reading_ease_figure(bands: pd.DataFrame, reading: dict, below_said: bool = True) -> go.Figure:
    """Plans by Flesch reading ease of their actions (5-point bands counted in SQL), with the
    plain-English line at 60.  `reading`: plans, median_ease, share_below.  `below_said`: False where the plans
    below plain English would give a withheld band back (report/suppression.split_gives_back): the median alone."""
    if bands.empty or not reading.get("plans"):
        return empty_figure("No plan text to score")
    title = f"Median reading ease {reading['median_ease']:.0f}" + (
        f"; {portion(below_plain_english(reading), reading['plans'], 'plan')}<br>below plain English"
        if below_said else "")
    # a bar per band, centred on it; the band at 100 holds only scores of exactly 100
    fig = go.Figure(go.Bar(x=[b + 2.5 for b in bands["band"]], y=bands["plans"].tolist(), width=5, marker_color=LOCAL,
                           customdata=[[int(b), min(int(b) + 5, 100), n] for b, n in
                                       zip(bands["band"], counted_each(bands["plans"], "plan"))],
                           hovertemplate="score %{customdata[0]}-%{customdata[1]}: %{customdata[2]}<extra></extra>",
                           name="Plans"))
    fig.add_vline(x=PLAIN_ENGLISH, line={"color": HIGHLIGHT, "dash": "dash"},
                  annotation_text="plain English", annotation_position="top left")   # clear of the bars above 60
    # A score (0-100), not a share, so not style.share_axis: to 105, where the band of scores of 100 ends.
    fig.update_xaxes(range=[0, 105])
    fig.update_layout(bargap=0.05)
    return apply_layout(fig, title, x_title="Flesch reading ease (0-100, higher is easier)",
                        y_title="Plans (count)", legend=False, height=360)


def relevance_figure(counts: pd.DataFrame, totals: tuple[int, int] | None = None) -> go.Figure:
    """Plans with an adult need open, by team and whether each such need had an action
    (`counts`: team, verdict, plans).  `totals`: the plans with no action and all the plans (the page's tile), for
    the finding: counts with cells withheld for a reader with a threshold do not add up to them."""
    if counts.empty or counts["plans"].sum() == 0:
        return empty_figure("No plan had an adult need open")
    none, plans = totals or (counts.loc[counts["verdict"] == VERDICTS[0], "plans"].sum(), counts["plans"].sum())
    title = f"{portion(none, plans, 'plan')} with an adult need open had no action for one of them"
    # a team without a verdict is 0; a suppressed count (missing) stays missing, never drawn as 0
    summed = counts.groupby(["team", "verdict"])["plans"].sum(min_count=1)
    full = pd.MultiIndex.from_product(summed.index.levels, names=summed.index.names)
    table = summed.reindex(full, fill_value=0).unstack("verdict")
    fig = go.Figure()
    for verdict in VERDICTS:
        if verdict not in table:
            continue
        fig.add_trace(go.Bar(x=table.index.astype(str).tolist(),
                             y=[int(v) if pd.notna(v) else None for v in table[verdict]], name=verdict,
                             marker_color=VERDICT_COLOURS[verdict], customdata=counted_each(table[verdict], "plan"),
                             hovertemplate="%{x}: %{customdata}<extra>" + verdict + "</extra>"))
    stack(fig)
    return apply_layout(fig, title, x_title=TEAM, y_title="Plans with an adult need open (count)")


def theme_figure(theme_mix: pd.DataFrame) -> go.Figure:
    """Theme of plan actions per team (100% stacked)."""
    if theme_mix.empty:
        return empty_figure("No plan actions to classify")
    total = theme_mix.groupby("theme")["actions"].sum()
    share = total / total.sum()
    top = share.idxmax()
    title = f"{pct_text(share.get('practical/compliance', 0.0))} of actions are practical/compliance" if top == \
        "practical/compliance" else f"Most actions are about {top} ({pct_text(share[top])})"
    fig = go.Figure()
    for theme in THEME_COLOURS:
        g = theme_mix[theme_mix["theme"] == theme]
        if g.empty:
            continue
        fig.add_trace(go.Bar(y=g["team"].astype(str).tolist(), x=g["share"].tolist(), name=theme, orientation="h",
                             marker_color=THEME_COLOURS[theme], customdata=counted_each(g["actions"], "action"),
                             hovertext=pct_labels(g["share"]),
                             hovertemplate="%{y}: %{hovertext} (%{customdata})<extra>" + theme + "</extra>"))
    stack(fig)
    return apply_layout(fig, title, x_title="Share of the team's plan actions (%)", y_title=TEAM, x_percent=True,
                        height=max(300, 140 + 40 * theme_mix["team"].nunique()))


# Wording kinds, in the order drawn: the deficit side first, then the three kinds written with the family in mind.
WORDING_SERIES = (("deficit_share", "Deficit wording", HIGHLIGHT),
                  ("strength_share", "Strengths-based (what the family does well)", OKABE_ITO[2]),
                  ("need_share", "Behaviour described as communication of need", OKABE_ITO[4]),
                  ("trauma_informed_share", "Trauma-informed", LOCAL))


def wording_figure(by_team: pd.DataFrame) -> go.Figure:
    """Per team: the share of plan actions using deficit wording beside those using strengths-based,
    need-as-communication and trauma-informed wording (`metrics.wording.by_team`, suppressed cells missing)."""
    if by_team.empty or not by_team["actions"].sum():
        return empty_figure("No plan action text to weigh")
    counted = by_team.dropna(subset=["actions", "with_positive", "with_deficit"])
    if counted.empty or not counted["actions"].sum():
        title = "Wording with the family in mind, by team: some values suppressed"
    else:
        actions = counted["actions"].sum()
        title = (f"{portion(counted['with_positive'].sum(), actions, 'plan action')} use strengths-based or "
                 f"trauma-informed wording; {share_text(counted['with_deficit'].sum(), actions)} use deficit wording")
        # the fewest among the teams with enough actions; a team of fewer than 20 is named, not ranked
        low, few = extreme(counted, "positive_share", "actions", "team")
        if low is not None:
            title += f"; fewest: {low['team']} ({pct_text(low['positive_share'])})"
        if few and len(counted) > 1:
            title += f"; {few_named(few, 'actions')}"
    teams = by_team.sort_values("team", ascending=False)
    fig = go.Figure()
    # added last-first: plotly stacks a group's horizontal bars from the bottom, so deficit wording is read first
    for column, name, colour_ in reversed(WORDING_SERIES):
        fig.add_trace(go.Bar(y=teams["team"].astype(str).tolist(),
                             x=[float(v) if pd.notna(v) else None for v in teams[column]], name=name,
                             orientation="h", marker_color=colour_, hovertext=pct_labels(teams[column]),
                             hovertemplate="%{y}: %{hovertext} of plan actions<extra>" + name + "</extra>"))
    fig.update_layout(barmode="group", legend_traceorder="reversed")
    fig = apply_layout(fig, title, x_title="Share of the team's plan actions (%)", y_title=TEAM, x_percent=True,
                       height=max(320, 160 + 90 * len(teams)))
    top = pd.to_numeric(teams[[c for c, _, _ in WORDING_SERIES]].stack(), errors="coerce").max()
    if pd.notna(top) and top < 0.1:   # shares of a few per cent: whole-per-cent ticks would repeat (1%, 1%, 2%)
        fig.update_xaxes(tickformat=".1%")
    return fig
