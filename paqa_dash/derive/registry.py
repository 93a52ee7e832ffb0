"""The one registry of everything worked out from the store, in refresh order, and the one resolver.

Why: "is the data worked out at import still current?" is one question.  Every stored derived thing
-- the action matches, the action reviews, the plan sequence, the core group attendance sums and each
derived_* table -- is one `currency.Entry` in ENTRIES, refreshed by one function (`refresh`) in the one
order written here (a later entry may read the earlier ones), recorded in one format and checked by
one check (paqa_dash/derive/currency.py).  The query runner (paqa_dash/metrics/sqlrun.py) asks
`resolve` which blocks to read: a current entry's stored blocks stand in for its inline ones, so no
call site chooses between stored and inline rows itself.

Nothing here is a second definition of a measure: each derived table is filled by the inline block
it stands in for, as of the far future or the store's data date (see currency.py).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Callable, Literal

import duckdb

from .. import sql, store
from ..filters import Filters
from ..reference import tables as reference_tables
from ..settings import DEFAULTS, Thresholds, fixed_params
from . import currency, matches, reviews
from .currency import Entry, Snapshot
from .sequence import (ATTENDANCE, ATTENDANCE_EARLIER, CHOSEN, EVERY_CHILD, INLINE_SEQ, SCOPE, SEQ, SEQ_BASE, SEQUENCE,
                       STORED_SEQ_AS_OF)

Progress = Callable[[float, str], None]
ReviewState = currency.ReviewState
# When the stored reviews are not complete, the reviews block reads them together with the reviews the
# caller made on the fly (registered as pq_fresh_*): stored plus made now, or made now only.
REVIEWS_BLOCK = "plan_quality_cte_reviews_stored"
# What works reads each action's class from its stored theme (KINDS_BLOCK); when the stored reviews are not complete
# the caller classifies the kinds of action in Python (stored theme, else the classifier's) and KINDS_MADE reads them.
KINDS_BLOCK = "works_cte_kinded"
KINDS_MADE = ("works_cte_kinded_made",)
MADE_NOW = {"partial": {REVIEWS_BLOCK: ("plan_quality_cte_reviews_fresh",), KINDS_BLOCK: KINDS_MADE},
            "stale": {REVIEWS_BLOCK: ("plan_quality_cte_reviews_made",), KINDS_BLOCK: KINDS_MADE}}


@dataclass(frozen=True)
class Prior:
    """The store as an import found it, before it wrote a row (`prior`): what `refresh` needs to know that an entry
    may be rewritten for the changed children only.  snap: the currency snapshot (each entry current then?);
    run_flags: what each import run's data recorded then (registry_run_flags)."""

    snap: Snapshot
    run_flags: dict[int, tuple[object, ...]]


@dataclass(frozen=True)
class Change:
    """What a refresh is for.

    run_id:   the import run that wrote the rows (None: the latest recorded one);
    children: children whose plans or actions changed (their actions' matches are scored again);
    reviews:  "run" reviews the actions of `run_id` (every action when None or when the lexicons
              changed), "all" every action, "keep" none (a copy whose reviews were copied with it);
    prior:    the store before the change (`prior`); None: every entry is rewritten from the whole store.  Given,
              the `by_child` entries current before it are rewritten for the changed children only (`refresh`);
    data_date: filled by `refresh`: the store's data date, which "equal" entries are written for;
    scope:    filled by `refresh` for the entry it writes: the children whose rows it rewrites (None: all);
    whole:    filled by `refresh` while the source tables are narrowed to `scope` (`Narrowing`), and for a derived_*
              table after the first: the whole store's snapshot, which the entry's blocks are resolved on (with the
              records read again); None: read the store's state now.
    """

    run_id: int | None = None
    children: frozenset[str] = frozenset()
    reviews: Literal["run", "all", "keep"] = "run"
    prior: Prior | None = None
    data_date: date | None = None
    scope: frozenset[str] | None = None
    whole: Snapshot | None = None


@dataclass(frozen=True)
class Resolution:
    """Which entries are current for one question (store snapshot, as-of date, thresholds), and so
    which block stands for each block a query names.  `reviews`: the stored reviews' state (ReviewState):
    a caller reviews on the fly the actions it says the store lacks -- none, the missing ones, or every
    one -- and registers them; the reviews block then reads them (MADE_NOW)."""

    current: frozenset[str] = frozenset()
    swaps: dict[str, tuple[str, ...]] = field(default_factory=dict)
    reviews: ReviewState = "stale"

    def substitute(self, name: str) -> tuple[str, ...]:
        """The blocks that stand for `name` (the plan-sequence alias expands to the inline numbering
        unless an entry or a temp table stands for it)."""
        if name in self.swaps:
            return self.swaps[name]
        return INLINE_SEQ if name == SEQ else (name,)

    def reads_stored(self, *names: str) -> bool:
        """True when every named entry is current (its stored rows are read)."""
        return all(name in self.current for name in names)

    def with_swap(self, name: str, blocks: tuple[str, ...]) -> "Resolution":
        return replace(self, swaps={**self.swaps, name: blocks})


