"""The audit sample as of a date its per-plan tables are not written for: ranked, cut and counted in one query over
the children in scope (the same rows and totals as the whole inline ranking), the inline path kept where the stored
reviews miss an action, and the core group attendance read from the quarterly sums at an older quarter end, worked out
by hand for one child added to a copy of the demo store."""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from paqa_dash.derive import registry
from paqa_dash.filters import Filters
from paqa_dash.metrics import audit
from paqa_dash.settings import DEFAULTS
from support.children import add_child_with_plan

CRITERIA = [audit.Criteria(), audit.Criteria(premature_first=True), audit.Criteria(repeat=False, neglect=True)]


@pytest.mark.parametrize("criteria", CRITERIA, ids=["repeat", "premature first", "neglect"])
def test_the_sample_as_of_a_date_not_written_is_ranked_cut_and_counted_in_one_query(demo_store, monkeypatch,
                                                                                     criteria):
    """As of a date the audit's tables are not written for, the sample is ranked, cut and counted in SQL (pandas never
    sees every child in scope), giving exactly the rows and totals the whole inline ranking gives."""
    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        for f in (Filters(as_of=date(2023, 12, 31)), Filters(as_of=date(2024, 5, 15), teams=("North",)),
                  Filters(as_of=date(2024, 6, 30), date_from=date(2023, 4, 1), date_to=date(2024, 3, 31))):
            assert not registry.resolve(con, Filters(as_of=f.as_of), DEFAULTS).reads_stored(*audit.AUDIT_TABLES)
            skip = tuple(audit.not_assessed(con, f, DEFAULTS, criteria))
            whole = audit._inline_sample(con, audit._narrowed(f, criteria), DEFAULTS, criteria, skip)
            with monkeypatch.context() as m:
                m.setattr(audit, "_inline_sample", _refused)
                page = audit.sample_page(con, f, DEFAULTS, criteria, limit=7)
            assert page.total == len(whole) > 0
            pd.testing.assert_frame_equal(page.rows, whole.head(7))
            assert page.counts == {**{k: int(whole[k].sum()) for k in audit.CONCERNS},
                                   "neglect": int(whole["neglect"].sum())}
            assert page.median_concerns == float(whole["concerns"].median())
    finally:
        con.close()


def _refused(*_args, **_kwargs):
    raise AssertionError("every child in scope brought into pandas")


def test_a_child_whose_action_the_stored_reviews_miss_is_reviewed_on_the_fly(demo_copy, monkeypatch):
    """Where the stored reviews miss an action of a child in scope, the one-query sample gives way to the inline path,
    which reviews that action on the fly: the same sample as with the review stored."""
    f = Filters(as_of=date(2023, 12, 31))
    before = audit.sample_page(demo_copy, f, DEFAULTS, limit=None)
    child = before.rows["child_id"].iloc[0]
    demo_copy.execute("DELETE FROM action_reviews WHERE action_id IN (SELECT a.action_id FROM actions a "
                      "JOIN plans p ON p.plan_id = a.plan_id WHERE p.child_id = ? AND p.start_date <= ?)",
                      [child, f.as_of])
    taken = []
    real = audit._inline_sample
    monkeypatch.setattr(audit, "_inline_sample", lambda *a, **k: taken.append(1) or real(*a, **k))
    after = audit.sample_page(demo_copy, f, DEFAULTS, limit=None)
    assert taken
    pd.testing.assert_frame_equal(after.rows, before.rows)
    assert (after.total, after.counts, after.median_concerns) == (before.total, before.counts, before.median_concerns)


CX, PX = "f0f0f0f0f0f0f0c1", "f0f0f0f0f0f0f0p1"
# Health's core groups of the child's one plan (started 8 Jan 2024, a second plan: one recorded before the store):
# (meeting, attended).  Police attends the first too, and is never low.
MEETINGS = [(date(2024, 2, 12), False), (date(2024, 5, 13), False), (date(2024, 8, 12), True),
            (date(2024, 8, 26), True), (date(2024, 11, 11), True)]
# As of each date, whether Health's attendance by then is low (settings.LOW_ATTENDANCE: invited to at least 2 and
# present at fewer than half): worked out by hand from MEETINGS.
LOW = {
    date(2024, 3, 31): False,    # one meeting only
    date(2024, 6, 30): True,     # two, both missed
    date(2024, 8, 20): True,     # inside Q3: the 26 Aug meeting is not known yet (1 of 3)
    date(2024, 9, 30): False,    # two of four: not fewer than half
    date(2024, 12, 31): False,   # three of five
}
SUMMED = ("audit_cte_plan_attendance_summed",)


