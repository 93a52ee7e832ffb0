"""The derive registry after an import that changed some children (issue 15): the entries worked out per child are
rewritten for those children only, and every derived table then holds exactly the rows a rewrite from the whole
store gives (compared table by table, sorted).  A change the registry cannot follow child by child (a moved data
date for the tables written as of it, an update that moves a row to another child) is rewritten whole."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from paqa_dash import pipeline, store
from paqa_dash.derive import currency, registry
from paqa_dash.filters import Filters
from paqa_dash.ingest.frames import Extract
from paqa_dash.ingest.load import ImportSummary
from paqa_dash.settings import DEFAULTS
from paqa_dash.synth.generate import generate

KEY = b"incremental-derive-test-key-0123456789"
BASE_RETURN, NEWER_RETURN = "2025-03-31", "2026-03-31"
DERIVED = ("plan_sequence", "core_group_attendance", *(e.name for e in registry.TABLES))
BY_CHILD = tuple(e.name for e in registry.ENTRIES if e.by_child)


@pytest.fixture(scope="module")
def drawn() -> Extract:
    """A seeded synthetic extract of two authorities: the base store and the later imports are cut from it."""
    return generate(children=160, seed=5, authorities=2, end_date=date(2026, 3, 31))


def part(extract: Extract, children: set[str], returned: str) -> Extract:
    """The rows of `children` (their plans, events, attendance, needs, actions, household changes), as a return
    dated `returned`."""
    t = extract.tables
    plans = t["plans"][t["plans"]["child_id"].isin(children)]
    events = t["events"][t["events"]["child_id"].isin(children)]
    tables = {"children": t["children"][t["children"]["child_id"].isin(children)], "plans": plans, "events": events,
              "attendance": t["attendance"][t["attendance"]["event_id"].isin(events["event_id"])],
              "family_changes": t["family_changes"][t["family_changes"]["child_id"].isin(children)],
              "needs": t["needs"][t["needs"]["child_id"].isin(children)],
              "actions": t["actions"][t["actions"]["plan_id"].isin(plans["plan_id"])]}
    tables = {name: frame.reset_index(drop=True).astype(  # (plain values: rows are edited and added below)
        {c: object for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)})
        for name, frame in tables.items()}
    sources = {s for frame in tables.values() for s in frame["_source"].unique()}
    return replace(extract, tables=tables, returns={s: returned for s in sources})


def rows(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in DERIVED}


def import_(con: duckdb.DuckDBPyConnection, extract: Extract) -> ImportSummary:
    return pipeline.load_extracts(con, [extract], KEY, today=date(2026, 12, 1))


def whole_store_rows(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every derived table as a rewrite from the whole store gives it (rolled back afterwards)."""
    con.execute("BEGIN")
    try:
        registry.refresh(con, registry.Change(reviews="keep"))
        return rows(con)
    finally:
        con.execute("ROLLBACK")


@pytest.fixture
def spied(monkeypatch: pytest.MonkeyPatch) -> dict[str, bool]:
    """Entry name -> whether the last refresh rewrote it for the changed children only."""
    seen: dict[str, bool] = {}
    real = registry.rewritable_by_child

    def spy(entry: currency.Entry, change: registry.Change) -> bool:
        seen[entry.name] = real(entry, change)
        return seen[entry.name]

    monkeypatch.setattr(registry, "rewritable_by_child", spy)
    return seen


def base_store(path: Path, drawn: Extract, later: set[str]
               ) -> tuple[duckdb.DuckDBPyConnection, Extract, tuple[str, str]]:
    """A store of every drawn child but `later`, imported as an older return; with two of them made siblings
    (one family, returned) so a household change of one reaches the other."""
    children = set(drawn.tables["children"]["child_id"]) - later
    base = part(drawn, children, BASE_RETURN)
    kids = base.tables["children"]
    with_plans = [c for c in kids["child_id"] if c in set(base.tables["plans"]["child_id"])]
    kids.loc[kids["child_id"] == with_plans[1], "family_id"] = kids.loc[kids["child_id"] == with_plans[0],
                                                                        "family_id"].iloc[0]
    con = store.connect(path)
    import_(con, base)
    return con, base, (with_plans[0], with_plans[1])


def later_children(drawn: Extract) -> set[str]:
    """One authority's children from the 30th on: the later import's new children."""
    kids = drawn.tables["children"]
    authority = kids["authority"].astype(str)
    one = kids[authority == authority.max()]
    return set(one["child_id"].iloc[30:])


def assert_same_as_whole_store(con: duckdb.DuckDBPyConnection) -> None:
    partial = rows(con)
    whole = whole_store_rows(con)
    for table in DERIVED:
        assert partial[table] == whole[table], f"{table}: the rewrite for the changed children differs"
    # and each entry says it is current for the new run, for every as-of date it is written for
    snap = currency.snapshot(con)
    for entry in registry.ENTRIES:
        if entry.by_child:
            for day in currency.written_as_ofs(entry, store.data_date(con)):
                assert currency.is_current(entry, snap, day, DEFAULTS, registry.reviews.version), (entry.name, day)


