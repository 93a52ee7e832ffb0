"""The child timeline: one child's multi-agency chronology in one picture.

Lanes from top to bottom: the CP plans (bars), one lane per agency (events as markers, shape and
colour by kind of event so the picture survives greyscale and colour-blindness), the household
(changes of family composition), then one lane per assessment factor (bars from identified to
resolved, or to the as-of date while open).  Plan periods are shaded across every lane so it is
easy to see what happened during a plan and in the gap before the next one.

A long chronology stays readable because events of one kind sit on their own sub-row inside the
agency lane (they never hide each other), markers are small and semi-opaque, and the x axis has a
range slider to zoom into a period.
"""
from __future__ import annotations

from datetime import date
from typing import Mapping

import pandas as pd
import plotly.graph_objects as go

from ..reference.codes import (ADULT_FACTORS, AGENCIES, AGENCY_LABELS, CATEGORY_LABELS, CHANGE_TYPE_LABELS,
                               END_REASON_LABELS, EVENT_TYPE_LABELS, FACTOR_NAMES, FACTOR_WHOSE)
from ..reference import words
from ..reference.recorded import NEED_RESOLUTION, NOT_RECORDED, open_needs, resolution_known
from . import style
from .style import HUES

# One lane per agency of the core group (always shown, even when empty), then the others in one lane.
OWN_LANES = ("CSC", "HEALTH", "EDUCATION", "POLICE", "ADULT_MH", "ADULT_DA", "ADULT_SUBSTANCE")
AGENCY_LANES: tuple[tuple[str, tuple[str, ...]], ...] = (
    *((AGENCY_LABELS[code], (code,)) for code in OWN_LANES),
    ("Other agencies", tuple(code for code in AGENCIES if code not in OWN_LANES)),
)
ALWAYS_SHOWN = {AGENCY_LABELS[code] for code in OWN_LANES}

# Kinds of event: (label, event types, colour, marker symbol, sub-row offset inside the lane, within +-0.32).
EVENT_KINDS: tuple[tuple[str, tuple[str, ...], str, str, float], ...] = (
    ("Conference / strategy", ("ICPC", "REVIEW_CONFERENCE", "STRATEGY_DISCUSSION", "S47_START"),
     HUES["blue"], "square", 0.32),
    ("Core group", ("CORE_GROUP",), HUES["sky"], "circle", 0.229),
    ("Challenge / escalation", ("CHALLENGE", "ESCALATION"), HUES["vermillion"], "triangle-up", 0.137),
    ("Written agreement", ("WRITTEN_AGREEMENT",), HUES["orange"], "square-open", 0.046),
    ("Incident / missed appt", ("INCIDENT", "MISSED_APPOINTMENT"), HUES["black"], "x", -0.046),
    ("Intervention", ("INTERVENTION_START", "INTERVENTION_END"), HUES["green"], "diamond", -0.137),
    # What happened around the plans (Annex A lists 2, 6, 8, 9, 10): episodes of early help, child in need, care.
    ("Early help / CIN / care", ("EARLY_HELP_START", "EARLY_HELP_END", "CIN_START", "CIN_END", "LOOKED_AFTER_START",
                                 "LOOKED_AFTER_END", "CARE_LEAVER", "ADOPTION"), HUES["purple"], "triangle-down", -0.229),
    ("Visit / other contact", ("REFERRAL", "CONTACT", "ASSESSMENT", "VISIT", "PLAN_UPDATE", "OTHER"),
     HUES["grey"], "circle-open", -0.32),
)


PLAN_COLOUR = HUES["blue"]
HOUSEHOLD_COLOUR = HUES["purple"]
_DAY_MS = 86_400_000
LEGEND_HEIGHT = 200   # px: the key under the chart, one kind a row on a narrow screen


def factor_label(code: str) -> str:
    """'4B' -> '4B mental health (parent/carer)'."""
    code = str(code).strip().upper()
    number, letter = code.rstrip("ABCDEF"), code[len(code.rstrip("ABCDEF")):]
    name = FACTOR_NAMES.get(number, "factor")
    whose = FACTOR_WHOSE.get(letter[:1], "")
    return f"{code} {name}" + (f" ({whose})" if whose else "")


