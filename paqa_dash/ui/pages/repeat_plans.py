"""Repeat plans: what follows a first plan (cohort curves, gaps, pathways) and the repeat share by team."""
from __future__ import annotations

import streamlit as st

from paqa_dash import scope
from paqa_dash.reference import benchmarks
from paqa_dash.reference.codes import BAND_LABELS, CATEGORY_LABELS
from paqa_dash.reference.recorded import NOT_RECORDED, some_undated, undated_for
from paqa_dash.figures import cohorts as cohort_figures
from paqa_dash.metrics import cohorts
from paqa_dash.metrics import sequence
from paqa_dash.report.rules import COHORT_RULE, CURVE_RULE, GAPS_RULE, PATHS_RULE, TEAM_RULE  # shared with the briefing export
from paqa_dash.report.rules import cohort_finding_rests_on, gap_totals, gaps_finding_rests_on
from paqa_dash.ui import anchors, components, data, state
from paqa_dash.reference.words import counted, plural

TITLE = "Repeat plans"
ICON = ":material/replay:"
ORDER = 20
URL_PATH = "repeat_plans"
NEEDS = scope.AGGREGATES
FOLLOWED_UP_VIEWS = "the cohort and pathway views"   # the sidebar names their years (state.sidebar_period_note)

# the label is what the URL carries (?split=Length)
SPLIT_LABELS = {"cohort": "Year", "band": "Length", "category": "Category"}
SPLIT_WORDS = {"band": BAND_LABELS, "category": CATEGORY_LABELS}   # a split's groups in words (codes in the CSV)


