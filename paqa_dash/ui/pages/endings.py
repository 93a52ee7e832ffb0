"""Plan endings: how long ended plans lasted beside England, the warning signs at the end, the
premature endings and the endings-at-risk watch list (each row links to the child's timeline)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from paqa_dash import scope
from paqa_dash.reference import benchmarks
from paqa_dash.figures import endings as endings_fig
from paqa_dash.filters import Filters
from paqa_dash.metrics import cohorts
from paqa_dash.reference.codes import BAND_LABELS
from paqa_dash.report.safe_csv import csv_bytes
from paqa_dash.settings import Thresholds
from paqa_dash.ui import anchors, components, data, state

TITLE = "Plan endings"
ICON = ":material/event_busy:"
ORDER = 30
URL_PATH = "endings"
NEEDS = scope.AGGREGATES
LIST_ROWS, CSV_ROWS = cohorts.LIST_ROWS, cohorts.CSV_ROWS

TABLE_COLUMNS = {"child_id": "Child", "timeline": "Timeline", "plan_number": "Plan no.", "team": "Team", "start_date": "Started",
                 "end_date": "Ended", "band_label": "Lasted", "reasons_text": "Warning signs",
                 "open_adult_factors": "Open adult factors", "next_start": "Next plan started",
                 "days_to_next_plan": "Days to next plan"}


def _readable(frame: pd.DataFrame) -> pd.DataFrame:
    table = frame.assign(band_label=frame["duration_band"].astype(object).map(BAND_LABELS))
    table = components.as_dates(components.with_timeline_links(table), ["start_date", "end_date", "next_start"])
    return table[list(TABLE_COLUMNS)]


def _list_table(kind: str, total: int, filters: Filters, thresholds: Thresholds, key: str, label: str) -> None:
    """The most recent plans of one list, each linking to the child's timeline, and a CSV of up to
    CSV_ROWS of them made only when asked for (SQL sorts and limits: the page never holds them all)."""
    listed = data.cached_or_refused(cohorts.ending_list, filters, thresholds, kind=kind, limit=LIST_ROWS)
    if listed is None:   # a role that sees aggregates only
        return
    shown = _readable(listed)
    config = {c: st.column_config.Column(label=n) for c, n in TABLE_COLUMNS.items() if c != "timeline"}
    config.update(components.timeline_link_config())
    in_csv = min(total, CSV_ROWS)
    if total > len(shown):
        st.caption(f"Showing the {len(shown):,} most recent of {total:,}. The CSV holds "
                   + (f"all {total:,}." if total <= CSV_ROWS
                      else f"the {CSV_ROWS:,} most recent (downloads are capped at {CSV_ROWS:,} rows)."))

    def csv() -> bytes:
        rows = data.cached(cohorts.ending_list, filters, thresholds, kind=kind, limit=CSV_ROWS)
        return csv_bytes(_readable(rows))

    st.dataframe(shown, hide_index=True, column_config=config, key=f"{key}_list")
    st.download_button(f"Download {label} (CSV, {in_csv:,} rows)", csv, file_name=f"{key}.csv", mime="text/csv",
                       key=f"{key}_csv", icon=":material/download:", on_click="ignore")


def render() -> None:
    st.title("Plan endings")
    filters, thresholds = state.current_filters(), state.current_thresholds()
    window = thresholds.replan_window_months
    st.caption(f"Showing plans that **ended** in the period; {filters.describe()}.")
    bands = data.cached(cohorts.ended_bands, filters, thresholds)
    plans_ended = int(bands["plans"].sum())
    if plans_ended == 0:
        components.empty_state()
        return
    england = benchmarks.duration_shares(benchmarks.reporting_year(filters.date_to or filters.effective_as_of))
    year = int(england["year"].iloc[0])
    components.chart_card(
        endings_fig.bands_vs_england(bands, england),
        "Plans that ended in the period by how long they lasted, in the DfE's duration bands (3 months or less = "
        "ended at most 3 calendar months after the start; "
        f"{components.definition_link(anchors.DURATION_BANDS)}). England: plans ended in the year ending "
        f"31 March {year}. Source for England: {benchmarks.SOURCE_D7}.",
        bands.assign(england_share=england["share"].to_numpy()), key="endings_bands")

    outcomes = data.cached(cohorts.ending_outcomes, filters, thresholds)
    counts = endings_fig.reason_counts_from_outcomes(outcomes)
    with_reason = int(outcomes["any_reason"].sum())
    components.chart_card(
        endings_fig.reasons_bars(counts, plans_ended, with_reason),
        f"Warning signs at the end of a plan ({components.definition_link(anchors.ENDINGS)}): short plan "
        f"(at most {thresholds.short_plan_months} months); "
        "actions not done (an action open or not done at the end, or completed after it); adult need unaddressed "
        "(a parent's or household adult's factor — alcohol, drugs, domestic abuse, mental health, learning or "
        "physical disability — open at the end with no completed action addressing it). A plan can show several. "
        f"Premature: another plan started within {window} months of the end.",
        counts, key="endings_reasons")

    st.subheader("Premature endings")
    premature = int(outcomes.loc[outcomes["premature"], "plans"].sum())
    st.caption(f"Ended plans with at least one warning sign, followed by another plan for the same child within "
               f"{window} months: {premature:,} plans, most recent first.")
    if premature == 0:
        components.empty_state("No premature endings match these filters", "")
    else:
        _list_table("premature", premature, filters, thresholds, "premature_endings", "premature endings")

    st.subheader("Endings at risk: the watch list")
    at_risk = int(outcomes.loc[outcomes["at_risk"], "plans"].sum())
    st.caption(f"Ended plans with at least one warning sign and no later plan yet: {at_risk:,} plans, most "
               "recent first. Open a child's timeline to review the case.")
    if at_risk == 0:
        components.empty_state("No endings at risk match these filters", "")
    else:
        _list_table("at_risk", at_risk, filters, thresholds, "endings_at_risk", "watch list")


if __name__ == "__main__":
    render()