def _words(code: object, labels: dict[str, str], blank: str = "-") -> str:
    return str(words.say(code, labels, blank))


def _lane_of_agency(agency: str) -> str:
    for lane, codes in AGENCY_LANES:
        if agency in codes:
            return lane
    return "Other agencies"


def _kind_of(event_type: str) -> str:
    for label, types, *_ in EVENT_KINDS:
        if event_type in types:
            return label
    return EVENT_KINDS[-1][0]


def _fmt(d: object) -> str:
    return "open" if d is None or pd.isna(d) else pd.Timestamp(d).strftime("%d %b %Y")


def _as_of(as_of: date | None) -> pd.Timestamp:
    """The date open plans and needs run to: the as-of date the page looks at, else today."""
    return pd.Timestamp(as_of if as_of is not None else date.today())


def filter_event_kinds(events: pd.DataFrame, kinds: list[str]) -> pd.DataFrame:
    """Only the events whose kind (EVENT_KINDS label) is in `kinds`: thins a long chronology on request."""
    if events.empty:
        return events
    return events[events["event_type"].map(_kind_of).isin(list(kinds))]


def lanes(events: pd.DataFrame, needs: pd.DataFrame) -> list[str]:
    """Lane labels top to bottom (the y axis, reversed)."""
    used = {_lane_of_agency(a) for a in events.get("agency", pd.Series(dtype=object)).dropna()}
    agency = [lane for lane, _ in AGENCY_LANES if lane in ALWAYS_SHOWN or lane in used]
    factors = sorted({str(f).upper() for f in needs.get("factor", pd.Series(dtype=object)).dropna()},
                     key=lambda c: (int(c.rstrip("ABCDEF") or 0), c))
    return ["CP plans", *agency, "Household changes", *[f"Need {factor_label(f)}" for f in factors]]


# The title's counts whose data a source may lack: the measure of reference/recorded.py (MEASURE_NEEDS) each
# needs, and how the title names it when it is not recorded.
TITLE_MEASURES = {"family_changes": "household changes", "challenge_and_escalation": "challenges",
                  "written_agreements": "written agreements", "adult_needs_open": "adult needs"}


def timeline_title(plans: pd.DataFrame, events: pd.DataFrame, family_changes: pd.DataFrame,
                   needs: pd.DataFrame, absent: Mapping[str, str] | None = None, line_break: str = "<br>") -> str:
    """A title that states what the chronology shows at a glance.  A count of a kind of record the child's data
    does not hold (`absent`: coverage.not_recorded of TITLE_MEASURES' keys) is named as not recorded, never 0.
    `line_break` goes after the comma ending the first line: plotly's "<br>", or " " for plain text (the audit
    pack, which escapes the title)."""
    absent = absent or {}
    open_adult = open_needs(needs)   # None: the needs' source records no resolution (a CIN census)
    challenges = int(events["event_type"].isin(["CHALLENGE", "ESCALATION"]).sum()) if not events.empty else 0
    agreed = int((events["event_type"] == "WRITTEN_AGREEMENT").sum()) if not events.empty else 0
    first = [words.counted(len(plans), "CP plan"), words.counted(len(events), "event")]
    if "family_changes" not in absent:
        first.append(words.counted(len(family_changes), "household change"))
    second = []
    if "challenge_and_escalation" not in absent:
        second.append(words.counted(challenges, "challenge"))
    if agreed and "written_agreements" not in absent:
        second.append(words.counted(agreed, "written agreement"))
    lines = [", ".join(first)]
    if second:
        lines.append(", ".join(second))
    if "adult_needs_open" not in absent and open_adult is not None:
        lines[-1] += f"; {words.counted(open_adult, 'adult need')} still open"
    missing = [what for key, what in TITLE_MEASURES.items() if key in absent]
    if "adult_needs_open" not in absent and open_adult is None:
        missing.append(NEED_RESOLUTION)
    if missing:
        lines[-1] += "; not recorded: " + ", ".join(missing)
    return ("," + line_break).join(lines)


