"""What each page asks the store for, as plain (non-Streamlit) calls.

Each function below mirrors one page of `paqa_dash/ui/pages/`: the same data functions in the same
order with the same arguments, including the small pandas steps the page applies to their
results.  `run_page` runs them the way the app's cache does (`ui/data.py`): one read-only connection
for the page's calls, closed afterwards.  Drawing (plotly, Streamlit) is not timed here.

Keep in step with the pages: when a page gains a `data.cached(...)` call, add it here.
"""
from __future__ import annotations

import itertools
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import duckdb

from .. import store
from ..metrics import chronology
from ..metrics import cohorts
from ..figures import duplicates as dup_fig
from ..figures import endings as endings_fig
from ..figures import timeline
from ..metrics import sqlrun
from ..metrics import (agreements, between, challenge, coverage, dup_impact, engagement, household, refresh, regional,
                       sequence, summary, timeliness, works)
from ..filters import Filters, followed_up_period
from ..settings import Thresholds

_SESSIONS = itertools.count()
Opener = Callable[[], Any]  # returns a connection-like object; closed after each call


class Session:
    """Runs data functions as the app does (`ui/data.py`): inside `page()`, the page's calls share one
    connection, opened at the first and closed at the end (outside it, a connection per call), and every
    call is judged on the store's state read once for the session (`sqlrun.store_state`: the app reads it
    once per store version)."""

    def __init__(self, opener: Opener) -> None:
        self.opener = opener
        self.state_key = ("benchmark session", next(_SESSIONS))   # never another session's (ids are reused)
        self._in_page = False
        self._held: Any = None
        self._own: tuple[tuple[str, Any], ...] | None = None
        self._date: Any = None

    @contextmanager
    def page(self) -> Iterator[None]:
        self._in_page = True
        try:
            yield
        finally:
            self._in_page = False
            held, self._held = self._held, None
            if held is not None:
                held.close()

    def call(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if self._in_page:
            if self._held is None:
                self._held = self.opener()
            if not isinstance(self._held, duckdb.DuckDBPyConnection):   # a stand-in (scan.Recorder): as it is
                return self._answer(self._held, func, args, kwargs)
            cursor = self._held.cursor()   # a cursor a call, as the app's page run gives each read
            try:
                return self._answer(cursor, func, args, kwargs)
            finally:
                cursor.close()
        con = self.opener()
        try:
            return self._answer(con, func, args, kwargs)
        finally:
            con.close()

    def own_dates(self) -> tuple[tuple[str, Any], ...]:
        """Each authority's data date, read once for the session, as the app reads it once per store version (its
        store info) and passes it to the Regional view when no as-of date is chosen (`ui/state.own_data_dates`)."""
        if self._own is None:
            con = self.opener()
            try:
                self._own = tuple(sorted(store.authority_data_dates(con).items()))
                self._date = store.data_date(con)
            finally:
                con.close()
        return self._own

    def data_date(self) -> Any:
        self.own_dates()
        return self._date

    def _answer(self, con: Any, func: Callable[..., Any], args: tuple, kwargs: dict[str, Any]) -> Any:
        with sqlrun.store_state(con, self.state_key):
            return func(con, *args, **kwargs)


def run_page(name: str, s: Session, f: Filters, t: Thresholds) -> None:
    """Page `name`'s data calls as one page run (one connection)."""
    with s.page():
        ITEMS[name](s, f, t)


def metrics(s: Session, f: Filters, t: Thresholds) -> None:
    """`python -m paqa_dash metrics --json`: every figure it reports, serialised."""
    import json

    json.dumps(s.call(summary.compute, f, t), default=str)


def overview(s: Session, f: Filters, t: Thresholds) -> None:
    s.call(cohorts.headline, f, t)
    s.call(summary.quarterly, f, t)


def repeat_plans(s: Session, f: Filters, t: Thresholds) -> None:
    curve = s.call(cohorts.cohort_curve, f, t, split="cohort", max_months=36)
    cohorts.cohort_table(curve)
    s.call(cohorts.gap_months, f, t)
    s.call(sequence.start_counts, f, t)
    s.call(cohorts.pathways, f, t)
    s.call(cohorts.repeat_by_team, f, t)


def endings(s: Session, f: Filters, t: Thresholds) -> None:
    s.call(cohorts.ended_bands, f, t)
    outcomes = s.call(cohorts.ending_outcomes, f, t)
    endings_fig.reason_counts_from_outcomes(outcomes)
    for kind in ("premature", "at_risk"):
        if outcomes.loc[outcomes[kind], "plans"].sum():
            s.call(cohorts.ending_list, f, t, kind=kind, limit=cohorts.LIST_ROWS)


def duplicates(s: Session, f: Filters, t: Thresholds) -> None:
    summary = s.call(cohorts.dup_summary, f, t)
    if summary["total"]["plans"] and summary["total"]["actions"]:
        dup_fig.distribution_from_bands(summary["band"])
        dup_fig.impact_table(s.call(dup_impact.compare, f, t))
        s.call(cohorts.dup_pairs, f, t, limit=1000)


def child_timeline(s: Session, f: Filters, t: Thresholds) -> None:
    place = s.call(chronology.cohort_place, f, t, None)
    if not place.first_children:
        return
    chron = s.call(chronology.chronology, place.first_children[0], attendance=False)
    timeline.timeline_table(chron.plans, chron.events, chron.family_changes, chron.needs)
    timeline.actions_side_by_side(chron.actions, t.similarity_threshold)


def agencies(s: Session, f: Filters, t: Thresholds) -> None:
    by_team = s.call(engagement.challenges_by_team, f, t)
    if int(by_team["plans"].sum()) == 0:
        return
    engagement.agency_totals(s.call(engagement.attendance_by_quarter, f, t))
    s.call(timeliness.core_group_counts, f, t)
    s.call(timeliness.review_counts, f, t)
    s.call(engagement.challenges, f, t)


def challenge_page(s: Session, f: Filters, t: Thresholds) -> None:
    s.call(coverage.coverage, f, t)
    if not s.call(challenge.summary, f, t).empty:
        s.call(challenge.endings, f, t)
    if not s.call(agreements.counts, f, t).empty:
        s.call(agreements.step_downs, f, t)


def household_page(s: Session, f: Filters, t: Thresholds) -> None:
    buckets = s.call(household.change_buckets, f, t)
    if int(buckets["children"].sum()) == 0:
        return
    s.call(household.family_change_counts, f, t)
    household.replanned_share(s.call(household.after_first_plan, f, t))   # the top-200 list: on demand only


def plan_quality(s: Session, f: Filters, t: Thresholds) -> None:
    from ..metrics import plan_quality as pq

    s.call(pq.review, f, t)


def between_plans(s: Session, f: Filters, t: Thresholds) -> None:
    held = s.call(coverage.coverage, f, t)
    if not held.recorded("between_plans"):
        return
    counts = s.call(between.totals, f, t)
    if not int(counts["repeat_plans_with_gap"]):
        s.call(sequence.start_counts, f, t)
        return
    s.call(between.bands, f, t)
    s.call(between.months_before, f, t)
    s.call(between.by_group, f, t)   # the list of repeat plans: on demand only


def plan_refresh(s: Session, f: Filters, t: Thresholds) -> None:
    held = s.call(coverage.coverage, f, t)
    if not held.recorded("plan_refresh"):
        return
    grid = s.call(refresh.team_quarters, f, t)
    if int(refresh.by_team(grid)["due"].sum()) == 0:
        return
    refresh.by_quarter(grid)
    s.call(refresh.late_plans, f, t, limit=500)   # the page's LIST_ROWS


def what_works(s: Session, f: Filters, t: Thresholds) -> None:
    """With the period the app opens on (the latest year), the follow-up years (`ui/state.followed_up`)."""
    if f.date_from is not None:
        f = followed_up_period(f, t.replan_window_months)
    w = s.call(works.review, f, t)
    if w.plans_ended:
        s.call(coverage.coverage, f, t)


def regional_view(s: Session, f: Filters, t: Thresholds) -> None:
    """As the app opens it with no as-of date chosen: each authority read as of its own data date (`own_dates`);
    the audit's measures by authority are asked for (a toggle), so not timed here."""
    own = s.own_dates() if f.as_of == s.data_date() else ()
    s.call(regional.by_authority, f, t, own)


def data_quality(s: Session, f: Filters, t: Thresholds) -> None:
    """No sidebar filters apply: the team-filtered run repeats the default one."""
    from ..metrics import data_quality as dq

    s.call(dq.table_counts)
    s.call(dq.stale_summaries)
    s.call(dq.import_runs)
    options = s.call(dq.reject_options)
    if not options.empty:
        s.call(dq.reject_reasons, table=None, reason=None, source=None)
        s.call(dq.rejects, 1_000_000, table=None, reason=None, source=None)
    messages = s.call(dq.warning_messages)
    if not messages.empty:
        s.call(dq.warnings, 1_000_000, table=None, source=None)


def audit_sample(s: Session, f: Filters, t: Thresholds) -> None:
    from ..metrics import audit

    held = s.call(coverage.coverage, f, t)
    absent = s.call(audit.not_assessed, f, t, audit.Criteria(), held=held)
    s.call(audit.sample_page, f, t, audit.Criteria(), limit=500, unassessed=tuple(absent))   # the page's LIST_ROWS


# name -> page data function, in the app's page order; "metrics" is the CLI command.
ITEMS: dict[str, Callable[[Session, Filters, Thresholds], None]] = {
    "metrics": metrics,
    "overview": overview,
    "repeat_plans": repeat_plans,
    "duplicates": duplicates,
    "endings": endings,
    "child_timeline": child_timeline,
    "agencies": agencies,
    "challenge": challenge_page,
    "household": household_page,
    "plan_quality": plan_quality,
    "data_quality": data_quality,
    "audit_sample": audit_sample,
    "between_plans": between_plans,
    "plan_refresh": plan_refresh,
    "what_works": what_works,
    "regional": regional_view,
}


def read_only_opener(db: str, threads: int) -> Opener:
    def open_() -> duckdb.DuckDBPyConnection:
        # the app's settings (store.reader_config: memory limit), so the memory figures are the app's
        con = duckdb.connect(db, read_only=True, config={**store.reader_config(), "threads": str(int(threads))})
        con.execute("SET enable_progress_bar = false")  # long queries would draw one on stderr
        return con
    return open_