def _table(table: str, inline: str, stored: str, rows: str, reads: tuple[str, ...] = (),
           as_of: Literal["after", "equal", "any", "quarter_end"] = "after", thresholds: tuple[str, ...] = (),
           reviews_made: bool = False, earlier: str | None = None, by_child: bool = False,
           leading: tuple[str, ...] = (), written_from: str | None = None, whole_history: bool = False) -> Entry:
    """A derived_* table: the rows of the inline CTE block `inline` (with the blocks it needs and
    `reads`), selected by `rows` (which declares it needs `inline`); `stored` defines the same final
    CTE from the table; `earlier`, of an "after" table, the same CTE from the table as of an earlier date;
    `by_child`: its rows are per plan, from the plan's child's rows only (currency.Entry), so `write` given a
    change's `scope` rewrites those children's plans only; `leading`: columns the rows are ordered by before
    the plan (sql.in_plan_order), for a page that reads the few rows of one value of them; `written_from`: the
    stored block of an entry written before this one that stands for `inline` for any as-of date (an "any" table of
    the same facts): when the resolver reads it for a date being written, the rows are written from it, not worked
    out again from the events (the same rows; part of the definition, so a change to it rewrites this table);
    `whole_history`: its rows are facts of each child over all the child's plans (currency.Entry)."""
    if sql.needs(rows) != (inline,):
        raise ValueError(f"{rows!r} must declare '-- needs: {inline}' (the block {table} stands in for)")

    def write(con: duckdb.DuckDBPyConnection, change: Change) -> int:
        scope = change.scope
        if scope is not None:   # the changed children's plans only: their old rows out, theirs worked out again
            con.execute(sql.delete_of_plans(table, currency.SCOPE_PLANS))
        dates = currency.written_as_ofs(entry, change.data_date) if scope is None or scope else ()
        for i, day in enumerate(dates):
            filters = Filters(as_of=day)
            # Written from the stored reviews as they are (their record says whether they were complete).  For a
            # scope, over the tables narrowed to its children (`Narrowing`), judged on the whole store's snapshot.
            snap = None if change.whole is None else currency.with_records(change.whole, con)
            found = (resolve(con, filters, DEFAULTS, snap=snap, skip=table).with_swap(REVIEWS_BLOCK, (REVIEWS_BLOCK,))
                     .with_swap(KINDS_BLOCK, (KINDS_BLOCK,)))
            if found.substitute(inline) != (written_from,):
                found = found.with_swap(inline, (inline,))   # its own inline block, never another table standing for it
            if scope is not None:
                found = found.with_swap(RUN_FLAGS, (RUN_FLAGS_SCOPED,))
            text = sql.compose(rows, (SEQ, *reads), found.substitute)
            if scope is not None:   # (their plans' rows only, whatever a block reads)
                text = sql.of_plans(text, currency.SCOPE_PLANS)
            params = sql.bind(text, context={**filters.params(), **threshold_params(DEFAULTS)}, block=rows)
            reference_tables.register(con, text, DEFAULTS)
            fresh = i == 0 and scope is None
            # `text` is SQL from queries/*.sql only and the table name is checked; values are parameters.
            if as_of_rows:
                # one block of rows per as-of date, in date order of writing, so a read of one date skips the
                # others' row groups (the stored block selects `as_of = $as_of`); each block in plan order, as
                # every derived table is (sql.in_plan_order: the pages' joins on plan_id)
                keyed = sql.in_plan_order(sql.keyed_by_as_of(text))
                con.execute(sql.create_table_as(table, keyed) if fresh else sql.insert_into(table, keyed),
                            {**params, "written_as_of": day})
            else:
                ordered = sql.in_plan_order(text, leading)
                con.execute(sql.create_table_as(table, ordered) if fresh else sql.insert_into(table, ordered), params)
        return int(con.execute(sql.count_rows(table)).fetchall()[0][0])

    as_of_rows = as_of == "equal"
    blocks = (SEQ_BASE, CHOSEN, SCOPE, *((earlier,) if earlier else ()), *sql.expand((*reads, inline)), stored, rows)
    entry = Entry(name=table, write=write, swaps={inline: (stored,)}, by_child=by_child, leading=leading, table=True,
                  blocks=blocks,
                  written_from=tuple(b for b in sql.expand((written_from,) if written_from else ()) if b not in blocks),
                  as_of=as_of, thresholds=thresholds, reviews=reviews_made,
                  earlier={inline: (earlier,)} if earlier else {}, whole_history=whole_history)
    return entry