def numbering_note(plans: pd.DataFrame) -> str:
    """Why the first plan here is not plan 1, in plain words ("" when it is): plans are numbered counting the earlier
    plans the source recorded only as a number (an Annex A return's previous plans, the CIN census's
    NumberOfPreviousCPP; docs/definitions.md, "Plan number"), so a child with one plan in the data can have plan 2."""
    if plans.empty or "plan_number" not in plans:
        return ""
    first = int(pd.to_numeric(plans["plan_number"]).min())
    if first <= 1:
        return ""
    before = first - 1
    return (f"Plan {first} is this child's first plan in this data: its source recorded "
            f"{words.counted(before, 'earlier plan')} only as a count, with no dates, so plans are numbered from {first}; "
            f"the count of CP plans ({len(plans)}) is of the plans in this data only.")


def timeline_figure(plans: pd.DataFrame, events: pd.DataFrame, family_changes: pd.DataFrame,
                    needs: pd.DataFrame, as_of: date | None = None, title: str | None = None,
                    absent: Mapping[str, str] | None = None) -> go.Figure:
    """Build the timeline from the frames of `paqa_dash.chronology` (any of them may be empty); `absent`: the
    measures the child's data does not record (timeline_title)."""
    as_of_ts = _as_of(as_of)
    lane_names = lanes(events, needs)
    y_of = {name: -i for i, name in enumerate(lane_names)}   # top lane at 0, going down
    fig = go.Figure()

    # Plans: bars plus shading across all lanes.
    if not plans.empty:
        starts = pd.to_datetime(plans["start_date"])
        ends = pd.to_datetime(plans["end_date"]).fillna(as_of_ts)
        is_open = plans["end_date"].isna()
        dur_days = (ends - starts).dt.days
        numbers = plans["plan_number"] if "plan_number" in plans else pd.Series(range(1, len(plans) + 1))
        labels = [f"Plan {n}" + (" (open)" if o else "") for n, o in zip(numbers, is_open)]
        hover = [
            f"<b>Plan {n}</b> ({_words(cat, CATEGORY_LABELS)})<br>{_fmt(s)} to {_fmt(e)}<br>{words.counted(d, 'day')}<br>team: {t}"
            f"<br>ended: {_words(r, END_REASON_LABELS)}"
            for n, cat, s, e, d, t, r in zip(numbers, plans.get("initial_category", ""), plans["start_date"],
                                              plans["end_date"], dur_days, plans.get("team", ""),
                                              plans.get("end_reason", pd.Series([None] * len(plans))).fillna("-"))
        ]
        fig.add_trace(go.Bar(
            name="CP plan", orientation="h", base=starts, x=(dur_days.clip(lower=1) * _DAY_MS).tolist(),
            y=[y_of["CP plans"]] * len(plans), width=0.6, text=labels, textposition="inside",
            insidetextanchor="middle", textangle=0, marker=dict(color=PLAN_COLOUR, pattern=dict(
                shape=["/" if o else "" for o in is_open], fgcolor="white", fillmode="overlay")),
            hovertext=hover, hoverinfo="text", textfont=dict(color="white"),
        ))
        for s, e in zip(starts, ends):
            fig.add_vrect(x0=s, x1=e, fillcolor=PLAN_COLOUR, opacity=0.07, line_width=0, layer="below")

    # Events: one trace per kind, on its own sub-row of the agency lane.
    if not events.empty:
        ev = events.copy()
        ev["lane"] = ev["agency"].map(_lane_of_agency)
        ev["kind"] = ev["event_type"].map(_kind_of)
        for label, _types, colour, symbol, offset in EVENT_KINDS:
            sub = ev[ev["kind"] == label]
            if sub.empty:
                continue
            detail = sub["detail"].fillna("").astype(str).str.slice(0, 120) if "detail" in sub else ""
            fig.add_trace(go.Scatter(
                name=label, mode="markers", x=pd.to_datetime(sub["event_date"]),
                y=sub["lane"].map(y_of) + offset,
                marker=dict(color=colour, symbol=symbol, size=9, opacity=0.85,
                            line=dict(width=1, color=colour)),
                customdata=list(zip(sub["event_type"].map(lambda t: _words(t, EVENT_TYPE_LABELS)),
                                    sub["agency"].map(lambda a: _words(a, AGENCY_LABELS)), detail)),
                hovertemplate="%{x|%d %b %Y}<br><b>%{customdata[0]}</b> (%{customdata[1]})<br>%{customdata[2]}"
                              "<extra></extra>",
            ))

    # Household changes.
    if not family_changes.empty:
        fc = family_changes
        fig.add_trace(go.Scatter(
            name="Household change", mode="markers", x=pd.to_datetime(fc["change_date"]),
            y=[y_of["Household changes"]] * len(fc),
            marker=dict(color=HOUSEHOLD_COLOUR, symbol="star", size=12, line=dict(width=1, color="black")),
            customdata=list(zip(fc["change_type"].map(lambda t: _words(t, CHANGE_TYPE_LABELS)),
                                fc.get("detail", pd.Series([""] * len(fc))).fillna(""))),
            hovertemplate="%{x|%d %b %Y}<br><b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
        ))

    # Needs: bars identified -> resolved (or open to the as-of date).
    if not needs.empty:
        nd = needs.copy()
        nd["factor"] = nd["factor"].astype(str).str.upper()
        starts = pd.to_datetime(nd["identified_date"])
        ends = pd.to_datetime(nd["resolved_date"]).fillna(as_of_ts)
        # a need whose source records no resolution (a CIN census) is not "still open": its end is not known
        known = resolution_known(nd)
        is_open = nd["resolved_date"].isna() & known
        for adult, colour, name in ((True, HUES["vermillion"], "Adult need"),
                                    (False, HUES["orange"], "Child / other need")):
            mask = nd["factor"].isin(ADULT_FACTORS) == adult
            if not mask.any():
                continue
            sub = nd[mask]
            dur = (ends[mask] - starts[mask]).dt.days.clip(lower=1)
            fig.add_trace(go.Bar(
                name=name, orientation="h", base=starts[mask], x=(dur * _DAY_MS).tolist(),
                y=[y_of[f"Need {factor_label(f)}"] for f in sub["factor"]], width=0.5,
                marker=dict(color=colour, pattern=dict(shape=["/" if o else "" for o in is_open[mask]],
                                                       fgcolor="white", fillmode="overlay")),
                hovertext=[f"<b>{factor_label(f)}</b><br>identified {_fmt(s)}<br>"
                           + ("still open" if o else f"resolved {_fmt(r)}" if k else
                              f"resolution {NOT_RECORDED}") + f"<br>{words.counted(d, 'day')}"
                           for f, s, r, o, k, d in zip(sub["factor"], sub["identified_date"], sub["resolved_date"],
                                                       is_open[mask], known[mask], dur)],
                hoverinfo="text",
            ))

    fig.add_vline(x=as_of_ts, line=dict(color=HUES["black"], dash="dot", width=1))
    height = max(360, 90 + 44 * len(lane_names)) + LEGEND_HEIGHT
    style.apply_layout(fig, title or timeline_title(plans, events, family_changes, needs, absent), height=height)
    # The key under the chart, the figure made taller by its height: beside the plot it left the lanes about 60 px
    # on an 800 px laptop.  Long need lanes break before their "(whose)".
    fig.update_layout(
        barmode="overlay", margin=dict(l=10, r=10, t=90, b=10),
        legend=dict(font=dict(size=11), entrywidth=150, xref="container", x=0.01, yref="container", y=0.01,
                    yanchor="bottom"),
        hovermode="closest", plot_bgcolor="white",
    )
    fig.update_yaxes(tickvals=[y_of[n] for n in lane_names], ticktext=[n.replace(" (", "<br>(") for n in lane_names],
                     range=[-len(lane_names) + 0.5, 0.6], title_text="Kind of record", showgrid=True,
                     gridcolor="#eeeeee", zeroline=False, fixedrange=True)
    fig.update_xaxes(type="date", title_text="Date", showgrid=True, gridcolor="#eeeeee",
                     rangeslider=dict(visible=True, thickness=0.05))
    return fig


