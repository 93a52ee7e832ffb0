"""CIN census years imported in any order, in one run or one a run, give the same store, table by table: a
later run with an older year never overwrites what a newer return said (docs/data_contract.md, "CIN census
XML", "Census years in any order")."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from paqa_dash.pipeline import run_import
from support.paths import FIXTURES
from support.store_tables import row_texts

YEARS = {year: FIXTURES / "cin" / f"authority_{year}.xml" for year in (2022, 2023, 2024)}
# One run a year, oldest first, newest first, newest in the middle, oldest last.
ORDERS = ((2022, 2023, 2024), (2024, 2023, 2022), (2022, 2024, 2023), (2023, 2024, 2022))
# Tables whose content depends on when, not what, was imported.
BOOKKEEPING = {"import_runs", "meta"}


def _tables(db: Path) -> dict[str, list[tuple]]:
    """Every store table's rows, sorted, without the run that wrote them."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        out = {}
        for name in names:
            if name in BOOKKEEPING:
                continue
            frame = con.execute(f'SELECT * FROM "{name}"').df().drop(columns=["run_id"], errors="ignore")
            out[name] = row_texts(frame)
        return out
    finally:
        con.close()


def _store(tmp: Path, runs: list[list[int]], name: str) -> dict[str, list[tuple]]:
    db = tmp / f"{name}.duckdb"
    for run in runs:
        run_import([YEARS[y] for y in run], db)
    return _tables(db)


@pytest.fixture(scope="module")
def newest_first_then_older(tmp_path_factory):
    import os
    old = os.environ.get("PAQA_PSEUDO_KEY")
    os.environ["PAQA_PSEUDO_KEY"] = "test-key-not-secret-census-years"
    tmp = tmp_path_factory.mktemp("census")
    try:
        together = _store(tmp, [[2022, 2023, 2024]], "together")
        orders = {"-".join(map(str, o)): _store(tmp, [[y] for y in o], "runs_" + "_".join(map(str, o)))
                  for o in ORDERS}
    finally:
        if old is None:
            os.environ.pop("PAQA_PSEUDO_KEY", None)
        else:
            os.environ["PAQA_PSEUDO_KEY"] = old
    return together, orders


def test_every_order_of_runs_gives_the_store_of_one_run(newest_first_then_older):
    together, orders = newest_first_then_older
    assert together["plans"] and together["events"] and together["row_returns"]
    for order, tables in orders.items():
        assert tables.keys() == together.keys(), order
        for name in together:
            assert tables[name] == together[name], f"{order}: table {name} differs from one run of all years"


def test_the_newest_return_wins_and_each_row_keeps_its_return(newest_first_then_older):
    """SYNA001's plan of 2021-10-20: latest category NEG in 2022, EMO in 2023 and 2024, ended 2023-05-31 in
    2024's return.  Imported newest first, the older years neither reopen it nor put NEG back."""
    _, orders = newest_first_then_older
    older_last = orders["2024-2023-2022"]
    plan = [row for row in older_last["plans"] if row[2].startswith("2021-10-20")]
    assert [(row[3][:10], row[5]) for row in plan] == [("2023-05-31", "EMO")]
    # every row knows the newest return that supplied it: 2024's, or 2022's for what only 2022 had
    assert {row[2][:10] for row in older_last["row_returns"]} == {"2022-03-31", "2024-03-31"}
