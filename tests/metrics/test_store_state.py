"""The store's state (what the derived tables' currency is judged on) is read once per store version, not once
per question (`sqlrun.store_state`), and a new version is read again."""
from __future__ import annotations

import shutil
import threading

import duckdb

from paqa_dash import store
from paqa_dash.derive import currency
from paqa_dash.filters import Filters
from paqa_dash.metrics import cohorts, sqlrun
from paqa_dash.settings import DEFAULTS


def _counting(monkeypatch) -> list[int]:
    """The snapshots this test's thread takes (a page test's script or warm-up thread still ending in the same
    worker may take its own meanwhile: not counted)."""
    taken: list[int] = []
    real = currency.snapshot
    mine = threading.get_ident()

    def snapshot(con):
        if threading.get_ident() == mine:
            taken.append(1)
        return real(con)

    monkeypatch.setattr(currency, "snapshot", snapshot)
    return taken


def test_a_version_is_read_once_and_answers_as_reading_it_each_time(demo_store, monkeypatch):
    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        as_of = store.data_date(con)
        plain = [cohorts.headline(con, Filters(as_of=as_of), DEFAULTS), cohorts.ending_outcomes(con, Filters(as_of=as_of), DEFAULTS)]
        taken = _counting(monkeypatch)
        got = []
        for ask in (cohorts.headline, cohorts.ending_outcomes):
            with sqlrun.store_state(con, ("test", "version 1")):
                got.append(ask(con, Filters(as_of=as_of), DEFAULTS))
    finally:
        con.close()
    assert len(taken) == 1
    assert got[0] == plain[0]
    assert got[1].equals(plain[1])


def test_a_new_version_is_read_again(demo_store, tmp_path, monkeypatch):
    """The store changed (rows deleted, as an import would change them): under its new version the state is read
    again and the answer is the changed store's; under the old version the old state would be wrong."""
    db = tmp_path / "s.duckdb"
    shutil.copy(demo_store, db)
    taken = _counting(monkeypatch)
    with duckdb.connect(str(db), read_only=True) as con:
        as_of = store.data_date(con)
        with sqlrun.store_state(con, ("test", "before")):
            before = cohorts.headline(con, Filters(as_of=as_of), DEFAULTS)
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM plans WHERE team = (SELECT min(team) FROM plans)")
    with duckdb.connect(str(db), read_only=True) as con:
        with sqlrun.store_state(con, ("test", "after")):
            after = cohorts.headline(con, Filters(as_of=as_of), DEFAULTS)
        assert len(taken) == 2   # once for each version
        direct = cohorts.headline(con, Filters(as_of=as_of), DEFAULTS)
    assert after == direct
    assert after["plans_started"] != before["plans_started"]


def test_only_a_few_versions_are_kept(demo_store, monkeypatch):
    taken = _counting(monkeypatch)
    with duckdb.connect(str(demo_store), read_only=True) as con:
        for n in range(sqlrun.STATES_KEPT + 1):
            with sqlrun.store_state(con, ("test kept", n)):
                pass
        with sqlrun.store_state(con, ("test kept", 0)):   # the oldest was let go: read again
            pass
    assert len(taken) == sqlrun.STATES_KEPT + 2
