"""A page run's reads share one store connection, closed when the run ends; a write in the same server process
(the audit group's save, an import from the Import page) waits for the pages reading and closes its own run's
connection first (DuckDB refuses a read-write connection beside a read-only one in one process)."""
from __future__ import annotations

import shutil
import threading
import time

import pytest
from streamlit.testing.v1 import AppTest

from paqa_dash.ui import readers


def _two_reads_page() -> None:
    """Two reads the cache cannot answer (distinct questions), then a save that writes to the store."""
    import os
    from contextlib import nullcontext

    import duckdb
    import streamlit as st

    from paqa_dash.filters import Filters
    from paqa_dash.metrics import cohorts, store_info
    from paqa_dash.settings import DEFAULTS
    from paqa_dash.ui import data

    opened = []
    real = duckdb.connect

    def counting(*args, **kwargs):
        opened.append(kwargs.get("read_only"))
        return real(*args, **kwargs)

    data.duckdb.connect = counting
    try:
        data._cached_call.clear()
        with data.page_run() if os.environ.get("PAQA_TEST_RUN") == "one" else nullcontext():
            data.cached(store_info.store_info)
            data.cached(cohorts.headline, Filters(), DEFAULTS)
            if os.environ.get("PAQA_TEST_WRITE"):
                with data.writing():
                    con = real(os.environ["PAQA_DB"])   # read-write, in this process, during the run
                    con.execute("CREATE TABLE IF NOT EXISTS written_by_test (x INTEGER)")
                    con.close()
                data.cached(cohorts.ended_bands, Filters(), DEFAULTS)   # read again after the write
    finally:
        data.duckdb.connect = real
    st.write(f"opened {len(opened)}; open now {data.READERS.open}")


def _run(db, monkeypatch, run: str, write: bool = False) -> AppTest:
    monkeypatch.setenv("PAQA_DB", str(db))
    monkeypatch.setenv("PAQA_TEST_RUN", run)
    if write:
        monkeypatch.setenv("PAQA_TEST_WRITE", "1")
    at = AppTest.from_function(_two_reads_page, default_timeout=30).run()
    assert not at.exception, at.exception
    return at


def test_a_page_run_opens_one_connection_for_its_reads(demo_store, monkeypatch):
    assert _run(demo_store, monkeypatch, "one").markdown[-1].value == "opened 1; open now 0"


def test_after_a_page_run_its_store_is_kept_open_for_the_next(demo_store, monkeypatch):
    """ui/keep_warm.py: the next run's connection shares a warm DuckDB instance (let go after each test: conftest)."""
    from paqa_dash.ui import data

    _run(demo_store, monkeypatch, "one")
    assert data.KEEPER.held is not None and data.KEEPER.held[0] == str(demo_store)


def test_without_a_page_run_each_read_opens_its_own(demo_store, monkeypatch):
    assert _run(demo_store, monkeypatch, "each").markdown[-1].value == "opened 2; open now 0"


def test_a_write_during_the_run_closes_its_connection_and_reads_again_after(demo_store, tmp_path, monkeypatch):
    db = tmp_path / "s.duckdb"
    shutil.copy(demo_store, db)
    at = _run(db, monkeypatch, "one", write=True)
    assert at.markdown[-1].value == "opened 2; open now 0"   # one before the write, one after
    from paqa_dash import store

    # the app's settings: the app keeps its instance of this file open a few seconds (ui/keep_warm.py)
    with store.connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM written_by_test").fetchone() == (0,)


# ---------------------------------------------------------------- the bookkeeping itself (threads)

def test_a_write_waits_until_the_readers_have_left():
    r = readers.Readers()
    r.enter(1)
    done: list[float] = []

    def write() -> None:
        with r.writing(5):
            done.append(time.monotonic())

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(0.3)
    assert not done                  # still waiting for the reader
    left = time.monotonic()
    r.leave()
    writer.join(5)
    assert done and done[0] >= left


def test_a_reader_waits_for_a_write_and_is_told_busy_when_it_lasts():
    r = readers.Readers()
    with r.writing(1):
        with pytest.raises(readers.Busy):
            r.enter(0.2)
    r.enter(0.2)                     # the write over: readers come in again
    assert r.open == 1


def test_a_write_gives_up_when_readers_stay_and_leaves_nothing_held():
    r = readers.Readers()
    r.enter(1)
    with pytest.raises(readers.Busy):
        with r.writing(0.2):
            pass
    r.enter(0.2)                     # not left marked as writing
    assert r.open == 2


# ---------------------------------------------------------------- refusals and another process's new store file

def test_a_read_off_the_page_during_a_write_is_refused_and_counted_out(demo_store, monkeypatch):
    """A download made on a worker thread (no page run to stop) asks for the store while a save writes: it is
    refused with Busy within the wait, not handed a connection, and the count of readers is left as it was."""
    from paqa_dash.ui import data

    monkeypatch.setattr(data, "READ_WAIT_S", 0.2)
    before = data.READERS.open
    outcome: list[object] = []

    def download() -> None:
        try:
            with data.read_only(demo_store):
                outcome.append("connected")
        except readers.Busy as busy:
            outcome.append(busy)

    with data.READERS.writing(1):
        worker = threading.Thread(target=download)
        worker.start()
        worker.join(5)
    assert len(outcome) == 1 and isinstance(outcome[0], readers.Busy)
    assert data.READERS.open == before


def test_a_write_refused_for_readers_that_stay_says_so_and_writes_nothing(monkeypatch):
    from paqa_dash.ui import data

    monkeypatch.setattr(data, "WRITE_WAIT_S", 0.2)
    data.READERS.enter(1)
    try:
        with pytest.raises(readers.Busy, match="nothing was written"):
            with data.writing():
                pytest.fail("wrote beside an open reader")
    finally:
        data.READERS.leave()


def _replaced_page() -> None:
    """A read, then another process puts a different store file in place (an import's os.replace), then the
    same question again within the same run."""
    import os

    import streamlit as st

    from paqa_dash.filters import Filters
    from paqa_dash.metrics import cohorts
    from paqa_dash.settings import DEFAULTS
    from paqa_dash.ui import data

    data._cached_call.clear()
    with data.page_run():
        first = data.cached(cohorts.headline, Filters(), DEFAULTS)["plans_started"]
        os.replace(os.environ["PAQA_TEST_NEW_STORE"], os.environ["PAQA_DB"])
        second = data.cached(cohorts.headline, Filters(), DEFAULTS)["plans_started"]
    st.write(f"{first} {second}")


def test_a_store_file_replaced_during_a_run_is_read_anew(demo_store, tmp_path, monkeypatch):
    import duckdb

    from paqa_dash.filters import Filters
    from paqa_dash.metrics import cohorts
    from paqa_dash.settings import DEFAULTS

    db, new = tmp_path / "s.duckdb", tmp_path / "new.duckdb"
    shutil.copy(demo_store, db)
    shutil.copy(demo_store, new)
    with duckdb.connect(str(new)) as con:
        con.execute("DELETE FROM plans WHERE team = (SELECT min(team) FROM plans)")
    with duckdb.connect(str(new), read_only=True) as con:
        expected = cohorts.headline(con, Filters(), DEFAULTS)["plans_started"]
    monkeypatch.setenv("PAQA_DB", str(db))
    monkeypatch.setenv("PAQA_TEST_NEW_STORE", str(new))
    at = AppTest.from_function(_replaced_page, default_timeout=30).run()
    assert not at.exception, at.exception
    first, second = (int(x) for x in at.markdown[-1].value.split())
    assert second == expected != first