@pytest.fixture
def con(demo_copy: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """The demo copy with child CX added as an import would leave it (every derived table rewritten)."""
    run = add_child_with_plan(demo_copy, CX, PX, date(2024, 1, 8), previous_plans=1)
    for i, (day, attended) in enumerate(MEETINGS):
        event = f"f0f0f0f0f0f0f0e{i}"
        demo_copy.execute("INSERT INTO events (event_id, child_id, event_date, event_type, agency, plan_id, run_id) "
                          "VALUES (?, ?, ?, 'CORE_GROUP', 'CSC', ?, ?)", [event, CX, day, PX, run])
        demo_copy.execute("INSERT INTO attendance VALUES (?, 'HEALTH', TRUE, ?, FALSE, ?)", [event, attended, run])
        if i == 0:
            demo_copy.execute("INSERT INTO attendance VALUES (?, 'POLICE', TRUE, TRUE, FALSE, ?)", [event, run])
    registry.refresh(demo_copy, registry.Change(reviews="keep"))
    return demo_copy


def test_low_attendance_as_of_older_quarter_ends_from_the_quarterly_sums(con):
    """As of a quarter end none of the audit's tables is written for, its attendance is the stored quarterly sums
    (one row a quarter of each plan and agency, added up per child and agency by the concern), and the child's
    low-attendance concern is as worked out by hand; a day inside a quarter is worked out inline."""
    for as_of, low in LOW.items():
        read = registry.resolve(con, Filters(as_of=as_of), DEFAULTS).substitute("audit_cte_plan_attendance")
        assert (read == SUMMED) == (as_of.month % 3 == 0), (as_of, read)
        flags = audit.concern_flags(con, [CX], as_of=as_of).iloc[0]
        assert bool(flags["low_agency_attendance"]) is low, as_of


def test_the_sample_as_of_an_older_quarter_end_lists_the_child_with_its_attendance(con):
    for as_of in (date(2024, 6, 30), date(2024, 9, 30)):
        rows = audit.audit_sample(con, Filters(as_of=as_of, teams=("North",)))
        row = rows.set_index("child_id").loc[CX]
        assert bool(row["low_agency_attendance"]) is LOW[as_of]
        assert row["plans"] == 2


LOW_STORED = ("audit_cte_low_attendance_stored",)


def test_low_attendance_at_quarter_ends_is_read_from_its_spans(con):
    """The spans of quarter ends during which the child's attendance was low, worked out by hand from MEETINGS:
    Health low from the quarter of its second missed meeting (from 1 Apr 2024) until the quarter of the 12 and 26 Aug
    meetings (before 1 Jul 2024); Police never.  As of a quarter end the concern over the child's whole history reads
    them (the same as MEETINGS gives by hand); as of a day inside a quarter, or with a filter keeping some of the
    child's plans only (the team), the block runs inline."""
    spans = con.execute("SELECT plan_id, child_id, low_from, low_until FROM derived_audit_low_attendance "
                        "WHERE child_id = ?", [CX]).fetchall()
    assert spans == [(PX, CX, date(2024, 4, 1), date(2024, 7, 1))]
    for as_of, low in LOW.items():
        read = registry.resolve(con, Filters(as_of=as_of, child_ids=(CX,)), DEFAULTS).substitute(
            "audit_cte_low_attendance")
        assert (read == LOW_STORED) == (as_of.month % 3 == 0), (as_of, read)
        assert registry.resolve(con, Filters(as_of=as_of, teams=("North",)), DEFAULTS).substitute(
            "audit_cte_low_attendance") == ("audit_cte_low_attendance",)
        flags = audit.concern_flags(con, [CX], as_of=as_of).iloc[0]
        assert bool(flags["low_agency_attendance"]) is low, as_of


def test_the_children_in_scope_are_chosen_from_the_kept_table_not_named_in_the_filter(demo_store, monkeypatch):
    """As of a date the audit's tables are not written for, the one query reads the children in scope from the temp
    table they are kept in (no list of every child bound into the filter); where the plans are numbered inline, it
    names them, so only their plans are numbered.  The same sample either way."""
    from support.derive import inline as run_inline

    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        f = Filters(as_of=date(2023, 12, 31))
        asked = []
        real = audit.run
        monkeypatch.setattr(audit, "run", lambda c, main, filters, *a, **k:
                            asked.append((main, filters.child_ids)) or real(c, main, filters, *a, **k))
        stored_sequence = audit.sample_page(con, f, DEFAULTS, limit=None)
        named = [children for main, children in asked if main == "audit_sample_rows"]
        assert named == [()]
        asked.clear()
        run_inline(monkeypatch, "plan_sequence")
        numbered_inline = audit.sample_page(con, f, DEFAULTS, limit=None)
        named = [children for main, children in asked if main == "audit_sample_rows"]
        assert len(named) == 1 and len(named[0]) == stored_sequence.total > 0
        pd.testing.assert_frame_equal(numbered_inline.rows, stored_sequence.rows)
        assert (numbered_inline.total, numbered_inline.counts, numbered_inline.median_concerns) == \
               (stored_sequence.total, stored_sequence.counts, stored_sequence.median_concerns)
    finally:
        con.close()
