"""What each measure needs the data to hold, declared once: the kinds of record a source may or may not
supply, and for every measure (of `metrics --json`, the audit's concerns and the plan quality page) the
kinds it cannot be worked out without.

Why one declaration: an Annex A or CIN census extract carries no core groups, attendance, household
changes, plan actions, challenges or written agreements, and a measure computed over nothing reads as a finding ("every first core group
late", "0% saw their household change").  The metrics layer (`metrics/coverage.py`, with
`queries/metrics/coverage.sql`, whose `plan_data` columns are these kinds) tells which kinds the plans
of a filter hold; pages, the CLI and the audit pack say "not recorded in this data" for a measure
that needs a kind they lack, instead of a zero, a rate or a "late".
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Mapping

from .codes import ADULT_FACTORS, REASON_LABELS

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class DataKind:
    """One kind of record: `what` in words ("core group meetings"), `files` the native bundle files that
    bring it (for the hint on how to get it); `hint`, where the usual one (the census extracts do not carry it)
    is not true of this kind, the words that say where it comes from instead."""

    what: str
    files: str
    hint: str | None = None


# Kind -> words.  The keys are the columns of `plan_data` (queries/metrics/coverage.sql): a plan holds a
# kind when the import that wrote it supplied any such record, or when records of it are linked to the plan.
DATA_KINDS: dict[str, DataKind] = {
    "core_groups": DataKind("core group meetings", "CORE_GROUP rows in events.csv"),
    "attendance": DataKind("core group attendance", "events.csv and attendance.csv"),
    # every review conference of a plan, not its latest only: the deadlines run from the meeting before, so a
    # first or later review cannot be judged on time or missed from the latest alone (PARTIAL_SOURCES)
    "reviews": DataKind("full review conference histories", "REVIEW_CONFERENCE rows in events.csv",
                        hint="An Annex A return lists only each plan's latest review conference, so whether the "
                             "first and later reviews were on time cannot be told from it; a CIN census, an SSD "
                             "extract or a native bundle with {files} records every one."),
    "family_changes": DataKind("household changes", "family_changes.csv"),
    "needs": DataKind("needs (assessment factors)", "needs.csv"),
    "actions": DataKind("plan actions", "actions.csv"),
    "action_links": DataKind("links between plan actions and the needs they address",
                             "the addresses_factor column of actions.csv"),
    # the usual hint ("CIN census, Annex A and SSD extracts do not carry them") is not true of these: a census and an
    # Annex A return bring referrals, and only an SSD extract as read here brings none
    "concern_events": DataKind("referrals, contacts, incidents or missed appointments",
                               "REFERRAL, INCIDENT or MISSED_APPOINTMENT rows in events.csv, or a CIN census or "
                               "Annex A list of referrals",
                               hint="An SSD extract as read here carries none of them; import {files} to see this."),
    # the concerns short of a referral: a CIN census records each referral to children's social care and nothing
    # before it, so every gap it gives holds its referrals alone, and "0 plans after 5 or more concerns", "every
    # concern in the last 3 months" would be findings about the source, not the child (MEASURE_NEEDS concern_volume)
    "other_concerns": DataKind("contacts, incidents or missed appointments",
                               "CONTACT, INCIDENT or MISSED_APPOINTMENT rows in events.csv, or an Annex A list of "
                               "contacts",
                               hint="A CIN census records referrals to children's social care, not the contacts, "
                                    "incidents and missed appointments before them, so how much concern came before "
                                    "a repeat plan, and when, cannot be told from it; import {files} to see this."),
    "plan_updates": DataKind("plan updates", "PLAN_UPDATE rows in events.csv"),
    # a CIN census dates the section 47 enquiry and the ICPC but no strategy discussion, and an Annex A return's List 5
    # date is the enquiry's start: "First concern to strategy" blank with no word of why read as none was held
    "strategy_discussions": DataKind("strategy discussions", "STRATEGY_DISCUSSION rows in events.csv"),
    # evidence of impact on the child (reference/concerns.py IMPACT_GROUPS): a census's referrals and contacts are
    # concerns, but none is an incident or a missed appointment
    "impact_events": DataKind("incidents, police call-outs or missed appointments",
                              "INCIDENT or MISSED_APPOINTMENT rows in events.csv"),
    # a kind of their own, not read from core groups: many authorities hold core group meetings in their case
    # records and keep challenges, escalations and written agreements elsewhere (or not at all), so a chronology
    # of meetings without them would read "0 challenges", "no step-down with a written agreement"; and a bundle of
    # challenges without core groups holds them all the same.  No census extract (CIN, Annex A, SSD) carries either.
    "challenges": DataKind("challenges or escalations by agencies", "CHALLENGE or ESCALATION rows in events.csv"),
    "written_agreements": DataKind("written agreements", "WRITTEN_AGREEMENT rows in events.csv"),
}

# Import kind (import_runs.kind) -> the kinds of record its data holds in part only: a plan it wrote does not hold
# them however many such rows it brought (Annex A's List 7 gives the latest review conference of each plan, not
# every one).  SQL joins these rows as the registered table `ref_partial_sources` (reference/tables.py).
PARTIAL_SOURCES: dict[str, tuple[str, ...]] = {
    "annex_a": ("reviews",),
}

# Measure -> the kinds it needs.  Keys: `metrics --json` keys, the audit's concern keys
# (reference.codes.CONCERN_LABELS) and the plan quality page's parts.  A measure not listed needs only plans.
MEASURE_NEEDS: dict[str, tuple[str, ...]] = {
    # metrics --json
    "core_groups": ("core_groups",),
    "reviews": ("reviews",),
    "agency_attendance": ("attendance",),
    "family_changes": ("family_changes",),
    "duplicate_actions": ("actions",),
    # the audit's concerns.  A first plan ended prematurely is not listed: like premature endings (below) it is counted
    # from the warning signs the data holds (a short plan needs only dates), and the signs it lacks are named
    # (metrics.audit.premature_signs_note)
    "adult_need_unaddressed": ("needs", "action_links"),
    "duplicated_actions": ("actions",),
    "core_groups_late": ("core_groups",),
    "low_agency_attendance": ("attendance",),
    "household_change_before_replan": ("family_changes",),
    "non_smart_actions": ("actions",),
    "deficit_language": ("actions",),
    # the warning signs at an ending (SIGN_MEASURES below) other than a short plan: actions not done is read from
    # plan actions; an adult need unaddressed (adult_need_unaddressed above) from needs and the actions naming them.
    # Premature endings and endings at risk are not listed: a short plan needs only dates, so they are counted in
    # every source from the signs its data holds, and the signs it lacks are named (signs_not_checked).
    "ending_open_actions": ("actions",),
    # the child timeline's count of a child's adult needs still open (no needs recorded: no count, not 0)
    "adult_needs_open": ("needs",),
    # the plan quality page
    "plan_quality": ("actions",),
    "relevance": ("needs", "action_links"),
    # between plans (Q2) and plan refresh (Q7): metrics --json keys and their page sections
    "between_plans": ("concern_events",),
    "impact_before_decision": ("concern_events", "impact_events"),
    # how many concerns came before each repeat plan and when (the bands, the months before the plan, each plan's band):
    # from referrals alone (a census) every gap holds one or two, all in the last months before the plan
    "concern_volume": ("concern_events", "other_concerns"),
    # the median days from the first concern to the strategy discussion (a tile, `metrics --json`, the child's gaps)
    "days_to_strategy": ("strategy_discussions",),
    "plan_refresh": ("plan_updates",),
    # challenge, written agreements and the impact of duplication (metrics --json, their pages): each shown
    # exactly where the data holds its own records (a chronology of meetings may have none of them)
    "challenge_and_escalation": ("challenges",),
    "written_agreements": ("written_agreements",),
    "duplication_impact": ("actions",),
    # the What works page (and its metrics --json keys)
    "restorative_practice": ("actions",),
    "first_order_endings": ("actions",),
    "what_works": ("actions", "attendance"),
    # strengths-based and trauma-informed wording beside deficit wording (metrics --json, plan quality page)
    "wording_balance": ("actions",),
}

NOT_RECORDED = "not recorded in this data"

# The columns of a gap between plans (metrics/between.py plan_rows: the child timeline's table, the Between plans
# list, the audit pack) that rest on a measure a source may not record: left out where it is not, so a census shows
# no column of 0s (impact), of "One concern" (its referrals alone) or of blank strategy dates.
GAP_COLUMN_MEASURES: dict[str, str] = {"impact_events": "impact_before_decision", "band": "concern_volume",
                                       "strategy_date": "days_to_strategy", "days_to_strategy": "days_to_strategy"}


def recorded_columns(columns: Iterable[str], not_recorded: Mapping[str, str]) -> list[str]:
    """`columns` less those whose measure (GAP_COLUMN_MEASURES) is one of `not_recorded` (coverage.not_recorded)."""
    return [c for c in columns if GAP_COLUMN_MEASURES.get(c) not in not_recorded]

# Each warning sign at an ending (reference.codes.ENDING_REASONS) -> its measure above (None: the plan's dates alone
# answer it).  Premature endings and endings at risk are counted from the signs the data holds: a short plan is a
# warning sign in every source, so a CIN census still lists its short plans re-planned, and every page, the
# briefing and `metrics --json` name the signs not checked (signs_not_checked), so a count is never read as
# "no plan ended with its actions open".
SIGN_MEASURES: dict[str, str | None] = {"SHORT": None, "OPEN_ACTIONS": "ending_open_actions",
                                        "UNADDRESSED_ADULT_NEED": "adult_need_unaddressed"}

# Not a kind of record a source brings or not, but a fact of each repeat plan: whether its previous plan is in the
# data with its dates.  A source may give a child's earlier plans only as a count (an Annex A return: List 7's number
# of previous plans), and then whether the repeat plan came within the re-plan window is not known, so "0% repeat
# within 24 months" would be no finding.  metrics/sequence.window_known tells when no repeat plan of a filter has a
# dated previous plan; `metrics --json` (not_recorded), the Overview and the briefing then say this, not 0.
UNDATED_EARLIER_PLANS = (NOT_RECORDED + ": no dates of the repeat plans' earlier plans (only how many there were, "
                         "such as an Annex A return's number of previous plans; plans.csv rows for the earlier plans "
                         "bring their dates)")


# Why a repeat plan may have no dated earlier plan: said by `some_undated` and `floor_for` alike.
_UNDATED_WHY = "no dated earlier plan in this data (only how many there were, or an earlier plan before the data begins)"


def some_undated(undated: int, repeats: int, window: str) -> str:
    """Said where some, not all, repeat plans of a filter have a dated previous plan (a CIN census's first years, a
    store from Annex A returns with a few earlier plans listed): the count within the window counts only the dated
    ones, so it is a floor, and the reader must be told it is not the share of all repeat plans."""
    return (f"{undated:,} of the {repeats:,} repeat plans have {_UNDATED_WHY}, so whether they came within {window} is "
            "not known; "
            "the figure counts only repeat plans whose previous plan is dated, so the true share is at least this")


def floor_for(names: list[str], measure: str) -> str:
    """The note under a by-authority chart of repeat plans within the window, naming the authorities whose figure is
    a floor (some_undated, one authority at a time): "" when there are none."""
    return (f"{measure}, for {', '.join(names)}: some repeat plans have {_UNDATED_WHY}, so each figure counts only the "
            "repeat plans whose previous plan is dated, and the true share is at least it." if names else "")


# Said where no repeat plan of a filter has its previous plan's end in the data (metrics.household.
# repeat_plans_after_change gives none with a gap): a count of household changes "before repeat plans" searched no gap
# at all, so "0" would read as no change.  The Household change page says this instead.
NO_GAP_MEASURED = ("No repeat plan started in the period has its previous plan's end in this data (an earlier plan "
                   "may be given only as a count, such as an Annex A return's number of previous plans), so no gap "
                   "before a repeat plan could be searched for household changes")


# Said where a child's needs come from a source that records no resolution (a CIN census's assessment factors carry
# no resolved date): "still open" would count every factor as open for ever.  metrics/chronology's needs carry
# `resolution_recorded`; the child timeline's tile and title and the audit pack say this instead of a count.
NEED_RESOLUTION = "whether adult needs were resolved"
NEED_RESOLUTION_UNRECORDED = (NOT_RECORDED + ": no resolution dates of needs (a CIN census's assessment factors "
                              "carry none; the resolved_date column of needs.csv brings them)")


def resolution_known(needs: "pd.DataFrame") -> "pd.Series":
    """Per need (chronology rows), whether its source records when needs are resolved (`resolution_recorded`;
    rows without the column, from a source that states resolutions, count as recorded).  Why one place: a need
    with no resolved date is "open" only where resolutions are recorded; a CIN census factor's end is not known,
    and the timeline, its picture in the pack and the pack's needs table must all say so alike."""
    if "resolution_recorded" in needs:
        return needs["resolution_recorded"].fillna(False).astype(bool)
    return needs["factor"].notna() | True


