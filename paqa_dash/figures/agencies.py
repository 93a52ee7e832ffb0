"""Core groups and agencies: who came, who contributed, who challenged, and whether core groups and
review conferences happened in time (timeliness, engagement and challenge as docs/definitions.md
defines them).

Builders take the tidy frames of `paqa_dash.metrics.engagement` / `.timeliness` and return plotly
figures whose titles state the finding.  All of them aggregate (agency x quarter at most), so they
read the same for 5 plans and for 50,000.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..reference.calendar import quarter_label
from ..reference.codes import AGENCY_LABELS, DEADLINE_STATUS_LABELS as STATUS_LABELS
from ..reference import benchmarks
from . import style
from .style import HUES, counted_each, pct_text

AGENCY_NAMES = AGENCY_LABELS
STATUS_COLOURS = {"on_time": HUES["green"], "late": HUES["vermillion"], "not_due": HUES["grey"]}
MEASURES = (("core", "first", "First core group"), ("core", "interval", "Later core groups"),
            ("review", "first", "First review conference"), ("review", "later", "Later review conferences"))


def agency_name(code: str) -> str:
    return AGENCY_NAMES.get(str(code), str(code).replace("_", " ").title())


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str, height: int = 420) -> go.Figure:
    """The house look (figures/style.py), legend in trace order, bar labels never clipped."""
    style.apply_layout(fig, title, x_title, y_title, height=height)
    fig.update_layout(legend=dict(traceorder="normal"))
    fig.update_xaxes(showgrid=True, gridcolor="#eeeeee")
    fig.update_yaxes(showgrid=False)
    fig.update_traces(cliponaxis=False, selector=dict(type="bar"))
    return fig


def _sum_or_missing(values: pd.Series) -> float:
    """A cell's count, missing when a count in it is withheld (a plain sum would read it as 0)."""
    return values.sum(min_count=len(values))


