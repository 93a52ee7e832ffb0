"""Every per-plan table the import works out is stored in plan order (`sql.in_plan_order`): the pages join them to
their filter's plans on `plan_id`, and at a million plans a join to rows in hash order took four times the CPU
(docs/benchmark_history.md, *Seventh round*).  Checked on a store as a full import leaves it, and after the `derive`
command.  An incremental import rewrites only the changed children's rows, appended at the end in plan order
among themselves: the table is then in plan order in runs (each plan's rows still together), not checked here."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from paqa_dash.cli import main
from paqa_dash.derive import registry

# the per-plan tables written by paqa_dash/derive (the registry's derived_* tables, the plan sequence and the
# attendance sums); the action reviews and matches are written row by row from their sources, in their own order
ORDERED = ("plan_sequence", "core_group_attendance")


def _per_plan_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    derived = [r[0] for r in con.execute(
        "SELECT DISTINCT table_name FROM information_schema.columns "
        "WHERE column_name = 'plan_id' AND table_name LIKE 'derived_%' ORDER BY 1").fetchall()]
    return [*ORDERED, *derived]


def _leading(table: str) -> tuple[str, ...]:
    return next((e.leading for e in registry.ENTRIES if e.name == table), ())


def _out_of_order(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Rows that sort before the row stored just before them (within one as-of date's block): by the table's leading
    columns (the registry's `leading`), then plan_id."""
    cols = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                                      [table]).fetchall()}
    block = "PARTITION BY as_of " if "as_of" in cols else ""
    keys = [*_leading(table), "plan_id"]
    row = ", ".join(f'"{k}"' for k in keys)
    before = ", ".join(f'lag("{k}") OVER ({block}ORDER BY rowid)' for k in keys)
    return int(con.execute(
        f'SELECT count(*) FROM (SELECT ({row},) < ({before},) AS back, lag(rowid) OVER ({block}ORDER BY rowid) AS prev '
        f'FROM "{table}") WHERE back AND prev IS NOT NULL').fetchone()[0])


def _assert_plan_order(db: Path) -> None:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = _per_plan_tables(con)
        assert len(tables) > 10
        rows = {t: int(con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables}
        assert rows["core_group_attendance"] > 1000 and rows["derived_core_group_plans"] > 1000
        assert {t: _out_of_order(con, t) for t in tables} == {t: 0 for t in tables}
    finally:
        con.close()


def test_an_import_writes_each_per_plan_table_in_plan_order(demo_store: Path) -> None:
    _assert_plan_order(demo_store)


@pytest.mark.slow
def test_the_derive_command_writes_them_in_plan_order(demo_store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copy(demo_store, copy)
    assert main(["derive", "--db", str(copy), "--all"]) == 0
    _assert_plan_order(copy)
