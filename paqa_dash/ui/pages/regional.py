"""Regional view: the store's authorities side by side on the headline measures, each beside DfE's published
figures for England, its region and its statistical neighbours (docs/definitions.md, "Regional view")."""
from __future__ import annotations

from typing import Callable

import pandas as pd
import streamlit as st

from paqa_dash import scope
from paqa_dash.figures import regional as regional_fig
from paqa_dash.metrics import data_dates, regional, regional_audit
from paqa_dash.reference import benchmarks
from paqa_dash.reference.codes import BAND_LABELS
from paqa_dash.reference.recorded import DATA_KINDS, MEASURE_NEEDS, floor_for, undated_for
from paqa_dash.report import suppression
from paqa_dash.report.rules import AUDIT_RATES_RULE, REGIONAL_RATE_RULE as RATE_RULE, practice_suppressed
from paqa_dash.report.suppression import Rule
from paqa_dash.ui import anchors, components, data, state
from paqa_dash.reference.words import counted

TITLE = "Regional view"
ICON = ":material/map:"
ORDER = 22
URL_PATH = "regional"
SAYS_DATA_DATES = True   # the sidebar leaves the late-data warning to this page (it says it for its own reading)
NEEDS = scope.AGGREGATES

# What each table counts and what adds up (report/suppression.py); a rate rests on its two counts (RATE_RULE).
BANDS_RULE = Rule(counts=("plans",), rates={"share": ("plans", None)}, rows_add_up=("plans",), within=("name",))
GAPS_RULE = Rule(counts=("gaps",), rates={"median_gap_days": (None, "gaps")})
PUBLISHED = ("Published figures: {source}, for the reporting year ending 31 March {year}; counts from every "
             "authority's CIN census return, not from this data.")


def _caption_period(filters) -> str:
    return f"Plans started (or, for endings, ended) in the period; {state.described(filters)}."


