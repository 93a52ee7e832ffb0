"""Between plans (docs/definitions.md, "Between plans"): how much concern preceded each repeat plan, how it
built up in the months before, which agencies recorded it, and one child's gaps as a strip.

Builders take the frames of `paqa_dash.metrics.between` (aggregated in SQL, so they read the same for 5 plans
and for 50,000) and return figures whose titles state the finding.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..reference.codes import AGENCY_LABELS
from ..reference.recorded import NOT_RECORDED
from ..reference.concerns import CONCERN_BAND_LABELS, CONCERN_BANDS, CONCERN_GROUP_LABELS, IMPACT_GROUPS
from . import style
from .agencies import _layout, _sum_or_missing
from .style import HUES, counted_each, nothing_to_draw
from ..reference.words import counted, days_text, plural

RECENT_MONTHS = 3   # "crowding before the plan": concerns in the last three months
NO_GAP = "No repeat plan in the period followed an earlier plan's end"
NO_CONCERNS = "No concerns recorded between plans"
NO_CONCERNS_WHY = "No concern was recorded between a plan's end and the next plan"


# Said instead of a share or count of impact where no incident or missed appointment is recorded (a census).
IMPACT_NOT_RECORDED = f"impact on the child: {NOT_RECORDED}"


def _month_label(m: int, cap: int) -> str:
    return f"{cap}+" if m >= cap else str(m)


def _months_before(m: int, cap: int) -> str:
    """A month's bar in words for its hover: "0 months before", "1 month before", "12+ months before"."""
    return f"{_month_label(m, cap)} {plural('month', 2 if m >= cap else m)} before"


def bands_bars(bands: pd.DataFrame) -> go.Figure:
    """Repeat plans by how much concern was recorded in the gap before them (none, one, 2-4, 5+), each bar with
    its median days from the first concern to the plan.  `bands`: band, plans, with_impact, median_days_to_plan."""
    frame = bands.set_index("band").reindex(list(CONCERN_BANDS))
    if nothing_to_draw(bands["plans"]):
        return style.empty_figure("No repeat plan with a gap before it", NO_GAP)
    names = [CONCERN_BAND_LABELS[b] for b in CONCERN_BANDS]
    days = frame["median_days_to_plan"]
    said = [("" if pd.isna(d) else f"median {days_text(d)}") for d in days]
    # on two lines above the bar: plotly shrinks a label to its bar's width, and on one line at 800 px "median 261
    # days" was drawn in a 7 px font, too small to read
    fig = go.Figure(go.Bar(x=names, y=frame["plans"].to_numpy(dtype="float64"), marker_color=HUES["blue"],
                           text=[t.replace(" ", "<br>", 1) for t in said], textposition="outside",
                           name="Repeat plans", customdata=counted_each(frame["plans"], "repeat plan"), hovertext=said,
                           hovertemplate="%{x}<br>%{customdata}<br>%{hovertext} from the first concern to the plan"
                                         "<extra></extra>"))
    fig.update_yaxes(range=style.value_range(frame["plans"], 1, style.ROOM_ABOVE))   # room for the medians above
    plans = frame["plans"].fillna(0)
    total = int(plans.sum())
    many, quiet = int(plans.get("many", 0)), int(plans.get("none", 0) + plans.get("one", 0))
    title = (f"{many:,} of {counted(total, 'repeat plan')} ({style.pct_text(many / total)}) followed 5 or more recorded "
             f"concerns;<br>{quiet:,} followed one or none" if total else
             "Repeat plans by the concerns recorded before them")   # every count suppressed
    fig = _layout(fig, title, "Concerns recorded between the previous plan's end and the repeat plan",
                  "Repeat plans (count)")
    fig.update_layout(showlegend=False)
    return fig


def months_before_bars(months: pd.DataFrame, cap: int = 12) -> go.Figure:
    """Concerns by month before the repeat plan (0 = the month just before it, `cap`+ = a year or more), stacked
    by agency: escalation shows as concerns crowding the last months.  `months`: months_before, agency,
    concerns."""
    frame = months.copy()
    if nothing_to_draw(frame["concerns"]):
        return style.empty_figure(NO_CONCERNS, NO_CONCERNS_WHY)
    order = list(range(cap, -1, -1))
    labels = [_month_label(m, cap) for m in order]
    totals = frame.groupby("agency")["concerns"].sum().sort_values(ascending=False)
    fig = go.Figure()
    for i, agency in enumerate(totals.index):
        # a month with no concern from the agency is 0; a withheld count stays missing (marked, never drawn as 0)
        part = frame[frame["agency"] == agency].groupby("months_before")["concerns"].agg(_sum_or_missing)
        values = part.reindex(order).mask(~pd.Index(order).isin(part.index), 0).to_numpy(dtype="float64")
        fig.add_trace(go.Bar(x=labels, y=values,
                             name=AGENCY_LABELS.get(str(agency), str(agency)), marker=style.bar_marker(i),
                             customdata=list(zip([_months_before(m, cap) for m in order],
                                                 counted_each(values, "concern"))),
                             hovertemplate="%{customdata[0]}: %{customdata[1]}<extra>%{fullData.name}</extra>"))
    style.stack(fig)
    total = float(frame["concerns"].sum())
    recent = float(frame.loc[frame["months_before"] < RECENT_MONTHS, "concerns"].sum())
    title = (f"{style.pct_text(recent / total)} of the concerns before repeat plans came<br>in the last {RECENT_MONTHS} "
             "months before the plan" if total else "Concerns by month before the repeat plan")   # all suppressed
    fig = _layout(fig, title, "Months before the repeat plan started (12+ = a year or more)", "Concerns (count)")
    fig.update_xaxes(type="category")
    return fig