# In refresh order: an entry may read the entries refreshed before it.  Each is `by_child` (checked block by block:
# every row is of one plan, read from `started` / `ended` or the plans, joined to that plan's events, actions,
# reviews, matches and attendance and its child's needs and events; two things reach further, and `refresh` widens
# or refuses for them: household changes of the child's family (the scope takes in the family) and what each import
# run's data records, which coverage_cte_plan_data counts for every plan of the run (the run flags must not change)).
TABLES: tuple[Entry, ...] = (
    # which kinds of record the store holds for each plan (queries/metrics/coverage.sql): no filter, no as-of; read by
    # the core group, review and duplicated-action measures and by the tables below, so it is written first
    _table("derived_plan_data", "coverage_cte_plan_data", "coverage_cte_plan_data_stored", "coverage_plan_data_rows",
           as_of="any", by_child=True),
    # the ending pages' facts (queries/derive/derived_cohort.sql), read by the audit facts below too: every ended
    # plan's actions left open and adult needs unaddressed at its end.  Read for any as-of date and any threshold:
    # the facts are worked out from the plan's own end date, never from the as-of, and endings_cte_endings applies
    # the short-plan months and the re-plan window when read (a short plan from the plan's dates, premature from
    # the next start)
    _table("derived_ending_flags", "endings_cte_ending_marks", "derived_cohort_cte_ending_flags_stored",
           "derived_cohort_ending_flags_rows", as_of="any", by_child=True),
    # core groups & agencies, household change (queries/derive/derived_agencies.sql, derived_household.sql).  Each
    # plan's core group and review meeting dates, read for any as-of date (the deadlines worked out when read); the
    # tables of the recent dates after them stand for the same blocks when current (a later entry's swap wins), so
    # those dates read the facts as written
    _table("derived_core_group_meetings", "timeliness_cte_core_group_facts",
           "derived_agencies_cte_core_group_facts_stored_any", "derived_agencies_core_group_meetings_rows",
           as_of="any", by_child=True),
    _table("derived_review_meetings", "timeliness_cte_review_facts", "derived_agencies_cte_review_facts_stored_any",
           "derived_agencies_review_meetings_rows", as_of="any", by_child=True),
    # The tables of the recent dates are written from the two above (`written_from`): each date's facts read from the
    # meeting dates as a page would read them for that date, at a tenth of the CPU of working them out from every
    # event again for each of the five dates (docs/benchmark_history.md, "The end of a large import, another round")
    _table("derived_core_group_plans", "timeliness_cte_core_group_facts",
           "derived_agencies_cte_core_group_facts_stored", "derived_agencies_core_group_facts_rows", as_of="equal",
           by_child=True, written_from="derived_agencies_cte_core_group_facts_stored_any"),
    # (no threshold: the stored block counts the interval statuses for the interval asked, from each interval's days)
    _table("derived_review_plans", "timeliness_cte_review_facts", "derived_agencies_cte_review_facts_stored",
           "derived_agencies_review_facts_rows", as_of="equal", thresholds=("later_review_months",),
           by_child=True, written_from="derived_agencies_cte_review_facts_stored_any"),
    _table("derived_challenge_links", "engagement_cte_challenges", "derived_agencies_cte_challenges_stored",
           "derived_agencies_challenge_links_rows", earlier="derived_agencies_cte_challenges_stored_as_of",
           by_child=True),
    _table("derived_family_change_links", "household_cte_family_changes",
           "derived_household_cte_family_changes_stored", "derived_household_family_change_links_rows",
           earlier="derived_household_cte_family_changes_stored_as_of", by_child=True),
    # the audit sample's per-plan facts and per-plan agency attendance (queries/metrics/audit.sql); the short-plan
    # months and the core-group interval are applied when read (audit_cte_plan_facts_read), from each plan's dates,
    # ending facts and longest late interval, so they are not among the thresholds the rows depend on
    # (each plan's action and review counts, which no as-of changes: read for any as-of, by the audit facts when those
    # are not current for it)
    _table("derived_audit_plan_text", "audit_cte_plan_text", "audit_cte_plan_text_stored", "audit_plan_text_rows",
           as_of="any", reviews_made=True, by_child=True),
    _table("derived_audit_plan_facts", "audit_cte_plan_facts", "audit_cte_plan_facts_stored", "audit_plan_facts_rows",
           as_of="equal", thresholds=("replan_window_months", "first_core_group_working_days", "similarity_threshold"),
           reviews_made=True, by_child=True),
    _table("derived_audit_attendance", "audit_cte_plan_attendance", "audit_cte_plan_attendance_stored",
           "audit_plan_attendance_rows", as_of="equal", by_child=True),
    # the audit's low agency attendance per child, as spans of quarter ends (written from the attendance sums):
    # read at any quarter end, for a question over whole histories (the audit's concerns over the children in scope),
    # where grouping every quarterly sum by child and agency was a third of the audit sample as of an older quarter end
    _table("derived_audit_low_attendance", "audit_cte_low_attendance", "audit_cte_low_attendance_stored",
           "audit_low_attendance_rows", as_of="quarter_end", by_child=True, whole_history=True),
    # the plan quality page (queries/metrics/plan_quality.sql, queries/derive/derived_plan_quality.sql): per plan
    # its action counts, SMART criterion fails, theme mix, reading ease and the adult factors its relevance verdict
    # is worked out from (with the date each is known from: plan_quality_cte_plan_facts applies the as-of when
    # read); per plan and lexicon term.  Neither depends on the as-of date beyond which plans are started by then,
    # so both are written once and read for any as-of.  They read the stored reviews (the page reads fresh ones
    # instead when some are missing).
    _table("derived_pq_plans", "plan_quality_cte_plan_base", "derived_plan_quality_cte_plan_base_stored",
           "derived_plan_quality_plan_base_rows", reads=("plan_quality_cte_reviews_stored",), as_of="any",
           reviews_made=True, by_child=True),
    _table("derived_pq_language", "plan_quality_cte_plan_language",
           "derived_plan_quality_cte_plan_language_stored", "derived_plan_quality_plan_language_rows",
           reads=("plan_quality_cte_reviews_stored",), as_of="any", reviews_made=True, by_child=True),
    # per plan ended, the household changes after its end (queries/metrics/household.sql): the re-plan window
    # and the as-of are applied when read, so read for any as-of date and any window
    _table("derived_after_first_changes", "household_cte_after_first_changes",
           "household_cte_after_first_changes_stored", "household_after_first_changes_rows", as_of="any",
           by_child=True),
    # per ended plan, the first challenge around its end (queries/metrics/challenge.sql): no threshold, no as-of (the
    # as-of is applied when read, to that date), so read for any as-of date
    _table("derived_ending_challenges", "challenge_cte_ending_challenges", "challenge_cte_ending_challenges_stored",
           "challenge_ending_challenges_rows", as_of="any", by_child=True),
    # every written agreement placed against the child's plans (queries/metrics/agreements.sql), for the Challenge
    # page's two agreement calls: no placement of every agreement against every plan per call
    _table("derived_agreements", "agreements_cte_agreements", "agreements_cte_agreements_stored", "agreements_rows",
           earlier="agreements_cte_agreements_stored_as_of", by_child=True),
    # the plan refresh page's triggers (queries/metrics/refresh.sql): every review, core group and new concern of a
    # plan with the first plan update on or after it, to the plan's end; the as-of (each plan's cutoff) and the days
    # an update is due within are applied when read, so read for any as-of date and any threshold.  Why stored: at a
    # million plans there are some ten million triggers, each matched to its plan's updates (docs/benchmark_history.md)
    # The new concerns (a twelfth of the rows) are written first: the list of plans with late concerns reads only
    # those, and its scan skips the meetings' row groups.
    _table("derived_refresh_triggers", "refresh_cte_trigger_facts", "refresh_cte_trigger_facts_stored",
           "refresh_trigger_facts_rows", as_of="any", by_child=True, leading=("meeting",)),
    # each repeat plan's actions and duplicated actions (queries/derive/derived_cohort.sql), for the
    # Duplicated actions page: no join of every action and match per filter change.  Read for any as-of date: a plan's
    # counts are of its own actions and their matches with actions of the child's earlier plans (text/duplicates.py),
    # all started before it, so no as-of by which the plan has started changes them; `started` says which plans.
    # (Read on or after the latest date only, every earlier as-of date counted every repeat plan's actions and
    # matches again: most of the page as of a quarter end at a million plans, docs/benchmark_history.md)
    _table("derived_dup_counts", "cohorts_cte_dup_counts", "derived_cohort_cte_dup_counts_stored",
           "derived_cohort_dup_counts_rows", as_of="any", thresholds=("similarity_threshold",), by_child=True),
    # the Between plans page (queries/metrics/between.sql): every event in each repeat plan's gap, then each plan's
    # facts worked out from them (written from the events table just written).  A gap ends on or before its plan's
    # start, so a plan started by any as-of date has it whole: read for any as-of, no threshold.  Why: each of the
    # page's questions joined the filter's repeat plans to every event of their children (about 3 s each at a million
    # plans under load, docs/benchmark_history.md "Between plans at a million plans")
    _table("derived_between_events", "between_cte_gap_events", "between_cte_gap_events_stored",
           "between_gap_events_rows", as_of="any", by_child=True),
    _table("derived_between_plans", "between_cte_plan_facts", "between_cte_plan_facts_stored",
           "between_plan_facts_rows", as_of="any", by_child=True),
    # the What works page (queries/metrics/works.sql): per ended plan, the date from which each kind of event evidence
    # is there (the as-of applied when read) and its actions counted by class and kind of work (which no as-of
    # changes), written from the stored reviews' themes: read for any as-of date and any threshold.  Why: each
    # question read every event, attendance row and action of the filter's ended plans (seconds at a million plans,
    # docs/benchmark_history.md "What works, kept at import")
    _table("derived_works_plans", "works_cte_plan_facts", "works_cte_plan_facts_stored", "works_plan_facts_rows",
           as_of="any", reviews_made=True, by_child=True),
)
ENTRIES: tuple[Entry, ...] = (matches.ENTRY, reviews.ENTRY, SEQUENCE, ATTENDANCE, *TABLES)


