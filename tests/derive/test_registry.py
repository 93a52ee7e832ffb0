"""Derived tables written at import (issue 7): each gives exactly the rows of the inline SQL it
stands in for, under the filters a page uses, and is ignored whenever it could differ (a direct
INSERT, another threshold, another as-of date)."""
from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from paqa_dash.derive import currency, registry
from paqa_dash.metrics import sqlrun
from paqa_dash import store
from paqa_dash.store import data_date
from paqa_dash.filters import Filters
from paqa_dash.settings import DEFAULTS
from support.derive import ctes, current, inline as run_inline, inline_block, rows_block
from support.paths import ROOT

IDS = [d.name for d in registry.TABLES]


def rows(con: duckdb.DuckDBPyConnection, d: currency.Entry, f: Filters) -> pd.DataFrame:
    frame = sqlrun.run(con, rows_block(d), f, DEFAULTS, ctes=ctes(d))
    return comparable(frame)


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in one order, lists (the core-group intervals) as their text, missing values as None."""
    frame = frame.apply(lambda col: col.map(lambda v: str(list(v)) if hasattr(v, "__len__") and not isinstance(v, str)
                                            else v))
    keys = list(frame.columns)
    frame = frame.sort_values(keys).reset_index(drop=True).astype(object)
    return frame.where(frame.notna(), None)


def as_of_for(con: duckdb.DuckDBPyConnection, d: currency.Entry) -> date:
    """A date the entry is read for: the data date, a quarter end for one kept per quarter, else the far future."""
    return data_date(con) if d.as_of == "equal" else date(9999, 12, 31) if d.as_of == "quarter_end" else date(9999, 1, 1)


@pytest.mark.parametrize("d", registry.TABLES, ids=IDS)
def test_stored_rows_equal_inline_rows(demo_store, monkeypatch, d):
    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        as_of = as_of_for(con, d)
        team = con.execute("SELECT team FROM plans GROUP BY team ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        for f in (Filters(as_of=as_of), Filters(as_of=as_of, teams=(team,), plan_number="repeat"),
                  Filters(as_of=as_of, date_from=date(2022, 1, 1), date_to=date(2023, 12, 31))):
            assert_stored_equals_inline(con, monkeypatch, d, f)
    finally:
        con.close()


def assert_stored_equals_inline(con: duckdb.DuckDBPyConnection, monkeypatch, d: currency.Entry, f: Filters) -> None:
    """The entry's stored table is read for `f`, and gives exactly the inline rows (some).  A table of facts over each
    child's whole history is never read for a filter that keeps only some of a child's plans (its inline block is)."""
    if d.whole_history and not f.whole_histories:
        assert registry.resolve(con, f, DEFAULTS).substitute(inline_block(d)) == (inline_block(d),)
        return
    assert registry.resolve(con, f, DEFAULTS).substitute(inline_block(d)) == d.swaps[inline_block(d)], \
        "the import wrote no current table"
    stored = rows(con, d, f)
    run_inline(monkeypatch, d.name)
    inline = rows(con, d, f)
    monkeypatch.undo()
    assert len(inline) > 0
    pd.testing.assert_frame_equal(stored, inline, check_dtype=False)


STEPS = ("as_imported", "new_run", "refreshed", "family_change")


@pytest.fixture(scope="module")
def after_each_step(demo_store, tmp_path_factory) -> dict[str, Path]:
    """The demo store after each step of `test_direct_insert_or_new_run_sends_queries_inline`: a new import run
    inserted directly, then every derived table refreshed, then a family change inserted directly.  The steps are
    the same whatever table is checked, so they are taken once, each step in a copy of the one before, and each
    table's test reads those copies: one refresh of every derived table where there was one per table (the 21
    tests took 73 s, each refreshing a copy of its own)."""
    folder = tmp_path_factory.mktemp("steps")
    paths = {step: folder / f"{step}.duckdb" for step in STEPS}
    shutil.copy(demo_store, paths["as_imported"])
    for before, step in zip(STEPS, STEPS[1:]):
        shutil.copy(paths[before], paths[step])
        con = store.connect(paths[step])
        try:
            if step == "new_run":
                con.execute("INSERT INTO import_runs SELECT * REPLACE (run_id + 1 AS run_id) FROM import_runs "
                            "WHERE run_id = (SELECT max(run_id) FROM import_runs)")
            elif step == "refreshed":
                registry.refresh(con, registry.Change(reviews="keep"))
            else:
                child = con.execute("SELECT child_id FROM children LIMIT 1").fetchone()[0]
                con.execute("INSERT INTO family_changes (change_id, child_id, change_date, change_type) "
                            "VALUES ('ffffffffffffffff', ?, DATE '2020-01-01', 'ADULT_JOINED')", [child])
        finally:
            con.close()
    return paths


@pytest.mark.parametrize("d", registry.TABLES, ids=IDS)
def test_direct_insert_or_new_run_sends_queries_inline(after_each_step, d):
    cons = {step: store.connect(path, read_only=True) for step, path in after_each_step.items()}
    try:
        f = Filters(as_of=as_of_for(cons["as_imported"], d))
        assert current(cons["as_imported"], d.name, f, DEFAULTS)
        assert not current(cons["new_run"], d.name, f, DEFAULTS)        # an import run inserted directly
        assert current(cons["refreshed"], d.name, f, DEFAULTS)           # then the derived tables refreshed
        con = cons["family_change"]                                      # then a family change inserted directly
        assert not current(con, d.name, f, DEFAULTS)
        # its stored rows are not read: the inline block, or another entry's that is current and stands for it (the
        # audit attendance summed from the attendance sums, whose sources the change left alone)
        assert registry.resolve(con, f, DEFAULTS).substitute(inline_block(d)) in (
            (inline_block(d),), *(e.swaps[inline_block(d)] for e in registry.ENTRIES
                                  if e.name != d.name and inline_block(d) in e.swaps and current(con, e.name, f, DEFAULTS)))
    finally:
        for con in cons.values():
            con.close()


@pytest.mark.parametrize("d", registry.TABLES, ids=IDS)
def test_as_of_and_thresholds_must_match(demo_store, d):
    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        written = as_of_for(con, d)
        early = store.latest_date(con) - timedelta(days=30)
        if currency.is_quarter_end(early):   # a quarter end an "equal" table is written for too
            early -= timedelta(days=1)
        assert current(con, d.name, Filters(as_of=early), DEFAULTS) == (d.as_of == "any")
        if d.as_of == "equal":
            assert not current(con, d.name, Filters(as_of=written + timedelta(days=1)), DEFAULTS)
        for name in d.thresholds:
            other = replace(DEFAULTS, **{name: getattr(DEFAULTS, name) + 1})
            assert not current(con, d.name, Filters(as_of=written), other)
    finally:
        con.close()


@pytest.mark.parametrize("d", registry.TABLES, ids=IDS)
def test_a_changed_definition_is_not_read(demo_copy, monkeypatch, d):
    con = demo_copy
    f = Filters(as_of=as_of_for(con, d))
    assert current(con, d.name, f, DEFAULTS)
    monkeypatch.setattr(currency, "definition", lambda _d: "an older digest")
    assert not current(con, d.name, f, DEFAULTS)


def test_data_dictionary_lists_every_derived_table():

    text = (ROOT / "docs" / "data_dictionary.md").read_text(encoding="utf-8")
    assert [d.name for d in registry.TABLES if f"`{d.name}`" not in text] == []


@pytest.mark.parametrize("d", [d for d in registry.TABLES if d.as_of == "any"], ids=lambda d: d.name)
def test_a_table_read_for_any_as_of_gives_the_inline_rows_at_earlier_dates(demo_store, monkeypatch, d):
    """A table read for any as-of date (its rows never depend on it) equals the inline rows at quarter ends and
    at a day inside the data, with and without a team."""
    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        latest = store.latest_date(con)
        for as_of in (date(2022, 3, 31), date(2024, 12, 31), latest - timedelta(days=45)):
            for f in (Filters(as_of=as_of), Filters(as_of=as_of, teams=("North",), date_from=date(2021, 4, 1))):
                assert_stored_equals_inline(con, monkeypatch, d, f)
    finally:
        con.close()


EQUAL = [d for d in registry.TABLES if d.as_of == "equal"]


@pytest.mark.parametrize("d", EQUAL, ids=lambda d: d.name)
def test_a_table_written_for_recent_quarter_ends_gives_the_inline_rows_there(demo_store, monkeypatch, d):
    """A table written for the data date is written for the recent quarter ends too (one block of rows each) and
    read for each of them, giving exactly the inline rows, with and without a team or period; a day inside the
    data that is not one of those dates, or a quarter end before them, is worked out inline."""
    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        written = currency.quarter_ends_before(data_date(con), currency.RECENT_QUARTER_ENDS)
        assert len(written) == currency.RECENT_QUARTER_ENDS == 4 and all(currency.is_quarter_end(day) for day in written)
        team = con.execute("SELECT team FROM plans GROUP BY team ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        for as_of in (written[0], written[-1]):
            for f in (Filters(as_of=as_of), Filters(as_of=as_of, teams=(team,), plan_number="repeat"),
                      Filters(as_of=as_of, date_from=as_of - timedelta(days=700), date_to=as_of - timedelta(days=200))):
                assert_stored_equals_inline(con, monkeypatch, d, f)
        assert not current(con, d.name, Filters(as_of=written[0] - timedelta(days=40)), DEFAULTS)
        assert not current(con, d.name, Filters(as_of=currency.quarter_ends_before(written[-1], 1)[0]), DEFAULTS)
    finally:
        con.close()


def test_quarter_ends_before_a_day():
    assert currency.quarter_ends_before(date(2026, 3, 31), 3) == (date(2025, 12, 31), date(2025, 9, 30),
                                                                   date(2025, 6, 30))
    assert currency.quarter_ends_before(date(2026, 4, 1), 2) == (date(2026, 3, 31), date(2025, 12, 31))
    assert [currency.is_quarter_end(day) for day in (date(2024, 3, 31), date(2024, 6, 30), date(2024, 9, 30),
                                                      date(2024, 12, 31), date(2024, 3, 30), date(2024, 4, 30))] \
        == [True, True, True, True, False, False]
    assert currency.is_quarter_end(currency.FAR_FUTURE)   # (what an any-date table is written as of)


@pytest.mark.parametrize("weeks", [2, 4, 8])
def test_core_group_counts_read_for_any_interval_equal_the_inline_counts(demo_store, monkeypatch, weeks):
    """The core-group table is read for any interval (its stored block counts the statuses for the interval asked)
    and gives exactly the inline rows and counts, at the data date and a recent quarter end, with and without a team."""
    from paqa_dash.metrics import timeliness

    d = next(e for e in registry.TABLES if e.name == "derived_core_group_plans")
    other = replace(DEFAULTS, core_group_interval_weeks=weeks)
    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        for as_of in (data_date(con), currency.quarter_ends_before(data_date(con), 1)[0]):
            for f in (Filters(as_of=as_of), Filters(as_of=as_of, teams=("North",), plan_number="repeat")):
                assert current(con, d.name, f, other)
                stored = (comparable(sqlrun.run(con, rows_block(d), f, other, ctes=ctes(d))),
                          timeliness.core_group_counts(con, f, other))
                run_inline(monkeypatch, d.name)
                inline = (comparable(sqlrun.run(con, rows_block(d), f, other, ctes=ctes(d))),
                          timeliness.core_group_counts(con, f, other))
                monkeypatch.undo()
                pd.testing.assert_frame_equal(stored[0], inline[0], check_dtype=False)
                assert stored[1] == inline[1] and inline[1]["intervals_late"] + inline[1]["intervals_on_time"] > 0
    finally:
        con.close()


@pytest.mark.parametrize("d", [d for d in registry.TABLES if d.earlier], ids=lambda d: d.name)
def test_a_table_read_as_of_an_earlier_date_gives_the_inline_rows(demo_store, monkeypatch, d):
    """An "after" table with an `earlier` block is read as of an earlier date through it (not worked out inline),
    and gives exactly the inline rows at quarter ends and at a day inside the data, with and without a team."""
    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        latest, seen = store.latest_date(con), 0
        for as_of in (date(2022, 3, 31), date(2024, 12, 31), latest - timedelta(days=45)):
            for f in (Filters(as_of=as_of), Filters(as_of=as_of, teams=("North",), date_from=date(2021, 4, 1))):
                assert not current(con, d.name, f, DEFAULTS)
                assert registry.resolve(con, f, DEFAULTS).substitute(inline_block(d)) == d.earlier[inline_block(d)]
                stored = rows(con, d, f)
                run_inline(monkeypatch, d.name)
                inline = rows(con, d, f)
                monkeypatch.undo()
                seen += len(inline)
                pd.testing.assert_frame_equal(stored, inline, check_dtype=False)
        assert seen > 0
    finally:
        con.close()


READ_WITH = [("short_plan_months", 1), ("short_plan_months", 6), ("short_plan_months", 12),
             ("core_group_interval_weeks", 2), ("core_group_interval_weeks", 8), ("replan_window_months", 3)]


@pytest.mark.parametrize("name,value", READ_WITH, ids=[f"{n}={v}" for n, v in READ_WITH])
def test_ending_and_audit_facts_read_for_other_thresholds_equal_inline(demo_store, monkeypatch, name, value):
    """The ending flags (any threshold) and the audit facts (any short-plan length and core-group interval) are read
    for a threshold other than the one they were written with: the stored blocks apply it when read, and every
    ending row, every audit fact and the audit sample equal the inline ones, at the data date and a recent quarter
    end, with no filter, with a team and with a period."""
    from paqa_dash.metrics import audit

    other = replace(DEFAULTS, **{name: value})
    audit_read = name != "replan_window_months"   # the audit facts still record the re-plan window (seq's repeats)
    facts = next(e for e in registry.TABLES if e.name == "derived_audit_plan_facts")
    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        team = con.execute("SELECT team FROM plans GROUP BY team ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        for as_of in (data_date(con), currency.quarter_ends_before(data_date(con), 1)[0]):
            for f in (Filters(as_of=as_of), Filters(as_of=as_of, teams=(team,)),
                      Filters(as_of=as_of, date_from=as_of - timedelta(days=900), date_to=as_of - timedelta(days=100))):
                assert current(con, "derived_ending_flags", f, other)
                assert current(con, facts.name, f, other) == audit_read
                stored = (comparable(sqlrun.run(con, "endings_endings", f, other)),
                          comparable(sqlrun.run(con, rows_block(facts), f, other, ctes=ctes(facts))),
                          audit.sample_page(con, f, other, limit=None))
                run_inline(monkeypatch, "derived_ending_flags", facts.name)
                inline = (comparable(sqlrun.run(con, "endings_endings", f, other)),
                          comparable(sqlrun.run(con, rows_block(facts), f, other, ctes=ctes(facts))),
                          audit.sample_page(con, f, other, limit=None))
                monkeypatch.undo()
                assert len(inline[0]) > 0 and len(inline[1]) > 0 and inline[2].total > 0
                pd.testing.assert_frame_equal(stored[0], inline[0], check_dtype=False)
                pd.testing.assert_frame_equal(stored[1], inline[1], check_dtype=False)
                pd.testing.assert_frame_equal(stored[2].rows, inline[2].rows)
                assert (stored[2].total, stored[2].counts, stored[2].median_concerns) == \
                       (inline[2].total, inline[2].counts, inline[2].median_concerns)
    finally:
        con.close()


def test_other_thresholds_change_what_the_stored_ending_and_audit_facts_give(demo_store):
    """The thresholds applied when read make a difference on the demo store (so the equality above can fail)."""
    from paqa_dash.metrics import audit

    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        f = Filters(as_of=data_date(con))
        short = [int(sqlrun.run(con, "endings_ending_reason_counts", f, replace(DEFAULTS, short_plan_months=m))
                     .iloc[0]["premature"]) for m in (1, 12)]
        late = [audit.sample_page(con, f, replace(DEFAULTS, core_group_interval_weeks=w), limit=None)
                .counts["core_groups_late"] for w in (2, 12)]
        first = [audit.sample_page(con, f, replace(DEFAULTS, short_plan_months=m), limit=None)
                 .counts["first_plan_premature"] for m in (1, 12)]
        assert short[0] < short[1] and late[0] > late[1] and first[0] < first[1], (short, late, first)
    finally:
        con.close()


def test_a_changed_reference_list_is_not_read(demo_copy, monkeypatch):
    """A table written with one list of concern groups is not read once the code's list changes (an event type moved
    to another group), though no SQL block changed: the list is part of the definition (currency.definition)."""
    from paqa_dash.reference import tables as reference_tables

    con = demo_copy
    name = "derived_between_events"
    d = next(e for e in registry.TABLES if e.name == name)
    f = Filters(as_of=as_of_for(con, d))
    assert current(con, name, f, DEFAULTS)
    moved = reference_tables._concern_groups().assign(grp=lambda frame: frame["grp"].iloc[::-1].to_numpy())
    monkeypatch.setitem(reference_tables.TABLES, "ref_concern_groups", lambda t: moved)
    currency._digest.cache_clear()
    try:
        assert not current(con, name, f, DEFAULTS)
        assert current(con, "plan_sequence", f, DEFAULTS)   # an entry that joins no such list is still read
    finally:
        currency._digest.cache_clear()


@pytest.mark.parametrize("fixed, changed, stale, kept", [
    ("LOW_ATTENDANCE", {"rate": 0.4}, "derived_audit_low_attendance", "derived_agreements"),
    ("FOLLOW_UP", {"agreement_after_months": 3}, "derived_agreements", "derived_audit_low_attendance"),
    ("PLAUSIBILITY", {"longest_plan_years": 4}, "plan_sequence", "core_group_attendance"),
    # bound by no block of its own: read through the plan sequence's blocks (`-- needs:`), which leave out the plans
    ("PLAUSIBILITY", {"longest_plan_years": 4}, "derived_plan_data", "core_group_attendance"),
])
def test_a_changed_fixed_value_is_not_read(demo_copy, monkeypatch, fixed, changed, stale, kept):
    """A table written with one of the fixed values the SQL binds (the audit's low-attendance cut-offs, the follow-up
    spans, the plausibility limits: settings, not adjustable) is not read once the code's value changes, though no
    SQL block changed: the values its blocks, or the blocks they need, bind are part of its definition.  Before, only
    the SQL was, so the rows written with the old value were read as current until the next import.  A table whose
    blocks bind none of that value's names is still read."""
    from paqa_dash import settings

    con = demo_copy
    dates = {name: Filters(as_of=as_of_for(con, next(e for e in registry.ENTRIES if e.name == name)))
             for name in (stale, kept)}
    assert current(con, stale, dates[stale], DEFAULTS) and current(con, kept, dates[kept], DEFAULTS)
    monkeypatch.setattr(settings, fixed, replace(getattr(settings, fixed), **changed))
    currency._digest.cache_clear()
    try:
        assert not current(con, stale, dates[stale], DEFAULTS)
        assert current(con, kept, dates[kept], DEFAULTS)
    finally:
        currency._digest.cache_clear()


