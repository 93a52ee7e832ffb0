"""Duplicated-actions charts: how much of each repeat plan repeats an earlier plan's actions,
by team and by quarter, and how the plans spread."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..reference.calendar import quarter_label
from ..reference.words import counted, plural
from .challenge import NONE_FOLLOWED_UP, one_rate_title, two_lines
from ..reference import benchmarks
from .style import (LOCAL, HIGHLIGHT, MEASURED, ROOM_ABOVE, TEAM, apply_layout, both_comparable, counted_each, extreme, few_named,
                    legend_at_foot, MISSING, pct_labels, pct_text, portion, share_axis, share_text, too_few_each, value_range)

SHARE_BANDS = ("None", "Up to a quarter", "A quarter to a half", "Half to three quarters", "Over three quarters")


def dup_by(plans: pd.DataFrame, key: str) -> pd.DataFrame:
    """key, plans, plans_with_duplicates, actions, duplicated, share (duplicated / actions)."""
    cols = [key, "plans", "plans_with_duplicates", "actions", "duplicated", "share"]
    if plans.empty:
        return pd.DataFrame(columns=cols)
    g = plans.groupby(key, sort=True).agg(plans=("plan_id", "size"),
                                          plans_with_duplicates=("duplicated", lambda s: int((s > 0).sum())),
                                          actions=("actions", "sum"), duplicated=("duplicated", "sum")).reset_index()
    g["share"] = (g["duplicated"] / g["actions"].where(g["actions"] > 0)).astype("float64")
    return g[cols]


def share_band(share: float | None) -> str:
    if share is None or pd.isna(share) or share == 0:
        return SHARE_BANDS[0]
    if share <= 0.25:
        return SHARE_BANDS[1]
    if share <= 0.5:
        return SHARE_BANDS[2]
    if share <= 0.75:
        return SHARE_BANDS[3]
    return SHARE_BANDS[4]


def plan_share_distribution(plans: pd.DataFrame) -> pd.DataFrame:
    """band, plans: repeat plans (with at least one action) by the share of their actions repeated."""
    with_actions = plans[plans["actions"] > 0]
    counts = with_actions["share"].map(share_band).value_counts()
    return pd.DataFrame({"band": list(SHARE_BANDS), "plans": [int(counts.get(b, 0)) for b in SHARE_BANDS]})


def distribution_from_bands(bands: pd.DataFrame) -> pd.DataFrame:
    """plan_share_distribution's frame from cohort_data.dup_summary's "band" counts (band index into
    SHARE_BANDS, plans), so the page never needs every repeat plan."""
    counts = dict(zip(bands["band"].astype(int), bands["plans"].astype(int)))
    return pd.DataFrame({"band": list(SHARE_BANDS), "plans": [counts.get(i, 0) for i in range(len(SHARE_BANDS))]})


def distribution_bars(dist: pd.DataFrame, totals: tuple[int, int] | None = None) -> go.Figure:
    """Repeat plans by the share of their actions repeated.  `totals`: (repeating some, all) from the whole table,
    for a reader with a threshold: the bars drawn leave out what is withheld, so sums over them would be short."""
    total = int(dist["plans"].sum()) if totals is None else totals[1]
    some = total - int(dist.loc[dist["band"] == SHARE_BANDS[0], "plans"].sum()) if totals is None else totals[0]
    fig = go.Figure(go.Bar(x=dist["band"], y=dist["plans"],
                           marker_color=[LOCAL] + [HIGHLIGHT] * (len(dist) - 1),
                           text=[f"{v:,}" if pd.notna(v) else "" for v in dist["plans"]], textposition="outside",
                           customdata=counted_each(dist["plans"], "repeat plan"),
                           hovertemplate="%{x} of the plan's actions repeated<br>%{customdata}<extra></extra>"))
    # on fewer than 20 repeat plans the count alone ("1 of 2 repeat plans"): docs/definitions.md, "Small bases"
    title = (f"{pct_text(some / total)} of repeat plans ({some:,} of {total:,}) repeat" if benchmarks.comparable(total)
             else f"{portion(some, total, 'repeat plan')} {plural('repeats', some or total, 'repeat')}"
             ) + " at least one action from an earlier plan"
    fig.update_yaxes(range=value_range(dist["plans"], 1, ROOM_ABOVE))
    return apply_layout(fig, title, "Share of the plan's actions repeated from an earlier plan",
                        "Repeat plans (count)", legend=False, height=380)


def _repeated_of(frame: pd.DataFrame) -> list[tuple]:
    """A hover's counts of `frame` (duplicated, actions, plans): the repeated actions, then the actions and the
    repeat plans with their nouns ("of 1 action on 1 repeat plan")."""
    return list(zip(frame["duplicated"], counted_each(frame["actions"], "action"),
                    counted_each(frame["plans"], "repeat plan")))


# The small-base rule's base here is the repeat plans, not their actions (docs/definitions.md, "Small bases"): a
# plan's actions are written together and repeated together, so 60 actions on 9 plans are 9 cases, not 60.
BASE = "plans"


def _share_of_actions(duplicated: float | None, actions: float | None, plans: float | None) -> str:
    """A bar's label: the share of the actions repeated where it rests on enough repeat plans, else the count
    ("12 of 43"); "–" where a count is withheld."""
    if benchmarks.comparable(plans):
        return share_text(duplicated, actions)
    if any(v is None or pd.isna(v) for v in (duplicated, actions)) or not actions:
        return MISSING
    return f"{int(duplicated):,} of {int(actions):,}"


def team_share_bars(by_team: pd.DataFrame, top_n: int = 25,
                    overall: tuple[int, int, int] | None = None) -> go.Figure:
    """Actions repeated as a share of each team's actions on repeat plans.  `overall`: (repeated, actions, repeat
    plans), the page's "Actions repeated" tile, for the finding where a team's cells are withheld (a sum over the
    teams left would be short); no team is then named highest while a team without a share shown could be."""
    top = by_team.sort_values("actions", ascending=False).head(top_n).sort_values("share")
    fig = go.Figure(go.Bar(
        x=top["share"], y=top["team"], orientation="h", marker_color=LOCAL,
        text=[_share_of_actions(n, d, p) for n, d, p in zip(top["duplicated"], top["actions"], top[BASE])],
        textposition="outside",
        customdata=_repeated_of(top), hovertext=pct_labels(top["share"]),
        hovertemplate="%{y}<br>%{hovertext} of actions repeated<br>%{customdata[0]:,} of %{customdata[1]}"
                      " on %{customdata[2]}<extra></extra>"))
    repeated, total_actions, plans = overall or (by_team["duplicated"].sum(), by_team["actions"].sum(),
                                                 by_team[BASE].sum())
    title = (f"{share_text(repeated, total_actions)} of repeat plans' actions"
             if benchmarks.comparable(plans)
             else f"{int(repeated):,} of {counted(total_actions, 'action')} on repeat plans"
             ) + " repeat an earlier plan's action"
    # the highest of the teams with enough repeat plans to compare; a team of fewer than 20 is named, not ranked
    high, few = extreme(top, "share", BASE, "team", highest=True)
    unranked = top["share"].isna() & (top[BASE].isna() | top[BASE].map(benchmarks.comparable).astype(bool))
    if high is not None and not unranked.any():
        title += f"; {high['team']} highest at {pct_text(high['share'])}"
    if few and len(top) >= 2:
        title += f"; {few_named(few, 'repeat plans', None)}"
    share_axis(fig, "x", top["share"])
    return apply_layout(fig, title, "Actions repeated from an earlier plan (% of the plan's actions)", TEAM,
                        x_percent=True, legend=False, height=160 + 28 * max(len(top), 2))


def quarter_trend(by_quarter: pd.DataFrame) -> go.Figure:
    # "Apr-Jun 2025", as every quarter is named (reference.calendar.quarter_label): "2025 Q2" reads as July to
    # September to an analyst who counts quarters from April
    labels = pd.Series([quarter_label(q) for q in by_quarter["quarter"]], index=by_quarter.index, dtype=object)
    fig = go.Figure(go.Scatter(
        x=labels, y=by_quarter["share"], mode="lines+markers", line={"color": LOCAL, "width": 3},
        customdata=_repeated_of(by_quarter), hovertext=pct_labels(by_quarter["share"]),
        hovertemplate="%{x}<br>%{hovertext} of actions repeated<br>%{customdata[0]:,} of %{customdata[1]}"
                      " on %{customdata[2]}<extra></extra>"))
    valid = by_quarter.dropna(subset=["share"])
    ends = [valid.index[0], valid.index[-1]] if len(by_quarter) >= 2 and len(valid) else []
    if ends and both_comparable(*valid.loc[ends, BASE]):   # on enough repeat plans, not actions (BASE)
        title = (f"Repeated actions: {pct_text(valid['share'].iloc[0])} of actions in {labels.loc[valid.index[0]]}, "
                 f"{pct_text(valid['share'].iloc[-1])} in {labels.loc[valid.index[-1]]}")
    elif ends and ends[0] != ends[1]:   # the first and last quarter not set against each other on too few actions
        title = two_lines("Too few repeat plans to compare the first quarter with the last",
                          too_few_each(((f"{labels.loc[q]} ({counted(valid.loc[q, BASE], 'repeat plan')})",
                                         valid.loc[q, "duplicated"], valid.loc[q, "actions"]) for q in ends),
                                       "actions repeated"))
    else:
        title = "Repeated actions by the quarter the repeat plan started"
    return apply_layout(fig, title, "Quarter the repeat plan started", "Actions repeated (% of actions)",
                        y_percent=True, legend=False, height=380)


IMPACT_GROUPS = ("Largely repeat the last plan", "The rest")
IMPACT_MEASURES = (("ended_rate", "Ended"), ("replan_rate", "Re-planned<br>again"),
                   ("addressed_rate", "Every adult<br>need addressed"))


def impact_table(compare: pd.DataFrame) -> pd.DataFrame:
    """`metrics.dup_impact.compare` to read: the group in words, counts, median length and rates (%)."""
    out = compare.copy()
    out.insert(0, "group", out["largely_repeated"].map(dict(zip((True, False), IMPACT_GROUPS))))
    for rate, _ in IMPACT_MEASURES:
        out[f"{rate}_pct"] = (100 * out[rate]).round(1)
    return out.drop(columns=["largely_repeated", *(r for r, _ in IMPACT_MEASURES)])


# each rate's part and whole (metrics.dup_impact.compare), for a bar's "1 of 2" on a small base and the title's rule
IMPACT_COUNTS = {"ended_rate": ("ended", "plans"), "replan_rate": ("replanned", "followed_up"),
                 "addressed_rate": ("adult_needs_addressed", "with_adult_need")}


def _counts(row: pd.DataFrame, rate: str) -> tuple[float | None, float | None]:
    """The part and whole of `rate` in a group's row (None where the group, or the count, is missing)."""
    return tuple(row[c].iloc[0] if len(row) and c in row else None for c in IMPACT_COUNTS[rate])