def threshold_params(thresholds: Thresholds) -> dict[str, object]:
    """The thresholds as the named parameters the SQL blocks use."""
    return {
        "replan_months": int(thresholds.replan_window_months),
        "short_months": int(thresholds.short_plan_months),
        "cg_weeks": int(thresholds.core_group_interval_weeks),
        "first_review_months": int(thresholds.first_review_months),
        "later_review_months": int(thresholds.later_review_months),
        "similarity_threshold": float(thresholds.similarity_threshold),
        "update_days": int(thresholds.plan_update_days),
        # fixed, not adjustable (settings.fixed_params): the plausibility limits (the same plans are left out of every
        # view), the follow-up spans derived_agreements is written with, the audit's low-attendance cut-offs
        # derived_audit_low_attendance is written with; part of each table's definition (currency.definition)
        **fixed_params(),
        # and the word patterns What works matches (bound, so compiled once: reference/tables.py PATTERNS)
        **reference_tables.PATTERNS,
    }


def resolve(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds, snap: Snapshot | None = None,
            skip: str | None = None) -> Resolution:
    """Which entries are current for this as-of date and these thresholds (`snap`: a snapshot already
    read, e.g. for a batch of queries; else read now, once), and the blocks that stand for theirs.
    `skip`: an entry being rewritten (never read while it is written)."""
    snap = snap or currency.snapshot(con)
    as_of = filters.effective_as_of
    whole = filters.whole_histories
    current = [e for e in ENTRIES
               if e.name != skip and (whole or not e.whole_history)
               and currency.is_current(e, snap, as_of, thresholds, reviews.version)]
    names = frozenset(e.name for e in current)
    state: ReviewState = ("stale" if currency.REVIEWS not in names
                          else "complete" if currency.reviews_complete(snap) else "partial")
    swaps: dict[str, tuple[str, ...]] = dict(MADE_NOW.get(state, {}))
    if SEQUENCE.name not in names and SEQUENCE.name != skip and stored_sequence_readable(snap):
        swaps[SEQ] = (STORED_SEQ_AS_OF, SCOPE)
    for entry in ENTRIES:   # "after" tables read as of an earlier date (their `earlier` blocks say how)
        if (entry.earlier and entry.name not in names and entry.name != skip
                and currency.is_current(entry, snap, currency.FAR_FUTURE, thresholds, reviews.version)):
            swaps.update(entry.earlier)
    if ATTENDANCE.name not in names and ATTENDANCE.name != skip and stored_attendance_readable(snap, as_of):
        swaps.update({**ATTENDANCE.swaps, **ATTENDANCE_EARLIER})
    for entry in current:
        swaps.update(entry.swaps)
    if not filters.child_ids and not filters.scope.repeat_children_only:
        # no child named and not an auditor's scope: every plan's child is chosen, so no plan's child is read and
        # tested (sequence.EVERY_CHILD; the same rows)
        swaps.update(EVERY_CHILD)
    return Resolution(names, swaps, state)


