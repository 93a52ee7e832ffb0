"""Plan endings: how long ended plans lasted beside England, the warning signs at the end, the
premature endings and the endings-at-risk watch list (each row links to the child's timeline)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from paqa_dash import scope
from paqa_dash.reference import benchmarks
from paqa_dash.figures import endings as endings_fig
from paqa_dash.filters import Filters
from paqa_dash.metrics import cohorts, coverage
from paqa_dash.reference import ending_lists
from paqa_dash.reference.codes import BAND_LABELS, REASON_LABELS
from paqa_dash.reference.recorded import sentence_of
from paqa_dash.report.rules import BANDS_RULE, REASONS_RULE  # noqa: F401  (shared with the briefing export)
from paqa_dash.report.rules import reasons_finding_rests_on
from paqa_dash.settings import Thresholds
from paqa_dash.ui import anchors, components, data, state
from paqa_dash.reference.words import counted

TITLE = "Plan endings"
ICON = ":material/event_busy:"
ORDER = 30
URL_PATH = "endings"
NEEDS = scope.AGGREGATES
LIST_ROWS, CSV_ROWS = cohorts.LIST_ROWS, cohorts.CSV_ROWS


def _tables(frame: pd.DataFrame, kind: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The list (on screen, in the CSV): the page's columns, in words, each child's authority named in a store of
    several; the CSV under the page's headings, without the links, with the codes behind the words (for joining
    to other systems).  The briefing's sheet of the watch list is the same CSV (ending_lists.tables)."""
    return ending_lists.tables(components.with_timeline_links(state.with_authority(frame)), kind)


def _list_table(kind: str, total: int, filters: Filters, thresholds: Thresholds, key: str, label: str) -> None:
    """The plans of one list (the watch list riskiest first, premature endings most recent first), each linking
    to the child's timeline, and a CSV of up to CSV_ROWS of them made only when asked for (SQL sorts and
    limits: the page never holds them all)."""
    listed = data.cached_or_refused(cohorts.ending_list, filters, thresholds, kind=kind, limit=LIST_ROWS)
    if listed is None:   # a role that sees aggregates only
        return
    shown = _tables(listed, kind)[0]
    config = components.child_list_config(ending_lists.columns(kind, ending_lists.AUTHORITY in shown))
    in_csv = min(total, CSV_ROWS)
    order = "riskiest" if kind == "at_risk" else "most recent"
    if total > len(shown):
        st.caption(f"Showing the {len(shown):,} {order} of {components.aggregate_count(total)}. The CSV holds "
                   + (f"all {components.aggregate_count(total)}." if total <= CSV_ROWS
                      else f"the {CSV_ROWS:,} {order} (downloads are capped at {CSV_ROWS:,} rows)."))

    def csv() -> bytes:
        rows = data.cached(cohorts.ending_list, filters, thresholds, kind=kind, limit=CSV_ROWS)
        return components.table_csv(_tables(rows, kind)[1], config)

    components.data_table(shown, f"{key}_list", column_config=config)
    components.csv_download(f"Download {label} (CSV, {counted(in_csv, 'row')})", csv, f"{key}.csv", f"{key}_csv")