def _table(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    return frame[list(columns)].rename(columns=columns)


def _note(sentence: Callable[[list[str]], str], names: list[str], in_view: int) -> None:
    """A note under the charts about some authorities: `sentence` of their names; more than a chart draws side by side
    are counted in it ("all 152 authorities in view", "40 of the 152 ...", as the charts then draw marks: a note
    naming 152 ran to 20 lines) and named in a closed list under it, so a lead can still find their own."""
    plain = [components.plain(n) for n in names]
    if not regional_fig.many(names):
        st.caption(sentence(plain))
        return
    st.caption(sentence([f"all {in_view} authorities in view" if len(names) == in_view
                         else f"{len(names)} of the {in_view} authorities in view"]))
    with st.expander(f"Which {counted(len(names), 'authority')}", icon=":material/list:"):
        st.caption(", ".join(plain))


def _idle(frame: pd.DataFrame) -> list[str]:
    """The authorities with no plan started or ended in the period: most often their data ends before it (an
    authority whose return stops in 2024), so their counts are not known, not 0."""
    return frame.loc[(frame["plans_started"] == 0) & (frame["plans_ended"] == 0), "name"].tolist()


def _blank_idle(table: pd.DataFrame, idle: list[str], columns: tuple[str, ...]) -> pd.DataFrame:
    """`table` with its `columns` blank for the `idle` authorities: a table listing every authority reads "0 plans
    started" for one whose data ends before the period otherwise, where the page says they are shown as –."""
    if not idle:
        return table
    gone = table["name"].isin(idle)
    return table.assign(**{c: table[c].astype("float64").where(~gone) for c in columns})


def render() -> None:
    st.title(TITLE)
    filters, thresholds = state.current_filters(), state.current_thresholds()
    st.caption(_caption_period(filters) + " " + state.period_note(filters))
    own_dates = state.own_data_dates()
    frame = data.cached(regional.by_authority, filters, thresholds, own_dates)
    if frame.empty or int(frame["plans_started"].sum()) + int(frame["plans_ended"].sum()) == 0:
        state.no_plans()
        return
    year = benchmarks.published_year_for(filters.date_to or filters.effective_as_of)
    behind = data_dates.behind_note([c for c in frame["authority"] if c],
                                    data.store_info().get("authority_data_dates") or {}, filters.effective_as_of,
                                    how="" if own_dates else data_dates.CHOOSE_ONE,
                                    reading=data_dates.OWN_DATES if own_dates else data_dates.READ_PAST)
    if behind:
        st.warning(behind, icon=":material/event_busy:")
    if frame["authority"].isna().all():
        st.info("This data does not say which local authority it comes from (its sources named none), so it is "
                "shown against England only. An import naming the authority (the CIN census header, or "
                "`import --authority`) adds its region and statistical neighbours.", icon=":material/map:")
    idle = _idle(frame)
    marks = regional_fig.many(frame["name"])   # the charts draw a mark per authority, not a bar
    if idle:
        shown = "no mark in the charts" if marks else "shown as – where a chart lists every authority"
        _note(lambda named: f"No plan started or ended in the period for {', '.join(named)}: {shown}, blank in the "
                            "tables, and left out of the rates below.", idle, len(frame))
    if marks:
        st.info(f"{len(frame)} authorities are in view, more than any region holds, so the charts that list every "
                "authority draw each as a mark on the line of its measure, not as a bar. Find an authority in the "
                "table under each chart (the first also gives the share DfE published for it, its region and its "
                "statistical neighbours), or choose a region to see its authorities side by side.",
                icon=":material/filter_alt:")
    _repeat(frame, year, idle)
    _within(frame, thresholds, idle)
    _bands(frame, year, idle)
    _gaps(frame, idle)
    _practice(frame, idle)
    _audit_measures(frame, filters, thresholds, own_dates)


def _repeat(frame: pd.DataFrame, year: int, idle: list[str]) -> None:
    rates = _blank_idle(regional.rate_table(frame, regional.REPEAT), idle, ("numerator", "denominator"))
    published = regional.published_comparators(frame, year)
    shown_year = int(published["year"].iloc[0]) if len(published) else year
    # joined by name: a store whose sources named no authority is one group with no LA number
    table = rates.merge(published.pivot_table(index="name", columns="comparator", values="percent",
                                              aggfunc="first", dropna=False).add_prefix("published_"),
                        left_on="name", right_index=True, how="left")
    columns = {"name": "Authority", "authority": "LA number", "numerator": "Repeat plans started",
               "denominator": "Plans started", "percent": "Repeat plans, % (this data)"}
    for kind, words in (("authority", "published"), ("region", "its region, published"),
                        ("neighbours", "its statistical neighbours, published"), ("england", "England, published")):
        if f"published_{kind}" in table:
            columns[f"published_{kind}"] = f"Repeat plans, % ({words} {benchmarks.year_label(shown_year)})"
            # LA 999 (a number DfE does not publish), an authority with no region: "not published", not a blank
            table[f"published_{kind}"] = benchmarks.published_or_said(table[f"published_{kind}"])
    components.chart_card(
        regional_fig.repeat_vs_published(components.suppressed(rates, RATE_RULE), published),
        "Repeat plans: second or subsequent child protection plans (DfE's definition: the child had a plan "
        f"before), as a share of plans started in the period ({components.definition_link(anchors.PLANS)}). "
        + ("Each authority is a mark on the first line (this data) and on the second (the share DfE published for "
           "it); England's published share is the diamond on each line. The table also "
           "gives each one's region and ten statistical neighbours (pooled: their repeat plans over their plans "
           f"started); a comparator DfE does not publish reads \"{benchmarks.NOT_PUBLISHED}\" there. "
           if regional_fig.many(rates["name"]) else
           "Beside each authority, the share DfE published for it, its region and its ten statistical neighbours "
           "(pooled: their repeat plans over their plans started) and England; a comparator DfE does not publish has "
           f"no bar and reads \"{benchmarks.NOT_PUBLISHED}\" in the chart and the table. ")
        + PUBLISHED.format(source=f"{benchmarks.SOURCE_D3}; {benchmarks.SOURCE_SN}", year=shown_year)
        + f" {components.definition_link(anchors.REGIONAL, 'How the view is made')}.",
        _table(table, columns), key="regional_repeat", rule=Rule(
            counts=("Repeat plans started", "Plans started"),
            rates={"Repeat plans, % (this data)": ("Repeat plans started", "Plans started")},
            columns_add_up=(("Plans started", ("Repeat plans started",)),)))


def _undated_said(frame: pd.DataFrame, measure: str) -> bool:
    """Say which authorities lack `measure` (it needs the earlier plans' dates: regional.undated); False when every
    one does, and the chart would be of nothing."""
    lacking = regional.undated(frame)
    if lacking and len(lacking) == len(frame):
        components.undated_earlier_plans(measure)
        return False
    if lacking:
        _note(lambda named: undated_for(named, measure), lacking, len(frame))
    return True


def _within(frame: pd.DataFrame, thresholds, idle: list[str]) -> None:
    months = counted(thresholds.replan_window_months, "month")
    rates = _blank_idle(regional.rate_table(frame, regional.WITHIN), idle,
                        ("numerator", "denominator")).assign(measure=f"Repeat within {months}")
    if not _undated_said(frame, f"Repeat plans within {months}"):
        return
    partly = regional.partly_dated(frame)
    if partly:
        _note(lambda named: floor_for(named, f"Repeat plans within {months}"), partly, len(frame))
    fig = regional_fig.rate_bars(components.suppressed(rates, RATE_RULE), f"Repeat plans within {months}, % of plans started")
    within = f"Repeat within {months}"
    components.chart_card(
        fig, f"Plans started in the period that began within {months} of the end of the child's previous "
        f"plan, as a share of all plans started ({components.definition_link(anchors.PLANS)}; the window is set "
        "under *Definitions & thresholds*). DfE publishes no such figure, so there is no published comparator.",
        _table(rates, {"name": "Authority", "authority": "LA number", "numerator": within,
                       "denominator": "Plans started", "percent": "Share, %"}),
        key="regional_within", rule=Rule(counts=(within, "Plans started"), rates={"Share, %": (within, "Plans started")},
                                         columns_add_up=(("Plans started", (within,)),)))


def _bands(frame: pd.DataFrame, year: int, idle: list[str]) -> None:
    bands = _blank_idle(regional.band_table(frame), idle, ("plans",))
    england = benchmarks.duration_shares(year)
    shown_year = int(england["year"].iloc[0])
    components.chart_card(
        regional_fig.bands_by_authority(components.suppressed(bands, BANDS_RULE), england, idle),
        "Plans that ended in the period by how long they lasted, in DfE's duration bands "
        f"({components.definition_link(anchors.DURATION_BANDS)}). DfE publishes these bands for England only, "
        "not for regions or authorities. " + PUBLISHED.format(source=benchmarks.SOURCE_D7, year=shown_year),
        bands.assign(england_share=bands["band"].map(dict(zip(england["band"], england["share"])))),
        key="regional_bands", rule=BANDS_RULE, words={"band": BAND_LABELS})


def _gaps(frame: pd.DataFrame, idle: list[str]) -> None:
    gaps = _blank_idle(regional.gap_table(frame), idle, ("gaps",))
    # The gap needs the earlier plan's dates, as repeat plans within the window do: the same authorities lack it.
    if not _undated_said(frame, "The median gap between plans"):
        return
    if int(gaps["gaps"].fillna(0).sum()) == 0:
        state.nothing_matches("No repeat plan started in the period has its previous plan in the data")
        return
    components.chart_card(
        regional_fig.gap_bars(components.suppressed(gaps, GAPS_RULE), idle),
        "The median number of days from the end of the child's previous plan to the start of a repeat plan, over "
        "repeat plans started in the period whose previous plan is in the data "
        f"({components.definition_link(anchors.PLANS)}). DfE publishes no such figure.",
        _table(gaps, {"name": "Authority", "authority": "LA number", "gaps": "Repeat plans with a gap",
                      "median_gap_days": "Median gap, days"}),
        key="regional_gaps", rule=Rule(counts=("Repeat plans with a gap",),
                                       rates={"Median gap, days": (None, "Repeat plans with a gap")}))


def _practice(frame: pd.DataFrame, idle: list[str]) -> None:
    st.subheader("Core groups, reviews and agency attendance")
    practice = _blank_idle(regional.practice_table(frame), idle, ("numerator", "denominator"))
    for measure in ("core_groups", "reviews", "agency_attendance"):
        lacking = frame.loc[~frame[f"{measure}_recorded"].astype(bool), "name"].tolist()
        if lacking and len(lacking) == len(frame):
            for kind in MEASURE_NEEDS[measure]:
                components.not_recorded(DATA_KINDS[kind].what, DATA_KINDS[kind].files, DATA_KINDS[kind].hint)
        elif lacking:
            words = measure.replace('_', ' ').capitalize()
            _note(lambda named: f"{words}: not recorded in this data for {', '.join(named)}.", lacking, len(frame))
    recorded = practice[practice["recorded"]]
    if recorded.empty:
        return
    # a deadline's row withholds what the Core groups & agencies page's timeliness table withholds (one rule)
    shown = practice_suppressed(practice.assign(percent=practice["percent"].where(practice["recorded"])),
                                components.suppress_below())
    lost = bool(shown.mask.to_numpy().any())
    components.chart_card(
        regional_fig.rate_bars(shown.frame[practice["recorded"]], "On time or attended, %"),
        "Core groups and review conferences held on time, of those due, for plans started in the period "
        f"({components.definition_link(anchors.TIMELINESS)}), and the share of agencies invited to core groups "
        f"who attended ({components.definition_link(anchors.AGENCIES)}). DfE publishes none of these, so there is "
        "no published comparator. Where an authority's data holds no core groups, reviews or attendance, it is "
        "not recorded, never zero.",
        _table(suppression.displayed(shown) if lost else shown.frame,
               {"name": "Authority", "authority": "LA number", "measure": "Measure", "numerator": "On time or attended",
                "denominator": "Due or invited", "percent": "Share, %"}),
        key="regional_practice", mark=lost)


def _audit_measures(frame: pd.DataFrame, filters, thresholds, own_dates) -> None:
    """The audit's own measures side by side: asked for, since each authority costs a run of every measure."""
    st.subheader("The audit's measures by authority")
    codes = tuple(frame["authority"])
    if len(codes) > regional_audit.MAX_AUTHORITIES:
        st.info(f"{len(codes)} authorities are in view: choose a region, or at most {regional_audit.MAX_AUTHORITIES} "
                "authorities, to compare them on the audit's measures.", icon=":material/filter_alt:")
        return
    if not st.toggle("Compare on the audit's measures", key="audit_measures", bind="query-params",
                     help="Endings, challenge, duplicated plans, plan refresh, household change, written agreements "
                          "and wording, for each authority in view: a few seconds for each authority."):
        return
    # an authority with no plan started or ended in the period is blank here too, as the page says, not "0 of 0"
    table = _blank_idle(data.cached(regional_audit.rates_by_authority, codes, filters, thresholds, own_dates),
                        _idle(frame), ("numerator", "denominator", "percent"))
    for measure, rows in table.groupby("measure", sort=False):
        lacking = rows.loc[~rows["recorded"], "name"].tolist()
        if lacking:
            st.caption(f"{measure}: not recorded in this data for {', '.join(components.plain(n) for n in lacking)}.")
        # counted from the warning signs each authority's data holds: name those not checked, and for whom
        unchecked = rows[rows["recorded"] & (rows["not_checked"] != "")]
        for note, some in unchecked.groupby("not_checked", sort=False):
            st.caption(f"{measure}, for {', '.join(components.plain(n) for n in some['name'])}: {note}.")
    if not table["recorded"].any():
        return
    # the chart, its finding and the table withhold the same cells: a measure's authorities add up to what its own
    # page prints (AUDIT_RATES_RULE), so a withheld count takes a second with it in all three
    shown = suppression.suppress(table.assign(percent=table["percent"].where(table["recorded"])), AUDIT_RATES_RULE,
                                 components.suppress_below())
    lost = bool(shown.mask.to_numpy().any())
    recorded = shown.frame[table["recorded"]]
    components.chart_card(
        regional_fig.rate_bars(recorded, "Share, %", regional_audit.widest_gap(recorded)),
        "The audit's questions as rates, for plans started (or ended) in the period, each worked out as on its own "
        "page: endings with a warning sign not re-planned yet "
        f"({components.definition_link(anchors.ENDINGS)}); endings a partner challenged; repeat plans that largely "
        "repeat the last plan's actions; plans updated in time after a meeting or a new concern "
        f"({components.definition_link(anchors.PLAN_REFRESH)}); repeat plans that followed a change of household "
        "in the gap; step-downs with a written agreement; actions in strengths-based or deficit wording. DfE "
        "publishes none of these. Where an authority's data holds none of what a measure needs it is not recorded, "
        "never zero.",
        _table(suppression.displayed(shown) if lost else shown.frame,
               {"name": "Authority", "authority": "LA number", "question": "Audit question", "measure": "Measure",
                "numerator": "Count", "denominator": "Of", "percent": "Share, %", "not_checked": "Not checked"}),
        key="regional_audit", mark=lost)


if __name__ == "__main__":
    render()