def attendance_heatmap(by_quarter: pd.DataFrame, measure: str = "rate",
                       by_agency: pd.DataFrame | None = None) -> go.Figure:
    """Agency x quarter heatmap of attended / invited (or contributed / invited) at core groups.

    `by_quarter`: quarter, agency, invited, attended, contributed, rate, contribution_rate.  `by_agency`: the
    agencies' totals over the quarters as the reader sees them (metrics.engagement.agency_totals, suppressed), for
    the finding: summed over the cells drawn, a withheld quarter would leave an agency's total short.
    """
    word = "attended" if measure == "rate" else "contributed"
    frame = by_quarter.copy()
    frame["agency_name"] = frame["agency"].map(agency_name)
    order = (frame.groupby("agency_name")["invited"].sum().sort_values(ascending=True).index.tolist())
    quarters = sorted(pd.to_datetime(frame["quarter"]).unique())
    frame["q"] = pd.to_datetime(frame["quarter"])
    z = frame.pivot_table(index="agency_name", columns="q", values=measure, aggfunc="first").reindex(
        index=order, columns=quarters)
    num = frame.pivot_table(index="agency_name", columns="q", values=word, aggfunc=_sum_or_missing).reindex(
        index=order, columns=quarters)
    inv = frame.pivot_table(index="agency_name", columns="q", values="invited", aggfunc=_sum_or_missing).reindex(
        index=order, columns=quarters)
    # a row with invitations (or a withheld count of them) whose value is missing was suppressed: the cell reads
    # "c" (style.mark_suppressed), where a cell with no row, or none invited, is blank: no invitation
    rows = frame.assign(counted=frame["invited"].isna() | (frame["invited"] > 0))
    counted = rows.pivot_table(index="agency_name", columns="q", values="counted", aggfunc="any").reindex(
        index=order, columns=quarters).fillna(False).astype(bool)
    withheld = [[i, j] for i in range(len(order)) for j in range(len(quarters))
                if counted.iat[i, j] and pd.isna(z.iat[i, j])]
    labels = [quarter_label(q) for q in quarters]
    if len(quarters) > 12:   # many quarters: short ticks, full months in the hover
        labels = [quarter_label(q, short=True) for q in quarters]

    def said(value: float, cell_counted: bool) -> str:   # a withheld count is not "0"
        return f"{int(value):,}" if pd.notna(value) else (style.MISSING if cell_counted else "0")

    custom = [[[said(n, c), said(i, c), "" if pd.isna(v) else f" ({pct_text(v)})"] for n, i, c, v in zip(nr, ir, cr, zr)]
              for nr, ir, cr, zr in zip(num.values, inv.values, counted.values, z.values)]
    show_text = len(quarters) <= 16
    text = [[("" if pd.isna(v) else pct_text(v)) for v in row] for row in z.values] if show_text else None
    fig = go.Figure(go.Heatmap(
        z=(z.values * 100).round(1), x=labels, y=order, colorscale="Cividis", zmin=0, zmax=100,
        text=text, texttemplate="%{text}" if show_text else None, customdata=custom,
        # each tick's label below its tick: centred on the top tick, "100%" ran into the key's title above it
        colorbar=dict(title=dict(text=f"% {word}"), ticksuffix="%", ticklabelposition="outside bottom"),
        xgap=1, ygap=1, meta={style.WITHHELD: withheld},
        hovertemplate="%{y}<br>%{x}<br>" + word + " %{customdata[0]} of %{customdata[1]} invited"
                      "%{customdata[2]}<extra></extra>",
    ))
    totals = (frame.groupby("agency_name")[[word, "invited"]].sum().rename_axis("agency_name").reset_index()
              if by_agency is None else by_agency.assign(agency_name=by_agency["agency"].map(agency_name)))
    totals = totals[totals["invited"] > 0]
    totals["share"] = totals[word] / totals["invited"]
    # lowest and highest only among agencies invited at least 20 times (docs/definitions.md, "Small bases")
    low, few = style.extreme(totals, "share", "invited", "agency_name")
    high, _ = style.extreme(totals, "share", "invited", "agency_name", highest=True)
    left_out = f"; {style.few_named(few, 'invitations', None, 'agency')}" if few else ""
    if totals.empty:
        title = f"Core group invitations {word}"
    elif low is None or high is None:
        title = f"Core group invitations {word}" + (left_out.replace("; ", ": ", 1) if few else "")
    else:
        best = high["agency_name"][0].lower() + high["agency_name"][1:]
        title = (f"{low['agency_name']} {word} {pct_text(low['share'])} of the core groups it was invited to; "
                 f"{best} {pct_text(high['share'])}{left_out}")
    return _layout(fig, title, "Quarter (meeting date)", style.AGENCY, height=max(320, 120 + 34 * len(order)))


def attendance_bars(by_agency: pd.DataFrame) -> go.Figure:
    """Per agency: attended / invited and contributed / invited over core groups (horizontal bars).

    `by_agency`: agency, invited, attended, contributed, rate, contribution_rate.
    """
    frame = by_agency[by_agency["invited"] > 0].copy()
    frame["agency_name"] = frame["agency"].map(agency_name)
    frame = frame.sort_values("rate", ascending=True)
    fig = go.Figure()
    for col, word, colour in (("rate", "Attended", HUES["blue"]),
                              ("contribution_rate", "Contributed", HUES["orange"])):
        counts = frame["attended" if col == "rate" else "contributed"]
        fig.add_trace(go.Bar(
            name=word, orientation="h", y=frame["agency_name"], x=frame[col].astype("float64"),
            customdata=list(zip(counts, counted_each(frame["invited"], "invitation"))), marker_color=colour,
            text=[pct_text(v) if pd.notna(v) else "" for v in frame[col]], textposition="outside",
            hovertemplate="%{y}<br>" + word.lower() + " %{customdata[0]:,} of %{customdata[1]}"
                          " (%{hovertext})<extra></extra>", hovertext=style.pct_labels(frame[col]),
        ))
    # the small-base rule (docs/definitions.md, "Small bases"): an agency invited fewer than 20 times is named as too
    # few and left out of "the fewest"
    low, few = style.extreme(frame, "rate", "invited", "agency_name")
    if frame.empty:
        title = "No core group invitations recorded"
    elif low is None:
        title = "Core group attendance by agency" + (
            f": {style.few_named(few, 'invitations', None, 'agency')}" if few else "")
    else:
        title = (f"{low['agency_name']} attended the fewest core groups it was invited to: "
                 f"{style.share_text(low['attended'], low['invited'])}"
                 + (f"; {style.few_named(few, 'invitations', None, 'agency')}" if few else ""))
    fig.update_layout(barmode="group")
    style.share_axis(fig, "x", pd.concat([frame["rate"], frame["contribution_rate"]]))
    return _layout(fig, title, "Share of core group invitations (%)", style.AGENCY, height=max(320, 120 + 46 * len(frame)))