def timeline_table(plans: pd.DataFrame, events: pd.DataFrame, family_changes: pd.DataFrame,
                   needs: pd.DataFrame) -> pd.DataFrame:
    """The same chronology as one long table (the chart's "Show as table"): date, until, lane, what (in words),
    what_code (the code behind it: event type, household change, factor, category), detail (in words)."""
    rows: list[pd.DataFrame] = []
    if not plans.empty:
        numbers = plans.get("plan_number", pd.Series(range(1, len(plans) + 1))).astype(str)
        rows.append(pd.DataFrame({
            "date": plans["start_date"], "until": plans["end_date"], "lane": "CP plans",
            "what": "Plan " + numbers + " (" + plans["initial_category"].map(lambda c: _words(c, CATEGORY_LABELS)) + ")",
            "what_code": plans["initial_category"],
            "detail": "team " + plans["team"].fillna("-").astype(str) + "; ended: "
                      + plans["end_reason"].map(lambda r: _words(r, END_REASON_LABELS, "open"))}))
    if not events.empty:
        rows.append(pd.DataFrame({
            "date": events["event_date"], "until": pd.NaT, "lane": events["agency"].map(_lane_of_agency),
            "what": events["event_type"].map(lambda t: _words(t, EVENT_TYPE_LABELS)), "what_code": events["event_type"],
            "detail": events["detail"]}))
    if not family_changes.empty:
        rows.append(pd.DataFrame({
            "date": family_changes["change_date"], "until": pd.NaT, "lane": "Household changes",
            "what": family_changes["change_type"].map(lambda t: _words(t, CHANGE_TYPE_LABELS)),
            "what_code": family_changes["change_type"], "detail": family_changes["detail"]}))
    if not needs.empty:
        rows.append(pd.DataFrame({
            "date": needs["identified_date"], "until": needs["resolved_date"], "lane": "Needs",
            "what": needs["factor"].map(factor_label), "what_code": needs["factor"], "detail": None}))
    if not rows:
        return pd.DataFrame(columns=["date", "until", "lane", "what", "what_code", "detail"])
    out = pd.concat([r.astype(object) for r in rows], ignore_index=True)
    out["date"] = pd.to_datetime(out["date"])
    out["until"] = pd.to_datetime(out["until"])
    return out.sort_values(["date", "lane"], kind="stable").reset_index(drop=True)


