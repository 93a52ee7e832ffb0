"""The child timeline as a static inline SVG, for the printed audit pack.

Why not the plotly figure: printing needs a static picture (kaleido is not installed, and a
plotly div with its 3 MB of JavaScript prints unreliably and makes the pack heavy).  This draws
the same lanes, colours and marker shapes as `paqa_dash.figures.timeline` (it reuses its lane
and event-kind definitions), so the app and the pack read alike; hover titles are kept for
on-screen reading, and the shapes plus the legend make it work in greyscale.
"""
from __future__ import annotations

import html
from datetime import date

import pandas as pd

from ..figures import timeline as tl
from ..figures.style import HUES
from ..reference.codes import ADULT_FACTORS
from ..reference.recorded import NOT_RECORDED, resolution_known

WIDTH = 720
LABEL_W = 168
RIGHT = 12
TOP = 8
LANE_H = {"plans": 28, "agency": 40, "household": 22, "need": 18}
MARK = 4.2   # marker half-size


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _lane_kind(name: str) -> str:
    if name == "CP plans":
        return "plans"
    if name == "Household changes":
        return "household"
    if name.startswith("Need "):
        return "need"
    return "agency"


def _marker(symbol: str, x: float, y: float, colour: str, title: str) -> str:
    """One event marker in the shape plotly uses for the same kind of event."""
    r = MARK
    t = f"<title>{_e(title)}</title>"
    style = f'fill="{colour}" stroke="{colour}" stroke-width="1" fill-opacity="0.85"'
    if symbol == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" {style}>{t}</rect>'
    if symbol == "triangle-up":
        pts = f"{x:.1f},{y - r - 0.8:.1f} {x + r + 0.6:.1f},{y + r:.1f} {x - r - 0.6:.1f},{y + r:.1f}"
        return f'<polygon points="{pts}" {style}>{t}</polygon>'
    if symbol == "triangle-down":
        pts = f"{x:.1f},{y + r + 0.8:.1f} {x + r + 0.6:.1f},{y - r:.1f} {x - r - 0.6:.1f},{y - r:.1f}"
        return f'<polygon points="{pts}" {style}>{t}</polygon>'
    if symbol == "x":
        return (f'<path d="M{x - r:.1f},{y - r:.1f}L{x + r:.1f},{y + r:.1f}M{x - r:.1f},{y + r:.1f}L{x + r:.1f},'
                f'{y - r:.1f}" stroke="{colour}" stroke-width="1.8">{t}</path>')
    if symbol == "diamond":
        pts = f"{x:.1f},{y - r - 0.8:.1f} {x + r + 0.8:.1f},{y:.1f} {x:.1f},{y + r + 0.8:.1f} {x - r - 0.8:.1f},{y:.1f}"
        return f'<polygon points="{pts}" {style}>{t}</polygon>'
    if symbol == "square-open":   # a written agreement
        return (f'<rect x="{x - r + 0.4:.1f}" y="{y - r + 0.4:.1f}" width="{2 * r - 0.8:.1f}" height="{2 * r - 0.8:.1f}" '
                f'fill="white" stroke="{colour}" stroke-width="1.6">{t}</rect>')
    if symbol == "circle-open":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r - 0.4:.1f}" fill="white" stroke="{colour}" stroke-width="1.4">{t}</circle>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {style}>{t}</circle>'


def _star(x: float, y: float, title: str) -> str:
    import math

    pts = []
    for i in range(10):
        rad = 6.5 if i % 2 == 0 else 2.8
        a = -math.pi / 2 + i * math.pi / 5
        pts.append(f"{x + rad * math.cos(a):.1f},{y + rad * math.sin(a):.1f}")
    return (f'<polygon points="{" ".join(pts)}" fill="{tl.HOUSEHOLD_COLOUR}" stroke="black" stroke-width="0.7">'
            f"<title>{_e(title)}</title></polygon>")


def _ticks(t0: pd.Timestamp, t1: pd.Timestamp) -> list[tuple[pd.Timestamp, str]]:
    """Year ticks, or quarter ticks for a short chronology (under two years)."""
    if (t1 - t0).days < 730:
        starts = pd.date_range(t0.to_period("Q").start_time, t1, freq="QS")
        return [(d, d.strftime("%b %Y")) for d in starts if t0 <= d <= t1]
    step = max(1, int((t1.year - t0.year) / 9) + 1)
    years = range(t0.year + 1, t1.year + 1, step)
    return [(pd.Timestamp(year=y, month=1, day=1), str(y)) for y in years]


