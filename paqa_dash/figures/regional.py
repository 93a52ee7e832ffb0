"""The Regional view's charts: authorities side by side, each beside DfE's published figures where DfE publishes
one (docs/definitions.md, "Regional view").  DataFrames in (paqa_dash/metrics/regional.py), figures out.

Why the published figures are separate traces, never blended into the data's bars: they are another year's
counts from another source (DfE's returns), so the legend names them "published" and their year.
"""
from __future__ import annotations

from functools import cache
from typing import Sequence

import pandas as pd
import plotly.graph_objects as go

from ..reference import authorities as la, benchmarks
from ..reference.benchmarks import year_label
from ..reference.codes import BAND_LABELS, DURATION_BANDS
from .style import (ENGLAND, HUES, LOCAL, MEASURE, MISSING, SHARE_END, apply_layout, compared_pct, counted_each, finding_over,
                    pct_labels, pct_text, share_axis, stack, value_range, AUTHORITY, DURATION_BAND, MEASURED, SOURCE)
from ..reference.words import days_text

# comparator kind (metrics.regional.published_comparators) -> legend words and colour
COMPARATORS = {"authority": ("The authority (published)", HUES["sky"]),
               "region": ("Its region (published)", HUES["orange"]),
               "neighbours": ("Its statistical neighbours (published)", HUES["green"]),
               "england": ("England (published)", ENGLAND)}
EACH_PUBLISHED = "Each authority (DfE published)"   # the line of the authorities' own published shares (many)
MIN_LABELLED = 0.08   # a band narrower than this carries no number (it would not fit; the hover and table have it)
BAND_COLOURS = dict(zip(DURATION_BANDS, (HUES["vermillion"], HUES["orange"], HUES["sky"], HUES["blue"], HUES["purple"])))


def _shares(*percents: pd.Series) -> pd.Series:
    """Percentages (0-100, missing where suppressed or not recorded) as shares of 1, for a share axis."""
    return pd.to_numeric(pd.concat(percents), errors="coerce") / 100


def _from_dfe(year: int | None) -> str:
    """A published figure's source and year in a hover, "(DfE, 2024-25)" ("(DfE)" with no year): written once for
    the bars, the marks and England's diamonds."""
    return f"(DfE, {year_label(year)})" if year else "(DfE)"


def _height(rows: int, per: int = 28) -> int:
    return 190 + per * max(rows, 2)


@cache
def side_by_side_at_most() -> int:
    """How many authorities a chart draws side by side, a bar each (and a bar for each published comparator): the
    authorities of England's largest region (London's 33).  More, as a national store shows with no region chosen,
    are drawn as a mark each on one line per measure (`_spread`): a bar each made the first chart of 152 authorities
    and their published comparators about 17,000 px tall, and the agencies' chart a legend of 152 colours."""
    return max(len(la.in_region(r)) for r in la.regions())


def many(names: Sequence[str] | pd.Series) -> bool:
    """Whether these authorities are too many to draw side by side (`side_by_side_at_most`)."""
    return pd.Series(list(names)).nunique() > side_by_side_at_most()


SPREAD_ROW = 70   # px per line of marks
SPREAD_MARK = {"symbol": "line-ns-open", "size": 24, "line": {"width": 2}, "opacity": 0.7}


