"""Overview: the headline figures for the sidebar's filters, beside England (and the chosen region,
authority and its statistical neighbours), and their trend by quarter."""
from __future__ import annotations

import streamlit as st

from paqa_dash import scope
from paqa_dash.figures import trends
from paqa_dash.reference import authorities as la, benchmarks
from paqa_dash.reference.recorded import UNDATED_EARLIER_PLANS, sentence_of, some_undated
from paqa_dash.metrics import cohorts, coverage, data_dates, sequence
from paqa_dash.metrics import summary
from paqa_dash.report.rules import BENCHMARK_RULE, QUARTERLY_RULE, REPEAT_TREND_DRAWS  # noqa: F401  (shared with the briefing export)
from paqa_dash.report.rules import repeat_finding_rests_on, starts_endings_rests_on, starts_endings_totals
from paqa_dash.ui import anchors, components, data, state
from paqa_dash.ui.components import Tile, count, share
from paqa_dash.reference.words import counted, days_text, months_of_days, points_between

TITLE = "Overview"
ICON = ":material/insights:"
ORDER = 10
URL_PATH = "overview"
QUARTER = {"label": "Quarter"}   # the quarter in words beside its first day
NEEDS = scope.AGGREGATES   # the capability a user's role needs to open this page (paqa_dash/scope.py)

REPEAT_DEF = ("Repeat plan (DfE definition): the child's second or subsequent child protection plan, however long "
              "ago the previous one was (plan number = plans recorded before the child's earliest plan here + its "
              "order).")