def actions_side_by_side(actions: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Each later plan's actions beside the earlier action they repeat (the duplicated-action definition).

    One row per action of a plan after the child's first plan in the store, paired with its best-matching
    earlier action when that match scores at least `threshold` (a duplicate), else alone; plus (so the
    earlier plan reads in full) each action of the plan before it that no later action repeats.  Columns: plan
    (the later plan's number), action, status, owner, earlier_plan, earlier_action, similarity,
    duplicate (similarity >= threshold).
    """
    cols = ["plan", "action", "status", "owner", "earlier_plan", "earlier_action", "similarity", "duplicate"]
    if actions.empty or actions["plan_number"].nunique() < 2:
        return pd.DataFrame(columns=cols)
    numbers = sorted(actions["plan_number"].dropna().unique())
    out: list[dict] = []
    for prev, later in zip(numbers, numbers[1:]):
        this = actions[actions["plan_number"] == later]
        for _, a in this.iterrows():
            score = a["score"]
            dup = bool(pd.notna(score) and score >= threshold)
            out.append({"plan": int(later), "action": a["action_text"], "status": a["status"],
                        "owner": a["owner_agency"],
                        "earlier_plan": int(a["matches_plan_number"]) if dup and pd.notna(a["matches_plan_number"]) else None,
                        "earlier_action": a["matches_text"] if dup else None,
                        "similarity": round(float(score), 2) if dup else None,
                        "duplicate": dup})
        matched = set(this.loc[this["score"].fillna(0) >= threshold, "matches_action_id"].dropna())
        for _, a in actions[(actions["plan_number"] == prev) & ~actions["action_id"].isin(matched)].iterrows():
            out.append({"plan": int(later), "action": None, "status": None, "owner": None,
                        "earlier_plan": int(prev), "earlier_action": a["action_text"], "similarity": None,
                        "duplicate": False})
    frame = pd.DataFrame(out, columns=cols)
    frame["similarity"] = frame["similarity"].astype("float64")
    frame["earlier_plan"] = frame["earlier_plan"].astype("Int64")
    return frame