def render() -> None:
    st.title("Repeat plans")
    filters, thresholds = state.current_filters(), state.current_thresholds()
    window = thresholds.replan_window_months
    st.caption(f"Showing {state.described(filters)}. {state.period_note(filters)} The cohort and pathway views follow children's **first** plans "
               "(the plan-number filter does not apply to them).")

    st.subheader("After a first plan ends")
    split = state.coded(st.segmented_control, "Split first plans by (year started, length, category)", "split",
                        SPLIT_LABELS, default="cohort", required=True) or "cohort"
    cohort_filters, cohort_note = state.followed_up(filters, thresholds)
    if cohort_note:
        st.caption(cohort_note)
    curve = data.cached(cohorts.cohort_curve, cohort_filters, thresholds, split=split, max_months=36)
    if curve.empty or int(curve.loc[curve["months"] == 0, "followed_up"].sum()) == 0:
        state.no_plans(followed_up_for=thresholds, noun="ended first plans")
    else:
        table = cohorts.cohort_table(curve)
        components.chart_card(
            cohort_figures.cohort_curves(components.suppressed(curve, CURVE_RULE), split, window),
            f"First plans (the child's first child protection plan) that started in the period and have ended, "
            f"grouped by {cohort_figures.SPLIT_TITLES[split]}. "
            "Each line: the share followed by another plan within N months "
            "of the end (Kaplan-Meier estimate: each plan counts for as long as it has been followed up, so recent "
            "plans contribute to the early months). The title and table give exact shares among plans followed up "
            f"at least {counted(window, 'month')}: re-planned first plans out of first plans ended and followed up that long. "
            f"This differs from the Overview's 'Repeat within {counted(window, 'month')}', which counts "
            "repeat plans started in the period out of every plan started "
            f"({components.definition_link(anchors.REPLAN_FIGURES)}). Points resting on fewer than 10 plans are "
            f"not drawn; the dotted line marks {counted(window, 'month')}.",
            table, key="repeat_cohort", rule=COHORT_RULE,
            finding_rests_on=cohort_finding_rests_on(curve, window),
            words={"group": SPLIT_WORDS[split]} if split in SPLIT_WORDS else None,
            headings={"group": cohort_figures.SPLIT_TITLES[split].capitalize()})

    st.subheader("Gaps between plans")
    gaps = data.cached(cohorts.gap_months, filters, thresholds)
    counts = data.cached(sequence.start_counts, filters, thresholds)
    if gaps.empty and not sequence.window_known(counts):
        # repeat plans started, but their earlier plans are only a count (Annex A): no filter would find a gap
        components.undated_earlier_plans("The gaps between plans")
    elif gaps.empty:
        state.no_plans(noun="repeat plans with a known previous plan")
    else:
        totals = gap_totals(gaps, window, components.suppress_below())
        components.chart_card(
            cohort_figures.gap_histogram(components.suppressed(gaps, GAPS_RULE), counts["median_gap_days"], window,
                                         totals),
            "Repeat plans that started in the period, by full months from the previous plan's end to this plan's "
            f"start (gap; {components.definition_link(anchors.PLANS)}). Orange: within the re-plan window "
            f"({counted(window, 'month')}). Repeat plans whose "
            "previous plan is not in this data have no gap and are not shown.",
            gaps.rename(columns={"gap_month": "gap_full_months"}), key="repeat_gaps", rule=GAPS_RULE,
            finding_rests_on=gaps_finding_rests_on(totals, counts["repeat_plans_started"]))

    st.subheader("Pathways from a first plan")
    if cohort_note:
        st.caption(cohort_note)
    paths = data.cached(cohorts.pathways, cohort_filters, thresholds)
    if paths.empty:
        state.no_plans(followed_up_for=thresholds, noun="ended first plans")
    else:
        # a suppressed path is left out of the diagram (its nodes' counts end "+"); the table says c
        drawn = components.suppressed(paths, PATHS_RULE)
        more = f" {cohort_figures.MORE_NOTE}" if drawn["plans"].isna().any() else ""
        components.chart_card(
            cohort_figures.pathway_sankey(drawn),
            "First plans that ended in the period: how long they lasted (DfE band) → the warning signs at the end "
            f"(short plan of at most {counted(thresholds.short_plan_months, 'month')}; actions not done; an adult "
            "need open with no completed action addressing it; "
            f"{components.definition_link(anchors.ENDINGS)}) → whether another plan started within "
            f"{counted(window, 'month')}. 'Too recent to tell': the {counted(window, 'month')} "
            f"{plural('has', window)} not yet passed.{more}",
            paths, key="repeat_pathways", rule=PATHS_RULE)

    st.subheader("By team")
    by_team = data.cached(cohorts.repeat_by_team, filters, thresholds)
    if by_team.empty:
        state.no_plans()
    elif not cohorts.teams_recorded(by_team):   # a census names no team: no one-bar chart of "(no team)"
        st.info(f"Teams are {NOT_RECORDED}: no plan in the filter names its team (a CIN census names none; an "
                "Annex A return's team column or the team column of plans.csv brings them).", icon=":material/database:")
    else:
        year = benchmarks.published_year_for(filters.date_to or filters.effective_as_of)
        eng = benchmarks.england_share(year)
        components.chart_card(
            cohort_figures.team_bars(components.suppressed(by_team, TEAM_RULE),
                                     None if eng.percent is None else eng.percent / 100),
            "Repeat plans (DfE definition: second or subsequent plan) as a share of plans started in the period, "
            f"by the plan's team. Dashed line: England {benchmarks.year_label(year)}. Source for England: "
            f"{benchmarks.SOURCE_D3}.", by_team, key="repeat_by_team", rule=TEAM_RULE)
        undated = cohorts.undated_teams(by_team)
        if undated:
            st.caption(undated_for([components.plain(t) for t in undated]))
        partly = sequence.undated_repeats(counts)   # some repeat plans dated, not all: each team's count is a floor
        if partly:
            floor = some_undated(partly, counts["repeat_plans_started"], counted(window, "month"))
            st.caption(f"Repeat plans within the window: {floor}.")


if __name__ == "__main__":
    render()
