"""The plan sequence and attendance sums stored at import (derive registry entries): equal to the inline
ones on the demo store, and ignored whenever they could differ (direct INSERT, outdated record, another
window, an early as-of)."""
from __future__ import annotations

import json
from dataclasses import replace
import shutil
from datetime import date

import duckdb
import pandas as pd

from paqa_dash import store
from paqa_dash import sql
from paqa_dash.derive import currency, registry
from paqa_dash.derive.sequence import SEQ_BASE
from paqa_dash.metrics import sqlrun
from paqa_dash.store import data_date
from paqa_dash.filters import Filters
from paqa_dash.settings import DEFAULTS, Thresholds
from support.derive import current, inline as run_inline


def inline_sequence(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds) -> pd.DataFrame:
    text = sql.compose("metrics_sequence_seq_all", [SEQ_BASE])
    return con.execute(text, sql.bind(text, context=sqlrun.context(filters, thresholds))).df()



def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    a = a.sort_values("plan_id").reset_index(drop=True).astype(object)
    b = b[list(a.columns)].sort_values("plan_id").reset_index(drop=True).astype(object)
    pd.testing.assert_frame_equal(a.where(a.notna(), None), b.where(b.notna(), None), check_dtype=False)


def test_stored_sequence_equals_inline_on_demo_store(demo_store):
    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        f = Filters(as_of=data_date(con))
        assert current(con, "plan_sequence", f)
        stored = con.execute("SELECT * FROM plan_sequence").df()
        assert len(stored) == con.execute("SELECT count(*) FROM plans").fetchone()[0] > 0
        same(inline_sequence(con, f, DEFAULTS), stored)
        assert stored["is_repeat"].any() and stored["end_date"].notna().any()
    finally:
        con.close()


def test_run_gives_the_same_rows_stored_or_inline(demo_store, monkeypatch):
    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        child = con.execute("SELECT child_id FROM plans GROUP BY child_id HAVING count(*) > 1 LIMIT 1").fetchone()[0]
        for f in (Filters(as_of=data_date(con)), Filters(child_ids=(child,)), Filters(teams=("North",))):
            stored = sqlrun.run(con, "metrics_sequence_plan_sequence", f, DEFAULTS)
            with sqlrun.cached_sequence(con, f, DEFAULTS):
                cached = sqlrun.run(con, "metrics_sequence_started_plans", f, DEFAULTS)
            run_inline(monkeypatch, "plan_sequence")
            inline = sqlrun.run(con, "metrics_sequence_plan_sequence", f, DEFAULTS)
            with sqlrun.cached_sequence(con, f, DEFAULTS):
                cached_inline = sqlrun.run(con, "metrics_sequence_started_plans", f, DEFAULTS)
            monkeypatch.undo()
            same(inline, stored)
            same(cached_inline, cached)
        only = sqlrun.run(con, "metrics_sequence_plan_sequence", Filters(child_ids=(child,)), DEFAULTS)
        assert set(only["child_id"]) == {child}
    finally:
        con.close()


def test_other_window_or_early_as_of_or_old_meta_use_inline(demo_copy):
    con = demo_copy
    latest = con.execute("SELECT max(start_date) FROM plans").fetchone()[0]
    assert current(con, "plan_sequence", Filters(as_of=date(9999, 1, 1)), replace(DEFAULTS, replan_window_months=24))
    assert not current(con, "plan_sequence", Filters(as_of=date(9999, 1, 1)), replace(DEFAULTS, replan_window_months=12))
    assert not current(con, "plan_sequence", Filters(as_of=latest - pd.Timedelta(days=1)), replace(DEFAULTS, replan_window_months=24))
    record = json.loads(store.get_meta(con, currency.META_PREFIX + "plan_sequence"))
    store.set_meta(con, currency.META_PREFIX + "plan_sequence", json.dumps({**record, "run": 0}))
    assert not current(con, "plan_sequence", Filters(as_of=date(9999, 1, 1)), replace(DEFAULTS, replan_window_months=24))