def test_new_children_a_newer_return_and_a_siblings_household_change(tmp_path: Path, drawn: Extract,
                                                                     spied: dict[str, bool]) -> None:
    later = later_children(drawn)
    con, base, (first, second) = base_store(tmp_path / "s.duckdb", drawn, later)
    try:
        before = store.data_date(con)
        kids, plans, events = base.tables["children"], base.tables["plans"], base.tables["events"]
        ended = plans[plans["end_date"].notna() & ~plans["child_id"].isin([first, second])].iloc[0]
        only_events = next(c for c in kids["child_id"]
                           if c not in (ended["child_id"], first, second) and c in set(plans["child_id"]))
        newer = part(drawn, later | {ended["child_id"], first}, NEWER_RETURN)
        t = newer.tables
        # the newer return ends one plan 20 days sooner
        t["plans"].loc[t["plans"]["plan_id"] == ended["plan_id"], "end_date"] = (
            pd.Timestamp(ended["end_date"]) - timedelta(days=20)).strftime("%Y-%m-%d")
        # a child whose only change is a new event, none of its plans in the import (the writer's changed children
        # are those of the plans and actions it read)
        its_plan = plans[plans["child_id"] == only_events].iloc[0]
        event = events[events["child_id"] == only_events].iloc[[0]].astype(object).assign(
            event_id="E-added", event_type="CHALLENGE", plan_id=its_plan["plan_id"],
            event_date=(pd.Timestamp(its_plan["start_date"]) + timedelta(days=1)).strftime("%Y-%m-%d"))
        t["events"] = pd.concat([t["events"], event], ignore_index=True)
        t["children"] = pd.concat([t["children"], part(drawn, {only_events}, NEWER_RETURN).tables["children"]],
                                  ignore_index=True)   # (unchanged: it says whose authority the event is of)
        # a household change of `first`'s family, during `second`'s first plan: `second` is not in the import
        start = pd.to_datetime(plans[plans["child_id"] == second]["start_date"]).min() + timedelta(days=1)
        change = t["family_changes"].iloc[[0]] if len(t["family_changes"]) else drawn.tables["family_changes"].iloc[[0]]
        t["family_changes"] = pd.concat([t["family_changes"], change.assign(
            change_id="FC-sibling", child_id=first, family_id=kids[kids["child_id"] == first]["family_id"].iloc[0],
            change_date=start.strftime("%Y-%m-%d"))], ignore_index=True)
        summary = import_(con, newer)
        assert not summary.relinked and not summary.rejects
        assert store.data_date(con) == before, "the later import was cut not to move the data date"
        assert {name: spied.get(name) for name in BY_CHILD} == {name: True for name in BY_CHILD}
        assert_same_as_whole_store(con)
        # (the sibling's household change and the added event are there: a rewrite of the children whose plans or
        # actions the import wrote would miss both)
        assert con.execute("SELECT count(*) FROM derived_family_change_links WHERE change_id IN "
                           "(SELECT change_id FROM family_changes WHERE run_id = ?)", [summary.run_id]).fetchone()[0]
        assert con.execute("SELECT count(*) FROM derived_challenge_links WHERE event_id IN "
                           "(SELECT event_id FROM events WHERE run_id = ?)", [summary.run_id]).fetchone()[0]
    finally:
        con.close()


def test_a_child_removed(tmp_path: Path, drawn: Extract, spied: dict[str, bool]) -> None:
    con, base, _ = base_store(tmp_path / "s.duckdb", drawn, set())
    try:
        plans = base.tables["plans"]
        child = plans["child_id"].value_counts().index[0]   # a child with the most plans
        prior = registry.prior(con)
        con.execute("BEGIN")
        for statement in (
                "DELETE FROM attendance WHERE event_id IN (SELECT event_id FROM events WHERE child_id = $c)",
                "DELETE FROM events WHERE child_id = $c", "DELETE FROM needs WHERE child_id = $c",
                "DELETE FROM family_changes WHERE child_id = $c",
                "DELETE FROM language_findings WHERE action_id IN (SELECT action_id FROM actions WHERE plan_id IN "
                "(SELECT plan_id FROM plans WHERE child_id = $c))",
                "DELETE FROM action_reviews WHERE plan_id IN (SELECT plan_id FROM plans WHERE child_id = $c)",
                "DELETE FROM plan_reviews WHERE plan_id IN (SELECT plan_id FROM plans WHERE child_id = $c)",
                "DELETE FROM action_matches WHERE plan_id IN (SELECT plan_id FROM plans WHERE child_id = $c)",
                "DELETE FROM actions WHERE plan_id IN (SELECT plan_id FROM plans WHERE child_id = $c)",
                "DELETE FROM plans WHERE child_id = $c", "DELETE FROM children WHERE child_id = $c"):
            con.execute(statement, {"c": child})
        registry.refresh(con, registry.Change(children=frozenset({child}), reviews="keep", prior=prior))
        con.execute("COMMIT")
        assert all(spied[name] for name in BY_CHILD)
        assert con.execute("SELECT count(*) FROM plan_sequence WHERE child_id = ?", [child]).fetchone()[0] == 0
        assert_same_as_whole_store(con)
    finally:
        con.close()