def timeline_svg(plans: pd.DataFrame, events: pd.DataFrame, family_changes: pd.DataFrame, needs: pd.DataFrame,
                 as_of: date | None = None) -> str:
    """An <svg> of the child's chronology (frames as `paqa_dash.metrics.chronology` returns them)."""
    as_of_ts = pd.Timestamp(as_of if as_of is not None else date.today())
    dates = [pd.to_datetime(s).dropna() for s in (
        plans.get("start_date"), plans.get("end_date"), events.get("event_date"),
        family_changes.get("change_date"), needs.get("identified_date"), needs.get("resolved_date")) if s is not None]
    dates = [d for s in dates for d in s]
    if not dates:
        return '<p class="empty">No dated records for this child.</p>'
    t0 = min(dates) - pd.Timedelta(days=30)
    still_open = bool(plans["end_date"].isna().any()) if "end_date" in plans else False
    still_open |= bool(needs["resolved_date"].isna().any()) if "resolved_date" in needs else False
    t1 = max(max(dates), as_of_ts if still_open else max(dates)) + pd.Timedelta(days=30)
    plot_w = WIDTH - LABEL_W - RIGHT
    span = max(1.0, (t1 - t0).total_seconds())

    def x_of(d: object) -> float:
        return LABEL_W + (pd.Timestamp(d) - t0).total_seconds() / span * plot_w

    names = tl.lanes(events, needs)
    tops, y = {}, TOP
    for name in names:
        tops[name] = y
        y += LANE_H[_lane_kind(name)]
    bottom = y
    parts: list[str] = []
    # Lane backgrounds and labels.
    for i, name in enumerate(names):
        h = LANE_H[_lane_kind(name)]
        if i % 2 == 0:
            parts.append(f'<rect x="{LABEL_W}" y="{tops[name]}" width="{plot_w}" height="{h}" fill="#f4f4f4"/>')
        label = name.removeprefix("Need ")
        size = 9 if name.startswith("Need ") else 10
        limit = 33 if name.startswith("Need ") else 30
        if len(label) > limit:
            label = label[:limit - 1] + "…"
        weight = ' font-weight="600"' if name in ("CP plans", "Household changes") else ""
        parts.append(f'<text x="{LABEL_W - 6}" y="{tops[name] + h / 2 + 3.5:.1f}" text-anchor="end" '
                     f'font-size="{size}"{weight}><title>{_e(name)}</title>{_e(label)}</text>')
    # Ticks and grid.
    for d, label in _ticks(t0, t1):
        x = x_of(d)
        parts.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{bottom}" stroke="#cccccc" stroke-width="0.6"/>')
        parts.append(f'<text x="{x:.1f}" y="{bottom + 13}" text-anchor="middle" font-size="10">{_e(label)}</text>')
    parts.append(f'<line x1="{LABEL_W}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="#666" stroke-width="0.8"/>')

    # Plans: shading across every lane, then the bar.
    if not plans.empty:
        numbers = plans["plan_number"] if "plan_number" in plans else pd.Series(range(1, len(plans) + 1))
        for n, s, e, cat in zip(numbers, plans["start_date"], plans["end_date"], plans["initial_category"]):
            is_open = pd.isna(e)
            x0, x1 = x_of(s), x_of(as_of_ts if is_open else e)
            w = max(1.5, x1 - x0)
            parts.append(f'<rect x="{x0:.1f}" y="{TOP}" width="{w:.1f}" height="{bottom - TOP}" '
                         f'fill="{tl.PLAN_COLOUR}" fill-opacity="0.07"/>')
            fill = "url(#hatch-plan)" if is_open else tl.PLAN_COLOUR
            title = f"Plan {n} ({cat}): {tl._fmt(s)} to {tl._fmt(e)}"
            ty = tops["CP plans"] + 5
            parts.append(f'<rect x="{x0:.1f}" y="{ty}" width="{w:.1f}" height="18" fill="{fill}" '
                         f'stroke="{tl.PLAN_COLOUR}"><title>{_e(title)}</title></rect>')
            label = f"Plan {n}"
            if w >= 6.2 * len(label):
                parts.append(f'<text x="{x0 + w / 2:.1f}" y="{ty + 12.5}" text-anchor="middle" font-size="9.5" '
                             f'fill="white" font-weight="600" class="onbar">{_e(label)}</text>')
            else:
                parts.append(f'<text x="{x0 + w + 2:.1f}" y="{ty + 12.5}" font-size="9" fill="{tl.PLAN_COLOUR}">'
                             f"{_e(str(n))}</text>")

    # Needs.
    if not needs.empty:
        # a need whose source records no resolution (a CIN census) is not "still open": its end is not known, so
        # its bar runs to the as-of date unhatched and says so, as on the child timeline (figures/timeline.py)
        for f, s, r, k in zip(needs["factor"].astype(str).str.upper(), needs["identified_date"],
                              needs["resolved_date"], resolution_known(needs)):
            name = f"Need {tl.factor_label(f)}"
            if name not in tops:
                continue
            is_open = pd.isna(r) and k
            colour = HUES["vermillion"] if f in ADULT_FACTORS else HUES["orange"]
            x0, x1 = x_of(s), x_of(as_of_ts if pd.isna(r) else r)
            fill = f"url(#hatch-{'adult' if f in ADULT_FACTORS else 'child'})" if is_open else colour
            title = f"{tl.factor_label(f)}: identified {tl._fmt(s)}, " + (
                "still open" if is_open else f"resolved {tl._fmt(r)}" if k else f"resolution {NOT_RECORDED}")
            parts.append(f'<rect x="{x0:.1f}" y="{tops[name] + 4}" width="{max(1.5, x1 - x0):.1f}" height="10" '
                         f'fill="{fill}" stroke="{colour}"><title>{_e(title)}</title></rect>')

    # Household changes.
    if not family_changes.empty:
        yy = tops["Household changes"] + LANE_H["household"] / 2
        for d, kind, detail in zip(family_changes["change_date"], family_changes["change_type"],
                                   family_changes.get("detail", pd.Series([None] * len(family_changes)))):
            parts.append(_star(x_of(d), yy, f"{tl._fmt(d)}: {str(kind).replace('_', ' ').lower()}"
                                            + (f" - {detail}" if isinstance(detail, str) else "")))

    # Events: one sub-row per kind inside the agency lane.
    if not events.empty:
        kinds = {label: (colour, symbol, offset) for label, _t, colour, symbol, offset in tl.EVENT_KINDS}
        for d, etype, agency, detail in zip(events["event_date"], events["event_type"], events["agency"],
                                            events.get("detail", pd.Series([None] * len(events)))):
            lane = tl._lane_of_agency(agency)
            if lane not in tops:
                continue
            colour, symbol, offset = kinds[tl._kind_of(etype)]
            h = LANE_H["agency"]
            yy = tops[lane] + h / 2 - offset * (h - 12) / 0.64
            title = f"{tl._fmt(d)}: {str(etype).replace('_', ' ').lower()} ({agency})" + (
                f" - {detail[:120]}" if isinstance(detail, str) else "")
            parts.append(_marker(symbol, x_of(d), yy, colour, title))

    # As-of line.
    if t0 <= as_of_ts <= t1:
        x = x_of(as_of_ts)
        parts.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{bottom}" stroke="black" stroke-width="0.9" '
                     f'stroke-dasharray="2,2"/>')

    legend, height = _legend(bottom + 28)
    defs = ('<defs>'
            f'<pattern id="hatch-plan" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            f'<rect width="5" height="5" fill="{tl.PLAN_COLOUR}"/><line x1="0" y1="0" x2="0" y2="5" stroke="white" '
            f'stroke-width="2"/></pattern>'
            f'<pattern id="hatch-adult" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            f'<rect width="5" height="5" fill="{HUES["vermillion"]}"/><line x1="0" y1="0" x2="0" y2="5" '
            f'stroke="white" stroke-width="2"/></pattern>'
            f'<pattern id="hatch-child" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            f'<rect width="5" height="5" fill="{HUES["orange"]}"/><line x1="0" y1="0" x2="0" y2="5" '
            f'stroke="white" stroke-width="2"/></pattern></defs>')
    return (f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
            f'width="100%" role="img" aria-label="Timeline of the child\'s plans, events, household changes and needs" '
            f'font-family="Arial, Helvetica, sans-serif">{defs}{"".join(parts)}{legend}</svg>')


