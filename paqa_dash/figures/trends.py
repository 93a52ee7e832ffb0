"""Overview charts: the repeat share by quarter beside England, starts and endings by quarter, and
the headline repeat share beside the published comparators."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..reference import benchmarks
from .style import (ENGLAND, HIGHLIGHT, LOCAL, apply_layout, colour, compared_pct, counted_each, pct_labels,
                    pct_text, portion, share_axis, AREA)
from ..reference.words import counted


def england_by_quarter(quarterly: pd.DataFrame) -> pd.Series:
    """England's published repeat share (0..1) for the reporting year containing each quarter."""
    shares = []
    for q in pd.to_datetime(quarterly["quarter"]):
        b = benchmarks.england_share(benchmarks.reporting_year(q.date()))
        shares.append(None if b.percent is None else b.percent / 100)
    return pd.Series(shares, index=quarterly.index, dtype="float64")


def rolling_rate(quarterly: pd.DataFrame, window: int = 4) -> pd.Series:
    """Repeat share over the last `window` quarters (pooled counts, so small quarters weigh less)."""
    repeats = quarterly["repeat_plans_started"].rolling(window, min_periods=window).sum()
    starts = quarterly["plans_started"].rolling(window, min_periods=window).sum()
    return (repeats / starts.where(starts > 0)).astype("float64")


def repeat_share_trend(quarterly: pd.DataFrame, overall_rate: float | None, base: int | None) -> go.Figure:
    """Repeat share of plans started, by quarter, with England's yearly share as a dashed line.  `base`: the plans
    started `overall_rate` is a share of; the title sets it beside England's only where benchmarks.comparable(base),
    as the Overview's bars and tile do, and then both to the same decimal places."""
    eng = england_by_quarter(quarterly)
    fig = go.Figure()
    fig.add_scatter(
        x=quarterly["label"], y=quarterly["repeat_rate"], mode="lines+markers", name="Repeat share (here)",
        line={"color": LOCAL, "width": 3},
        customdata=list(zip(quarterly["repeat_plans_started"],
                            counted_each(quarterly["plans_started"], "plan started", "plans started"))),
        hovertext=pct_labels(quarterly["repeat_rate"]),
        hovertemplate="%{x}<br>%{hovertext} repeat plans<br>%{customdata[0]:,} of %{customdata[1]}<extra></extra>")
    rolling = rolling_rate(quarterly)
    if len(quarterly) >= 8:
        fig.add_scatter(x=quarterly["label"], y=rolling, mode="lines", name="Last 4 quarters",
                        line={"color": colour(1), "width": 2}, hovertext=pct_labels(rolling),
                        hovertemplate="%{x}<br>%{hovertext} over the 4 quarters to here<extra></extra>")
    fig.add_scatter(x=quarterly["label"], y=eng, mode="lines", name="England (DfE, reporting year)",
                    line={"color": ENGLAND, "dash": "dash", "shape": "hv"},
                    hovertemplate="%{x}<br>England %{y:.1%} (year ending 31 March)<extra></extra>")
    last = pd.to_datetime(quarterly["quarter"]).max() if len(quarterly) else pd.Timestamp.today()
    latest = benchmarks.england_share(benchmarks.reporting_year(last.date()))
    if overall_rate is None or pd.isna(overall_rate):
        title = "Repeat plans by quarter, beside England"
    elif not benchmarks.comparable(base):
        title = f"Repeat plans by quarter: {_few_started(overall_rate, base)} in the period: {benchmarks.too_few()}"
    elif latest.percent is None:
        title = f"{pct_text(overall_rate, benchmarks.COMPARE_DIGITS)} of plans started in the period were repeat plans"
    else:
        here, england = compared_pct(overall_rate, latest.percent / 100)
        title = (f"{here} of plans started in the period were repeat plans "
                 f"(England {england} in {benchmarks.year_label(latest.year)})")
    return apply_layout(fig, title, "Quarter the plan started", "Repeat plans, % of plans started", y_percent=True)


def _few_started(rate: float, base: int | None) -> str:
    """A repeat share on too few plans to compare, as its count ("1 of 5 plans started"), the small-base rule."""
    return portion(round(rate * base) if base else None, base, "plan started", "plans started")