def test_a_refresh_reads_the_stores_state_once_for_all_the_derived_tables(demo_copy, monkeypatch):
    """Writing a derived_* table changes none of the counts, run or dates a snapshot holds, so a refresh reads the
    store's whole state again only after the entries that do change them (matches, reviews, the plan sequence,
    attendance sums) and once for the derived tables, which then only read the records again.  It read it again for
    every as-of date of every table (64 times for a small import), most of a small store's derivation; and every
    table is still written current."""
    con = demo_copy
    con.execute("INSERT INTO import_runs SELECT * REPLACE (run_id + 1 AS run_id) FROM import_runs "
                "WHERE run_id = (SELECT max(run_id) FROM import_runs)")
    reads: list[int] = []
    whole = currency.snapshot
    monkeypatch.setattr(currency, "snapshot", lambda c: reads.append(1) or whole(c))
    registry.refresh(con, registry.Change(reviews="keep"))
    monkeypatch.undo()
    assert len(reads) <= len(registry.ENTRIES) - len(registry.TABLES) + 2, len(reads)
    for d in registry.TABLES:
        assert current(con, d.name, Filters(as_of=as_of_for(con, d)), DEFAULTS), d.name


def test_a_derived_table_dropped_while_its_record_stays_is_read_inline_then_rewritten(demo_copy):
    """A derived table dropped (a hand repair, part of a store copied) while its record in meta stays: the What works
    page failed on a DuckDB catalog error ("Table derived_works_plans does not exist").  The table is out of date:
    its readers work the rows out inline, the same figures, and `derive` writes it again."""
    from paqa_dash.metrics import works

    con = demo_copy
    f = Filters(as_of=date(9999, 1, 1))
    assert current(con, "derived_works_plans", f, DEFAULTS)
    before = works.facts(con, f, DEFAULTS)
    con.execute("DROP TABLE derived_works_plans")
    assert not current(con, "derived_works_plans", f, DEFAULTS)
    assert "derived_works_plans" in [e.name for e in registry.stale(con, currency.snapshot(con))]
    pd.testing.assert_frame_equal(works.facts(con, f, DEFAULTS), before)
    registry.refresh(con, registry.Change(reviews="keep"))
    assert current(con, "derived_works_plans", f, DEFAULTS)