def render() -> None:
    st.title("Plan endings")
    filters, thresholds = state.current_filters(), state.current_thresholds()
    window = thresholds.replan_window_months
    st.caption(f"Showing plans that **ended** in the period; {state.described(filters)}.")
    bands = data.cached(cohorts.ended_bands, filters, thresholds)
    plans_ended = int(bands["plans"].sum())
    if plans_ended == 0:
        state.no_plans(ended=True)
        return
    wanted = benchmarks.reporting_year(filters.date_to or filters.effective_as_of)
    england = benchmarks.duration_shares(wanted)
    year = int(england["year"].iloc[0])
    # England's year is the nearest one published when the period's own is not: say so, not only in the legend
    other_year = "" if year == wanted else (f" (the nearest year published: the period ends in "
                                            f"{benchmarks.year_label(wanted)})")
    components.chart_card(
        endings_fig.bands_vs_england(components.suppressed(bands, BANDS_RULE), england, base=plans_ended),
        "Plans that ended in the period by how long they lasted, in the DfE's duration bands (3 months or less = "
        "ended at most 3 calendar months after the start; "
        f"{components.definition_link(anchors.DURATION_BANDS)}). England: plans ended in the year ending "
        f"31 March {year}{other_year}. Source for England: {benchmarks.SOURCE_D7}.",
        bands.assign(england_share=england["share"].to_numpy()), key="endings_bands", rule=BANDS_RULE,
        words={"band": BAND_LABELS}, headings={"band": "Lasted", "label": None})   # the band's words once; its code in the CSV

    outcomes = data.cached(cohorts.ending_outcomes, filters, thresholds)
    held = data.cached(coverage.coverage, filters, thresholds)
    # A short plan needs only dates, so the signs are counted in every source; where the data lacks what the others
    # are read from (no plan actions: a CIN census, an Annex A return) they get no bar (it would read 0) and every
    # count below says they were not checked, as the Overview and the Regional view do.
    unchecked = held.signs_note()
    _reasons(outcomes, plans_ended, thresholds, tuple(held.unchecked_signs()), unchecked)

    st.subheader("Premature endings")
    premature = int(outcomes.loc[outcomes["premature"], "plans"].sum())
    st.caption(f"Ended plans with at least one warning sign, followed by another plan for the same child within "
               f"{counted(window, 'month')}: " + _how_many(premature, unchecked, "most recent first"))
    if premature == 0 and not unchecked:
        components.empty_state("No premature endings match these filters", "")
    elif premature:
        _list_table("premature", premature, filters, thresholds, "premature_endings", "premature endings")

    st.subheader("Endings at risk: the watch list")
    at_risk = int(outcomes.loc[outcomes["at_risk"], "plans"].sum())
    st.caption(f"Ended plans with at least one warning sign and no later plan yet that could still be re-planned: "
               f"ended within the last {counted(window, 'month')}, and not because the child died, reached 18 or moved to "
               f"another authority ({components.definition_link(anchors.ENDINGS)}). "
               + _how_many(at_risk, unchecked, "most warning signs first, then the most recent; a child who became "
                           "looked after is marked. Open a child's timeline to review the case"))
    if at_risk == 0 and not unchecked:
        components.empty_state("No endings at risk match these filters", "")
    elif at_risk:
        _list_table("at_risk", at_risk, filters, thresholds, "endings_at_risk", "watch list")


def _how_many(n: int, unchecked: str, order: str) -> str:
    """The end of a list's caption: how many plans and in what order; where the data cannot show some warning signs
    (`unchecked`: coverage.Coverage.signs_note), which were not checked (none found is then not "none")."""
    if n == 0 and unchecked:
        return f"none among the signs checked. {sentence_of(unchecked)}"
    shown = f"{counted(n, 'plan', shown=components.aggregate_count(n))}, {order}."
    return f"{shown} {sentence_of(unchecked)}" if unchecked else shown


def _reasons(outcomes: pd.DataFrame, plans_ended: int, thresholds: Thresholds, unchecked_codes: tuple[str, ...],
             unchecked: str) -> None:
    """The warning signs at the end of the ended plans, stacked by what followed; a sign the data cannot show
    (`unchecked_codes`, in words `unchecked`) has no bar and is named."""
    window = thresholds.replan_window_months
    labels = tuple(REASON_LABELS[c] for c in unchecked_codes)
    counts = endings_fig.reason_counts_from_outcomes(outcomes)
    counts = counts[~counts["reason"].isin(labels)].reset_index(drop=True)
    with_reason = int(outcomes["any_reason"].sum())
    if unchecked:
        st.caption(sentence_of(unchecked))
    components.chart_card(
        endings_fig.reasons_bars(components.suppressed(counts, REASONS_RULE), plans_ended, with_reason, labels),
        f"Warning signs at the end of a plan ({components.definition_link(anchors.ENDINGS)}): short plan "
        f"(at most {counted(thresholds.short_plan_months, 'month')}); "
        "actions not done (an action open or not done at the end, or completed after it); adult need unaddressed "
        "(a parent's or household adult's factor — alcohol, drugs, domestic abuse, mental health, learning or "
        "physical disability — open at the end with no completed action addressing it). A plan can show several. "
        f"Premature: another plan started within {counted(window, 'month')} of the end.",
        counts, key="endings_reasons", rule=REASONS_RULE,
        finding_rests_on=reasons_finding_rests_on(counts, with_reason, plans_ended))


if __name__ == "__main__":
    render()
