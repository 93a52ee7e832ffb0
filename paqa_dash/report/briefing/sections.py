"""What each page contributes to a briefing: the same metrics, the same figure builders and the same
suppression rules (report/rules.py) as the page, so a slide shows what the page shows for the same filters.

A section is a function `(con, ask, card)`: `ask` holds the filters (the user's scope inside), the
thresholds and the filter of the cohort views; `card` keeps the charts.  Notes state the definition in plain
words and the source; the full definition is the named section of docs/definitions.md (the Definitions page).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

import duckdb
import pandas as pd

from ...figures import agencies as agency_figs
from ...figures import audit as audit_figs
from ...figures import cohorts as cohort_figs
from ...figures import endings as endings_figs
from ...figures import household as household_figs
from ...figures import trends
from ...filters import Filters, followed_up_span
from ...metrics import (audit, cohorts, coverage, data_dates, engagement, household, sequence, store_info, summary,
                         timeliness)
from ...reference import authorities as la, benchmarks
from ...reference.codes import AGENCY_LABELS, EVENT_TYPE_LABELS, REASON_LABELS
from ...reference.recorded import DATA_KINDS, NOT_RECORDED, reason, undated_for
from ...settings import Thresholds
from .. import rules, suppression
from .charts import Card
from ...reference.words import counted


@dataclass(frozen=True)
class Ask:
    """The question a briefing answers: `filters` (with the reader's scope), `thresholds`, and `cohort`:
    the filter of the views that follow first plans after they end (the app passes its default reporting
    years, ui/state.followed_up; the command line the filters as given)."""

    filters: Filters
    thresholds: Thresholds
    cohort: Filters


Section = Callable[[duckdb.DuckDBPyConnection, Ask, Card], None]

REPEAT_DEF = ("Repeat plan (DfE definition): the child's second or subsequent child protection plan, however long "
              "ago the previous one was.")
SEE = "Definitions page, section"


def nothing(noun: str, f: Filters) -> str:
    """A slide's message when a view has nothing to show (`noun`: what it counts, e.g. "ended first plans").

    Why it names the period: a reader of the slides cannot see the sidebar, and with no period chosen the app
    chose the latest complete reporting year for them; "match these filters" would send them to look for filters
    no one set, so it is said only when some are."""
    others = bool(f.teams or f.categories or f.plan_number != "all" or f.age_bands or f.authorities)
    return f"No {noun} {period_words(f)}" + (" match these filters" if others else "")


def period_words(f: Filters) -> str:
    """The filter's period as a slide says it: between two dates, from one, up to one, or in the data."""
    def day(d: date) -> str:
        return f"{d.day} {d:%B %Y}"
    if f.date_from and f.date_to:
        return f"between {day(f.date_from)} and {day(f.date_to)}"
    if f.date_from:
        return f"from {day(f.date_from)}"
    return f"up to {day(f.date_to)}" if f.date_to else "in the data"


# The charts that follow first plans up after they end (Ask.cohort's years), as the title slide names them.
FOLLOWED_UP_CHARTS = {"repeat_cohort": "re-planning after a first plan", "repeat_pathways": "pathways from a first plan",
                      "household_replanned_share": "household change after a first plan"}


def followed_up_note(ask: Ask) -> str:
    """" These are not the briefing's period: ..." for a view that follows first plans up (`ask.cohort`), when its
    years are not the briefing's period (no period given: the years the dashboard's caption names); else "".

    Why: the notes said "started in the period" under a chart of 2019-24 on a slide whose title page gave 2025-26."""
    if (ask.cohort.date_from, ask.cohort.date_to) == (ask.filters.date_from, ask.filters.date_to):
        return ""
    window = ask.thresholds.replan_window_months
    return (f" These years are not the briefing's period ({period_words(ask.filters)}): this chart follows plans for "
            f"{counted(window, 'month')} after they end, so with no period chosen it shows "
            f"{followed_up_span(window)}, as the dashboard does.")


def covers(card: Card, ask: Ask, verb: str) -> None:
    """Name on the chart just added the years its first plans `verb` ("started", "ended") in, shown on its slide and
    page, when they are not the briefing's period (the reader of a slide sees no notes)."""
    if followed_up_note(ask):
        card.charts[-1].covers = f"First plans {verb} {period_words(ask.cohort)}"


# How a briefing of several authorities says one can be read as of its own date (data_dates.behind_note's `how`).
ONE_AUTHORITY = ("A briefing of one authority (the sidebar's Authority, or --authority on the command line) reads it "
                 "as of its own last date.")


def authorities_covered(con: duckdb.DuckDBPyConnection, f: Filters) -> tuple[str, str]:
    """(the authorities the briefing covers, in words; the dashboard's warning when some of their data ends well
    before the as-of date, data_dates.behind_note, else "").

    Why: a regional briefing named no authority, and pooled authorities whose returns ended in 2021 and 2024 into a
    2026 cohort without the warning the dashboard gives beside the same charts."""
    held = store_info.authorities(con)
    codes = f.authorities or tuple(held["authorities"])
    if not codes:
        return f"not named in this data (its records give no authority: {NOT_RECORDED})", ""
    named = ", ".join(la.label(c) for c in codes)
    behind = data_dates.behind_note(codes, held["authority_data_dates"], f.effective_as_of, ONE_AUTHORITY) \
        if len(codes) > 1 else ""
    return named, behind


def _year(ask: Ask) -> int:
    return benchmarks.published_year_for(ask.filters.date_to or ask.filters.effective_as_of)


def overview(con: duckdb.DuckDBPyConnection, ask: Ask, card: Card) -> None:
    """The Overview's charts: this area beside England, the repeat share by quarter, starts and endings."""
    name, f, t = "Overview", ask.filters, ask.thresholds
    head = cohorts.headline(con, f, t)
    if head["plans_started"] == 0 and head["plans_ended"] == 0:
        card.say("overview", name, nothing("plans", f))
        return
    year = _year(ask)
    comps = benchmarks.comparators(year)
    repeats, started = head["repeat_plans_started"], head["plans_started"]
    if started:
        held = store_info.authorities(con)
        named = la.here_label(f.authorities or data_dates.with_plans_in(held["authorities"], held["authority_spans"],
                                                                         f.date_from, f.date_to))
        table = trends.benchmark_table(named, repeats, started, comps)
        here = card.hidden(table.iloc[:1], rules.BENCHMARK_RULE)
        card.add("overview_benchmark", name,
                 lambda: trends.benchmark_bars(named, None if here["repeat_percent"].isna().iloc[0]
                                               else head["repeat_rate"], comps, base=started),
                 f"{REPEAT_DEF} Here: plans started in the filtered period. England: the reporting year ending "
                 f"31 March {year}. Source: the store's plans; {benchmarks.SOURCE_D3}. "
                 f"{SEE} 'Plans, repeat plans and gaps'.", table, rules.BENCHMARK_RULE,
                 finding_rests_on=rules.repeat_finding_rests_on(head))
    quarterly = summary.quarterly(con, f, t)
    if quarterly.empty:
        return
    shown = card.hidden(quarterly, rules.QUARTERLY_RULE)
    if started:
        card.add("overview_repeat_trend", name, lambda: trends.repeat_share_trend(shown, head["repeat_rate"], started),
                 f"Repeat plans as a share of plans started each quarter. {REPEAT_DEF} The dashed line is England's "
                 f"published share for the reporting year containing the quarter. Source: the store's plans; "
                 f"{benchmarks.SOURCE_D3}.",
                 quarterly.assign(england_share=trends.england_by_quarter(quarterly)), rules.QUARTERLY_RULE,
                 drawn=rules.REPEAT_TREND_DRAWS, finding_rests_on=rules.repeat_finding_rests_on(head))
    card.add("overview_starts_endings", name,
             lambda: trends.starts_endings_trend(shown, rules.starts_endings_totals(head)),
             "Plans started (by the quarter they started) and ended (by the quarter they ended). 'Within 3 months': "
             f"ended at most 3 calendar months after the start (DfE duration band). Source: the store's plans. "
             f"{SEE} 'Duration bands'.", quarterly, rules.QUARTERLY_RULE,
             finding_rests_on=rules.starts_endings_rests_on(head))


def gap_table(gaps: pd.DataFrame) -> pd.DataFrame:
    """The gaps' table as the chart labels its last bar: the months, the last bucket "60+" (every gap of five years or
    more), not 60, which a reader of the sheet took for exactly 60 months."""
    months = [f"{m}+" if m >= cohort_figs.GAP_CAP else int(m) for m in gaps["gap_month"]]
    return gaps.rename(columns={"gap_month": "gap_full_months"}).assign(gap_full_months=months)


def repeat_plans(con: duckdb.DuckDBPyConnection, ask: Ask, card: Card) -> None:
    """The Repeat plans page: re-planning after a first plan, gaps, pathways and the share by team."""
    name, f, t = "Repeat plans", ask.filters, ask.thresholds
    window = t.replan_window_months
    curve = cohorts.cohort_curve(con, ask.cohort, t, split="cohort", max_months=36)
    if curve.empty or int(curve.loc[curve["months"] == 0, "followed_up"].sum()) == 0:
        card.say("repeat_cohort", name, nothing("ended first plans", ask.cohort))
    else:
        card.add("repeat_cohort", name,
                 lambda: cohort_figs.cohort_curves(card.hidden(curve, rules.CURVE_RULE), "cohort", window),
                 f"First plans that started {period_words(ask.cohort)} and have ended, by year started. Each line: "
                 "the share followed by another plan within N months of the end (Kaplan-Meier estimate); the dotted "
                 f"line marks {counted(window, 'month')}.{followed_up_note(ask)} Source: the store's plans. "
                 f"{SEE} 'Re-planned within N months: two figures'.",
                 cohorts.cohort_table(curve), rules.COHORT_RULE,
                 finding_rests_on=rules.cohort_finding_rests_on(curve, window))
        covers(card, ask, "started")
    gaps = cohorts.gap_months(con, f, t)
    if gaps.empty:
        card.say("repeat_gaps", name, nothing("repeat plans with a known previous plan", f))
    else:
        counts = sequence.start_counts(con, f, t)
        median, totals = counts["median_gap_days"], rules.gap_totals(gaps, window, card.threshold)
        card.add("repeat_gaps", name,
                 lambda: cohort_figs.gap_histogram(card.hidden(gaps, rules.GAPS_RULE), median, window, totals),
                 "Repeat plans that started in the period, by full months from the previous plan's end to this "
                 f"plan's start. Orange: within the re-plan window ({counted(window, 'month')}). Source: the store's plans. "
                 f"{SEE} 'Plans, repeat plans and gaps'.",
                 gap_table(gaps), rules.GAPS_RULE,
                 finding_rests_on=rules.gaps_finding_rests_on(totals, counts["repeat_plans_started"]))
    paths = cohorts.pathways(con, ask.cohort, t)
    if paths.empty:
        card.say("repeat_pathways", name, nothing("ended first plans", ask.cohort))
    else:
        drawn = card.hidden(paths, rules.PATHS_RULE)
        more = f" {cohort_figs.MORE_NOTE}" if drawn["plans"].isna().any() else ""
        card.add("repeat_pathways", name, lambda: cohort_figs.pathway_sankey(drawn, printed=True),
                 f"First plans that ended {period_words(ask.cohort)}: how long they lasted (DfE band), the warning "
                 f"signs at the end, and whether another plan started within {counted(window, 'month')}.{more}"
                 f"{followed_up_note(ask)} Source: the store's plans, actions and needs. "
                 f"{SEE} 'Ending reasons, premature endings and endings at risk'.",
                 paths, rules.PATHS_RULE)   # the figure names itself (cohort_figs.PATHWAYS) when values are withheld
        covers(card, ask, "ended")
    by_team = cohorts.repeat_by_team(con, f, t)
    if by_team.empty:
        return
    if not cohorts.teams_recorded(by_team):   # a census names no team: no slide of one "(no team)" bar
        card.say("repeat_by_team", name, f"Teams: {NOT_RECORDED}")
        return
    eng = benchmarks.england_share(_year(ask))
    card.add("repeat_by_team", name,
             lambda: cohort_figs.team_bars(card.hidden(by_team, rules.TEAM_RULE),
                                           None if eng.percent is None else eng.percent / 100),
             f"{REPEAT_DEF} As a share of plans started in the period, by the plan's team. Dashed line: England. "
             f"Source: the store's plans; {benchmarks.SOURCE_D3}. "
             f"{undated_for(cohorts.undated_teams(by_team))}".rstrip(),
             by_team, rules.TEAM_RULE)


def endings(con: duckdb.DuckDBPyConnection, ask: Ask, card: Card) -> None:
    """The Plan endings page's charts (its lists name children: not in a briefing)."""
    name, f, t = "Plan endings", ask.filters, ask.thresholds
    bands = cohorts.ended_bands(con, f, t)
    if int(bands["plans"].sum()) == 0:
        card.say("endings", name, nothing("plans ended", f))
        return
    england = benchmarks.duration_shares(benchmarks.reporting_year(f.date_to or f.effective_as_of))
    card.add("endings_bands", name,
             lambda: endings_figs.bands_vs_england(card.hidden(bands, rules.BANDS_RULE), england,
                                                   base=int(bands["plans"].sum())),
             "Plans that ended in the period by how long they lasted, in the DfE's duration bands. England: plans "
             f"ended in the year ending 31 March {int(england['year'].iloc[0])}. Source: the store's plans; "
             f"{benchmarks.SOURCE_D7}. {SEE} 'Duration bands'.",
             bands.assign(england_share=england["share"].to_numpy()), rules.BANDS_RULE)
    outcomes = cohorts.ending_outcomes(con, f, t)
    held = coverage.coverage(con, f, t)
    # a sign the data cannot show (no plan actions) is blank with why in the sheet, never 0, and has no bar
    unchecked = {REASON_LABELS[c]: reason(kinds) for c, kinds in held.unchecked_signs().items()}
    counts = endings_figs.reason_counts_from_outcomes(outcomes)
    counts = counts.assign(plans=counts["plans"].where(~counts["reason"].isin(unchecked)).astype("Float64"),
                           note=counts["reason"].map(unchecked).astype(object).fillna(""))
    plans_ended, with_reason = int(bands["plans"].sum()), int(outcomes["any_reason"].sum())
    note = held.signs_note()
    card.add("endings_reasons", name,
             lambda: endings_figs.reasons_bars(card.hidden(counts, rules.REASONS_RULE), plans_ended, with_reason,
                                               tuple(unchecked)),
             f"Warning signs at the end of a plan: short plan (at most {counted(t.short_plan_months, 'month')}); actions not "
             "done; an adult need open with no completed action addressing it. A plan can show several. Premature: "
             f"another plan started within {counted(t.replan_window_months, 'month')} of the end. "
             + (f"{note[0].upper()}{note[1:]}. " if note else "")
             + f"Source: the store's plans, actions and needs. {SEE} 'Ending reasons, premature endings and endings at "
             "risk'.",
             counts, rules.REASONS_RULE,
             finding_rests_on=rules.reasons_finding_rests_on(counts, with_reason, plans_ended))


AGENCY_SOURCE = "Source: the store's events and attendance tables, plans started in the filtered period."


def _not_recorded(card: Card, key: str, section: str, held: coverage.Coverage, measure: str) -> bool:
    missing = held.absent(measure)
    if missing:
        what = "; ".join(DATA_KINDS[k].what for k in missing)
        card.say(key, section, f"{what.capitalize()}: {NOT_RECORDED}",
                 f"This store records no {what}; CIN census, Annex A and SSD extracts do not carry them.")
    return bool(missing)


def agencies(con: duckdb.DuckDBPyConnection, ask: Ask, card: Card) -> None:
    """The Core groups & agencies page: attendance, timeliness and challenge."""
    name, f, t = "Core groups & agencies", ask.filters, ask.thresholds
    held = coverage.coverage(con, f, t)
    words = {"agency": AGENCY_LABELS}
    if not _not_recorded(card, "agency_attendance", name, held, "agency_attendance"):
        by_quarter = engagement.attendance_by_quarter(con, f, t)
        by_agency = engagement.agency_totals(by_quarter)
        if not by_agency.empty and int(by_agency["invited"].sum()):
            card.add("agency_heatmap", name,
                     lambda: agency_figs.attendance_heatmap(card.hidden(by_quarter, rules.QUARTER_RULE),
                                                            by_agency=card.hidden(by_agency, rules.AGENCY_RULE)),
                     "Engagement: per agency, core group meetings attended divided by meetings it was invited "
                     f"to, by the quarter of the meeting. Blank cells: no invitation. {AGENCY_SOURCE} "
                     f"{SEE} 'Agency engagement and challenge'.", by_quarter, rules.QUARTER_RULE, words,
                     finding_rests_on=rules.heatmap_finding_rests_on(by_agency, "rate", card.threshold))
            card.add("agency_bars", name,
                     lambda: agency_figs.attendance_bars(card.hidden(by_agency, rules.AGENCY_RULE)),
                     "Attended / invited and contributed / invited over all core groups of the plans. "
                     f"{AGENCY_SOURCE}", by_agency, rules.AGENCY_RULE, words)
    core = {} if _not_recorded(card, "core_groups", name, held, "core_groups") else \
        timeliness.core_group_counts(con, f, t)
    reviews = {} if _not_recorded(card, "reviews", name, held, "reviews") else timeliness.review_counts(con, f, t)
    if core or reviews:
        frame = agency_figs.timeliness_frame(core, reviews)
        kept = {label for which, _, label in agency_figs.MEASURES if (core if which == "core" else reviews)}
        frame = frame[frame["measure"].isin(kept)].reset_index(drop=True)
        if int(frame["n"].sum()):
            card.add("agency_timeliness", name,
                     lambda: agency_figs.timeliness_bars(card.hidden(frame, rules.TIMELINESS_RULE)),
                     f"Timeliness, as Working Together sets it: first core group within "
                     f"{counted(t.first_core_group_working_days, 'working day')} of the plan start, later ones at most "
                     f"{counted(t.core_group_interval_weeks, 'week')} apart; first review within "
                     f"{counted(t.first_review_months, 'month')}, later ones at most {counted(t.later_review_months, 'month')} apart. Source: the store's events. "
                     f"{SEE} 'Timeliness of core groups and reviews'.", frame, rules.TIMELINESS_RULE,
                     finding_rests_on=rules.timeliness_finding_rests_on(frame, card.threshold))
    # as the page: where no challenge or escalation is recorded at all, "no agency raised one" would be no finding
    if _not_recorded(card, "agency_challenges", name, held, "challenge_and_escalation"):
        return
    ch = engagement.challenges(con, f, t)
    if ch.empty:
        card.say("agency_challenges", name, "No agency raised a challenge or escalation during these plans")
    else:
        leader = suppression.leader_rests_on(ch, rules.CHALLENGES_RULE, card.threshold, "agency", "events")
        card.add("agency_challenges", name,
                 lambda: agency_figs.challenges_bars(card.hidden(ch, rules.CHALLENGES_RULE),
                                                     leader_known=leader is not None),
                 "Challenge and escalation events by the agency that raised them, linked to a plan or dated "
                 f"within it. {AGENCY_SOURCE}", ch, rules.CHALLENGES_RULE,
                 {"agency": AGENCY_LABELS, "event_type": EVENT_TYPE_LABELS},
                 finding_rests_on=leader)


def household_change(con: duckdb.DuckDBPyConnection, ask: Ask, card: Card) -> None:
    """The Household change page's charts (its list of children is not in a briefing)."""
    name, f, t = "Household change", ask.filters, ask.thresholds
    buckets = household.change_buckets(con, f, t)
    if int(buckets["children"].sum()) == 0:
        card.say("household", name, nothing("plans", f))
        return
    if _not_recorded(card, "household", name, coverage.coverage(con, f, t), "family_changes"):
        return
    card.add("household_distribution", name,
             lambda: household_figs.changes_distribution(card.hidden(buckets, rules.BUCKETS_RULE)),
             "Household change: changes recorded against the child or its family dated within one of the child's "
             "plans started in the period, or in the gap before a repeat plan; a change shared by siblings counts "
             f"once. Source: the store's family_changes and plans tables. {SEE} 'Household change'.",
             buckets, rules.BUCKETS_RULE)
    window = t.replan_window_months
    share = household.replanned_share(household.after_first_plan(con, ask.cohort, t))
    if int(share["children"].sum()) == 0:
        card.say("household_replanned_share", name, f"No first plan that ended {period_words(ask.cohort)} has "
                                                    f"been followed up {counted(window, 'month')} yet")
        return
    card.add("household_replanned_share", name,
             lambda: household_figs.replanned_share_bars(card.hidden(share, rules.SHARE_RULE), window),
             f"Children whose first plan ended {period_words(ask.cohort)} and who have been followed up at least "
             f"{counted(window, 'month')}: the household changes in the {counted(window, 'month')} after the plan "
             f"ended, and whether another plan started within those months. An association, not a cause."
             f"{followed_up_note(ask)} Source: the store's family_changes and plans tables. "
             f"{SEE} 'Household change after a first plan'.", share, rules.SHARE_RULE)
    covers(card, ask, "ended")


def audit_summary(con: duckdb.DuckDBPyConnection, ask: Ask, card: Card) -> None:
    """The Audit sample page's summary for the audit group: how many children in the audit's default scope
    (a second or subsequent plan in the period) each concern applies to; never the ranked list of children.
    Needs the AUDIT capability (metrics.audit.sample_page requires it)."""
    name, f, t = "Audit sample", ask.filters, ask.thresholds
    page = audit.sample_page(con, f, t, audit.Criteria(), limit=1)
    if page.total == 0:
        card.say("audit_concerns", name, "No children match the audit's scope")
        return
    absent = audit.not_assessed(con, f, t, audit.Criteria())
    counts = audit_figs.concern_count_table(page.counts, page.total)
    counts = counts[~counts["concern"].isin([audit.CONCERNS[k] for k in absent])].reset_index(drop=True)
    unassessed = (" Not assessed, not recorded in this data: " + "; ".join(audit.CONCERNS[k].lower() for k in absent)
                  + ".") if absent else ""
    signs = audit.premature_signs_note(coverage.coverage(con, f, t))   # as the page says it ("" when all checked)
    unassessed = f" {signs}{unassessed}" if signs else unassessed
    total = page.total
    card.add("audit_concerns", name,
             lambda: audit_figs.concern_bars(card.hidden(counts, rules.CONCERNS_RULE), total, len(absent)),
             f"Children in the audit's scope (a second or subsequent plan started in the period: {total:,}) by "
             "each of the audit's concerns over the child's whole history as of the as-of date. Source: the "
             "store's plans, events, core group attendance, household changes, needs, plan actions and their "
             f"matches to earlier actions. {SEE} 'The audit sample'.{unassessed}", counts, rules.CONCERNS_RULE)