def test_the_duplicated_action_counts_are_read_as_written_at_an_earlier_date(demo_store, monkeypatch):
    """A repeat plan's action and duplicate counts are of its own actions and their matches with its child's earlier
    plans, all started before it, so the table is read as of a quarter end before the latest date (it was worked out
    again for every repeat plan there: most of the Duplicated actions page at a million plans), and the Duplicated
    actions page's figures equal the inline ones there."""
    from paqa_dash.metrics import cohorts, dup_impact

    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        early = currency.quarter_ends_before(store.latest_date(con), 2)[-1]
        f = Filters(as_of=early)
        assert current(con, "derived_dup_counts", f, DEFAULTS)
        stored = (cohorts.dup_summary(con, f, DEFAULTS), dup_impact.compare(con, f, DEFAULTS))
        run_inline(monkeypatch, "derived_dup_counts")
        inline = (cohorts.dup_summary(con, f, DEFAULTS), dup_impact.compare(con, f, DEFAULTS))
        monkeypatch.undo()
        assert stored[0]["total"]["duplicated"] > 0
        assert stored[0]["total"] == inline[0]["total"]
        for key in ("team", "quarter", "band"):
            pd.testing.assert_frame_equal(stored[0][key], inline[0][key])
        pd.testing.assert_frame_equal(stored[1], inline[1])
    finally:
        con.close()


