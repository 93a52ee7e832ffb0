"""Pages read for any as-of date from tables written once (issue 15, "every page fast on every setting"): the
stored path gives exactly what the inline path gives at quarter ends inside the data (written for or not), a day
before the latest plan, and the data date, with no filter, with a team and with a period."""
from __future__ import annotations

import shutil
from dataclasses import fields
from datetime import date, timedelta

import duckdb
import pandas as pd
import pytest

from paqa_dash import store
from paqa_dash.derive import registry
from paqa_dash.filters import Filters
from paqa_dash.metrics import plan_quality
from paqa_dash.settings import DEFAULTS
from support.derive import current, inline as run_inline

PQ_TABLES = ("derived_pq_plans", "derived_pq_language")


def as_of_dates(con: duckdb.DuckDBPyConnection) -> list[date]:
    """Quarter ends inside the data, a day before the latest plan and the data date."""
    latest_plan = con.execute("SELECT max(start_date) FROM plans").fetchone()[0]
    return [date(2022, 12, 31), date(2023, 12, 31), date(2024, 6, 30), date(2025, 9, 30), date(2025, 12, 31),
            latest_plan - timedelta(days=1), store.data_date(con)]


def questions(con: duckdb.DuckDBPyConnection) -> list[Filters]:
    team = con.execute("SELECT team FROM plans GROUP BY team ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    out = []
    for as_of in as_of_dates(con):
        out += [Filters(as_of=as_of), Filters(as_of=as_of, teams=(team,)),
                Filters(as_of=as_of, date_from=as_of - timedelta(days=700), date_to=as_of - timedelta(days=100))]
    return out


def assert_review_equal(stored: plan_quality.PlanQuality, inline: plan_quality.PlanQuality) -> None:
    for field in fields(plan_quality.PlanQuality):
        a, b = getattr(stored, field.name), getattr(inline, field.name)
        if isinstance(a, pd.DataFrame):
            pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False,
                                          obj=field.name)
        else:
            assert a == b, field.name


@pytest.fixture(scope="module")
def demo(demo_store, tmp_path_factory):
    """The demo store with an adult need (4C) identified a month into each plan (the demo's needs are all known by
    the start of the plans they are open during), the derived tables written again: so which needs a plan has
    depends on the as-of date (while it is open then) and reading them as of the far future would be seen."""
    path = tmp_path_factory.mktemp("as_of_any") / "demo.duckdb"
    shutil.copy(demo_store, path)
    con = store.connect(path)
    added = con.execute("""
        INSERT INTO needs (need_id, child_id, plan_id, identified_date, factor, resolved_date, run_id)
        SELECT 'n' || p.plan_id, p.child_id, p.plan_id, CAST(p.start_date + INTERVAL 30 DAY AS DATE), '4C', NULL,
               (SELECT max(run_id) FROM import_runs)
        FROM plans p""").fetchone()[0]
    assert added > 0
    registry.refresh(con, registry.Change(reviews="keep"))
    con.close()
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def test_plan_quality_read_for_any_as_of_equals_inline(demo, monkeypatch):
    """Every figure and list of the plan quality page, read from derived_pq_plans and derived_pq_language (written
    once, as of the far future), equals the page worked out inline, at every date and filter of `questions` (the
    fixture's needs identified during plans make the as-of date matter to the relevance verdicts)."""
    for f in questions(demo):
        assert all(current(demo, name, f, DEFAULTS) for name in PQ_TABLES), f
        stored = plan_quality.review(demo, f, DEFAULTS)
        run_inline(monkeypatch, *PQ_TABLES)
        inline = plan_quality.review(demo, f, DEFAULTS)
        monkeypatch.undo()
        assert inline.actions > 0 and inline.relevance_plans > 0
        assert_review_equal(stored, inline)



def test_core_group_and_review_counts_read_for_any_as_of_equal_inline(demo, monkeypatch):
    """The agencies page's timeliness counts, read from each plan's stored meeting dates at a date the recent-dates
    tables are not written for (and from those tables at the dates they are), equal the inline counts at every date
    and filter of `questions`, for the default and other intervals."""
    from paqa_dash.metrics import timeliness

    other = DEFAULTS.with_(core_group_interval_weeks=3, later_review_months=2)
    written = set()
    for f in questions(demo):
        any_date = not current(demo, "derived_core_group_plans", f, DEFAULTS)
        assert current(demo, "derived_core_group_meetings", f, DEFAULTS)
        assert current(demo, "derived_review_meetings", f, DEFAULTS)
        written.add(any_date)
        for t in (DEFAULTS, other):
            stored = (timeliness.core_group_counts(demo, f, t), timeliness.review_counts(demo, f, t))
            run_inline(monkeypatch, "derived_core_group_meetings", "derived_review_meetings")
            inline = (timeliness.core_group_counts(demo, f, t), timeliness.review_counts(demo, f, t))
            monkeypatch.undo()
            assert sum(inline[0].values()) > 0 and sum(inline[1].values()) > 0
            assert stored == inline, (f, t)
    assert written == {True, False}   # both the dates written for and those not


def test_audit_sample_at_any_quarter_end_equals_inline(demo, monkeypatch):
    """The audit sample at a date its per-plan tables are not written for reads the core group facts from each
    plan's stored meeting dates, the attendance from the stored quarterly sums and the low attendance from its spans
    (at a quarter end) and each plan's action and review counts from derived_audit_plan_text; it equals the sample
    worked out with none of them, at every date and filter of `questions`."""
    from paqa_dash.metrics import audit

    others = ("derived_core_group_meetings", "derived_review_meetings", "core_group_attendance",
              "derived_audit_plan_text", "derived_audit_low_attendance")
    summed = spans = 0
    for f in questions(demo):
        if not current(demo, "derived_audit_attendance", f, DEFAULTS):
            found = registry.resolve(demo, f, DEFAULTS)
            summed += found.substitute("audit_cte_plan_attendance") == ("audit_cte_plan_attendance_summed",)
            # (the concerns over the whole history of the children in scope: the low-attendance spans at a quarter end)
            spans += current(demo, "derived_audit_low_attendance", Filters(as_of=f.as_of), DEFAULTS)
        stored = audit.sample_page(demo, f, DEFAULTS, limit=None)
        run_inline(monkeypatch, *others)
        inline = audit.sample_page(demo, f, DEFAULTS, limit=None)
        monkeypatch.undo()
        assert inline.total > 0
        pd.testing.assert_frame_equal(stored.rows, inline.rows)
        assert (stored.total, stored.counts, stored.median_concerns) == \
               (inline.total, inline.counts, inline.median_concerns)
    assert summed > 0 and spans > 0
