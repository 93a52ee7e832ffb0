"""Spreading a synthetic store's children over N authorities (benchmark/authorities.py), as the million-plan figures
of docs/benchmark.md were taken: the plans then fall in N authorities and the settings grid times one of them."""
from __future__ import annotations

import shutil

import duckdb
import pytest

from paqa_dash import store
from paqa_dash.benchmark import authorities, settings_grid


@pytest.fixture(scope="module")
def spread_store(demo_store, tmp_path_factory):
    path = tmp_path_factory.mktemp("spread") / "spread.duckdb"
    shutil.copy(demo_store, path)
    done = authorities.spread(path, 5)
    return path, done


def test_the_children_and_their_plans_fall_in_n_authorities(spread_store):
    path, done = spread_store
    assert done["authorities"] == 5 and 0 < done["fewest_plans"] <= done["most_plans"]
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("SELECT count(DISTINCT authority), count(*) FILTER (authority IS NULL) FROM children"
                           ).fetchone() == (5, 0)
        # the plan sequence written again: each plan carries its child's authority, as `started` gives the pages
        assert con.execute("SELECT count(*) FROM plan_sequence s JOIN children c USING (child_id) "
                           "WHERE s.authority IS DISTINCT FROM c.authority").fetchone() == (0,)
        # why the plan sequence alone is written again: no other table holds a child's authority (a derived table
        # that did would keep the old one, its currency record blind to an UPDATE of children)
        holding = {t for (t,) in con.execute("SELECT DISTINCT table_name FROM duckdb_columns() "
                                              "WHERE column_name = 'authority'").fetchall()}
        assert holding <= {"children", "plan_sequence", "census_returns"}, holding
        assert sorted(store.authority_data_dates(con)) == sorted(authorities.authorities(5))
    finally:
        con.close()


def test_the_grid_then_times_one_authority(demo_store, spread_store):
    """(Without running the pages: tests/benchmark/test_settings_grid.py runs the grid on a store of three.)"""
    for path, expected in ((demo_store, None), (spread_store[0], set(authorities.authorities(5)))):
        con = duckdb.connect(str(path), read_only=True)
        try:
            chosen = settings_grid.authority_timed(con)
        finally:
            con.close()
        assert chosen is None if expected is None else chosen in expected


def test_a_store_that_is_not_synthetic_is_refused(tmp_path, capsys):
    path = tmp_path / "real.duckdb"
    store.connect(path).close()
    assert authorities.main(["--db", str(path), "--count", "3"]) == 2
    assert "not a synthetic store" in capsys.readouterr().err
    assert authorities.main(["--db", str(tmp_path / "none.duckdb"), "--count", "3"]) == 2
    assert not (tmp_path / "none.duckdb").exists()
