"""Core groups & agencies: who attended and contributed, whether meetings were on time, who challenged."""
from __future__ import annotations

import streamlit as st

from paqa_dash import scope
from paqa_dash.figures import agencies as figs
from paqa_dash.metrics import coverage, engagement, timeliness
from paqa_dash.reference.codes import AGENCY_LABELS, EVENT_TYPE_LABELS
from paqa_dash.report.rules import AGENCY_RULE, BY_TEAM_RULE, CHALLENGES_RULE, QUARTER_RULE, TIMELINESS_RULE  # noqa: F401  (shared with the briefing export)
from paqa_dash.report import suppression
from paqa_dash.report.rules import heatmap_finding_rests_on, timeliness_finding_rests_on
from paqa_dash.ui import anchors, components, data, state
from paqa_dash.reference.words import counted

TITLE = "Core groups & agencies"
ICON = ":material/groups:"
ORDER = 50
URL_PATH = "agencies"
ATTENDED = {"rate": "Attended (%)"}
NEEDS = scope.AGGREGATES


AGENCY_WORDS = {"agency": AGENCY_LABELS}
CHALLENGE_WORDS = {**AGENCY_WORDS, "event_type": EVENT_TYPE_LABELS}
SOURCE = "Source: the store's events and attendance tables, plans started in the filtered period."


def _partly(held: coverage.Coverage, *measures: str) -> str:
    """The caption's note where the measures' data covers only some years or teams ('' when all)."""
    notes = [n for n in (held.partial(m) for m in measures) if n]
    return (" " + " ".join(notes)) if notes else ""


def _attendance(filters, thresholds, held: coverage.Coverage) -> None:
    if components.unrecorded(held, "agency_attendance"):
        return
    by_quarter = data.cached(engagement.attendance_by_quarter, filters, thresholds)
    by_agency = engagement.agency_totals(by_quarter)   # the same sums over quarters: one query, not two
    if by_agency.empty or int(by_agency["invited"].sum()) == 0:
        state.nothing_matches("No core group attendance is recorded for these plans")
        return
    measure = st.segmented_control("Heatmap shows", ["Attended", "Contributed"], default="Attended",
                                   key="agencies_measure") or "Attended"
    col = "rate" if measure == "Attended" else "contribution_rate"
    definition = (f"Engagement ({components.definition_link(anchors.AGENCIES)}): per agency, core group meetings "
                  "attended (or contributed to) divided by meetings it was invited to, by the quarter of the "
                  "meeting. Blank cells: no invitation.")
    components.chart_card(figs.attendance_heatmap(components.suppressed(by_quarter, QUARTER_RULE), measure=col,
                                                  by_agency=components.suppressed(by_agency, AGENCY_RULE)),
                          f"{definition} {SOURCE}{_partly(held, 'agency_attendance')}", by_quarter,
                          key="agency_heatmap", rule=QUARTER_RULE, words=AGENCY_WORDS, headings=ATTENDED,
                          finding_rests_on=heatmap_finding_rests_on(by_agency, col, components.suppress_below()))
    components.chart_card(figs.attendance_bars(components.suppressed(by_agency, AGENCY_RULE)),
                          "Attended / invited and contributed / invited over all core groups of the plans "
                          f"({components.definition_link(anchors.AGENCIES)}). {SOURCE}"
                          f"{_partly(held, 'agency_attendance')}", by_agency, key="agency_bars",
                          rule=AGENCY_RULE, words=AGENCY_WORDS, headings=ATTENDED)


def _timeliness(filters, thresholds, held: coverage.Coverage) -> None:
    # Where the data holds no core groups (or reviews) no deadline can be met or missed: say so, count nothing.
    core = {} if components.unrecorded(held, "core_groups") else data.cached(timeliness.core_group_counts, filters,
                                                                              thresholds)
    reviews = {} if components.unrecorded(held, "reviews") else data.cached(timeliness.review_counts, filters,
                                                                             thresholds)
    if not core and not reviews:
        return
    frame = figs.timeliness_frame(core, reviews)
    kept = {label for which, _, label in figs.MEASURES if (core if which == "core" else reviews)}
    frame = frame[frame["measure"].isin(kept)].reset_index(drop=True)   # no bars of zeros for unrecorded data
    if int(frame["n"].sum()) == 0:
        state.nothing_matches("No core group or review deadlines for these plans")
        return
    t = thresholds
    caption = (f"Timeliness, as Working Together sets it ({components.definition_link(anchors.TIMELINESS)}): first "
               f"core group within {counted(t.first_core_group_working_days, 'working day')} of the plan start (weekends and "
               f"England & Wales bank holidays excluded), later core groups at most "
               f"{counted(t.core_group_interval_weeks, 'week')} apart; first review conference within "
               f"{counted(t.first_review_months, 'month')}, later ones at most {counted(t.later_review_months, 'month')} apart; each deadline runs from the "
               "meeting before it. A deadline after the plan's end or the as-of date is not yet due. "
               "Source: the store's events (core group meetings, review conferences) of plans started in the period."
               + _partly(held, "core_groups", "reviews"))
    components.chart_card(figs.timeliness_bars(components.suppressed(frame, TIMELINESS_RULE)), caption, frame,
                          key="agency_timeliness", rule=TIMELINESS_RULE,
                          finding_rests_on=timeliness_finding_rests_on(frame, components.suppress_below()))


def _challenges(filters, thresholds, by_team, held: coverage.Coverage) -> None:
    # a source that records no challenges or escalations (a census extract; a bundle of meetings only): "no agency
    # raised one" would be no finding (the Challenge page says the same)
    if components.unrecorded(held, "challenge_and_escalation"):
        return
    ch = data.cached(engagement.challenges, filters, thresholds)
    if ch.empty:
        st.info("No agency raised a challenge or escalation during these plans.", icon=":material/info:")
        return
    leader = suppression.leader_rests_on(ch, CHALLENGES_RULE, components.suppress_below(), "agency", "events")
    components.chart_card(figs.challenges_bars(components.suppressed(ch, CHALLENGES_RULE),
                                               leader_known=leader is not None),
                          f"Challenge ({components.definition_link(anchors.AGENCIES)}): challenge and escalation "
                          "events by the agency that raised them, linked to a plan or dated within it; hover for "
                          "the number of plans. " + SOURCE,
                          ch, key="agency_challenges", rule=CHALLENGES_RULE, words=CHALLENGE_WORDS,
                          finding_rests_on=leader)
    components.table_expander(figs.challenges_by_team_table(by_team), key="agency_challenges_by_team",
                              label="Plans with a challenge or escalation, by team", rule=BY_TEAM_RULE)


def render() -> None:
    st.title("Core groups & agencies")
    filters = state.current_filters()
    thresholds = state.current_thresholds()
    st.caption(state.described(filters))
    by_team = data.cached(engagement.challenges_by_team, filters, thresholds)
    if int(by_team["plans"].sum()) == 0:
        state.no_plans()
        return
    held = data.cached(coverage.coverage, filters, thresholds)
    st.subheader("Attendance and contribution")
    _attendance(filters, thresholds, held)
    st.subheader("Timeliness of core groups and reviews")
    _timeliness(filters, thresholds, held)
    st.subheader("Challenge and escalation")
    _challenges(filters, thresholds, by_team, held)


if __name__ == "__main__":
    render()