def stored_sequence_readable(snap: Snapshot) -> bool:
    """True when the stored plan sequence, not current for this question only because of its as-of date (earlier
    than the latest plan) or its re-plan window, can be read through STORED_SEQ_AS_OF instead of numbering every
    plan again (queries/derive/sequence.sql says why the rows are the same): that block sees the table as of the
    question's date and works the window out from the parameter; everything else (definition, import run, rows)
    must match.  Why: a user who moves the as-of date back, or changes the window, waited for every plan of a
    national store to be numbered again on each query (docs/benchmark_history.md)."""
    recorded = snap.records.get(SEQUENCE.name, {})
    written = DEFAULTS.with_(**{name: value for name, value in recorded.get("thresholds", {}).items()
                                if hasattr(DEFAULTS, name)})
    return (recorded.get("as_of") == currency.FAR_FUTURE.isoformat()
            and currency.is_current(SEQUENCE, snap, currency.FAR_FUTURE, written, reviews.version))


def stored_attendance_readable(snap: Snapshot, as_of: date) -> bool:
    """True when the stored attendance sums, not current for this question only because its as-of date is before
    the latest core group, can be read through ATTENDANCE_EARLIER: exactly when the as-of is a quarter end (the sums
    are per quarter of the meeting).  Why: the agencies page as of an earlier quarter end joined every attendance
    row of the store to its meeting again (docs/benchmark_history.md)."""
    return currency.is_quarter_end(as_of) and currency.is_current(ATTENDANCE, snap, currency.FAR_FUTURE, DEFAULTS)