def _spread(marks: pd.DataFrame, title: str, x_title: str, y_title: str, percent: bool = True,
            colours: dict[str, str] | None = None, references: pd.DataFrame | None = None) -> go.Figure:
    """Many authorities, each a mark (a short upright line) on the line of its measure: how they spread, and
    where England's published figure falls (`references`: row, value, name, hover; a diamond).  `marks`: row,
    name, value (a share of 1 with `percent`, else days), hover (the words under the pointer: the authority and
    its figure); a missing value (suppressed, not recorded) draws no mark, never a zero.  `colours`: a row's
    colour (default LOCAL).  The authorities are listed by name in the table below the chart.

    The traces lie across (`orientation` "h": the value on x), and `meta` names the value axis, so that the page's
    chart card reads a chart of nothing but withheld values as one (style.draws_nothing: the card then says why in
    words) and titles one with some withheld by the value's words (style.measured), not by the lines' ("Measure")."""
    rows = list(dict.fromkeys(marks["row"]))
    shown = marks.dropna(subset=["value"])
    if shown.empty:   # every value missing: kept, so that the card sees a chart with nothing to draw
        shown = marks
    fig = go.Figure()
    for row in rows:
        part = shown[shown["row"] == row]
        fig.add_scatter(x=part["value"], y=part["row"], mode="markers", name=row, showlegend=False, orientation="h",
                        marker={**SPREAD_MARK, "color": (colours or {}).get(row, LOCAL)},
                        hovertext=part["hover"], hovertemplate="%{hovertext}<extra></extra>")
    ref = references.dropna(subset=["value"]) if references is not None else None
    if ref is not None and len(ref):
        fig.add_scatter(x=ref["value"], y=ref["row"], mode="markers", name=str(ref["name"].iloc[0]), orientation="h",
                        marker={"symbol": "diamond", "size": 12, "color": ENGLAND},
                        hovertext=ref["hover"], hovertemplate="%{hovertext}<extra></extra>")
    fig.update_yaxes(categoryorder="array", categoryarray=rows, autorange="reversed")
    fig.update_layout(meta={MEASURE: x_title})
    values = pd.concat([shown["value"], ref["value"] if ref is not None else pd.Series(dtype=float)])
    if percent:
        share_axis(fig, "x", values)
    else:
        fig.update_xaxes(range=value_range(values, 30, room=1.1))
    return apply_layout(fig, title, x_title, y_title, x_percent=percent, legend=references is not None,
                        height=190 + SPREAD_ROW * len(rows))


def _marks(frame: pd.DataFrame, row: str | pd.Series, value: pd.Series, said: Sequence[str]) -> pd.DataFrame:
    """`_spread`'s marks: each authority of `frame` (its `name`) on `row`, with `value` and its hover `said`."""
    return pd.DataFrame({"row": row, "name": frame["name"].to_numpy(), "value": value.to_numpy(),
                         "hover": [f"{n}<br>{w}" for n, w in zip(frame["name"], said)]})


def repeat_vs_published(rates: pd.DataFrame, published: pd.DataFrame) -> go.Figure:
    """Repeat plans as a share of plans started, per authority (this data), beside DfE's published share of the
    authority, its region, its statistical neighbours and England (table D3).  `rates`: name, numerator,
    denominator, percent (0..100); `published`: name, comparator, label, year, percent.  More authorities than
    `side_by_side_at_most`: this data's shares and the authorities' published ones as two lines of marks, England's
    a diamond on each (the region's and neighbours' differ by authority: the table has them)."""
    names = list(rates["name"])
    year = int(published["year"].iloc[0]) if len(published) else None
    england = published.loc[published["comparator"] == "england", "percent"]
    eng = (f"England {compared_pct(england.iloc[0] / 100)[0]}" if len(england) and pd.notna(england.iloc[0])
           else "England not published")
    when = f"DfE {year_label(year)}" if year else "DfE"
    title = finding_over(rates, "percent", "Repeat plans", lambda v: compared_pct(v / 100)[0],
                     lambda ranged: f"{ranged} of plans started; {eng} ({when})",
                     lambda one: f"{compared_pct(one['percent'] / 100)[0]} of plans started in {one['name']} were "
                                 f"repeat plans, against {eng} ({when})",
                     "Repeat plans by authority", base="denominator", noun="plans started")
    x_title = "Repeat plans, % of plans started"
    if many(names):
        return _repeat_spread(rates, published, title, x_title, england, year)
    fig = go.Figure()
    fig.add_bar(y=names, x=rates["percent"] / 100, orientation="h", name="This data", marker_color=LOCAL,
                customdata=list(zip(rates["numerator"],
                                    counted_each(rates["denominator"], "plan started", "plans started"))),
                # to DfE's precision, as the published bars beside them and the title (compared_pct)
                text=[pct_text(v / 100, benchmarks.COMPARE_DIGITS) for v in rates["percent"]], textposition="outside",
                hovertext=pct_labels(rates["percent"] / 100, benchmarks.COMPARE_DIGITS),
                hovertemplate="%{y}, this data<br>%{hovertext} repeat plans<br>%{customdata[0]:,.0f} of "
                              "%{customdata[1]}<extra></extra>")
    for kind, (words, colour) in COMPARATORS.items():
        rows = published[published["comparator"] == kind].set_index("name").reindex(names)
        if rows["percent"].isna().all():
            continue
        # a figure DfE does not publish (LA 999, an authority with no region) says so, not "–" read as zero or missing
        said = [pct_text(v / 100, 1) if pd.notna(v) else benchmarks.NOT_PUBLISHED for v in rows["percent"]]
        fig.add_bar(y=names, x=rows["percent"] / 100, orientation="h", name=words, marker_color=colour,
                    customdata=list(zip(rows["label"].fillna(words),
                                        [f"repeat plans {t}" if pd.isna(v) else f"{t} repeat plans"
                                         for t, v in zip(said, rows["percent"])])),
                    text=said, textposition="outside",
                    hovertemplate="%{customdata[0]}<br>%{customdata[1]} " + _from_dfe(year) + "<extra></extra>")
    fig.update_layout(barmode="group", yaxis={"autorange": "reversed"})
    share_axis(fig, "x", _shares(rates["percent"], published["percent"]))
    return apply_layout(fig, title, x_title, AUTHORITY, x_percent=True,
                        height=_height(len(names) * (1 + len(fig.data) - 1), per=22))


