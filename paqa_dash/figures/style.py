"""One look for every chart: the Okabe-Ito colour-blind-safe palette and a common layout.

Why: charts read the same across pages, work for the 1 in 12 men with colour-vision deficiency,
and every figure gets a finding title, axis titles with units and a readable hover in one call.
"""
from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Iterable

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from ..reference import benchmarks
from ..reference.recorded import and_list
from ..reference.words import counted, percent_points, plural

# Okabe & Ito (2008) by name, plus a neutral grey: the only palette; every figure and the pack's SVG use it.
HUES = {
    "blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00", "purple": "#CC79A7",
    "sky": "#56B4E9", "black": "#000000", "yellow": "#F0E442", "grey": "#999999",
}
# The colour cycle of traces: without yellow (poor contrast on white) and grey.
OKABE_ITO = [HUES[name] for name in ("blue", "orange", "green", "vermillion", "purple", "sky", "black")]
LOCAL = HUES["blue"]            # this authority's figures
ENGLAND = "#6E6E6E"             # published national figures (grey: context, not the subject)
HIGHLIGHT = HUES["vermillion"]  # the thing to notice (e.g. short plans, at risk)
FONT = "Source Sans Pro, Arial, sans-serif"
# Every figure's template, set as plotly's default: a new figure takes the default template without validating
# it, while `update_layout(template=...)` validated and copied the whole template, about 0.1 s a figure (half
# of a warm page run on the demo store: docs/benchmark_history.md, "Every setting fast").
TEMPLATE = "plotly_white"
pio.templates.default = TEMPLATE


def colour(i: int) -> str:
    return OKABE_ITO[i % len(OKABE_ITO)]


PATTERNS = ("", "/", "x", ".")   # a bar's fill pattern for each time round the colour cycle
DASHES = ("solid", "dash", "dot", "dashdot")   # a line's dash for each time round the colour cycle


def _lap(i: int, looks: tuple[str, ...]) -> str:
    """The look of the i-th series' time round the colour cycle (the first time: looks[0])."""
    return looks[(i // len(OKABE_ITO)) % len(looks)]


def line_of(i: int, **more: object) -> dict:
    """The line of the i-th series: the cycle's colour, dashed past its seven colours (a team's eighth line is
    not the first one's again); `more`: width, shape and the like."""
    return {"color": colour(i), "dash": _lap(i, DASHES), **more}


def bar_marker(i: int, color: str | None = None) -> dict:
    """The marker of the i-th bar series: its colour (`color`, or the cycle's), and past the cycle's seven colours
    a fill pattern, so that the eighth series (a stack of agencies) is not the first one's blue again."""
    marker: dict = {"color": color or colour(i)}
    if i >= len(OKABE_ITO):
        marker["pattern"] = {"shape": _lap(i, PATTERNS), "fillmode": "overlay", "fgcolor": "#FFFFFF"}
    return marker


# Percent ticks: whole percents, but one decimal where plotly ticks a narrow axis every half or fifth of a percent (an
# axis of shares up to 4% read "0%, 1%, 1%, 2%, 2%, 3%, 3%, 4%": the same label at two heights).
PERCENT_TICKS = {"tickformat": ".0%", "tickformatstops": [{"dtickrange": [None, 0.009], "value": ".1%"}]}


def apply_layout(fig: go.Figure, title: str, x_title: str | None = None, y_title: str | None = None,
                 height: int = 400, y_percent: bool = False, x_percent: bool = False,
                 legend: bool = True) -> go.Figure:
    """Finding title, axis titles, white template, legend above the plot, unified-looking hover."""
    fig.update_layout(
        height=height, font={"family": FONT, "size": 14},
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 18}},
        margin={"l": 10, "r": 10, "t": 80, "b": 10}, showlegend=legend,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "xanchor": "left", "title": None},
        hoverlabel={"font": {"family": FONT}}, colorway=OKABE_ITO,
    )
    wrap_bar_names(fig)
    if x_title is not None:
        fig.update_xaxes(title_text=axis_title(x_title))
    if y_title is not None:
        fig.update_yaxes(title_text=axis_title(y_title))
    for axis, text in (("x", x_title), ("y", y_title)):
        if text and COUNT_UNIT in text:
            count_axis(fig, axis)
    if y_percent:
        percent_ticks(fig.layout.yaxis.update(rangemode="tozero"))
    if x_percent:
        percent_ticks(fig.layout.xaxis.update(rangemode="tozero"))
    return fig


