"""A page run's reads share one store connection, closed when the run ends; a write in the same server process
(the audit group's save, an import from the Import page) waits for the pages reading and closes its own run's
connection first (DuckDB refuses a read-write connection beside a read-only one in one process)."""
from __future__ import annotations

import os
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


def test_without_a_page_run_each_read_opens_its_own(demo_store, monkeypatch):
    assert _run(demo_store, monkeypatch, "each").markdown[-1].value == "opened 2; open now 0"


def test_a_write_during_the_run_closes_its_connection_and_reads_again_after(demo_store, tmp_path, monkeypatch):
    db = tmp_path / "s.duckdb"
    shutil.copy(demo_store, db)
    at = _run(db, monkeypatch, "one", write=True)
    assert at.markdown[-1].value == "opened 2; open now 0"   # one before the write, one after
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
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