# The tables a derived table is worked out from (the sources, the plan sequence and attendance sums, written
# before it), narrowed to the changed children while a refresh rewrites them child by child (`Narrowing`); the
# derived_* tables are read whole (joined to the narrowed plans).  The run flags are worked out from the whole store
# (coverage_cte_run_flags counts every child's rows), kept in a temp table and read from it meanwhile.
NARROWED = ("children", "plans", "events", "attendance", "family_changes", "needs", "actions", "action_matches",
            "action_reviews", "language_findings", "plan_reviews", "plan_sequence", "core_group_attendance")
RUN_FLAGS = "coverage_cte_run_flags"
RUN_FLAGS_SCOPED = "registry_cte_run_flags_scoped"
RUN_FLAGS_TABLE = "registry_scope_run_flags"


class Narrowing:
    """While on, each source table in NARROWED is a temp table of the changed children's rows of it, which DuckDB
    reads in the table's place (a temp table is found before the store's of the same name): a derived table's own
    inline blocks, unchanged, then read those children's rows only, so rewriting their plans costs what they hold,
    not what the store holds (the blocks join through IN-subqueries and window functions no filter reaches).

    Why temp tables and not a filter in every block: the blocks are the one definition the pages read too; a second,
    filtered copy of each would be a second definition.  `snap` is the store's snapshot taken before narrowing, for
    the currency records written meanwhile (no source table changes while the derived tables are written)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.snap: Snapshot | None = None

    def narrow(self) -> None:
        if self.snap is not None:
            return
        self.snap = currency.snapshot(self.con)
        for table in NARROWED:   # each block reads the store's table (its name is not yet a temp table's)
            self.con.execute(sql.create_temp_table_as(table, sql.text(f"registry_narrow_{table}")))

    def widen(self) -> None:
        if self.snap is None:
            return
        for table in NARROWED:
            self.con.execute(sql.drop_temp_table(table))
        self.snap = None

    def snapshot(self) -> Snapshot:
        """The store's snapshot: while narrowed, the one taken before (with the records as now), else read now."""
        return currency.snapshot(self.con) if self.snap is None else currency.with_records(self.snap, self.con)