def groups_bars(by_group: pd.DataFrame, impact_recorded: bool = True, impact_said: bool = True) -> go.Figure:
    """Concerns between plans by group, most first; impact groups (what happened to the child, or what the
    child missed) in the highlight colour.  `by_group`: grp, agency, concerns, plans.  `impact_recorded`: False
    where the data holds no incidents or missed appointments (a census): the title then says the impact on the
    child is not recorded rather than giving 0% of concerns as a finding.  `impact_said`: False where counts are
    withheld: the share of concerns with impact would rest on them, and the title names the most recorded alone."""
    totals = by_group.groupby("grp")["concerns"].sum(min_count=1).sort_values()
    if nothing_to_draw(by_group["concerns"]):
        return style.empty_figure(NO_CONCERNS, NO_CONCERNS_WHY)
    names = [CONCERN_GROUP_LABELS.get(str(g), str(g)) for g in totals.index]
    colours = [style.HIGHLIGHT if g in IMPACT_GROUPS else HUES["sky"] for g in totals.index]
    # a group some of whose agencies' counts are withheld is drawn to the sum of those shown, marked "+" (at least),
    # never as if whole
    partial = by_group["concerns"].isna().groupby(by_group["grp"]).any().reindex(totals.index, fill_value=False)
    said = counted_each(totals, "concern")
    fig = go.Figure(go.Bar(y=names, x=totals.to_numpy(dtype="float64"), orientation="h", marker_color=colours,
                           customdata=[f"at least {c} (a count withheld)" if part else c
                                       for c, part in zip(said, partial)],
                           text=[f"{v:,.0f}+" if part and v == v else "" for v, part in zip(totals, partial)],
                           textposition="outside", cliponaxis=False,
                           hovertemplate="%{y}: %{customdata}<extra></extra>"))
    if totals.dropna().empty:   # every count suppressed
        title = "Concerns recorded between plans"
    else:
        top = totals.dropna().index[-1]
        impact = float(totals[[g for g in totals.index if g in IMPACT_GROUPS]].sum())
        title = (f"{CONCERN_GROUP_LABELS.get(str(top), str(top))} was the concern most recorded between plans"
                 + ((";<br>" + (f"{style.pct_text(impact / float(totals.sum()))} of concerns recorded impact on the child"
                               if impact_recorded else IMPACT_NOT_RECORDED)) if impact_said or not impact_recorded
                    else ""))
    fig = _layout(fig, title, "Concerns (count)", style.CONCERN_KIND)
    fig.update_layout(showlegend=False, height=max(300, 60 + 40 * len(names)))
    return fig


def child_strip(gaps: pd.DataFrame, concerns: pd.DataFrame, impact_recorded: bool = True) -> go.Figure:
    """One child's gaps between plans as a strip: a bar from the previous plan's end to the repeat plan's start,
    its concerns as markers (impact in the highlight colour), the strategy discussion and ICPC as diamonds.
    `gaps`: between.plan_rows of the child; `concerns`: between.concern_rows of the child.  `impact_recorded`:
    False where the data holds no incidents or missed appointments: no impact series, and the title says so."""
    fig = go.Figure()
    rows = [f"Before plan {int(n)}" for n in gaps["plan_number"]]
    for row, g in zip(rows, gaps.itertuples(index=False)):
        fig.add_trace(go.Scatter(x=[g.previous_end, g.start_date], y=[row, row], mode="lines",
                                 line={"color": HUES["grey"], "width": 10}, showlegend=False,
                                 hovertemplate=f"{row}: {counted(int(g.gap_days), 'day')} between plans<extra></extra>"))
    by_plan = dict(zip(gaps["plan_id"].astype(str), rows))
    kinds = ((True, style.HIGHLIGHT, "Impact on the child"), (False, HUES["blue"], "Other concern"))
    for impact, colour, name in kinds if impact_recorded else kinds[1:]:
        part = concerns[concerns["impact"] == impact]
        fig.add_trace(go.Scatter(
            x=part["event_date"], y=[by_plan.get(str(p), "") for p in part["plan_id"]], mode="markers", name=name,
            marker={"color": colour, "size": 11, "symbol": "x" if impact else "circle"},
            text=[f"{CONCERN_GROUP_LABELS.get(str(g), str(g))} ({AGENCY_LABELS.get(str(a), str(a))})"
                  for g, a in zip(part["grp"], part["agency"])],
            hovertemplate="%{x|%d %b %Y}: %{text}<extra></extra>"))
    for column, name, colour in (("strategy_date", "Strategy discussion", HUES["orange"]),
                                 ("icpc_date", "ICPC", HUES["green"])):
        present = gaps[gaps[column].notna()]
        fig.add_trace(go.Scatter(x=present[column], y=[by_plan[str(p)] for p in present["plan_id"]], mode="markers",
                                 name=name, marker={"color": colour, "size": 12, "symbol": "diamond"},
                                 hovertemplate="%{x|%d %b %Y}: " + name + "<extra></extra>"))
    n = int(gaps["concerns"].sum())
    impact = int(gaps["impact_events"].sum())
    title = (f"{counted(n, 'concern')} recorded between this child's plans,<br>"
             + (f"{impact:,} of them impact on the child before the decision" if impact_recorded
                else IMPACT_NOT_RECORDED))
    fig = style.apply_layout(fig, title, "Date", "Gap between plans", height=160 + 50 * len(rows))
    return fig
