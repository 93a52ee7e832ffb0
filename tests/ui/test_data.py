"""The app's store connections carry an explicit DuckDB memory limit and thread count (issue 7: the app
stays under 4 GB at 1,000,000 plans), taken from the environment when set."""
from __future__ import annotations

from paqa_dash.ui import data


def _settings(path) -> tuple[str, int]:
    with data.read_only(path) as con:
        return con.execute("SELECT current_setting('memory_limit'), current_setting('threads')").fetchone()


def test_default_memory_limit_is_two_gigabytes_not_most_of_the_ram(demo_store, monkeypatch):
    monkeypatch.delenv(data.MEMORY_ENV, raising=False)
    monkeypatch.delenv(data.THREADS_ENV, raising=False)
    memory, threads = _settings(demo_store)
    assert memory in ("1.8 GiB", "1.9 GiB", "2.0 GiB")  # DuckDB shows 2GB (10^9) as GiB
    assert threads >= 1


def test_memory_and_threads_from_the_environment(demo_store, monkeypatch):
    monkeypatch.setenv(data.MEMORY_ENV, "512MB")
    monkeypatch.setenv(data.THREADS_ENV, "1")
    assert data.connection_config() == {"memory_limit": "512MB", "threads": "1"}
    memory, threads = _settings(demo_store)
    assert memory.startswith("488") and threads == 1  # 512 MB = 488.2 MiB


def test_a_store_being_written_gives_the_visitor_one_plain_sentence(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from paqa_dash import store
    from support.holder import store_held

    db = tmp_path / "s.duckdb"
    store.connect(db).close()
    monkeypatch.setenv("PAQA_TEST_DB", str(db))

    def page() -> None:
        import os

        import streamlit as st

        from paqa_dash.ui import data

        with data.read_only(os.environ["PAQA_TEST_DB"]) as con:
            st.write(con.execute("SELECT 1").fetchone())

    with store_held(db):
        at = AppTest.from_function(page).run(timeout=30)
    assert not at.exception
    assert [i.value for i in at.info] == [data.BUSY]
    assert not at.markdown