def refresh(con: duckdb.DuckDBPyConnection, change: Change = Change(), progress: Progress | None = None,
            only: tuple[str, ...] = ()) -> dict[str, int]:
    """Rewrite every entry (or those named in `only`) the change calls for, in registry order, and
    record what each was built from; rows written per entry.  The caller owns the transaction (an
    import calls this inside its own, so the store is never seen half derived).

    Given the store before the change (`change.prior`), an entry that is `by_child` and was current then, for the
    very as-of dates it is written for now (so the data date did not move it), is rewritten for the changed
    children only (`changed_children`): their plans' rows deleted, theirs worked out by the same inline block
    limited to them.  The rows of every other child are those a rewrite from the whole store gives, since nothing
    they are worked out from changed.  Anything else is rewritten from the whole store."""
    say = progress or (lambda _f, _m: None)
    change = replace(change, data_date=store.data_date(con))
    # The changed children are worked out only for an entry that can be rewritten for them alone: on a first import
    # none can (nothing was current before it), and at a million plans finding every child of the run, and their
    # plans, as the scope no entry then read took 4 CPU s of the import's serial end.
    entries = [e for e in ENTRIES if (not only or e.name in only) and e.wanted(change)]
    scope = changed_children(con, change) if any(rewritable_by_child(e, change) for e in entries) else None
    narrowing = Narrowing(con)
    written: dict[str, int] = {}
    # The store's snapshot, kept from one derived_* table (`Entry.table`) to the next: writing one changes nothing a
    # snapshot holds but the records (the source and stored tables' counts, the run and the dates stay), so each
    # later one is judged on it with the records read again (`with_records`, as while narrowed), and its record
    # written with it (`record` reads, of the records, only the reviews', written before any TABLES entry).
    # Reading the whole state again for every as-of date of every entry was most of a small import's derivation.
    held: Snapshot | None = None
    try:
        for entry in entries:
            if entry.progress is not None:
                say(*entry.progress)
            by_child = scope is not None and rewritable_by_child(entry, change)
            if by_child and entry in TABLES:
                narrowing.narrow()
            else:   # (the plan sequence and attendance sums filter the store's tables themselves)
                narrowing.widen()
            held = held if entry.table else None   # (after matches, reviews, sequence or sums: read again)
            whole = narrowing.snap if narrowing.snap is not None else held
            n = entry.write(con, replace(change, scope=scope if by_child else None, whole=whole))
            as_of = currency.written_as_of(entry, change.data_date)
            snap = held if held is not None else narrowing.snapshot()
            held = snap if entry.table else None
            currency.record(con, entry, snap, change.run_id, as_of, n, DEFAULTS,
                            as_ofs=currency.written_as_ofs(entry, change.data_date))
            written[entry.name] = n
    finally:
        _drop_temp_tables(con, narrowing)
    return written


def _drop_temp_tables(con: duckdb.DuckDBPyConnection, narrowing: Narrowing) -> None:
    """Drop the refresh's temp tables, above all the narrowed ones, which would otherwise stand for the store's
    tables on this connection.  After an error inside a transaction DuckDB refuses every statement; the rollback
    that follows drops them (they were made in it), so that refusal is not allowed to hide the error."""
    try:
        narrowing.widen()
        for table in (RUN_FLAGS_TABLE, currency.SCOPE_PLANS, currency.SCOPE_CHILDREN):
            con.execute(sql.drop_temp_table(table))
    except duckdb.TransactionException:   # (an aborted transaction: only after an error, which propagates)
        pass


def prior(con: duckdb.DuckDBPyConnection) -> Prior | None:
    """The store as it is, for a `Change.prior`: taken by an import before it writes a row (None: an old or partial
    store, where nothing is current)."""
    snap = currency.snapshot(con)
    return Prior(snap, run_flags(con)) if snap.readable else None


def run_flags(con: duckdb.DuckDBPyConnection, into: str | None = None) -> dict[int, tuple[object, ...]]:
    """What each import run's data records (coverage_cte_run_flags), by run id; `into`: also kept in that temp
    table (which the blocks run over narrowed tables read instead: RUN_FLAGS_SCOPED)."""
    text = sql.compose("registry_run_flags")
    reference_tables.register(con, text, DEFAULTS)
    if into is not None:
        con.execute(sql.create_temp_table_as(into, text))
        text = sql.text("registry_scoped_run_flags")
    return {int(row[0]): tuple(row[1:]) for row in con.execute(text).fetchall()}


def changed_children(con: duckdb.DuckDBPyConnection, change: Change) -> frozenset[str] | None:
    """The children whose derived rows a change can have changed, or None when that is not known (no `prior`, or
    an import run's flags changed, which changes rows of children the import never touched).  They are the
    change's `children`, every child a row of `run_id` belongs to, and every child of a family a household change
    of the run names (registry_children_of_run).  Registers them and their plans as temp tables (SCOPE_CHILDREN,
    SCOPE_PLANS), which `refresh` drops."""
    if change.prior is None:
        return None
    now = run_flags(con, into=RUN_FLAGS_TABLE)
    if any(flags != change.prior.run_flags.get(run) for run, flags in now.items() if run != change.run_id):
        return None
    children = set(change.children)
    if change.run_id is not None:
        children |= set(sql.query(con, "registry_children_of_run", run_id=change.run_id)["child_id"].dropna())
    con.execute(sql.create_temp_table_as(currency.SCOPE_CHILDREN, sql.text("registry_scope_children")),
                {"child_ids": sorted(children)})
    con.execute(sql.create_temp_table_as(currency.SCOPE_PLANS, sql.text("registry_scope_plans")))
    return frozenset(children)


