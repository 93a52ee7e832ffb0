"""The child timeline's sections for audit questions 2 and 7: the gaps between the child's plans with their
concerns (a strip), and whether each review, core group and new concern was followed by a plan update in time.

Why a module apart from the page: the timeline page is shared by several parts of the audit; these two sections
are drawn here and called from it in one line each.
"""
from __future__ import annotations

from typing import Callable, Mapping

import pandas as pd
import streamlit as st

from paqa_dash.figures import between as between_figs
from paqa_dash.filters import Filters
from paqa_dash.metrics import between, refresh
from paqa_dash.reference.codes import AGENCY_LABELS, REFRESH_STATUS_LABELS as STATUS_LABELS
from paqa_dash.reference.concerns import CONCERN_BAND_LABELS, CONCERN_GROUP_LABELS, TRIGGER_LABELS
from paqa_dash.reference.recorded import NOT_RECORDED, recorded_columns
from paqa_dash.settings import Thresholds
from paqa_dash.ui import anchors, components, data
from paqa_dash.reference.words import counted, plural

GAP_COLUMNS = ["plan_number", "previous_end", "start_date", "gap_days", "concerns", "impact_events", "band",
               "first_concern", "strategy_date", "icpc_date", "days_to_strategy", "days_to_icpc", "days_to_plan"]


def child_sections(child_id: str, as_of, thresholds: Thresholds, absent: dict[str, str],
                   earlier_undated: bool = False) -> None:
    """Both sections for one child (`absent`: coverage.not_recorded of the child's data; `earlier_undated`: the
    child's first plan here is a repeat plan whose earlier plans the source gave only as a count)."""
    one = Filters(as_of=as_of, child_ids=(child_id,))
    _between(one, thresholds, absent, earlier_undated)
    _refresh(one, thresholds, absent.get("plan_refresh"))


def _section_rows(title: str, what: str, why: str | None, reader, one: Filters, thresholds: Thresholds,
                  none_text: str | Callable[[], None]) -> pd.DataFrame | None:
    """A section's heading, then its rows, or None with the reason shown instead: the data is not recorded
    (`what` is `why`), the reader refused the user's scope, or the child has no rows (`none_text`, or what says
    so in its own way)."""
    st.subheader(title)
    if why:
        st.info(f"{what} {why}.", icon=":material/database:")
        return None
    rows = data.cached_or_refused(reader, one, thresholds)
    if rows is None:
        return None
    if rows.empty:
        if callable(none_text):
            none_text()
        else:
            st.info(none_text, icon=":material/info:")
        return None
    return rows


def _between(one: Filters, thresholds: Thresholds, absent: Mapping[str, str], earlier_undated: bool = False) -> None:
    """The child's gaps between plans (`absent`: coverage.not_recorded of the child's data); without incidents or
    missed appointments recorded (a census) no "0 of them impact on the child" and no column of zeros: impact is said
    to be not recorded.  With no gap, a child whose plan here is a repeat plan with undated earlier plans
    (`earlier_undated`: an Annex A return's count) is told so, not "no repeat plan", beside the tiles' and title's
    "Plan 2".  A column whose measure is not recorded (recorded.GAP_COLUMN_MEASURES: a band per gap from referrals
    alone, blank strategy dates) is left out, and the caption says what is not recorded."""
    why, impact = absent.get("between_plans"), "impact_before_decision" not in absent
    volume_why, strategy_why = absent.get("concern_volume"), absent.get("days_to_strategy")
    gaps = _section_rows("Between plans", "Concerns between plans are", why, between.plan_rows, one, thresholds,
                         (lambda: components.undated_earlier_plans("The time between this child's plans"))
                         if earlier_undated else "This child has no repeat plan that started after an earlier plan had ended.")
    if gaps is None:
        return
    concerns = data.cached(between.concern_rows, one, thresholds)
    columns = recorded_columns(GAP_COLUMNS, absent)
    table = components.as_dates(gaps[columns], ["previous_end", "start_date", "first_concern", "strategy_date",
                                                "icpc_date"])
    components.chart_card(
        between_figs.child_strip(gaps, concerns, impact_recorded=impact),
        "Each gap between this child's plans (grey: from the previous plan's end to the repeat plan's start) with "
        + ("the concerns recorded in it (crosses: impact on the child — incidents, police call-outs, missed "
           "appointments; dots: other concerns)" if impact else
           f"the concerns recorded in it (dots; impact on the child — incidents, police call-outs, missed "
           f"appointments — is {NOT_RECORDED})")
        + " and the strategy discussion and ICPC that led to the repeat plan "
        f"({components.definition_link(anchors.BETWEEN_PLANS)}). The table gives the days from the first concern "
        "to each step. Source: the store's events and plans."
        + (f" Contacts, incidents and missed appointments are {volume_why}." if volume_why else "")
        + (f" Strategy discussions are {strategy_why}." if strategy_why else ""),
        table, key="timeline_between", words={"band": CONCERN_BAND_LABELS})
    if len(concerns):
        components.table_expander(
            components.as_dates(concerns[["event_date", "grp", "agency", *(["impact"] if impact else []), "event_type"]],
                                ["event_date"]),
            key="timeline_between_concerns", label=f"The {counted(len(concerns), 'concern')} between plans",
            words={"grp": CONCERN_GROUP_LABELS, "agency": AGENCY_LABELS})


def refresh_sentence(status: pd.Series, days: int) -> str:
    """The child's plan refresh in one sentence, from each trigger's `status`: on_time, late, or not_due (its deadline
    falls after its plan's end or the data's date: queries/metrics/refresh.sql).  None due is said so: "0 of 0 ...
    whose deadline has passed" read as a count of failures."""
    late = int((status == "late").sum())
    due = int(status.isin(["on_time", "late"]).sum())
    within = f"within {counted(days, 'day')}"
    if due == 0:
        return (f"Nothing to count: a plan update is due {within} of each review, core group or new concern, and "
                f"for each of this child's that deadline falls after its plan ended or after the data's date.")
    triggers = counted(due, "review, core group or new concern", "reviews, core groups and new concerns")
    return (f"{due - late} of {triggers} whose deadline has passed {plural('was', due - late)} followed by a plan "
            f"update {within}.")


def _refresh(one: Filters, thresholds: Thresholds, why: str | None) -> None:
    rows = _section_rows("Plan refresh", "Plan updates are", why, refresh.trigger_rows, one, thresholds,
                         "No review, core group or new concern during this child's plans.")
    if rows is None:
        return
    st.markdown(f"**{refresh_sentence(rows['status'], thresholds.plan_update_days)}**")
    table = components.as_dates(rows[["plan_id", "trigger", "trigger_date", "due", "updated_on", "status"]],
                                ["trigger_date", "due", "updated_on"])
    components.table_expander(table, key="timeline_refresh", label="Each trigger and the plan update that followed",
                              words={"trigger": TRIGGER_LABELS, "status": STATUS_LABELS})
    st.caption(f"Plan refresh ({components.definition_link(anchors.PLAN_REFRESH)}): after each review conference, "
               "core group and new concern (incident or police call-out, household change, new need) during a "
               "plan, the first plan update on or after it. Source: the store's events, family_changes and needs.")