def impact_bars(table: pd.DataFrame) -> go.Figure:
    """Ended, re-planned again and adult needs addressed, as rates, for the two groups of `impact_table`.  Each bar
    gives its share, or on fewer than 20 plans its count ("1 of 2"); the title sets the groups' re-plan rates against
    each other only where each rests on enough plans followed up (docs/definitions.md, "Small bases")."""
    fig = go.Figure()
    for i, (group, colour) in enumerate(zip(IMPACT_GROUPS, (HIGHLIGHT, LOCAL))):
        row = table[table["group"] == group]
        values = [row[f"{r}_pct"].iloc[0] / 100 if len(row) else None for r, _ in IMPACT_MEASURES]
        fig.add_trace(go.Bar(name=group, x=[label for _, label in IMPACT_MEASURES], y=values, marker_color=colour,
                             text=[share_text(*_counts(row, r)) for r, _ in IMPACT_MEASURES], textposition="outside",
                             cliponaxis=False, hovertext=pct_labels(values),
                             hovertemplate="%{x}: %{hovertext}<extra>" + group + "</extra>"))
    share_axis(fig, "y", [v for t in fig.data for v in t.y], room=ROOM_ABOVE)
    rates = table.set_index("group")["replan_rate_pct"]
    a, b = (rates.get(g) for g in IMPACT_GROUPS)
    known = [v is not None and not pd.isna(v) for v in (a, b)]
    counts = [_counts(table[table["group"] == g], "replan_rate") for g in IMPACT_GROUPS]
    if not any(known) and all(whole == 0 for _, whole in counts):   # too recent, not too few: nothing is withheld
        title = two_lines("Re-planning after repeat plans, by how much they repeated the last",
                          f"{NONE_FOLLOWED_UP} in either group, so no comparison")
    elif not any(known):
        title = "Too few repeat plans followed up to compare re-planning by how much they repeated the last"
    elif not all(known):   # one group's re-planned bar alone: say whose, and why the other has none
        i = known.index(True)
        title = one_rate_title(IMPACT_GROUPS[i], share_text(*counts[i]), "re-planned again", IMPACT_GROUPS[1 - i],
                               counts[1 - i][1], as_count=not benchmarks.comparable(counts[i][1]))
    elif not both_comparable(*(whole for _, whole in counts)):   # the small-base rule: no comparison
        title = two_lines("Too few repeat plans followed up to compare re-planning by how much they repeated the last",
                          too_few_each(((g.lower(), *c) for g, c in zip(IMPACT_GROUPS, counts)), "re-planned again"))
    else:
        word = "more" if a > b else "less" if a < b else "as"
        head = "Repeat plans that largely repeated the last were re-planned again"
        title = two_lines(f"{head} {word} often" if word != "as" else f"{head} as often as the rest",
                          f"{share_text(*counts[0])} against {share_text(*counts[1])} of those followed up")
    apply_layout(fig, title, MEASURED, "Share of the group's plans (%)", height=460, y_percent=True)
    fig.update_layout(margin={"t": 120, "b": 70})
    legend_at_foot(fig)
    fig.update_xaxes(tickangle=0)
    fig.update_layout(barmode="group")
    return fig