def rewritable_by_child(entry: Entry, change: Change) -> bool:
    """Whether `entry` may be rewritten for the changed children only: it is `by_child`, and before the change its
    rows were current for exactly the as-of dates it is written for now (the same definition, thresholds, import
    run and source rows)."""
    # made from the reviews: those were left as they are ("keep") or reviewed again for the run's actions only
    reviews_kept = change.reviews == "keep" or (change.reviews == "run" and change.run_id is not None)
    if not entry.by_child or change.prior is None or (entry.reviews and not reviews_kept):
        return False
    return as_written(entry, change.prior.snap, change.data_date)


def as_written(entry: Entry, snap: Snapshot, data_date: date | None) -> bool:
    """Whether `entry`'s rows in `snap` are what a refresh would write now: current for exactly the as-of dates it
    is written for on this data date (the same definition, thresholds, import run and source rows)."""
    dates = currency.written_as_ofs(entry, data_date)
    recorded = snap.records.get(entry.name, {})
    if recorded.get("as_ofs") != sorted(d.isoformat() for d in dates):
        return False
    return all(currency.is_current(entry, snap, day, DEFAULTS, reviews.version) for day in dates)


# What `python -m paqa_dash derive` rewrites: every entry worked out from the stored rows alone, so rewritable without
# an import -- the plan sequence, the attendance sums and the derived_* tables.  Not the action matches (scored for
# the children an import changed) nor the action reviews (`refresh_reviews`, after the word lists changed).
DERIVED: tuple[Entry, ...] = (SEQUENCE, ATTENDANCE, *TABLES)


@dataclass(frozen=True)
class Rewrite:
    """What `rewrite` found and did.  written: (entry name, rows, seconds) per entry rewritten, in registry order;
    waiting: the entries made from the stored reviews that were left as they are, because those reviews are not
    current (made by other word lists, or missing some actions): rewriting them would not make them current;
    imported: the store holds an import run (else nothing is stale: `stale`)."""

    written: tuple[tuple[str, int, float], ...] = ()
    waiting: tuple[str, ...] = ()
    imported: bool = True


def stale(con: duckdb.DuckDBPyConnection, snap: Snapshot | None = None) -> tuple[Entry, ...]:
    """The DERIVED entries that are not what an import would leave now (`as_written`), or whose table is missing
    (none in a store nothing was imported into: an import would write no rows of its own there)."""
    snap = snap or currency.snapshot(con)
    if snap.readable and snap.run is None:
        return ()
    present = set(sql.query(con, "registry_tables")["table_name"])
    day = store.data_date(con)
    return tuple(e for e in DERIVED if e.name not in present or not as_written(e, snap, day))


def rewrite(con: duckdb.DuckDBPyConnection, everything: bool = False) -> Rewrite:
    """Rewrite the DERIVED entries that are `stale` (every one when `everything`), in registry order, each timed,
    without an import: for a store whose derived tables an earlier version wrote (or none), which the pages
    otherwise work out again on every question until the next import.  The stored reviews are kept as they are
    (`Change(reviews="keep")`), and so are the action matches and every source row.  The caller owns the
    transaction (the CLI's `derive` runs it in one: a failure leaves the store as it was)."""
    snap = currency.snapshot(con)
    usable = (currency.is_current(reviews.ENTRY, snap, currency.FAR_FUTURE, DEFAULTS)
              and currency.reviews_complete(snap))
    wanted = DERIVED if everything else stale(con, snap)
    waiting = tuple(e.name for e in wanted if e.reviews and not usable)
    written = []
    for entry in wanted:
        if entry.name in waiting:
            continue
        start = time.perf_counter()
        rows = refresh(con, Change(reviews="keep"), only=(entry.name,))[entry.name]
        written.append((entry.name, rows, time.perf_counter() - start))
    return Rewrite(tuple(written), waiting, snap.run is not None)


def refresh_reviews(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Review every action again (after the lexicons changed) and rewrite what is made from the
    reviews; the other entries are still current (no import run)."""
    made = tuple(e.name for e in ENTRIES if e.reviews)
    return refresh(con, Change(reviews="all"), only=(currency.REVIEWS, *made))


def definitions() -> str:
    """Every entry's definition, for a store builder that must rebuild when any changed."""
    return "".join(currency.definition(e) for e in ENTRIES)