def _repeat_spread(rates: pd.DataFrame, published: pd.DataFrame, title: str, x_title: str, england: pd.Series,
                   year: int | None) -> go.Figure:
    """repeat_vs_published for many authorities: this data's line and the authorities' published line."""
    own, theirs, colour = "This data", EACH_PUBLISHED, COMPARATORS["authority"][1]
    counts = [f"{pct_text(v / 100, benchmarks.COMPARE_DIGITS)} repeat plans ({n:,.0f} of {d})" if pd.notna(v) else ""
              for v, n, d in zip(rates["percent"], rates["numerator"],
                                 counted_each(rates["denominator"], "plan started", "plans started"))]
    marks = [_marks(rates, own, rates["percent"] / 100, counts)]
    mine = published[published["comparator"] == "authority"].set_index("name").reindex(list(rates["name"]))
    if mine["percent"].notna().any():
        marks.append(_marks(rates, theirs, mine["percent"] / 100,
                            [f"{pct_text(v / 100, 1)} repeat plans {_from_dfe(year)}" for v in mine["percent"]]))
    lines = pd.concat(marks, ignore_index=True)
    ref = None
    if len(england) and pd.notna(england.iloc[0]):
        words = COMPARATORS["england"][0]
        ref = pd.DataFrame({"row": list(dict.fromkeys(lines["row"])), "value": england.iloc[0] / 100, "name": words,
                            "hover": f"England: {pct_text(england.iloc[0] / 100, 1)} repeat plans {_from_dfe(year)}"})
    return _spread(lines, title, x_title, SOURCE, colours={own: LOCAL, theirs: colour}, references=ref)


def rate_bars(table: pd.DataFrame, axis: str, finding: str | None = None) -> go.Figure:
    """One bar per authority and measure (`table`: name, measure, numerator, denominator, percent), measures on
    the vertical axis, one colour per authority (one measure: the authorities on the axis); DfE publishes no
    comparator for these.  A missing percent (not recorded, suppressed) draws no bar, never a zero.  `finding`:
    the title, where the lowest rate is not the finding (a low deficit-wording share is good news)."""
    shown = table.dropna(subset=["percent"])
    measures = list(dict.fromkeys(table["measure"]))
    if len(measures) == 1:   # one measure: the authorities on the axis, one colour
        return _one_rate(table, measures[0], axis)
    if many(table["name"]):   # a colour each would be a legend of 152: a line of marks for each measure
        return _rates_spread(table, _lowest(shown, axis, finding), axis)
    fig = go.Figure()
    for name, rows in shown.groupby("name", sort=False):
        fig.add_bar(y=rows["measure"], x=rows["percent"] / 100, orientation="h", name=name,
                    marker_color=LOCAL if shown["name"].nunique() == 1 else None,
                    customdata=rows[["numerator", "denominator"]].to_numpy(),
                    text=[pct_text(v / 100, benchmarks.COMPARE_DIGITS) for v in rows["percent"]],
                    textposition="outside", hovertext=pct_labels(rows["percent"] / 100, benchmarks.COMPARE_DIGITS),
                    hovertemplate=f"{name}<br>%{{y}}: %{{hovertext}}<br>%{{customdata[0]:,.0f}} of "
                                  "%{customdata[1]:,.0f}<extra></extra>")
    fig.update_layout(barmode="group", yaxis={"autorange": "reversed"})
    share_axis(fig, "x", room=SHARE_END)
    return apply_layout(fig, _lowest(shown, axis, finding), axis, MEASURED, x_percent=True,
                        height=_height(len(measures) * max(shown["name"].nunique(), 1), per=24))


