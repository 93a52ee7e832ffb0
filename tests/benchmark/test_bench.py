"""Smoke test of `python -m paqa_dash bench` at a small N (issue 7): the command runs end to end and
its JSON holds every timed item with numeric figures.  No timing assertions (the machine is shared)."""
from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from paqa_dash.bench import format_table
from paqa_dash.benchmark import pages, scan
from support.paths import ROOT

PLANS = 300


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    db = tmp_path_factory.mktemp("bench") / "bench.duckdb"
    done = subprocess.run([sys.executable, "-m", "paqa_dash", "bench", "--plans", str(PLANS), "--runs", "1",
                           "--db", str(db), "--json"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def test_every_item_with_both_filters(result: dict) -> None:
    got = {(i["name"], i["filter"].split("=")[0]) for i in result["items"]}
    assert got == {(name, f) for name in pages.ITEMS for f in ("default", "team")}


def test_items_have_numeric_medians_scans_and_ratios(result: dict) -> None:
    for i in result["items"]:
        for key in ("cold_s", "median_s", "scan_s", "ratio", "shared_s"):
            assert _number(i[key]) and i[key] >= 0, (i["name"], key, i[key])
        assert len(i["runs_s"]) >= 1
        assert i["median_s"] == pytest.approx(sorted(i["runs_s"])[len(i["runs_s"]) // 2], abs=1e-4)


def test_scans_read_what_the_pages_read(result: dict) -> None:
    by_name = {(i["name"], i["filter"]): i for i in result["items"]}
    overview = by_name[("overview", "default")]["reads"]
    assert "plans" in overview and "start_date" in overview["plans"]
    assert "events" in by_name[("agencies", "default")]["reads"]
    assert "action_matches" in by_name[("duplicates", "default")]["reads"]


def test_build_store_and_memory(result: dict) -> None:
    b = result["build"]
    assert _number(b["seconds"]) and _number(b["scan_s"]) and _number(b["ratio"])
    assert b["reused"] is False
    assert _number(b["peak_rss_mb"]) and _number(result["app_peak_rss_mb"])
    rows = result["store"]["rows"]
    assert 0.8 * PLANS <= rows["plans"] <= 1.2 * PLANS
    assert rows["events"] > rows["plans"]


def test_table_lists_every_item(result: dict) -> None:
    table = format_table(result)
    assert table.count("\n| ") == len(result["items"]) + 2  # header separator, build row, items
    assert "build store" in table and "Peak memory" in table


def test_second_run_reuses_the_store(result: dict) -> None:
    from paqa_dash.benchmark import build

    record = build.recorded_build(Path(result["db"]), PLANS, result["seed"])
    assert record is not None and record["plans"] == PLANS
    assert build.recorded_build(Path(result["db"]), PLANS + 1, result["seed"]) is None


def test_scan_statements_quote_identifiers() -> None:
    stmts = scan.scan_statements({"plans": {"start_date", "team"}, "events": set()})
    assert stmts == ['SELECT count(*) FROM "events"',
                     'SELECT count(*), min("start_date"), max("start_date"), min("team"), max("team") FROM "plans"']


def test_tables_read_includes_filter_columns() -> None:
    import duckdb

    con = duckdb.connect()
    con.execute("CREATE TABLE plans (plan_id VARCHAR, team VARCHAR, start_date DATE, unused INTEGER)")
    # Rows either side of the filter: DuckDB drops a filter its statistics prove always true or false.
    con.execute("INSERT INTO plans VALUES ('p1', 'North', DATE '2021-01-01', 1), ('p2', 'South', DATE '2019-01-01', 2)")
    reads = scan.tables_read(con, "SELECT team, count(*) FROM plans WHERE start_date > $d GROUP BY team",
                             {"d": "2020-01-01"})
    assert reads == {"plans": {"team", "start_date"}}


def test_recorder_follows_temp_table_caches_to_the_store() -> None:
    import duckdb

    con = duckdb.connect()
    con.execute("CREATE TABLE plans (plan_id VARCHAR, team VARCHAR, start_date DATE, unused INTEGER)")
    con.execute("INSERT INTO plans VALUES ('p1', 'North', DATE '2021-01-01', 1), ('p2', 'South', DATE '2019-01-01', 2)")
    reads: scan.Reads = {}
    rec = scan.Recorder(con, reads)
    rec.execute("CREATE OR REPLACE TEMP TABLE cache AS SELECT plan_id, team FROM plans WHERE start_date > $d",
                {"d": "2020-01-01"})
    rec.execute("SELECT count(*) FROM cache").fetchall()
    assert reads == {"plans": {"plan_id", "team", "start_date"}}


def test_replicated_store_doubles_every_table_with_new_ids(tmp_path, demo_store):
    """The national-scale store is the base store copied under fresh ids: twice the rows, no id shared."""
    import shutil

    from paqa_dash import store
    from paqa_dash.benchmark.build import replicate, table_rows

    base = tmp_path / "base.duckdb"
    shutil.copyfile(demo_store, base)
    replicate(base, tmp_path / "rep.duckdb", 2)
    con_base, con_rep = store.connect(base, read_only=True), store.connect(tmp_path / "rep.duckdb", read_only=True)
    before, after = table_rows(con_base), table_rows(con_rep)
    assert all(after[t] == 2 * before[t] for t in ("children", "plans", "events", "actions"))
    assert con_rep.execute("SELECT count(DISTINCT plan_id) FROM plans").fetchone()[0] == after["plans"]
    from paqa_dash.derive import registry
    from paqa_dash.filters import Filters
    from paqa_dash.store import data_date
    from support.derive import current

    assert current(con_rep, "plan_sequence", Filters()) and current(con_rep, "core_group_attendance", Filters())
    as_of = data_date(con_rep)
    assert all(current(con_rep, d.name, Filters(as_of=as_of)) for d in registry.TABLES), \
        "the copy's derived tables must be rewritten for the copied rows, as an import would"
    con_base.close()
    con_rep.close()


def test_replicated_store_keeps_the_base_schema_keys_and_references(tmp_path, demo_store):
    """Keys are added after the copy is filled: the copy ends with the base store's constraints, its keys
    still refuse a duplicate, every id is 16 hex digits and every reference of a copy meets its own copy."""
    import duckdb

    from paqa_dash import store
    from paqa_dash.benchmark.build import replicate

    rep = tmp_path / "rep3.duckdb"
    replicate(demo_store, rep, 3)
    constraints = ("SELECT table_name, constraint_type, constraint_text FROM duckdb_constraints() "
                   "WHERE constraint_type <> 'NOT NULL' ORDER BY ALL")
    not_null = ("SELECT table_name, list_sort(list(constraint_column_names[1])) FROM duckdb_constraints() "
                "WHERE constraint_type = 'NOT NULL' GROUP BY ALL ORDER BY ALL")
    con_base, con_rep = store.connect(demo_store, read_only=True), store.connect(rep, read_only=True)
    try:
        assert con_rep.execute(constraints).fetchall() == con_base.execute(constraints).fetchall()
        assert con_rep.execute(not_null).fetchall() == con_base.execute(not_null).fetchall()
        assert con_rep.execute("SELECT count(*) FROM events WHERE NOT regexp_full_match(event_id, '[0-9a-f]{16}') "
                               "OR NOT regexp_full_match(plan_id, '[0-9a-f]{16}')").fetchone()[0] == 0
        orphans = con_rep.execute("SELECT count(*) FROM events e LEFT JOIN plans p USING (plan_id) "
                                  "WHERE e.plan_id IS NOT NULL AND (p.plan_id IS NULL OR p.child_id <> e.child_id)")
        assert orphans.fetchone()[0] == 0
        assert con_rep.execute("SELECT count(*) FROM attendance a ANTI JOIN events e USING (event_id)").fetchone()[0] == 0
    finally:
        con_base.close()
        con_rep.close()
    con = duckdb.connect(str(rep))
    try:
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO plans SELECT * FROM plans LIMIT 1")
    finally:
        con.close()


def test_copied_ids_shift_the_leading_hex_digits() -> None:
    import duckdb

    from paqa_dash.benchmark.build import _copied_id
    from paqa_dash.sql import without_primary_key as _without_primary_key

    con = duckdb.connect()
    con.execute("CREATE TABLE t (x VARCHAR)")
    con.execute("INSERT INTO t VALUES ('0abc'), ('fabc'), (NULL)")
    one = con.execute(f"SELECT {_copied_id('x', 1)} FROM t t", {"copy": 3}).fetchall()
    assert one == [("3abc",), ("2abc",), (None,)]
    two = con.execute(f"SELECT {_copied_id('x', 2)} FROM t t", {"copy": 17}).fetchall()
    assert two == [("1bbc",), ("0bbc",), (None,)]
    assert _without_primary_key("CREATE TABLE a(k VARCHAR PRIMARY KEY, v INTEGER);") == "CREATE TABLE a(k VARCHAR, v INTEGER);"
    assert (_without_primary_key('CREATE TABLE b(k VARCHAR, "quarter" DATE, CHECK((k IN (\'A\'))), PRIMARY KEY(k, "quarter"));')
            == 'CREATE TABLE b(k VARCHAR, "quarter" DATE, CHECK((k IN (\'A\'))));')


def test_bench_never_replaces_a_store_it_did_not_build(demo_store, tmp_path, capsys) -> None:
    """`bench --db` pointed at a store bench did not build (an authority's data/paqa.duckdb, the demo) deleted it to
    build its own; it refuses, and the store is as it was."""
    import argparse
    import shutil

    from paqa_dash import bench

    path = tmp_path / "someone.duckdb"
    shutil.copy(demo_store, path)
    before = path.read_bytes()
    args = argparse.Namespace(plans=PLANS, db=str(path), runs=1, json=True, import_files=False)
    assert bench.main(args) == 2
    assert "was not built by bench" in capsys.readouterr().err
    assert path.read_bytes() == before