def test_a_moved_data_date_rewrites_the_tables_written_as_of_it_whole(tmp_path: Path, drawn: Extract,
                                                                        spied: dict[str, bool]) -> None:
    con, base, _ = base_store(tmp_path / "s.duckdb", drawn, set())
    try:
        before = store.data_date(con)
        events = base.tables["events"]
        child = events["child_id"].iloc[0]
        newer = part(drawn, {child}, NEWER_RETURN)
        late = newer.tables["events"].iloc[[0]].assign(event_id="E-late", event_type="CHALLENGE", plan_id=None,
                                                     event_date=(before + timedelta(days=40)).isoformat())
        newer.tables["events"] = pd.concat([newer.tables["events"], late], ignore_index=True)
        import_(con, newer)
        assert store.data_date(con) == before + timedelta(days=40)
        by_as_of = {e.name for e in registry.ENTRIES if e.by_child and e.as_of == "equal"}
        assert by_as_of and all(not spied[name] for name in by_as_of)
        assert all(spied[name] for name in BY_CHILD if name not in by_as_of)
        assert_same_as_whole_store(con)
    finally:
        con.close()


def test_an_update_that_moves_a_row_to_another_family_rewrites_everything(tmp_path: Path, drawn: Extract,
                                                                          spied: dict[str, bool]) -> None:
    con, base, _ = base_store(tmp_path / "s.duckdb", drawn, set())
    try:
        kids = base.tables["children"]
        moved = part(drawn, {kids["child_id"].iloc[5]}, NEWER_RETURN)
        moved.tables["children"]["family_id"] = kids["family_id"].iloc[6]
        summary = import_(con, moved)
        assert summary.relinked
        assert not any(spied.values())
        assert_same_as_whole_store(con)
        # an update of a plan's dates is no relinking
        ended = part(drawn, {kids["child_id"].iloc[7]}, NEWER_RETURN)
        ended.tables["plans"]["end_date"] = "2026-03-01"
        assert not import_(con, ended).relinked
    finally:
        con.close()


def test_without_the_store_before_the_change_every_entry_is_rewritten_whole(tmp_path: Path, drawn: Extract,
                                                                             spied: dict[str, bool]) -> None:
    con, _, _ = base_store(tmp_path / "s.duckdb", drawn, set())
    try:
        con.execute("BEGIN")
        registry.refresh(con, registry.Change(children=frozenset({"C0000001"}), reviews="keep"))
        con.execute("ROLLBACK")
        assert not any(spied.values())
        assert registry.resolve(con, Filters(as_of=store.data_date(con)), DEFAULTS).reads_stored(*BY_CHILD)
    finally:
        con.close()


def test_an_error_while_narrowed_leaves_no_narrowed_table_behind(tmp_path: Path, drawn: Extract,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The narrowed tables stand for the store's tables on the connection: a failed refresh must not leave them
    (its own error is the one raised, and the store's tables are read again afterwards)."""
    con, base, _ = base_store(tmp_path / "s.duckdb", drawn, set())
    try:
        plans = con.execute("SELECT count(*) FROM plans").fetchone()[0]
        child = base.tables["plans"]["child_id"].iloc[0]
        table = registry.TABLES[1]

        def broken(_con: duckdb.DuckDBPyConnection, _change: registry.Change) -> int:
            assert _con.execute("SELECT count(*) FROM plans").fetchone()[0] < plans   # narrowed by now
            _con.execute("SELECT * FROM a_table_that_is_not_there")   # a DuckDB error: it aborts a transaction
            return 0

        failing = replace(table, write=broken)
        monkeypatch.setattr(registry, "TABLES", tuple(failing if e is table else e for e in registry.TABLES))
        monkeypatch.setattr(registry, "ENTRIES", tuple(failing if e is table else e for e in registry.ENTRIES))
        for transaction in (True, False):
            if transaction:
                con.execute("BEGIN")
            with pytest.raises(duckdb.CatalogException, match="a_table_that_is_not_there"):
                registry.refresh(con, registry.Change(children=frozenset({child}), reviews="keep",
                                                      prior=registry.prior(con)))
            if transaction:
                con.execute("ROLLBACK")
            assert con.execute("SELECT count(*) FROM plans").fetchone()[0] == plans
    finally:
        con.close()
