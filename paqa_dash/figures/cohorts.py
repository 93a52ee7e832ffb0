"""Repeat-plan charts: cohort curves of re-planning after a first plan, the gap distribution, the
first-plan pathway (Sankey) and the repeat share by team."""
from __future__ import annotations

import re
import textwrap

import pandas as pd
import plotly.graph_objects as go

from ..reference.codes import BAND_LABELS, CATEGORY_LABELS, DURATION_BANDS
from .challenge import two_lines
from .style import (ENGLAND, HIGHLIGHT, LOCAL, MEASURE, MISSING, apply_layout, both_comparable, colour,
                    counted_each, empty_figure, finding_over, line_of, pct_labels, pct_text, portion, share_axis,
                    share_text, too_few_each, verb_of, TEAM)
from ..reference.words import counted, months_of_days, plural

SPLIT_TITLES = {"cohort": "reporting year the first plan started", "band": "length of the first plan",
                "category": "category of the first plan"}


def pooled_share(curve: pd.DataFrame, months: int) -> float | None:
    """Re-planned within `months` across all groups, among first plans followed up that long."""
    at = curve[curve["months"] == months]
    followed = int(at["followed_up"].sum())
    return float(at["replanned"].sum()) / followed if followed else None


def _group_label(split: str, group: str) -> str:
    if split == "band":
        return BAND_LABELS.get(group, group)
    if split == "category":
        return CATEGORY_LABELS.get(group, group)
    return group


def _group_order(split: str, groups: list[str]) -> list[str]:
    if split == "band":
        return [g for g in DURATION_BANDS if g in groups] + [g for g in groups if g not in DURATION_BANDS]
    return sorted(groups)


def cohort_curves(curve: pd.DataFrame, split: str = "cohort", window_months: int = 24,
                  min_followed: int = 10) -> go.Figure:
    """Cumulative share of first plans followed by another plan, by months since the first plan ended
    (Kaplan-Meier, column `cumulative`).  Points resting on fewer than `min_followed` plans followed up
    are dropped (too few to read)."""
    fig = go.Figure()
    groups = _group_order(split, curve["group"].unique().tolist())
    for i, g in enumerate(groups):
        part = curve[(curve["group"] == g) & (curve["followed_up"] >= min_followed)]
        if part.empty:
            continue
        fig.add_scatter(
            x=part["months"], y=part["cumulative"], mode="lines", name=_group_label(split, g),
            line=line_of(i, width=2.5, shape="hv"),
            customdata=list(zip(counted_each(part["months"], "month"), counted_each(part["followed_up"], "first plan"))),
            hovertext=pct_labels(part["cumulative"]),
            hovertemplate=(f"{_group_label(split, g)}<br>within %{{customdata[0]}}: %{{hovertext}}"
                           "<br>%{customdata[1]} followed up this long<extra></extra>"))
    share = pooled_share(curve, window_months)
    if not fig.data:   # every point rests on too few plans: an empty chart would be axes of nothing
        return empty_figure(f"Re-planning after a first plan, by {SPLIT_TITLES.get(split, split)}",
                            f"Too few first plans followed up to draw a line (each point needs at least "
                            f"{counted(min_followed, 'first plan')} followed up)")
    fig.add_vline(x=window_months, line_dash="dot", line_color=ENGLAND)
    title = (f"{pct_text(share)} of first plans were followed by another plan within {counted(window_months, 'month')} of ending"
             if share is not None else f"Re-planning after a first plan, by {SPLIT_TITLES.get(split, split)}")
    fig.update_xaxes(dtick=6)
    return apply_layout(fig, title, "Months since the first plan ended", "First plans re-planned (cumulative %)",
                        y_percent=True, height=430)


GAP_CAP = 60       # months: the last bar holds every gap of 5 years or more ("60+")
GAP_TICK = 6       # months between ticks: half years