def _legend(y0: float) -> tuple[str, float]:
    """The key under the chart: marker shapes, bars, hatching and the as-of line."""
    items: list[tuple[str, str]] = [
        (f'<rect x="0" y="-5" width="16" height="10" fill="{tl.PLAN_COLOUR}"/>', "CP plan"),
    ]
    for label, _t, colour, symbol, _o in tl.EVENT_KINDS:
        items.append((_marker(symbol, 8, 0, colour, label), label))
    items += [
        (_star(8, 0, "Household change"), "Household change"),
        (f'<rect x="0" y="-5" width="16" height="10" fill="{HUES["vermillion"]}"/>', "Adult need"),
        (f'<rect x="0" y="-5" width="16" height="10" fill="{HUES["orange"]}"/>', "Child / other need"),
        ('<rect x="0" y="-5" width="16" height="10" fill="url(#hatch-plan)"/>', "Hatched = still open"),
        ('<line x1="8" y1="-7" x2="8" y2="7" stroke="black" stroke-dasharray="2,2"/>', "As-of date"),
    ]
    out, x, y = [], LABEL_W * 0 + 4, y0
    for symbol, label in items:
        w = 24 + 5.3 * len(label) + 14
        if x + w > WIDTH:
            x, y = 4, y + 18
        out.append(f'<g transform="translate({x:.1f},{y:.1f})">{symbol}'
                   f'<text x="22" y="3.5" font-size="10">{_e(label)}</text></g>')
        x += w
    return "".join(out), y + 14
