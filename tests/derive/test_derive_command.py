"""`python -m paqa_dash derive`: the derived tables rewritten without an import, as an import would leave them."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from paqa_dash import store
from paqa_dash.cli import main
from paqa_dash.derive import currency, registry
from support.holder import store_held
from support.store_tables import store_tables


@pytest.fixture
def copy(demo_store: Path, tmp_path: Path) -> Path:
    """A writable copy of the demo store, closed (the command opens it itself)."""
    path = tmp_path / "copy.duckdb"
    shutil.copy(demo_store, path)
    return path


def change(db: Path, *statements: str) -> None:
    con = duckdb.connect(str(db))
    try:
        for statement in statements:
            con.execute(statement)
    finally:
        con.close()


def make_old(db: Path) -> None:
    """The store as an earlier version left it: a table it did not have (no table, no record), a table written by
    another definition (its rows differ too), the plan sequence made stale by a direct write to its record, and a
    table dropped (its record left)."""
    change(db, "DROP TABLE derived_review_plans", "DROP TABLE derived_agreements",
           f"DELETE FROM meta WHERE key = '{currency.META_PREFIX}derived_review_plans'",
           "DELETE FROM derived_core_group_plans WHERE plan_id IN (SELECT plan_id FROM plans LIMIT 20)",
           f"UPDATE meta SET value = json_object('definition', 'older') "
           f"WHERE key = '{currency.META_PREFIX}derived_core_group_plans'",
           f"UPDATE meta SET value = replace(value, '\"rows\"', '\"rows_then\"') "
           f"WHERE key = '{currency.META_PREFIX}plan_sequence'")


OLD = ["plan_sequence", "derived_core_group_plans", "derived_review_plans", "derived_agreements"]


def stale(db: Path) -> list[str]:
    con = store.connect(db, read_only=True)
    try:
        return [e.name for e in registry.stale(con)]
    finally:
        con.close()


def assert_same_store(db: Path, other: Path) -> None:
    mine, theirs = store_tables(db), store_tables(other)
    assert sorted(mine) == sorted(theirs)
    for name in theirs:
        pd.testing.assert_frame_equal(mine[name], theirs[name], obj=name)


def test_old_derived_tables_are_rewritten_as_an_import_writes_them(copy, demo_store, capsys):
    make_old(copy)
    assert stale(copy) == OLD
    assert main(["derive", "--db", str(copy)]) == 0
    out = capsys.readouterr().out
    assert [line.split()[0] for line in out.splitlines()[1:-1]] == OLD, out
    assert stale(copy) == []
    assert_same_store(copy, demo_store)   # every table, the records and the reviews included


def test_a_current_store_is_left_as_it_is_unless_all(copy, demo_store, capsys):
    assert main(["derive", "--db", str(copy)]) == 0
    assert "nothing rewritten" in capsys.readouterr().out
    assert_same_store(copy, demo_store)
    assert main(["derive", "--db", str(copy), "--all"]) == 0
    rewritten = [line.split()[0] for line in capsys.readouterr().out.splitlines()[1:-1]]
    assert rewritten == [e.name for e in registry.DERIVED]
    assert_same_store(copy, demo_store)


def test_a_failure_half_way_leaves_the_store_as_it_was(copy, monkeypatch, capsys):
    make_old(copy)
    before = store_tables(copy)
    real = registry.refresh
    done: list[str] = []

    def fail_at_the_last(con, change, progress=None, only=()):
        if only == ("derived_review_plans",):
            raise duckdb.OutOfMemoryException("out of memory")
        done.extend(only)
        return real(con, change, progress, only)

    monkeypatch.setattr(registry, "refresh", fail_at_the_last)
    assert main(["derive", "--db", str(copy)]) == 2
    assert done == ["plan_sequence", "derived_core_group_plans"]   # (written, then rolled back)
    assert capsys.readouterr().err.strip() == "derive failed: out of memory. Nothing was changed."
    after = store_tables(copy)
    for name in before:
        pd.testing.assert_frame_equal(after[name], before[name], obj=name)


def test_reviews_made_by_other_word_lists_are_kept_and_their_tables_named(copy, capsys):
    key = f"{currency.META_PREFIX}{currency.REVIEWS}"
    con = duckdb.connect(str(copy))
    record = json.loads(con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()[0])
    con.execute("UPDATE meta SET value = ? WHERE key = ?", [json.dumps({**record, "definition": "older"}), key])
    con.close()
    before = store_tables(copy)
    assert main(["derive", "--db", str(copy)]) == 0
    out = capsys.readouterr().out
    made = [e.name for e in registry.DERIVED if e.reviews]
    assert f"Not rewritten: {', '.join(made)}." in out and "python -m paqa_dash reviews" in out
    after = store_tables(copy)
    for name in ("action_reviews", "language_findings", "plan_reviews", *made):
        pd.testing.assert_frame_equal(after[name], before[name], obj=name)


def test_a_store_held_by_another_process_is_said_in_one_line(copy, monkeypatch, capsys):
    make_old(copy)
    before = store_tables(copy)
    monkeypatch.setenv("PAQA_LOCK_WAIT", "1")
    with store_held(copy):
        assert main(["derive", "--db", str(copy)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith("derive failed: the store copy.duckdb is in use by another process: an import, "
                              "or the dashboard reading it. Nothing was changed"), err
    assert store_tables(copy).keys() == before.keys()


def test_a_store_with_nothing_imported_says_so(empty_store, tmp_path, capsys):
    path = tmp_path / "empty.duckdb"
    shutil.copy(empty_store, path)
    assert main(["derive", "--db", str(path)]) == 0
    assert capsys.readouterr().out.startswith(f"Nothing is imported into {path} yet")


def test_the_command_holds_duckdb_to_its_memory_limit(copy, demo_store, monkeypatch, capsys):
    """PAQA_DERIVE_MEMORY (default 3GB) reaches DuckDB, which spills beyond it: the tables are the same."""
    monkeypatch.setenv("PAQA_DERIVE_MEMORY", "256MB")
    seen: list[str] = []
    real = registry.rewrite

    def noting(con, everything=False):
        seen.append(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])
        return real(con, everything=everything)

    monkeypatch.setattr(registry, "rewrite", noting)
    assert main(["derive", "--db", str(copy), "--all"]) == 0
    assert seen == ["244.1 MiB"]
    assert_same_store(copy, demo_store)