def gap_axis(months: pd.Series, window_months: int) -> dict:
    """The gap axis from 0 to the longer of the re-plan window and the longest gap, ticked every half year:
    fitted to the bars alone, a few gaps (11 to 13 months) left one tick, "12"."""
    longest = max([int(m) for m in months.dropna()] + [window_months, GAP_TICK])
    end = min(GAP_CAP, -(-longest // GAP_TICK) * GAP_TICK)
    ticks = list(range(0, end + 1, GAP_TICK))
    return {"range": [-0.5, end + 0.5], "tickvals": ticks,
            "ticktext": [str(v) if v < GAP_CAP else f"{GAP_CAP}+" for v in ticks]}


def gap_histogram(gaps: pd.DataFrame, median_days: float | None, window_months: int = 24,
                  totals: tuple[int | None, int] | None = None) -> go.Figure:
    """Repeat plans by months between the previous plan's end and this plan's start.  `totals`: (within the
    window, all), for a reader with a threshold (report/rules.gap_totals): the bars drawn then leave out what is
    withheld, so a sum over them would be short; within None: it would give a withheld bar back, and the finding
    says the median alone."""
    colours = [HIGHLIGHT if m < window_months else LOCAL for m in gaps["gap_month"]]
    months = [f"{GAP_CAP}+ full months" if m >= GAP_CAP else f"{int(m)} full {plural('month', int(m))}"
              for m in gaps["gap_month"]]
    fig = go.Figure(go.Bar(x=gaps["gap_month"], y=gaps["plans"], marker_color=colours,
                           customdata=list(zip(months, counted_each(gaps["plans"], "repeat plan"))),
                           hovertemplate="%{customdata[0]} after the previous plan ended<br>%{customdata[1]}"
                                         "<extra></extra>"))
    within, total = totals or (int(gaps.loc[gaps["gap_month"] < window_months, "plans"].sum()), int(gaps["plans"].sum()))
    if median_days is not None and total:
        title = (f"Half of repeat plans started within {months_of_days(median_days)} of the previous plan ending"
                 + ("" if within is None else f"; {share_text(within, total)} within {counted(window_months, 'month')}"))
    else:
        title = "Gap between a plan ending and the next plan starting"
    fig.update_xaxes(**gap_axis(gaps["gap_month"], window_months))
    return apply_layout(fig, title, "Gap (full months between plans)", "Repeat plans (count)", legend=False, height=380)


# A Sankey node's label, in lines of at most this many characters: the middle column's labels (drawn right of
# their nodes) and the last column's (drawn left of theirs) share the space between two columns, which at 800 px
# (sidebar open) holds about two such lines side by side; longer, "Not re-planned within 24 months" ran over
# "No reason found".
SANKEY_LABEL_CHARS = 14
SANKEY_LABEL_SIZE = 12   # px: the labels' font, two of SANKEY_LABEL_CHARS fit side by side at that size
# Printed (a slide, an A4 page: report/briefing/images.py draws 1200 px wide), the labels are whole, on one line,
# in a font read on paper: 18 px of 1200 is about 11 pt across a landscape A4 page.  At the page's 12 px and in lines
# of 14 characters a printed label read "3 months or / less" in 7 pt.
SANKEY_PRINT_SIZE = 18
# What each column of nodes is, above it: the unit (first plans) and what the column sorts them by; the last
# column's heading names the re-plan window its labels leave out ("What followed within 24 months").  In two lines
# on screen (on one, the three ran into each other at 800 px), on one printed.
SANKEY_COLUMNS = (("First plans,", "by how long they lasted"), ("Warning signs", "at the end"), ("What followed", ""))
_WINDOW = re.compile(r" (within \d+ months?)$")
TOO_RECENT = "Too recent to tell"   # metrics.cohorts.pathways' outcome of a first plan whose window has not passed
# The diagram's part of the plot's height (paper units, screen and printed): the headings above it, inside the
# plot (the page's chart card leaves a top margin of 20 px), and room below for the last node's label in lines.
SANKEY_DOMAIN = {False: (0.04, 0.9), True: (0.02, 0.93)}


# Said after a node's count where a path through it was suppressed ("42+": at least 42), as the gap chart's "60+".
MORE = "+"
# The captions' and notes' words for it (the page and the briefing say them where a path is left out).
MORE_NOTE = (f"A count ending '{MORE}' is at least that: a path of too few plans to show runs through it and is "
             "left out of the diagram (the table shows it as 'c').")


def _count_words(count: float, some_hidden: bool) -> str:
    """A node's count as its label says it: "42", or "42+" where a path through it was suppressed (the count is
    what is drawn; the hidden path is never added back, which would give it away by difference)."""
    return f"{int(count):,}{MORE if some_hidden else ''}"


def _node_label(words: str, count: str | None = None, printed: bool = False) -> str:
    """A node's label with its count ("Short plan (78)"), an outcome without its window ("Re-planned within 24
    months" -> "Re-planned": the column's heading, the caption and the hover say it).  On screen broken into lines of
    at most SANKEY_LABEL_CHARS, the count on a line of its own; printed, on one line."""
    short = _WINDOW.sub("", words)
    if printed:
        return f"{short} ({count})" if count else short
    lines = textwrap.wrap(short, SANKEY_LABEL_CHARS, break_on_hyphens=False) or [short]
    return "<br>".join(lines + ([f"({count})"] if count else []))


SANKEY_GAP = 0.04   # of the diagram's height, between two nodes of a column


def _positions(columns: list[list[str]], through: list[float]) -> tuple[list[float], list[float]]:
    """Each node's centre (x, y from the top, 0 to 1): the columns at the left, middle and right, a column's nodes
    in its order, each as tall as its plans and SANKEY_GAP apart."""
    xs: list[float] = []
    ys: list[float] = []
    start = 0
    for x, column in zip((0.001, 0.5, 0.999), columns):
        counts = through[start:start + len(column)]
        start += len(column)
        room = 1 - SANKEY_GAP * max(len(column) - 1, 0)
        total = sum(counts) or 1
        top = 0.0
        for count in counts:
            height = room * count / total
            xs.append(x)
            ys.append(min(max(top + height / 2, 0.001), 0.999))
            top += height + SANKEY_GAP
    return xs, ys


PATHWAYS = "Pathways from a first plan"   # what the Sankey shows, named in its title when values are withheld


def pathway_sankey(paths: pd.DataFrame, printed: bool = False) -> go.Figure:
    """First plan's length band -> ending reason -> re-planned within the window or not, each node labelled with
    its first plans and each column named above it.  On screen the labels are short and in lines (`_node_label`)
    so the columns' labels do not run over each other at 800 px; `printed` (the briefing's slide and page) they
    are whole and larger.  The hovers keep the words whole.

    A suppressed path (plans missing) is left out of the diagram (a Sankey has no place to mark it) and the nodes
    it ran through say their count is at least what is drawn ("42+", MORE_NOTE)."""
    hidden = paths[paths["plans"].isna()]
    paths = paths.dropna(subset=["plans"])
    short_of = {*(("band", b) for b in hidden["band"]), *(("reason", r) for r in hidden["reason"]),
                *(("outcome", o) for o in hidden["outcome"])}
    bands = [BAND_LABELS[b] for b in DURATION_BANDS if BAND_LABELS[b] in set(paths["band"])]
    bands += [b for b in paths["band"].unique() if b not in bands]
    reasons = sorted(paths["reason"].unique(), key=lambda r: (r == "No reason found", r == "Several reasons", r))
    outcomes = sorted(paths["outcome"].unique(), key=lambda o: (not o.startswith("Re-planned"), o == TOO_RECENT))
    nodes = bands + reasons + outcomes
    index = {("band", b): i for i, b in enumerate(bands)}
    index.update({("reason", r): len(bands) + i for i, r in enumerate(reasons)})
    index.update({("outcome", o): len(bands) + len(reasons) + i for i, o in enumerate(outcomes)})
    first = paths.groupby(["band", "reason"], sort=False)["plans"].sum().reset_index()
    second = paths.groupby(["reason", "outcome"], sort=False)["plans"].sum().reset_index()
    src = [index[("band", b)] for b in first["band"]] + [index[("reason", r)] for r in second["reason"]]
    tgt = [index[("reason", r)] for r in first["reason"]] + [index[("outcome", o)] for o in second["outcome"]]
    val = first["plans"].tolist() + second["plans"].tolist()
    # a node's plans: what flows through it (into it, or out of it in the first column), for its label and hover
    through = [max(sum(v for t, v in zip(tgt, val) if t == i), sum(v for s, v in zip(src, val) if s == i))
               for i in range(len(nodes))]
    lacking = {i for key, i in index.items() if key in short_of}
    node_colours = [colour(i) for i in range(len(bands))] + [ENGLAND] * len(reasons) + \
                   [HIGHLIGHT if o.startswith("Re-planned") else LOCAL if o.startswith("Not") else "#BBBBBB" for o in outcomes]
    hovers = [f"at least {words}" if i in lacking else words
              for i, words in enumerate(counted_each(through, "first plan"))]
    labels = [_node_label(n, _count_words(c, i in lacking), printed) for i, (n, c) in enumerate(zip(nodes, through))]
    size = SANKEY_PRINT_SIZE if printed else SANKEY_LABEL_SIZE
    # each column in its order (the bands shortest first): plotly's own layout reordered them, so a printed page
    # could read "Over 6 to under 12 months" above "3 months or less"
    x, y = _positions([bands, reasons, outcomes], through)
    fig = go.Figure(go.Sankey(
        arrangement="snap", textfont={"size": size}, domain={"y": list(SANKEY_DOMAIN[printed])},
        node={"label": labels, "customdata": list(zip(nodes, hovers)), "x": x, "y": y,
              "color": node_colours, "pad": 18, "thickness": 16,
              "hovertemplate": "%{customdata[0]}<br>%{customdata[1]}<extra></extra>"},
        link={"source": src, "target": tgt, "value": val, "color": "rgba(120,120,120,0.25)",
              "customdata": list(zip([f"{nodes[a]} → {nodes[b]}" for a, b in zip(src, tgt)],
                                     counted_each(val, "first plan"))),
              "hovertemplate": "%{customdata[0]}<br>%{customdata[1]}<extra></extra>"}))
    window = next((m.group(1) for m in map(_WINDOW.search, outcomes) if m), "")
    headings = [(" " if printed else "<br>").join(filter(None, lines))
                for lines in (*SANKEY_COLUMNS[:2], (SANKEY_COLUMNS[2][0], window))]
    for x, anchor, text in zip((0, 0.5, 1), ("left", "center", "right"), headings):
        fig.add_annotation(x=x, y=1, xref="paper", yref="paper", xanchor=anchor, yanchor="top", showarrow=False,
                           text=f"<b>{text}</b>", font={"size": size})
    known = paths[paths["outcome"] != TOO_RECENT]
    with_reason = known[known["reason"] != "No reason found"]
    without = known[known["reason"] == "No reason found"]

    def rate(frame: pd.DataFrame) -> float | None:
        n = frame["plans"].sum()
        return frame.loc[frame["outcome"].str.startswith("Re-planned"), "plans"].sum() / n if n else None

    r1, r2 = rate(with_reason), rate(without)
    n1, n2 = with_reason["plans"].sum(), without["plans"].sum()
    if (paths["outcome"] == TOO_RECENT).any():
        # a plan whose window has not passed is known only once re-planned: its re-plans are counted, its others not,
        # so a share of the known outcomes would read high ("1 of 1"); no rate until every plan has been followed up
        title = two_lines("What followed the end of a first plan",
                          f"too recent to compare endings with and without a warning sign: some first plans have "
                          f"not been followed up {window.removeprefix('within ') or 'the re-plan window'} yet")
    elif r1 is not None and r2 is not None and both_comparable(n1, n2):
        title = (f"{pct_text(r1)} of first plans that ended with a warning sign were re-planned, "
                 f"against {pct_text(r2)} of those that ended without one")
    elif r1 is not None and r2 is not None:   # the small-base rule: counts, and no comparison
        title = two_lines("Too few first plans followed up to compare endings with and without a warning sign",
                          too_few_each((("with a warning sign", round(r1 * n1), n1),
                                        ("without", round(r2 * n2), n2)), "re-planned"))
    else:
        title = "What followed the end of a first plan"
    fig.update_layout(meta={MEASURE: PATHWAYS})   # its title where suppression takes the finding (style.measured)
    return apply_layout(fig, title, legend=False, height=460)


def _within_words(count: float | None) -> str:
    """A team's repeat plans within the window, for its hover.  Why words and not "%{customdata:,}": a team whose
    earlier plans have no dates (not recorded) or whose count is suppressed has a blank there, which plotly's number
    format shows as 0."""
    return (f"Within the re-plan window: {MISSING} (not recorded or too few to show)" if count is None or pd.isna(count)
            else f"{int(count):,} within the re-plan window")


def _were_repeat(part: float, whole: float) -> str:
    """"were repeat plans", or after a count of one "was a repeat plan" (the verb agrees with the count read)."""
    return "was a repeat plan" if verb_of(part, whole) == "was" else "were repeat plans"


def team_bars(by_team: pd.DataFrame, england_rate: float | None = None, top_n: int = 25) -> go.Figure:
    """Repeat share by team (the `top_n` teams with most plans started), England as a reference line."""
    top = by_team.sort_values("plans_started", ascending=False).head(top_n).sort_values("repeat_share")
    fig = go.Figure(go.Bar(
        x=top["repeat_share"], y=top["team"], orientation="h", marker_color=LOCAL,
        customdata=list(zip(top["repeat_plans"], counted_each(top["plans_started"], "plan started", "plans started"),
                            [_within_words(v) for v in top["repeat_within_window"]])),
        # inside the bar where it fits, and England's line under the bars: beside the bars the dashed line ran
        # through the labels of the teams near England's share ("23%", "3 of 13" at 800 px)
        text=[share_text(n, d) for n, d in zip(top["repeat_plans"], top["plans_started"])], textposition="auto",
        insidetextanchor="end", hovertext=pct_labels(top["repeat_share"]),
        hovertemplate="%{y}<br>%{hovertext} repeat plans<br>%{customdata[0]:,} of %{customdata[1]}"
                      "<br>%{customdata[2]}<extra></extra>"))
    if england_rate is not None:
        fig.add_vline(x=england_rate, line_dash="dash", line_color=ENGLAND, layer="below",
                      annotation_text=f"England {england_rate:.1%}", annotation_position="top")
    # the small-base rule (docs/definitions.md, "Small bases"): a team of fewer than 20 plans started is named as too
    # few and left out of the range, never its top or bottom on "0 of 2"
    title = finding_over(top, "repeat_share", "Repeat share", pct_text, lambda ranged: ranged,
                         lambda one: f"{portion(one['repeat_plans'], one['plans_started'], 'plan started', 'plans started')}"
                                     f" in {one['team']} {_were_repeat(one['repeat_plans'], one['plans_started'])}",
                         "Repeat share by team", base="plans_started", noun="plans started", other=None,
                         name="team", each="team")
    if len(by_team) > top_n:
        title += f" (the {top_n} teams with most plans)"
    share_axis(fig, "x", list(top["repeat_share"]) + [england_rate])
    return apply_layout(fig, title, "Repeat plans, % of plans started", TEAM, x_percent=True, legend=False,
                        height=160 + 28 * max(len(top), 2))