def _lowest(shown: pd.DataFrame, axis: str, finding: str | None) -> str:
    """rate_bars' title: `finding`, else the lowest rate of enough cases to compare and whose it is."""
    enough = shown[shown["denominator"].map(benchmarks.comparable)]   # the lowest of enough cases to compare
    if shown.empty:
        return f"{axis}: nothing to show for these filters"
    if finding:
        return finding
    if enough.empty:
        return f"{axis}: {benchmarks.too_few('cases on any measure', None)}"
    low = enough.sort_values("percent").iloc[0]
    single = shown["name"].nunique() == 1
    return (f"Lowest: {low['measure'].lower()}, {compared_pct(low['percent'] / 100)[0]}"
            + ("" if single else f" ({low['name']})")
            + ("" if len(enough) == len(shown) else f"; rates on fewer than {benchmarks.COMPARE_FROM} cases left out"))


def _rates_spread(table: pd.DataFrame, title: str, axis: str) -> go.Figure:
    """rate_bars (or one measure's) for many authorities: a line of marks for each measure."""
    said = [f"{m}: {pct_text(v / 100, benchmarks.COMPARE_DIGITS)} ({n:,.0f} of {d:,.0f})" if pd.notna(v) else ""
            for m, v, n, d in zip(table["measure"], table["percent"], table["numerator"], table["denominator"])]
    return _spread(_marks(table, table["measure"], table["percent"] / 100, said), title, axis, MEASURED)


def _one_rate(table: pd.DataFrame, measure: str, axis: str) -> go.Figure:
    # the view's shares at one precision (benchmarks.COMPARE_DIGITS): "9% ... to 20%" read beside "21.5% ... to 32.0%"
    title = finding_over(table, "percent", measure, lambda v: compared_pct(v / 100)[0], lambda ranged: ranged,
                     lambda one: f"{measure}: {_share(one)} in {one['name']}", f"{measure}: nothing to show",
                     base="denominator", noun="cases", other=None)
    if many(table["name"]):
        return _rates_spread(table, title, axis)
    fig = go.Figure(go.Bar(
        y=table["name"], x=table["percent"] / 100, orientation="h", marker_color=LOCAL,
        customdata=table[["numerator", "denominator"]].to_numpy(),
        text=[pct_text(v / 100, benchmarks.COMPARE_DIGITS) for v in table["percent"]], textposition="outside",
        hovertext=pct_labels(table["percent"] / 100, benchmarks.COMPARE_DIGITS),
        hovertemplate="%{y}<br>%{hovertext}<br>%{customdata[0]:,.0f} of %{customdata[1]:,.0f}<extra></extra>"))
    share_axis(fig, "x", _shares(table["percent"]))
    fig.update_layout(yaxis={"autorange": "reversed"})
    return apply_layout(fig, title, axis, AUTHORITY, x_percent=True, legend=False, height=_height(len(table)))


def _share(row: pd.Series) -> str:
    """One authority's rate in a finding: "40%", or under benchmarks.COMPARE_FROM cases its count, "1 of 1"."""
    if benchmarks.comparable(row["denominator"]):
        return compared_pct(row["percent"] / 100)[0]
    return f"{int(row['numerator']):,} of {int(row['denominator']):,}"