def test_direct_insert_after_import_falls_back_and_counts_the_new_plan(demo_copy):
    con = demo_copy
    con.execute("INSERT INTO children (child_id, birth_month) VALUES ('ffffffffffffffff', DATE '2015-01-01')")
    con.execute("INSERT INTO plans (plan_id, child_id, start_date, initial_category, team) "
                "VALUES ('eeeeeeeeeeeeeeee', 'ffffffffffffffff', DATE '2020-01-01', 'NEG', 'North')")
    f = Filters(as_of=date(9999, 1, 1))
    assert not current(con, "plan_sequence", f, replace(DEFAULTS, replan_window_months=24))
    seq = sqlrun.run(con, "metrics_sequence_plan_sequence", f, DEFAULTS)
    assert "eeeeeeeeeeeeeeee" in set(seq["plan_id"])
    # the refresh (what an import does) makes it current again
    registry.refresh(con, registry.Change(reviews="keep"), only=("plan_sequence",))
    assert current(con, "plan_sequence", f, replace(DEFAULTS, replan_window_months=24))
    same(inline_sequence(con, f, DEFAULTS), con.execute("SELECT * FROM plan_sequence").df())


def test_store_without_import_uses_inline(empty_store, tmp_path):
    path = tmp_path / "e.duckdb"
    shutil.copy(empty_store, path)
    con = store.connect(path)
    try:
        con.execute("INSERT INTO children (child_id) VALUES ('a')")
        con.execute("INSERT INTO plans (plan_id, child_id, start_date, initial_category) "
                    "VALUES ('p', 'a', DATE '2020-01-01', 'NEG')")
        assert not current(con, "plan_sequence", Filters(), replace(DEFAULTS, replan_window_months=24))
        assert len(sqlrun.run(con, "metrics_sequence_plan_sequence", Filters(), DEFAULTS)) == 1
    finally:
        con.close()