def open_needs(needs) -> int | None:
    """The adult needs of `needs` (chronology rows) still open: identified and not resolved, counted only where
    their source records resolutions; None when the child has adult needs and none of them has such a source."""
    if needs is None or len(needs) == 0:
        return 0
    adult = needs["factor"].astype(str).str.upper().isin(ADULT_FACTORS)
    known = resolution_known(needs)
    if adult.any() and not (adult & known).any():
        return None
    return int((adult & known & needs["resolved_date"].isna()).sum())


def sentence(missing: tuple[str, ...] | list[str]) -> str:
    """`reason` as a sentence on its own, for a tile's help or a caption: "Not recorded in this data: no ..."."""
    return sentence_of(reason(missing))


def undated_for(names: list[str], measure: str = "Repeat plans within the window") -> str:
    """The note under a by-team or by-authority chart whose `measure` (repeat plans within the window, the median
    gap: both need the earlier plans' dates) is blank for `names`, their repeat plans' earlier plans having no
    dates: "" when there are none.  One sentence for the pages and the briefing, so a blank never reads as a zero
    anywhere."""
    return f"{measure}, for {', '.join(names)}: {UNDATED_EARLIER_PLANS}." if names else ""


def signs_not_checked(unchecked: Mapping[str, tuple[str, ...]]) -> str:
    """The words for ending counts made without some warning signs (`unchecked`: sign code -> the kinds it lacks,
    metrics.coverage.Coverage.unchecked_signs): "warning signs not checked: actions not done and adult need
    unaddressed, not recorded in this data: no plan actions (actions.csv); ...; counted from the sign recorded
    (short plan) only"; "" when every sign was checked.  One sentence for the pages, the briefing and the CLI."""
    if not unchecked:
        return ""
    names = [REASON_LABELS[c].lower() for c in SIGN_MEASURES if c in unchecked]
    kinds = [k for k in DATA_KINDS if any(k in missing for missing in unchecked.values())]
    checked = [REASON_LABELS[c].lower() for c in SIGN_MEASURES if c not in unchecked]
    # the reason after a comma, not in brackets: it ends in brackets of its own ("(actions.csv)")
    return (f"warning sign{'s' if len(names) > 1 else ''} not checked: {and_list(names)}, {reason(kinds)}; counted "
            f"from the sign{'s' if len(checked) > 1 else ''} recorded ({and_list(checked)}) only")


def and_list(words: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def sentence_of(why: str) -> str:
    """A reason ("not recorded in this data: ...") as a sentence on its own: "Not recorded in this data: ..."."""
    return why[0].upper() + why[1:] + "."


def reason(missing: tuple[str, ...] | list[str]) -> str:
    """Why a measure is not shown: "not recorded in this data: no core group meetings (CORE_GROUP rows in
    events.csv)"; the same words on pages, in the CLI and in the audit pack."""
    return NOT_RECORDED + ": " + "; ".join(f"no {DATA_KINDS[k].what} ({DATA_KINDS[k].files})" for k in missing)