def bands_by_authority(bands: pd.DataFrame, england: pd.DataFrame, unknown: Sequence[str] = ()) -> go.Figure:
    """Ended plans by DfE duration band, one stacked bar per authority and England's published shares (table D7)
    below them.  `bands`: name, band, plans, share (0..1); `england`: band, share, year; `unknown`: the authorities
    with no plan started or ended in the period (their data ends before it), marked "–" as the page says.  More
    authorities than `side_by_side_at_most`: a line of marks for each band, England's share a diamond on it."""
    year = int(england["year"].iloc[0])
    eng_label = f"England (published, DfE {year_label(year)})"
    ended = bands.groupby("name", sort=False)["plans"].sum(min_count=1).rename("ended")
    short = bands[bands["band"] == DURATION_BANDS[0]].rename(columns={"share": "short"}).join(ended, on="name")
    eng_short = float(england.loc[england["band"] == DURATION_BANDS[0], "share"].iloc[0])
    title = finding_over(short, "short", "Plans ended within 3 months", lambda v: compared_pct(v)[0],
                     lambda ranged: f"{ranged}; England {compared_pct(eng_short)[0]}",
                     lambda one: f"{compared_pct(one['short'])[0]} of plans ended in {one['name']} lasted 3 months "
                                 f"or less, against {compared_pct(eng_short)[0]} in England",
                     "Ended plans by how long they lasted", base="ended", noun="plans ended")
    x_title = "Plans ended, % in each duration band"
    if many(bands["name"]):
        rows = bands["band"].map(BAND_LABELS)
        marks = _marks(bands, rows, bands["share"],
                       [f"{b}: {pct_text(v)}" if pd.notna(v) else "" for b, v in zip(rows, bands["share"])])
        eng = england.assign(row=england["band"].map(BAND_LABELS), value=england["share"], name=eng_label)
        eng["hover"] = [f"England: {r}, {pct_text(v)} {_from_dfe(year)}" for r, v in zip(eng["row"], eng["value"])]
        return _spread(marks, title, x_title, DURATION_BAND,
                       colours={BAND_LABELS[b]: c for b, c in BAND_COLOURS.items()}, references=eng)
    rows = pd.concat([bands[["name", "band", "share", "plans"]],
                      england.assign(name=eng_label, plans=float("nan"))[["name", "band", "share", "plans"]]],
                     ignore_index=True)
    fig = go.Figure()
    for band in DURATION_BANDS:
        part = rows[rows["band"] == band]
        fig.add_bar(y=part["name"], x=part["share"], orientation="h", name=BAND_LABELS[band],
                    marker_color=BAND_COLOURS[band], customdata=part[["plans"]].to_numpy(),
                    text=[pct_text(v) if pd.notna(v) and v >= MIN_LABELLED else "" for v in part["share"]],
                    textposition="inside", textangle=0, hovertext=pct_labels(part["share"]),
                    hovertemplate="%{y}<br>" + BAND_LABELS[band] + ": %{hovertext}<extra></extra>")
    # an authority with no plan in the period has no bar: "–" at the axis, as the page's note promises, where a
    # blank row read as a chart not drawn (a withheld count is marked "c" by the chart card instead)
    unknown = [n for n in unknown if n in set(bands["name"])]
    if unknown:
        fig.add_scatter(y=unknown, x=[0] * len(unknown), mode="text", text=[MISSING] * len(unknown),
                        textposition="middle right", showlegend=False, hoverinfo="skip")
    stack(fig).update_layout(yaxis={"autorange": "reversed"}, legend={"traceorder": "normal"})
    share_axis(fig, "x", room=1)
    return apply_layout(fig, title, x_title, AUTHORITY, x_percent=True,
                        height=_height(bands["name"].nunique() + 1, per=40))


def gap_bars(gaps: pd.DataFrame, unknown: Sequence[str] = ()) -> go.Figure:
    """Median days between the end of the previous plan and the start of a repeat plan, per authority
    (`gaps`: name, gaps, median_gap_days).  DfE publishes no such figure.  `unknown`: the authorities with no plan
    started or ended in the period, whose bar reads "–" as the page says (a blank read as a chart not drawn).  More
    authorities than `side_by_side_at_most`: one line of marks."""
    shown = gaps.dropna(subset=["median_gap_days"])
    title = finding_over(shown, "median_gap_days", "The median gap before a repeat plan", days_text,
                     lambda ranged: ranged,
                     lambda one: f"The median gap before a repeat plan was {days_text(one['median_gap_days'])} in "
                                 f"{one['name']}",
                     "No repeat plan with its previous plan in the data", base="gaps", noun="repeat plans",
                     other=None)
    x_title = "Median gap between plans, days"
    if many(gaps["name"]):
        said = [f"median {days_text(v)} over {c}" if pd.notna(v) else ""
                for v, c in zip(gaps["median_gap_days"], counted_each(gaps["gaps"], "repeat plan"))]
        return _spread(_marks(gaps, "Median gap", gaps["median_gap_days"], said), title, x_title, MEASURED,
                       percent=False)
    fig = go.Figure(go.Bar(
        y=gaps["name"], x=gaps["median_gap_days"], orientation="h", marker_color=LOCAL,
        customdata=counted_each(gaps["gaps"], "repeat plan"),
        text=[days_text(v) if pd.notna(v) else MISSING if n in unknown else ""
              for n, v in zip(gaps["name"], gaps["median_gap_days"])], textposition="outside",
        hovertemplate="%{y}<br>median %{text}<br>over %{customdata}<extra></extra>"))
    fig.update_xaxes(range=value_range(shown["median_gap_days"], 30, room=1.4))   # a "1,878 days" label: wider
    fig.update_layout(yaxis={"autorange": "reversed"})
    return apply_layout(fig, title, x_title, AUTHORITY, legend=False, height=_height(len(gaps)))