def starts_endings_trend(quarterly: pd.DataFrame, totals: tuple[int, int, int] | None = None) -> go.Figure:
    """Plans started and ended each quarter, and how many of the endings came within 3 months.  `totals`: the
    period's plans started, ended and ended within 3 months (the headline tiles'), for the finding: a reader with a
    small-number threshold is given quarters with cells withheld, whose sums are not the period's."""
    fig = go.Figure()
    fig.add_bar(x=quarterly["label"], y=quarterly["plans_started"], name="Plans started", marker_color=LOCAL,
                customdata=counted_each(quarterly["plans_started"], "plan"),
                hovertemplate="%{x}<br>%{customdata} started<extra></extra>")
    fig.add_bar(x=quarterly["label"], y=quarterly["plans_ended"], name="Plans ended", marker_color=colour(5),
                customdata=counted_each(quarterly["plans_ended"], "plan"),
                hovertemplate="%{x}<br>%{customdata} ended<extra></extra>")
    fig.add_bar(x=quarterly["label"], y=quarterly["ended_le_3m"], name="Ended within 3 months", marker_color=HIGHLIGHT,
                customdata=counted_each(quarterly["ended_le_3m"], "plan"),
                hovertemplate="%{x}<br>%{customdata} ended within 3 months of starting<extra></extra>")
    started, ended, short = totals or tuple(int(quarterly[c].sum()) for c in ("plans_started", "plans_ended",
                                                                              "ended_le_3m"))
    # a sentence for every count: "none ended" rather than "0 ended; – of endings came within 3 months"; the share to
    # one decimal, as the Overview's tile and Plan endings give it ("15.9%", not "16%" beside the tile's 15.9%)
    title = (f"{counted(started, 'plan') if started else 'No plan'} started and "
             + (f"{ended:,} ended; {portion(short, ended, 'ending', digits=benchmarks.COMPARE_DIGITS)} came within 3 months" if ended
                else "none ended"))
    fig.update_layout(barmode="group", bargap=0.2)
    return apply_layout(fig, title, "Quarter", "Plans (count)")


def benchmark_bars(local_label: str, local_rate: float | None, comparators: pd.DataFrame,
                   base: int | None) -> go.Figure:
    """The filtered repeat share beside England (and the chosen region, authority, neighbours).  `base`: the plans
    started it is a share of; where not benchmarks.comparable(base) the title says there are too few instead of a
    difference in points (100% of 5 plans is not "76 points above England")."""
    labels = [local_label] + [f"{r.label} ({benchmarks.year_label(int(r.year))})" for r in comparators.itertuples()]
    values = [local_rate] + [None if pd.isna(p) else p / 100 for p in comparators["percent"]]
    colours = [LOCAL] + [ENGLAND] * len(comparators)
    notes = ["this data, filtered"] + ["published: " + (f"{int(s):,} of {int(n):,}" if pd.notna(n) and pd.notna(s) else "suppressed")
                                       for s, n in zip(comparators["subsequent"], comparators["starts"])]
    fig = go.Figure(go.Bar(x=values, y=labels, orientation="h", marker_color=colours, customdata=notes,
                           text=[pct_text(v, 1) for v in values], textposition="outside",
                           hovertext=pct_labels(values, 1), hovertemplate="%{y}<br>%{hovertext} repeat plans<br>%{customdata}<extra></extra>"))
    eng = comparators.iloc[0]
    diff = None if local_rate is None or pd.isna(eng["percent"]) else local_rate - eng["percent"] / 100
    if diff is None:
        title = "Repeat share beside England"
    elif not benchmarks.comparable(base):
        title = f"Repeat plans: {_few_started(local_rate, base)} here: {benchmarks.too_few()}"
    else:
        here = compared_pct(local_rate)[0]
        word = "above" if diff > 0.005 else "below" if diff < -0.005 else "about the same as"
        title = (f"Repeat plans: {here} here, {abs(diff) * 100:.{benchmarks.COMPARE_DIGITS}f} points {word} England"
                 if word != "about the same as" else f"Repeat plans: {here} here, about the same as England")
    fig.update_yaxes(autorange="reversed")
    share_axis(fig, "x", values, least=0.3)
    return apply_layout(fig, title, "Repeat plans, % of plans started (second or subsequent plan)", AREA,
                        x_percent=True, legend=False, height=140 + 45 * len(labels))


def benchmark_table(local_label: str, repeats: int, starts: int, comparators: pd.DataFrame) -> pd.DataFrame:
    """The numbers behind `benchmark_bars`: label, year, repeat_percent, subsequent, starts, source.  A comparator
    DfE does not publish (a suppressed cell of table D3) reads "not published" (benchmarks.NOT_PUBLISHED), not a
    blank taken for missing data; this data's own row keeps its number, or its blank with no plans started."""
    local = pd.DataFrame([{"label": local_label, "year": None,
                           "percent": round(100 * repeats / starts, 1) if starts else None,
                           "subsequent": repeats, "starts": starts, "source": "this data"}])
    published = comparators[["label", "year", "percent", "subsequent", "starts", "source"]]
    published = published.assign(percent=benchmarks.published_or_said(published["percent"]))
    table = pd.concat([local.astype({"percent": object}), published], ignore_index=True)
    return table.rename(columns={"percent": "repeat_percent"})