def render() -> None:
    st.title("Repeat child protection plans: overview")
    filters, thresholds, comparison = state.current_filters(), state.current_thresholds(), state.current_comparison()
    st.caption(f"Showing {state.described(filters)}. {state.period_note(filters)}".strip())
    head = data.cached(cohorts.headline, filters, thresholds)
    if head["plans_started"] == 0 and head["plans_ended"] == 0:
        state.no_plans()
        return
    window = thresholds.replan_window_months
    year = benchmarks.published_year_for(filters.date_to or filters.effective_as_of)
    comps = benchmarks.comparators(year, comparison.region, comparison.authority)
    england = comps.iloc[0]["percent"]
    # a difference from England only on enough plans (benchmarks.comparable): the help and the chart say why not
    compared = head["repeat_rate"] is not None and england == england and benchmarks.comparable(head["plans_started"])
    # between the two percentages shown (points_between): worked out unrounded, 24.5% against England's 24.5% read
    # "-0.0 pts vs England" with a down arrow; no difference is "0.0 pts", with no arrow
    diff = points_between(england / 100, head["repeat_rate"], benchmarks.COMPARE_DIGITS) if compared else None
    sign = "+" if diff else ""   # no difference has no sign
    delta = None if diff is None else f"{diff:{sign}.{benchmarks.COMPARE_DIGITS}f} pts vs England"
    not_compared = ("" if benchmarks.comparable(head["plans_started"]) else
                    f" Not compared: {benchmarks.too_few()}; {components.definition_link(anchors.SMALL_BASES, 'small bases')}.")
    gap = head["median_gap_days"]
    held = data.cached(coverage.coverage, filters, thresholds)
    started, repeats, ended = head["plans_started"], head["repeat_plans_started"], head["plans_ended"]
    within = head["repeat_within_window"]   # None: no repeat plan's previous plan is dated in this data
    # some repeat plans dated, not all: the count within the window is a floor, and the tile says so
    partly = sequence.undated_repeats(head)
    undated = some_undated(partly, repeats, counted(window, "month")) if partly else ""
    unchecked = held.signs_note()   # the warning signs at an ending this data cannot show ("" when none)
    signs = f" {sentence_of(unchecked)}" if unchecked else ""
    components.metric_tiles([
        Tile("Plans started", count(started), "Child protection plans that started in the period.",
             rests_on=(started,)),
        Tile("Repeat plans (DfE)", share(repeats, started, benchmarks.COMPARE_DIGITS),
             f"{REPEAT_DEF} England {benchmarks.year_label(year)}: {england:.1f}% ({benchmarks.SOURCE_D3})."
             f"{not_compared}", delta=delta, delta_arrow="auto" if diff else "off",
             rests_on=(repeats, started, started - repeats)),
        Tile(f"Repeat within {counted(window, 'month')}", components.NOT_SHOWN, sentence_of(UNDATED_EARLIER_PLANS))
        if within is None else
        Tile(f"Repeat within {counted(window, 'month')}",
             # "at least" in words below the tiles: a tile's width takes "≥ 15.3%", not "at least 15.3%"
             ("≥ " if undated else "") + share(within, started, benchmarks.COMPARE_DIGITS),
             f"{within:,} of {counted(started, 'plan')} started in the period were repeat plans whose "
             f"previous plan (in this data) ended at most {counted(window, 'month')} before; the denominator is every plan "
             "started, first plans included. A repeat plan whose earlier plans are in this data only as a count "
             "is not counted" + (f": {undated}" if undated else "") + ". Not the Repeat plans page's "
             f"share of first plans re-planned within {counted(window, 'month')}, which follows ended first plans "
             f"forward ({components.definition_link(anchors.REPLAN_FIGURES)}).",
             rests_on=(within, started, started - within)),
        Tile("Median gap between plans", components.NOT_SHOWN if gap is None else months_of_days(gap),
             "Median days from the previous plan's end to a repeat plan's start" +
             ("" if gap is None else f" ({days_text(gap)})") + "." +
             (" " + sentence_of(UNDATED_EARLIER_PLANS) if gap is None and repeats else ""), rests_on=(repeats,)),
        Tile("Plans ended", count(ended), "Plans that ended in the period.", rests_on=(ended,)),
        # one decimal (benchmarks.COMPARE_DIGITS) as the Plan endings page sets it against England's: "15.9%" on
        # both pages, not "16%" here
        Tile(f"Ended within {3} months", share(head["ended_le_3m"], ended, benchmarks.COMPARE_DIGITS),
             "Ended plans that lasted 3 months or less (DfE duration band), as a share of plans ended.",
             rests_on=(head["ended_le_3m"], ended, ended - head["ended_le_3m"])),
        Tile("Premature endings", count(head["premature_endings"]),
             f"Ended plans with a warning sign (short, actions not done, or an adult need unaddressed) followed by "
             f"another plan within {counted(window, 'month')}.{signs}", rests_on=(head["premature_endings"],)),
        Tile("Endings at risk", count(head["endings_at_risk"]),
             f"Ended plans with a warning sign and no later plan (yet): the watch list on the Plan endings page.{signs}",
             rests_on=(head["endings_at_risk"],)),
    ])
    if unchecked:   # counted from the signs recorded (a short plan needs only dates): say which were not checked
        st.caption(f"Premature endings and endings at risk: {unchecked}.")
    if within is None:
        st.caption(f"Repeat within {counted(window, 'month')} and the median gap: {UNDATED_EARLIER_PLANS}.")
    elif undated:
        st.caption(f"Repeat within {counted(window, 'month')}: {undated}. The median gap between plans is the median "
                   f"of the {counted(head['repeat_plans_dated'], 'repeat plan')} whose previous plan is dated.")
    if head["plans_started"]:
        named = la.here_label(filters.authorities or data_dates.with_plans_in(
            state.store_authorities(), data.store_info().get("authority_spans") or {}, filters.date_from,
            filters.date_to))
        here = components.suppressed(trends.benchmark_table(named, repeats, started, comps).iloc[:1], BENCHMARK_RULE)
        fig = trends.benchmark_bars(named,
                                    None if here["repeat_percent"].isna().iloc[0] else head["repeat_rate"], comps,
                                    base=started)
        components.chart_card(
            fig,
            f"{REPEAT_DEF} Here: plans started in the filtered period. Published figures are for the reporting year "
            f"ending 31 March {year} (the year matching the end of the period, or the nearest published). "
            f"{state.comparator_hint(comparison)}Source: {benchmarks.SOURCE_D3}"
            + (f"; {benchmarks.SOURCE_SN}" if comparison.authority else "") + ".",
            trends.benchmark_table(named, repeats, started, comps),
            key="overview_benchmark", rule=BENCHMARK_RULE, headings={"label": "Figure"},
            finding_rests_on=repeat_finding_rests_on(head))
    quarterly = data.cached(summary.quarterly, filters, thresholds)
    if quarterly.empty:
        return
    shown = components.suppressed(quarterly, QUARTERLY_RULE)
    if head["plans_started"]:
        components.chart_card(
            trends.repeat_share_trend(shown, head["repeat_rate"], started),
            f"Repeat plans as a share of plans started each quarter. {REPEAT_DEF} The dashed line is England's "
            f"published share for the reporting year (April to March) containing the quarter. "
            f"Source for England: {benchmarks.SOURCE_D3}.",
            quarterly.assign(england_share=trends.england_by_quarter(quarterly)), key="overview_repeat_trend",
            rule=QUARTERLY_RULE, headings=QUARTER, drawn=REPEAT_TREND_DRAWS,
            finding_rests_on=repeat_finding_rests_on(head))
    # the findings are the headline tiles' figures: a quarter withheld marks the chart but leaves them true
    components.chart_card(
        trends.starts_endings_trend(shown, starts_endings_totals(head)),
        "Plans started (by the quarter they started) and ended (by the quarter they ended). 'Within 3 months': "
        f"ended at most 3 calendar months after the start (DfE duration band; "
        f"{components.definition_link(anchors.DURATION_BANDS)}).",
        quarterly, key="overview_starts_endings", rule=QUARTERLY_RULE, headings=QUARTER,
        finding_rests_on=starts_endings_rests_on(head))


if __name__ == "__main__":
    render()