WRITTEN_FROM = {"derived_review_plans": "derived_review_meetings",
                "derived_core_group_plans": "derived_core_group_meetings"}


@pytest.mark.parametrize("name", sorted(WRITTEN_FROM))
def test_a_recent_dates_table_is_written_from_its_any_date_table_when_current_else_inline(demo_copy, monkeypatch, name):
    """The core-group and review tables of the recent dates are written from the meeting-date tables written just
    before them (a tenth of the CPU at a million plans), and from their own inline block when those are not current;
    either way the rows are what the inline block gives (test_stored_rows_equal_inline_rows checks the store an
    import leaves)."""
    import re

    from paqa_dash import sql

    con = demo_copy
    d = next(e for e in registry.TABLES if e.name == name)
    texts: list[str] = []
    for maker in ("create_table_as", "insert_into"):
        made = getattr(sql, maker)
        monkeypatch.setattr(sql, maker, lambda table, text, made=made: (texts.append(text), made(table, text))[1])
    source = WRITTEN_FROM[name]
    reads = re.compile(rf"\b(FROM|JOIN)\s+{source}\b")
    registry.refresh(con, registry.Change(reviews="keep"), only=(name,))
    assert len(texts) == 1 + currency.RECENT_QUARTER_ENDS and all(reads.search(t) for t in texts)
    from_any = con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall()

    con.execute(f"DROP TABLE {source}")   # (not current: the inline block, as a store from before it was written)
    texts.clear()
    registry.refresh(con, registry.Change(reviews="keep"), only=(name,))
    assert len(texts) == 1 + currency.RECENT_QUARTER_ENDS and not any(reads.search(t) for t in texts)
    assert con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() == from_any and from_any
    assert_stored_equals_inline(con, monkeypatch, d, Filters(as_of=data_date(con)))