def percent_ticks(axis) -> None:
    """An axis (a layout's xaxis or yaxis) labelled in percent by PERCENT_TICKS; where its ticks are given as values
    (SHARE_TICKS), whole percents only: such ticks have no tick step, which plotly.js matches to the one-decimal
    stop (open at its lower end): "0.0% 25.0% ... 100.0%", the last two touching at 800 px."""
    if axis.tickvals:
        axis.tickformat, axis.tickformatstops = PERCENT_TICKS["tickformat"], None
    else:
        axis.update(**PERCENT_TICKS)


AXIS_TITLE_CHARS = 36   # about what a chart in half of an 800 px window (sidebar open: 240 px) shows on one line


def axis_title(text: str, chars: int = AXIS_TITLE_CHARS) -> str:
    """An axis title (or a long category name) broken into lines of at most `chars`: plotly draws it on one line
    and cuts it at the chart's edge ("...(second or subsequent p" at 800 px).  The lines are of even length (no
    "(%)" left alone on the last)."""
    if len(text) <= chars:
        return text
    lines = len(textwrap.wrap(text, chars))
    width = -(-len(text) // lines)
    while len(textwrap.wrap(text, width)) > lines:
        width += 1
    return "<br>".join(textwrap.wrap(text, width))


# What a chart's categories are, as its category axis is titled: one name wherever several charts list the same
# things, so charts read alike and a reader can set them side by side.  Why: a bar chart of teams or authorities
# had its value axis titled and its category axis bare (the house rule: every axis labelled).
TEAM = "Team"
AGENCY = "Agency"
AUTHORITY = "Authority"
AREA = "Area"   # this data beside England, a region, an authority, neighbours: short, the chart is low
CONCERN_KIND = "Kind of concern"
WARNING_SIGN = "Warning sign at the ending"
CHALLENGE_TOPIC = "What was challenged"
STORE_TABLE = "Table in the store"
TEAM_OR_YEAR = "Team, or year the plan ended"
MEASURED = "Measure"
DURATION_BAND = "Duration band"
SOURCE = "Source"   # this data's line and the published figures' (figures/regional.py, many authorities)


BAR_NAME_CHARS = 22   # a name beside a horizontal bar, per line: "Statistical neighbours of / Camden (2020-21)"


def wrap_bar_names(fig: go.Figure, chars: int = BAR_NAME_CHARS) -> go.Figure:
    """The names beside horizontal bars broken into lines of at most `chars` (`axis_title`), where one is longer:
    on one line "Statistical neighbours of Camden (2020-21)" or "Step-downs with a written agreement" took half of
    a chart at 800 px, and the axis title, centred under the narrow plot that was left, ran past the chart's right
    edge ("Repeat plans, % of plans startec", "Re-planned within 24 months (%").  Only the tick text changes: the
    bars' own names (hover, tables, the small-number marks) stay as they are."""
    names = list(dict.fromkeys(str(v) for t in fig.data if t.type == "bar" and t.orientation == "h"
                               for v in (t.y if t.y is not None else ()) if v is not None))
    if any(len(n) > chars for n in names):
        fig.update_yaxes(tickmode="array", tickvals=names, ticktext=[axis_title(n, chars) for n in names])
    return fig


def empty_figure(title: str, message: str = "No plans match these filters") -> go.Figure:
    """A figure that says there is nothing to show: `message` in the middle and no axes (an empty plot draws
    both from -1 to 1, which reads as a chart of nothing).  Every builder returns it when it has nothing to draw
    (pages normally show the empty state before calling one)."""
    fig = go.Figure()
    fig.add_annotation(text=axis_title(message), showarrow=False, x=0.5, y=0.5,   # in lines: cut at 800 px
                       xref="paper", yref="paper", font={"size": 16})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return apply_layout(fig, title, legend=False, height=250)


def nothing_to_draw(*values) -> bool:
    """Whether every value given (numbers or iterables of them) is 0: a chart of them would be bars of nothing on
    axes from -1 to 1.  A missing value (a suppressed count) is something: it is marked on the chart."""
    for value in values:
        for v in (value if hasattr(value, "__iter__") else [value]):
            if v is None or pd.isna(v) or float(v) != 0:
                return False
    return True


# A count axis is one whose title carries the unit "(count)", the house convention for units in axis titles:
# apply_layout gives it whole-number ticks.
COUNT_UNIT = "(count)"
WHOLE_TICKS_BELOW = 10   # plotly ticks a range under about 10 in halves or fifths ("0.5 plans")


def _values_on(fig: go.Figure, axis: str) -> list[float]:
    """The values the traces of `fig` put on its `axis` ("x" or "y"): bars across put theirs on x, upright
    bars and lines on y.  Stacked bars put each category's sum there."""
    stacked = fig.layout.barmode in ("stack", "relative")
    sums: dict[object, float] = {}
    shown: list[float] = []
    for trace in fig.data:
        if trace.type not in ("bar", "scatter"):
            continue
        across = getattr(trace, "orientation", None) == "h"
        values, categories = (trace.x, trace.y) if across else (trace.y, trace.x)
        if (axis == "x") != across or values is None:
            continue
        numbers = [0.0 if v is None or pd.isna(v) else float(v) for v in values]
        if stacked and trace.type == "bar" and categories is not None:
            for c, v in zip(categories, numbers):
                sums[c] = sums.get(c, 0.0) + v
        else:
            shown += numbers
    return shown + list(sums.values())


def count_axis(fig: go.Figure, axis: str = "y") -> go.Figure:
    """Whole-number ticks on a count axis: no "0.5 plans" or "0.2 repeat plans".  Labels as whole numbers with
    thousands separators, from 0, and one tick per unit while the largest count (or a set range's end) is under
    WHOLE_TICKS_BELOW.  Above that the axis ends on a tick at or past the longest bar (count_ticks): plotly's own
    axis ends a little past the longest bar wherever that falls, and its steps, chosen by the chart's width, left
    the last tick short of it (ticks 0, 50, 100 and a bar of 138 at 800 px), so the bar's length could not be read
    off the axis.  Only the figure's first axis of that letter is touched."""
    layout_axis = fig.layout.xaxis if axis == "x" else fig.layout.yaxis
    layout_axis.update(tickformat=",d", rangemode="tozero")
    values = _values_on(fig, axis)
    longest = max(values + [0.0])
    top = longest
    if layout_axis.range is not None:
        top = max(top, float(layout_axis.range[1]))
    elif _labels_outside(fig, axis):   # plotly's own range made room for them: so does this one
        top = longest * (ROOM_BESIDE if axis == "x" else ROOM_ABOVE)
    if top < WHOLE_TICKS_BELOW:
        layout_axis.update(dtick=1, tick0=0)
    elif layout_axis.tickvals is None:
        step, end = count_ticks(longest, top)
        start = 0 if layout_axis.range is None else layout_axis.range[0]
        layout_axis.update(dtick=step, tick0=0, range=[start, end])
    return fig


NICE_STEPS = (1, 2, 2.5, 5)   # times a power of ten: ticks a reader counts in (2.5 only from 25 up: whole numbers)
COUNT_TICKS = (3, 6)          # intervals on a count axis: readable at 800 px beside a chart's names, not bare
LAST_TICK_ROOM = 1.05         # the axis runs this far past its last tick: a label on the plot's edge is not drawn


def count_ticks(longest: float, top: float) -> tuple[float, float]:
    """The tick step of a count axis and where it ends, so that a tick lies at or past `longest` (the longest bar)
    and the axis runs LAST_TICK_ROOM past it (its label drawn), to `top` (the end set for the labels' room) where
    that is further: COUNT_TICKS intervals, a NICE_STEPS step, the shortest axis (then about 5 intervals).  Why:
    every bar lies within the ticks, its length read off the axis."""
    best: tuple[float, float, float] | None = None
    power = 10 ** max(int(math.floor(math.log10(max(top, 1.0) / COUNT_TICKS[1]))), 0)
    for scale in (power, power * 10):
        for nice in NICE_STEPS:
            step = nice * scale
            if step != int(step):
                continue
            last = max(math.ceil(longest / step), 1) * step
            end = max(top, last * LAST_TICK_ROOM)
            intervals = math.floor(end / step)
            if COUNT_TICKS[0] <= intervals <= COUNT_TICKS[1]:
                key = (end, abs(intervals - 5), step)
                best = key if best is None or key < best else best
    if best is None:   # not reached for a top of 10 or more; a fifth of it, rounded up, as a fallback
        step = float(math.ceil(top / 5))
        return step, max(top, math.ceil(longest / step) * step * LAST_TICK_ROOM)
    return best[2], best[0]


def _labels_outside(fig: go.Figure, axis: str) -> bool:
    """Whether any bar whose values lie on `axis` prints a label past its end (textposition "outside")."""
    return any(t.type == "bar" and (getattr(t, "orientation", None) == "h") == (axis == "x")
               and t.textposition == "outside" and t.text is not None and any(str(x) for x in t.text)
               for t in fig.data)


MISSING = "–"   # a value not known (suppressed, not recorded) where a chart says it in words


def pct_text(value: float | None, digits: int = 0) -> str:
    """A share (0..1) as a reader reads it, in a label, a finding, a table or a hover: "42%" (to `digits` places);
    "0%" only when it is 0 and "100%" only when it is 1, a share rounding to either "under 1%" or "over 99%"
    ("under 0.1%" to one place).  Why: one action of 300 read "0% of actions", which says none
    (docs/definitions.md, "Small bases").  Axis ticks are not values and keep plotly's own format."""
    if value is None or value != value:
        return MISSING
    step = 10.0 ** -digits
    rounded = percent_points(value, digits)
    if 0 < value and rounded == 0:
        return f"under {step:g}%"
    if value < 1 and rounded == 100:
        return f"over {100 - step:g}%"
    return f"{rounded:.{digits}f}%"


def pct_labels(values: Iterable[float | None], digits: int = 0) -> list[str]:
    """`pct_text` of each share, for a trace's `hovertext` (read in its hovertemplate as "%{hovertext}").  Why:
    plotly's own "%{x:.0%}" rounds 1 of 300 to "0%", where the label and the finding beside it say "under 1%"."""
    return [pct_text(v, digits) for v in values]


def compared_pct(*values: float | None) -> list[str]:
    """Shares (0..1) set against each other in one sentence, each to the same decimal places
    (benchmarks.COMPARE_DIGITS, DfE's): "15.9% ... against 15.9% in England", never the local one rounded to
    "16%" beside England's "15.9%", which reads as a difference there is not."""
    return [pct_text(v, benchmarks.COMPARE_DIGITS) for v in values]


def _known(*values: float | None) -> bool:
    return all(v is not None and not pd.isna(v) for v in values)


def bounded_pct(part: float, whole: float, digits: int = 0) -> str:
    """`pct_text` of `part` of `whole`, for callers holding the two counts (its rule: "0%" only when none, "100%"
    only when all)."""
    return pct_text(part / whole, digits)


def share_text(part: float | None, whole: float | None, digits: int = 0) -> str:
    """A share as a finding or headline gives it: "40%" on a base of benchmarks.COMPARE_FROM or more (`bounded_pct`:
    "under 1%", never "0%", for 1 of 235); under it the count, "1 of 1" (the small-base rule, docs/definitions.md
    "Small bases": "100%" of one plan reads as a finding); "–" when either is unknown (suppressed, not recorded) or
    the base is 0."""
    if not _known(part, whole) or not whole:
        return MISSING
    return bounded_pct(part, whole, digits) if benchmarks.comparable(whole) else f"{int(part):,} of {int(whole):,}"


def portion(part: float | None, whole: float | None, noun: str, many: str | None = None, digits: int = 0) -> str:
    """`part` of `whole` in a finding, with what the whole counts (`noun`, `many` its plural where not made by
    rule): "40% of plans" (to `digits` places), or on a small base (`share_text`) "1 of 1 plan", "3 of 8
    challenges"."""
    if not _known(part, whole) or not whole or benchmarks.comparable(whole):
        return f"{share_text(part, whole, digits)} of {plural(noun, 2, many)}"
    return f"{int(part):,} of {counted(whole, noun, many)}"


def verb_of(part: float | None, whole: float | None, verb: str = "was") -> str:
    """The verb after `portion`/`share_text`, agreeing with what the reader reads: "1 of 5 plans ... was" (a
    count of one), "2 of 5 plans ... were", "40% of plans ... were" (`verb`: the singular, made plural by
    reference.words.PLURALS)."""
    one = _known(part, whole) and whole and not benchmarks.comparable(whole) and part == 1
    return plural(verb, 1 if one else 2)


# Comparisons WITHIN the data (teams, authorities, quarters, plans with and without something) follow the same
# small-base rule as comparisons with England (docs/definitions.md, "Small bases"): a group resting on fewer than
# benchmarks.COMPARE_FROM cases is named as too few and left out of a range, a lowest or a highest; two groups are set
# against each other only where both have enough.
FEW_LISTED = 3   # groups of too few named one by one; past this many, counted ("7 teams")


def few_named(few: list[str], noun: str, other: str | None = None, each: str = "team") -> str:
    """Why the groups `few` (names) are left out of a comparison: "too few plans started in North and South to
    compare (a comparison needs at least 20)"; more than FEW_LISTED are counted ("in 7 teams"), not listed."""
    where = and_list(few) if len(few) <= FEW_LISTED else counted(len(few), each)
    return benchmarks.too_few(noun, other, where)


def range_title(frame: pd.DataFrame, value: str, what: str, fmt: Callable[[float], str], name: str = "name",
                each: str = "authority") -> str | None:
    """'<what> ranged from x (A) to y (B)' over the rows of `frame` with a `value` (`name`: the column naming each
    row, `each`: what a row is); None with fewer than two."""
    shown = frame.dropna(subset=[value]).sort_values(value)
    if len(shown) < 2:
        return None
    lo, hi = shown.iloc[0], shown.iloc[-1]
    if lo[value] == hi[value]:
        return f"{what} was {fmt(lo[value])} in each {each}"
    return f"{what} ranged from {fmt(lo[value])} ({lo[name]}) to {fmt(hi[value])} ({hi[name]})"


def finding_over(frame: pd.DataFrame, value: str, what: str, fmt: Callable[[float], str],
                 several: Callable[[str], str], one: Callable[[pd.Series], str], none: str,
                 base: str, noun: str, other: str | None = "England", name: str = "name",
                 each: str = "authority") -> str:
    """A chart's finding over groups (authorities, teams): the range over the groups with a value, the one group's
    value, or `none`.

    Only a group whose value rests on enough cases (`base`: the column of its count of `noun`;
    benchmarks.comparable) is compared, with another group or with `other` (England, or None where the finding
    names no published figure); the others are named as too few, so a value of 3 plans is never the top of a
    range or set against England's (docs/definitions.md, "Small bases")."""
    valued = frame[frame[value].notna()].reset_index(drop=True)
    if len(valued) == 1 and other is None:   # one group's value, set against nothing: no comparison to hold back
        return one(valued.iloc[0])
    comparable = valued[base].map(benchmarks.comparable).astype(bool)
    enough, few = valued[comparable], [str(n) for n in valued.loc[~comparable, name]]
    ranged = range_title(enough, value, what, fmt, name, each)
    if ranged:
        title = several(ranged)
    elif len(enough):
        title = one(enough.iloc[0])
    elif few:
        return f"{what}: {few_named(few, noun, other, each)}"
    else:
        return none
    return title + (f"; {few_named(few, noun, None, each)}" if few else "")


def extreme(frame: pd.DataFrame, value: str, base: str, name: str, highest: bool = False
            ) -> tuple[pd.Series | None, list[str]]:
    """The group with the lowest (`highest`: highest) `value` among those resting on enough cases (`base`), when
    at least two have enough to be ranked, and the names of the groups with a value but too few to rank."""
    valued = frame[frame[value].notna()]
    comparable = valued[base].map(benchmarks.comparable).astype(bool)
    enough, few = valued[comparable], [str(n) for n in valued.loc[~comparable, name]]
    if len(enough) < 2:
        return None, few
    return enough.loc[enough[value].idxmax() if highest else enough[value].idxmin()], few


def both_comparable(*bases: float | None) -> bool:
    """Whether shares resting on `bases` may be set against each other in words: each has enough cases."""
    return all(benchmarks.comparable(b) for b in bases)


def too_few_each(groups: Iterable[tuple[str, float | None, float | None]], done: str) -> str:
    """The counts of groups too small to compare, and why: "largely repeating 1 of 2 re-planned, the rest 2 of 10;
    a comparison needs at least 20 in each".  `groups`: (label, part, whole); `done`: what the part did."""
    shown = [f"{label} {_count_of(part, whole)}" for label, part, whole in groups]
    return f"{done}: {', '.join(shown)}; {benchmarks.NEEDS} in each"


def _count_of(part: float | None, whole: float | None) -> str:
    return f"{int(part):,} of {int(whole):,}" if _known(part, whole) else MISSING


def counted_each(counts: Iterable[float | None], noun: str, many: str | None = None) -> list[str]:
    """Each of `counts` said with `noun` in the number it takes, thousands separated ("1 plan", "1,234 plans",
    "1 child", "2 children"; reference/words.py `counted`), one string a point, for a trace's `customdata`.

    Why: a hovertemplate's "%{y:,} plans" has one noun for every point, so a bar of one read "1 plans"; the
    words must be made per point, before plotly sees them.  A missing count (suppressed) reads "– plans".  The one
    way every figure puts a count and its noun in a hover."""
    return [counted(0, noun, many, shown=MISSING) if v is None or pd.isna(v) else counted(v, noun, many)
            for v in counts]


# Room on a bar chart's value axis for the numbers printed outside its bars: plotly sizes the axis to the bars and
# cuts a label beyond the longest ("93,739" showed as "93," at 800 px).
ROOM_BESIDE = 1.3   # bars across the chart: a label's width after the longest ("93,739", "100%")
ROOM_ABOVE = 1.2    # upright bars: a label's height above the tallest


def value_range(values, least: float, room: float = ROOM_BESIDE, most: float | None = None) -> list[float]:
    """The value axis [0, top * room], top the largest value shown (missing ones skipped) but at least `least`,
    so a chart of zeros or of nothing keeps a readable axis; `most` caps it (a share axis needs no room past
    125%, where "100%" fits)."""
    shown = [float(v) for v in values if v is not None and not pd.isna(v)]
    end = max(shown + [least]) * room
    return [0, end if most is None else min(end, most)]


# A share (0 to 1) cannot pass 100%: its axis runs past 100% only to leave room for the "100%" printed beside or
# above the longest bar, and is ticked up to 100% only (a tick at "120%" reads as a value a share could take).
SHARE_END = 1.25   # where "100%" fits beside a full bar at 800 px
SHARE_TICKS = (0, 0.25, 0.5, 0.75, 1)


def share_axis(fig: go.Figure, axis: str = "x", values=None, least: float = 0.1, room: float = ROOM_BESIDE) -> go.Figure:
    """The value axis (`axis`: "x" or "y") of a chart of shares, labelled in percent: from 0 to the largest share
    in `values` (at least `least`) times `room` (ROOM_BESIDE for bars across, ROOM_ABOVE for upright bars with
    their labels), never past SHARE_END; with `values` None, 0 to 100% and `room` past it (lines, stacked bars
    and other charts whose shares may reach 100% anywhere).  Past 100% the ticks are SHARE_TICKS, so the axis
    shows no percentage a share cannot be.  The one rule for every share axis."""
    end = (min(room, SHARE_END) if values is None
           else value_range(values, least, room, most=SHARE_END)[1])
    layout_axis = fig.layout.xaxis if axis == "x" else fig.layout.yaxis
    layout_axis.update(range=[0, end], rangemode="tozero")
    if end > 1:
        layout_axis.update(tickvals=list(SHARE_TICKS))
    percent_ticks(layout_axis)
    return fig


def legend_at_foot(fig: go.Figure) -> go.Figure:
    """The key under the chart, at the figure's foot whatever its height (plotly deepens the bottom margin for its
    rows): above the plot it would run into a finding broken over lines for a narrow screen."""
    return fig.update_layout(legend={"yref": "container", "y": 0, "yanchor": "bottom"})


def _missing_at(values) -> list[int]:
    if values is None:
        return []
    out = []
    for i, v in enumerate(values):
        if v is None or (isinstance(v, float) and v != v):
            out.append(i)
    return out


WITHHELD = "withheld"   # a heatmap trace's `meta` key: the [row, column] of its cells left empty by suppression


def _value(v: object) -> float:
    return 0.0 if v is None or (isinstance(v, float) and v != v) else float(v)


def _bars_end(fig: go.Figure, horizontal: bool) -> dict[object, float]:
    """Where each category's bars end on the value axis: the sum of its stack (stacked bars) or its longest bar."""
    stacked = fig.layout.barmode in ("stack", "relative")
    ends: dict[object, float] = {}
    for trace in fig.data:
        if trace.type != "bar" or (getattr(trace, "orientation", None) == "h") != horizontal:
            continue
        values, categories = (trace.x, trace.y) if horizontal else (trace.y, trace.x)
        for c, v in zip(() if categories is None else categories, () if values is None else values):
            ends[c] = ends.get(c, 0.0) + _value(v) if stacked else max(ends.get(c, 0.0), _value(v))
    return ends


def stack(fig: go.Figure) -> go.Figure:
    """Stack the figure's bars (barmode "stack"), each bar series' values handed to plotly as a plain list, a
    missing (withheld) part as None.  The one way every stacked chart is stacked.

    Why: plotly.py sends a numpy array or a Series as a typed array, where a missing part is NaN, and plotly.js
    then restarts the category's stack at 0 after it: the next part was drawn from the axis over the parts before
    the withheld one (a withheld "late" let "not yet due" cover the on-time bar).  Sent as a list, a missing part
    is null, draws nothing and the stack goes on where the parts before it end.  Not an explicit `base`: plotly's
    hover then gives base + value for %{x} ("not yet due: 284" for 191)."""
    fig.update_layout(barmode="stack")
    for trace in fig.data:
        if trace.type != "bar":
            continue
        key = "x" if getattr(trace, "orientation", None) == "h" else "y"
        values = trace[key]
        if values is not None:
            trace[key] = [None if v is None or pd.isna(v) else v.item() if hasattr(v, "item") else v for v in values]
    return fig


def _looks_numeric(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        float(value)
    except ValueError:
        return False
    return True


def _category_at(fig: go.Figure, horizontal: bool, ref: str, where: object) -> object:
    """Where an annotation goes for the category `where`: the category itself, or, when it is text that reads as a
    number ("0" months before) on an axis of categories, its serial number there.  Why: plotly takes an annotation's "0" on a category
    axis as the first category's position, so the mark of month 0 sat over "12+"."""
    if not _looks_numeric(where):
        return where
    axis = fig.layout[("yaxis" if horizontal else "xaxis") + ref[1:]]
    if axis.categoryorder == "array" and axis.categoryarray is not None:
        order = list(axis.categoryarray)
    else:   # plotly's own order: as the categories first appear, trace by trace
        order = []
        for trace in fig.data:
            if trace.type != "bar" and trace.type != "scatter":
                continue
            if (getattr(trace, "orientation", None) == "h") != horizontal:
                continue
            if ((trace.yaxis if horizontal else trace.xaxis) or ref[0]) != ref:
                continue
            for c in (trace.y if horizontal else trace.x) or ():
                if c not in order:
                    order.append(c)
    categorical = axis.type == "category" or (axis.type in (None, "-") and not all(map(_looks_numeric, order)))
    return order.index(where) if categorical and where in order else where   # all numbers: plotly's axis is linear


# A figure's layout.meta key: what a chart without axes (a Sankey) shows, set by its builder, for its title where
# suppression replaces the finding: on the page and on the briefing's slide alike, not "This chart".
MEASURE = "measure"


def measured(fig: go.Figure) -> str:
    """What a chart measures, to title it where its finding goes: the name its builder put in layout.meta[MEASURE];
    else its value axis' title (bars across have it below); for a heatmap, whose axes are both categories, its
    colour scale's title by its axes' ("% attended, by agency and quarter (meeting date)": "Agency" alone read as
    the measure)."""
    meta = fig.layout.meta
    if isinstance(meta, dict) and meta.get(MEASURE):
        return str(meta[MEASURE])
    heat = next((t for t in fig.data if t.type == "heatmap"), None)
    if heat is not None:
        scale = heat.colorbar.title.text if heat.colorbar and heat.colorbar.title else None
        axes = [a.title.text for a in (fig.layout.yaxis, fig.layout.xaxis) if a.title.text]
        by = " and ".join(a[0].lower() + a[1:] for a in axes)
        return f"{scale or 'Values'}, by {by}" if by else (scale or "This chart")
    across = any(t.type == "bar" and getattr(t, "orientation", None) == "h" for t in fig.data)
    value, category = (fig.layout.xaxis, fig.layout.yaxis) if across else (fig.layout.yaxis, fig.layout.xaxis)
    return value.title.text or category.title.text or "This chart"


def draws_nothing(fig: go.Figure) -> bool:
    """Whether a chart has values to draw and every one of them is missing (each withheld as a small number): a
    chart of nothing but "c" marks on bare axes, which says nothing a reader can see.  A 0 is a value: its bar is
    drawn as 0.  The page's chart card says why in words instead (ui/components.chart_card)."""
    traces = [t for t in fig.data if t.type in ("bar", "scatter", "heatmap")]
    values: list = []
    for t in traces:
        if t.type == "heatmap":
            values += [v for row in (t.z if t.z is not None else ()) for v in row]
        else:
            drawn = t.x if getattr(t, "orientation", None) == "h" else t.y
            values += list(drawn) if drawn is not None else []
    return bool(values) and len(_missing_at(values)) == len(values)


def mark_suppressed(fig: go.Figure, symbol: str, hover: str, keep_finding: bool = False) -> go.Figure:
    """Mark every point a chart does not draw (a suppressed value arrives as missing) with a grey `symbol` ("c")
    and `hover` ("suppressed: fewer than 5"), instead of drawing it as 0 or leaving a gap a reader would take for
    no data.  One helper for every chart, applied by the page's chart card; the symbol and words are
    paqa_dash/report/suppression.py's.

    Where: one series, at the start of its category on the axis.  Several series (stacked or side by side), just
    past the end of the category's drawn bars, naming the series hidden ("Late c"): at the axis start the mark sat
    over the first series' bar, which then read as the one withheld, and a stack drawn without its hidden part read
    as all of one kind.  A heatmap writes the symbol in each cell its builder lists in `meta[WITHHELD]` (a blank
    cell there means nothing to count).

    The finding title goes: it was worked out from the cells that are left (a total over them, the
    highest and lowest of them), so it would be wrong and could give a suppressed value away by
    difference.  The chart is then titled by what it measures: its value axis' title (bars across have it below).
    `keep_finding`: the finding was worked out from figures that are not withheld (totals already on the page's
    tiles), so it is neither wrong nor a way back to a withheld cell: it stays, with the note on a line under it."""
    if keep_finding and fig.layout.title.text:
        # in brackets already: an export's plain title reads "... (some values suppressed: c, ...)", as the screen does
        fig.update_layout(title_text=f"{fig.layout.title.text}<br><sup>(some values suppressed: {symbol}, {hover})</sup>")
    else:
        fig.update_layout(title_text=f"{measured(fig)}: some values suppressed ({symbol}, {hover})")
    marked = [t for t in fig.data if t.type == "bar" or (t.type == "scatter" and "markers" in (t.mode or ""))]
    named = len(marked) > 1
    hidden: dict[tuple[bool, object], list[str]] = {}
    refs: dict[tuple[bool, object], tuple[str, str]] = {}
    for trace in marked:   # a line alone is a reference or a derived line (England, rolling): its gaps are its own
        horizontal = getattr(trace, "orientation", None) == "h"
        values, categories = (trace.x, trace.y) if horizontal else (trace.y, trace.x)
        if categories is None:
            continue
        for i in _missing_at(values):
            names = hidden.setdefault((horizontal, categories[i]), [])
            if trace.name and trace.name not in names:
                names.append(trace.name)
            refs[(horizontal, categories[i])] = (trace.xaxis or "x", trace.yaxis or "y")
    ends = {h: _bars_end(fig, h) for h in (True, False)}
    for (horizontal, where), names in hidden.items():
        xref, yref = refs[(horizontal, where)]
        at = _category_at(fig, horizontal, yref if horizontal else xref, where)
        if named and names:
            text = ", ".join(f"{n} {symbol}" for n in names)
            end = ends[horizontal].get(where, 0.0)
            position = ({"x": end, "xref": xref, "y": at, "yref": yref, "xanchor": "left", "xshift": 4}
                        if horizontal else
                        {"x": at, "xref": xref, "y": end, "yref": yref, "yanchor": "bottom", "yshift": 2})
        else:
            text = symbol
            position = ({"x": 0, "xref": "paper", "y": at, "yref": yref, "xanchor": "left"}
                        if horizontal else
                        {"x": at, "xref": xref, "y": 0, "yref": "paper", "yanchor": "bottom"})
        fig.add_annotation(text=text, showarrow=False, font={"color": ENGLAND, "size": 14}, hovertext=hover,
                           **position)
    for trace in fig.data:
        cells = (trace.meta or {}).get(WITHHELD) if trace.type == "heatmap" else None
        if not cells:
            continue
        rows, cols = len(trace.y or ()), len(trace.x or ())
        text = [list(r) for r in trace.text] if trace.text is not None else [[""] * cols for _ in range(rows)]
        for i, j in cells:
            text[i][j] = symbol
        trace.update(text=text, texttemplate="%{text}")
    return fig

# The audit group's grades (reference/judgements.py GRADES, plus "Not yet judged"): the worst warmest; the two
# that are not a verdict in greys.
GRADE_COLOURS = {"GOOD": HUES["green"], "REQUIRES_IMPROVEMENT": HUES["orange"], "INADEQUATE": HUES["vermillion"],
                 "NOT_ENOUGH_INFORMATION": HUES["grey"], "Not yet judged": "#D9D9D9"}