def count_key(which: str, kind: str, status: str) -> str:
    """The key of one count in `timeliness.core_group_counts` / `review_counts` ("intervals_late", "first_on_time")
    for a row of MEASURES and a status: the one spelling the table and the briefing's figures both read."""
    prefix = {"interval": "intervals"}.get(kind, kind) if which == "core" else kind
    return f"{prefix}_{status}"


def timeliness_frame(core: dict[str, int], reviews: dict[str, int]) -> pd.DataFrame:
    """The count dicts of `timeliness.core_group_counts` / `review_counts` as one tidy frame:
    measure, status, n, share_of_due (on_time / late as a share of the deadlines that fell due)."""
    rows = []
    for which, kind, label in MEASURES:
        counts = core if which == "core" else reviews
        values = {s: int(counts.get(count_key(which, kind, s), 0) or 0) for s in STATUS_LABELS}
        due = values["on_time"] + values["late"]
        for status, n in values.items():
            rows.append({"measure": label, "status": STATUS_LABELS[status], "n": n,
                         "share_of_due": (n / due) if due and status != "not_due" else None})
    return pd.DataFrame(rows)


def timeliness_bars(frame: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: on time / late / not yet due per deadline kind (counts; hover shows shares); a kind
    not in `frame` (its data not recorded: the page leaves it out) gets no empty row."""
    fig = go.Figure()
    order = [label for *_, label in MEASURES if label in set(frame["measure"])][::-1]
    for status, label in STATUS_LABELS.items():
        sub = frame[frame["status"] == label].set_index("measure").reindex(order)
        share = sub["share_of_due"].astype("float64")
        # a withheld count stays missing: the chart card marks it (style.mark_suppressed), style.stack goes on past it
        fig.add_trace(go.Bar(
            name=label, orientation="h", y=order, x=sub["n"].astype("float64"), marker_color=STATUS_COLOURS[status],
            marker_pattern_shape={"late": "/", "not_due": "."}.get(status, ""),
            customdata=[("" if pd.isna(s) else f" ({pct_text(s)} of those due)") for s in share],
            hovertemplate="%{y}<br>" + label.lower() + ": %{x:,}%{customdata}<extra></extra>",
        ))
    style.stack(fig)
    counts = frame.pivot_table(index="measure", columns="status", values="n", aggfunc="first", dropna=False)
    late = frame[(frame["status"] == "Late")].set_index("measure")["share_of_due"].astype("float64").dropna()
    if late.empty:
        title = "No core group or review deadline has fallen due yet"
    else:
        # the worst among the kinds with at least 20 deadlines due (the small-base rule, docs/definitions.md "Small
        # bases"); where none has, the kind with most missed, as its count ("1 of 5 ... was missed"), not "20%"
        due = (counts[STATUS_LABELS["on_time"]] + counts[STATUS_LABELS["late"]]).reindex(late.index)
        enough = late[due.map(benchmarks.comparable).astype(bool)]
        worst = enough.idxmax() if len(enough) else counts[STATUS_LABELS["late"]].reindex(late.index).idxmax()
        noun = {"Later core groups": "later core group", "Later review conferences": "later review conference"}
        missed, fell_due = counts.at[worst, STATUS_LABELS["late"]], due[worst]
        title = (f"{style.portion(missed, fell_due, noun.get(worst, worst).lower() + ' deadline')} that fell due "
                 f"{style.verb_of(missed, fell_due)} missed")
    return _layout(fig, title, "Deadlines (count)", "Meeting", height=340)


def challenges_bars(challenges: pd.DataFrame, top_n: int = 12, leader_known: bool = False) -> go.Figure:
    """CHALLENGE and ESCALATION events by agency (stacked), most active agencies first (top N).

    `challenges`: agency, event_type, events, plans.  `leader_known`: where counts are withheld, no withheld count
    could change which agency raised the most (report/suppression.leader_rests_on): the title names it, no share.
    """
    frame = challenges.copy()
    frame["agency_name"] = frame["agency"].map(agency_name)
    totals = frame.groupby("agency_name")["events"].sum().sort_values(ascending=False)
    keep = totals.index[:top_n].tolist()
    order = keep[::-1]
    fig = go.Figure()
    for etype, label, colour, shape in (("CHALLENGE", "Challenge", HUES["sky"], ""),
                                        ("ESCALATION", "Escalation", HUES["vermillion"], "/")):
        sub = frame[frame["event_type"] == etype].set_index("agency_name")
        absent = ~pd.Index(order).isin(sub.index)   # no such event: 0; a suppressed count stays missing
        sub = sub.reindex(order)
        plans, events = sub["plans"].mask(absent, 0), sub["events"].mask(absent, 0)
        fig.add_trace(go.Bar(
            name=label, orientation="h", y=order, x=events,
            customdata=list(zip(counted_each(events, label.lower()), counted_each(plans, "plan"))),
            marker_color=colour, marker_pattern_shape=shape,
            hovertemplate="%{y}<br>%{customdata[0]} on %{customdata[1]}<extra></extra>",
        ))
    style.stack(fig)
    counted = frame.groupby("agency_name")["events"].apply(lambda e: e.notna().all())
    if totals.empty:
        title = "No agency challenged or escalated a decision"
    elif not counted.all() and leader_known and totals.sum():   # no share can be worked out: who raised the most
        title = f"{totals.index[0]} raised the most challenges and escalations"
    elif not counted.all() or totals.sum() == 0:   # a suppressed count: no share can be worked out
        title = "Challenges and escalations by agency (small counts suppressed)"
    else:
        share = totals.iloc[0] / totals.sum()
        title = f"{totals.index[0]} raised {pct_text(share)} of challenges and escalations"
    return _layout(fig, title, "Challenge and escalation events (count)", style.AGENCY, height=max(300, 110 + 40 * len(order)))


def challenges_by_team_table(by_team: pd.DataFrame) -> pd.DataFrame:
    """`engagement.challenges_by_team` as a table to read: per team, plans started, plans with a
    challenge / an escalation and their share of the plans (%), and the events.  Teams with the
    largest share of challenged plans first; a missing team reads "(no team)"."""
    frame = by_team.copy()
    plans = frame["plans"].where(frame["plans"] > 0)
    out = pd.DataFrame({
        "Team": frame["team"].astype(object).where(frame["team"].notna(), "(no team)"),
        "Plans started": frame["plans"],
        "Plans with a challenge": frame["plans_with_challenge"],
        "Share with a challenge (%)": (100 * frame["plans_with_challenge"] / plans).round(1),
        "Plans with an escalation": frame["plans_with_escalation"],
        "Share with an escalation (%)": (100 * frame["plans_with_escalation"] / plans).round(1),
        "Challenges": frame["challenges"],
        "Escalations": frame["escalations"],
    })
    return out.sort_values(["Share with a challenge (%)", "Team"], ascending=[False, True],
                           na_position="last").reset_index(drop=True)
