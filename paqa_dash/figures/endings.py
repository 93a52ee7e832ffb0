"""Plan-endings charts: ended plans by DfE duration band beside England (table D7), and the
ending reasons (docs/definitions.md) split by what followed."""
from __future__ import annotations

from typing import Sequence

import pandas as pd
import plotly.graph_objects as go

from ..reference import benchmarks
from ..reference.codes import ENDING_REASONS, REASON_LABELS
from ..reference.recorded import NOT_RECORDED, and_list
from .style import (ENGLAND, HIGHLIGHT, LOCAL, ROOM_ABOVE, apply_layout, colour, compared_pct, counted_each,
                    empty_figure, nothing_to_draw, pct_labels, pct_text, portion, share_axis, share_text, stack,
                    WARNING_SIGN)

# each ending reason and the column of its count (ending_outcomes): the code in lower case
REASON_COLUMNS = tuple((code, code.lower()) for code in ENDING_REASONS)
# The third is every other ending with a sign: the window over with no plan in it (most have no later plan at
# all), or an ending no re-plan can follow (died, reached 18, moved away); "later plan after the window" named
# the few with one.
OUTCOME_ORDER = ("Re-planned within the window (premature)", "No later plan yet (at risk)",
                 "Not re-planned within the window, or a final ending")


def bands_vs_england(bands: pd.DataFrame, england: pd.DataFrame, base: int | None) -> go.Figure:
    """Share of ended plans in each duration band, here and in England.  `base`: the plans ended; where not
    benchmarks.comparable(base) the title gives the count and says there are too few to set against England's."""
    year = int(england["year"].iloc[0])
    fig = go.Figure()
    fig.add_bar(x=bands["label"], y=bands["share"], name="Here", marker_color=LOCAL,
                customdata=counted_each(bands["plans"], "plan"), text=[pct_text(v) for v in bands["share"]],
                textposition="outside",
                hovertext=pct_labels(bands["share"]),
                hovertemplate="%{x}<br>%{hovertext} of plans ended here<br>%{customdata}<extra></extra>")
    fig.add_bar(x=bands["label"], y=england["share"], name=f"England {benchmarks.year_label(year)}", marker_color=ENGLAND,
                text=[pct_text(v) for v in england["share"]], textposition="outside",
                hovertemplate="%{x}<br>%{y:.1%} of plans ended in England (DfE D7)<extra></extra>")
    short, eng_short = bands["share"].iloc[0], england["share"].iloc[0]
    if short is None or pd.isna(short):
        title = "Ended plans by how long they lasted"
    elif not benchmarks.comparable(base):
        ended = portion(bands["plans"].iloc[0], base, "plan ended", "plans ended")
        title = f"{ended} within 3 months: {benchmarks.too_few()}"
    else:
        here, there = compared_pct(short, eng_short)
        title = f"{here} of plans ended within 3 months, against {there} in England"
    fig.update_layout(barmode="group")
    share_axis(fig, "y", list(bands["share"]) + list(england["share"]), room=ROOM_ABOVE)
    return apply_layout(fig, title, "How long the plan lasted (DfE duration band)", "Plans ended (%)", y_percent=True)


def outcome_of(frame: pd.DataFrame) -> pd.Series:
    """What followed an ended plan, in the words of the chart."""
    out = pd.Series(OUTCOME_ORDER[2], index=frame.index, dtype=object)
    out[frame["at_risk"].astype(bool)] = OUTCOME_ORDER[1]
    out[frame["premature"].astype(bool)] = OUTCOME_ORDER[0]
    return out


def reason_counts(endings: pd.DataFrame) -> pd.DataFrame:
    """reason (label), outcome, plans: ended plans with each reason (a plan can have several)."""
    rows = []
    outcome = outcome_of(endings)
    for code, col in REASON_COLUMNS:
        mask = endings[col].astype(bool)
        for o in OUTCOME_ORDER:
            rows.append({"reason": REASON_LABELS[code], "outcome": o, "plans": int((mask & (outcome == o)).sum())})
    return pd.DataFrame(rows, columns=["reason", "outcome", "plans"])


def reason_counts_from_outcomes(outcomes: pd.DataFrame) -> pd.DataFrame:
    """reason_counts' frame from cohort_data.ending_outcomes (counts already summed in SQL by what
    followed), so the page never needs every ended plan."""
    which = outcome_of(outcomes) if len(outcomes) else pd.Series(dtype=object)
    rows = []
    for code, col in REASON_COLUMNS:
        for o in OUTCOME_ORDER:
            rows.append({"reason": REASON_LABELS[code], "outcome": o,
                         "plans": int(outcomes.loc[which == o, col].sum()) if len(outcomes) else 0})
    return pd.DataFrame(rows, columns=["reason", "outcome", "plans"])


def reasons_bars(counts: pd.DataFrame, plans_ended: int, with_reason: int,
                 unchecked: Sequence[str] = ()) -> go.Figure:
    """Ended plans with each warning sign, stacked by what followed; the finding and a message, no axes, when no
    ended plan showed one.  `unchecked`: the labels of signs the data cannot show (no plan actions): no bar for
    them (it would read as none), and the title names them."""
    counts = counts[~counts["reason"].isin(unchecked)]
    # under benchmarks.COMPARE_FROM ended plans the count alone ("6 of 16 ended plans"), not "38%" (the small-base rule)
    ended = (f"{share_text(with_reason, plans_ended)} of ended plans ({with_reason:,} of {plans_ended:,})"
             if benchmarks.comparable(plans_ended) else portion(with_reason, plans_ended, "ended plan"))
    title = (f"{ended} ended with "
             + (f"a warning sign checked; {and_list([u.lower() for u in unchecked])} not checked ({NOT_RECORDED})"
                if unchecked else "at least one warning sign"))
    if nothing_to_draw(counts["plans"]):
        return empty_figure(title, "No ended plan in the period showed a warning sign")
    fig = go.Figure()
    colours = {OUTCOME_ORDER[0]: HIGHLIGHT, OUTCOME_ORDER[1]: colour(1), OUTCOME_ORDER[2]: colour(5)}
    for o in OUTCOME_ORDER:
        part = counts[counts["outcome"] == o]
        fig.add_bar(y=part["reason"], x=part["plans"], name=o, orientation="h", marker_color=colours[o],
                    customdata=counted_each(part["plans"], "plan"),
                    hovertemplate="%{y}<br>" + o + "<br>%{customdata}<extra></extra>")
    stack(fig)
    return apply_layout(fig, title, "Ended plans (count)", WARNING_SIGN, height=330)