def attendance_stored_equals_inline(con, monkeypatch, f: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The agency and quarterly attendance as read for `f`, checked equal to the inline figures."""
    from paqa_dash.metrics import engagement

    stored = (engagement.agency_attendance(con, f), engagement.attendance_by_quarter(con, f))
    run_inline(monkeypatch, "core_group_attendance")
    inline = (engagement.agency_attendance(con, f), engagement.attendance_by_quarter(con, f))
    monkeypatch.undo()
    for a, b in zip(stored, inline):
        pd.testing.assert_frame_equal(a, b)
    return stored


def test_stored_attendance_equals_inline(demo_store, monkeypatch):
    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        assert current(con, "core_group_attendance", Filters(as_of=data_date(con)))
        assert not current(con, "core_group_attendance", Filters(as_of=date(2000, 1, 1)))
        for f in (Filters(as_of=data_date(con)), Filters(teams=("North",)), Filters(plan_number="repeat")):
            stored = attendance_stored_equals_inline(con, monkeypatch, f)
        assert stored[0]["invited"].sum() > 0
    finally:
        con.close()


def test_stored_attendance_read_as_of_an_earlier_quarter_end_equals_inline(demo_store, monkeypatch):
    """As of a quarter end before the latest core group the stored sums are read up to that quarter (exact: they are
    per quarter of the meeting) and give the inline figures, with and without a team; as of another day inside the
    data they are worked out inline."""
    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        asked = "engagement_attendance_by_quarter"
        for as_of in (date(2024, 12, 31), date(2025, 6, 30)):
            assert registry.resolve(con, Filters(as_of=as_of), DEFAULTS).substitute(asked) != (asked,)
            for f in (Filters(as_of=as_of), Filters(as_of=as_of, teams=("North",), plan_number="repeat")):
                stored = attendance_stored_equals_inline(con, monkeypatch, f)
                assert stored[1]["quarter"].max() <= pd.Timestamp(as_of) and stored[0]["invited"].sum() > 0
        assert registry.resolve(con, Filters(as_of=date(2025, 5, 15)), DEFAULTS).substitute(asked) == (asked,)
    finally:
        con.close()


def test_stored_attendance_falls_back_after_direct_insert(demo_copy):
    con = demo_copy
    f = Filters(as_of=date(9999, 1, 1))
    assert current(con, "core_group_attendance", f)
    event = con.execute("SELECT event_id FROM events WHERE event_type = 'CORE_GROUP' LIMIT 1").fetchone()[0]
    con.execute("DELETE FROM attendance WHERE event_id = ?", [event])
    assert not current(con, "core_group_attendance", f)
    registry.refresh(con, registry.Change(reviews="keep"), only=("core_group_attendance",))
    assert current(con, "core_group_attendance", f)


def test_a_store_written_before_the_sums_per_plan_reads_the_attendance_by_authority_inline_until_derive(
        demo_store, tmp_path):
    """A store whose attendance sums an earlier version wrote (no core_group_attendance_by_plan; their record of
    another definition): the Regional view's attendance by authority is worked out inline, the same figures, until
    `derive` writes the sums and the sums per plan again, which are then read."""
    from paqa_dash.metrics import engagement
    from support.authorities import demo_of_three

    path = demo_of_three(demo_store, tmp_path)
    con = store.connect(path)

    def sums(c, f):
        return engagement.attendance_by_authority(c, f).sort_values("authority").reset_index(drop=True)
    f = Filters(as_of=data_date(con))
    assert current(con, "core_group_attendance", f)
    before = sums(con, f)
    con.execute("DROP TABLE core_group_attendance_by_plan")
    key = currency.META_PREFIX + "core_group_attendance"
    store.set_meta(con, key, json.dumps({**json.loads(store.get_meta(con, key)), "definition": "an earlier one"}))
    con.close()
    old = duckdb.connect(str(path), read_only=True)
    try:
        assert not current(old, "core_group_attendance", f)
        pd.testing.assert_frame_equal(sums(old, f), before)
    finally:
        old.close()
    con = store.connect(path)
    try:
        assert "core_group_attendance" in [name for name, _, _ in registry.rewrite(con).written]
        assert current(con, "core_group_attendance", f) and before["invited"].sum() > 0
        pd.testing.assert_frame_equal(sums(con, f), before)
    finally:
        con.close()


def as_of_sequence(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds) -> pd.DataFrame:
    """`seq` as the resolver reads it for this question (no forcing)."""
    found = registry.resolve(con, filters, thresholds)
    reader = found.substitute(sqlrun.SEQ)[0]   # the block that gives `seq`: stored, stored as of, or inline
    text = sql.compose("metrics_sequence_seq_all", [], lambda name: (reader,) if name == SEQ_BASE else (name,))
    return con.execute(text, sql.bind(text, context=sqlrun.context(filters, thresholds))).df()


def test_the_stored_sequence_read_as_of_an_earlier_date_or_another_window_equals_inline(demo_store, monkeypatch):
    """An as-of date before the latest plan (quarter ends, a day inside a plan) or another re-plan window: the
    stored sequence is read through the as-of block, and gives exactly the plans numbered again inline; the
    figures a page shows (through `run`, filtered) are the same both ways."""
    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        latest = con.execute("SELECT max(start_date) FROM plans").fetchone()[0]
        questions = [(Filters(as_of=d), t) for d in (date(2021, 3, 31), date(2023, 12, 31), date(2024, 6, 30),
                                                     latest - pd.Timedelta(days=1), latest)
                     for t in (DEFAULTS, replace(DEFAULTS, replan_window_months=6))]
        questions.append((Filters(as_of=date(9999, 1, 1)), replace(DEFAULTS, replan_window_months=12)))
        for f, t in questions:
            found = registry.resolve(con, f, t)
            if not found.reads_stored("plan_sequence"):
                assert found.substitute(sqlrun.SEQ)[0] == "derive_sequence_cte_seq_stored_as_of"
            read = as_of_sequence(con, f, t)
            assert len(read) > 0
            same(inline_sequence(con, f, t), read)
            team = Filters(as_of=f.as_of, teams=("North",), date_from=date(2022, 4, 1), date_to=date(2023, 3, 31))
            for main in ("metrics_sequence_start_counts", "metrics_sequence_end_counts"):
                shown = sqlrun.run(con, main, team, t)
                run_inline(monkeypatch, "plan_sequence")
                pd.testing.assert_frame_equal(shown, sqlrun.run(con, main, team, t))
                monkeypatch.undo()
    finally:
        con.close()
