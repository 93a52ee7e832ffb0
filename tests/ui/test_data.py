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



# ---------------------------------------------------------------- the result cache: scope and imports (issue 15)

def _headline(db, scope):
    """The overview's numbers read directly, with no cache, under `scope`."""
    from paqa_dash.metrics import cohorts
    from paqa_dash.settings import DEFAULTS
    from paqa_dash.filters import Filters

    with data.read_only(db) as con:
        return cohorts.headline(con, Filters(scope=scope), DEFAULTS)


def test_a_cached_result_never_crosses_users_scopes(demo_store, monkeypatch):
    """Two users ask the cache the very same question: each gets the figures of their own scope, never
    the other's (the scope is in the key: `bounded` puts it into every Filters)."""
    from paqa_dash.filters import Filters
    from paqa_dash.metrics import cohorts
    from paqa_dash.scope import EVERYTHING, Scope
    from paqa_dash.settings import DEFAULTS

    monkeypatch.setenv("PAQA_DB", str(demo_store))
    one_team = Scope(role="strategic_lead", teams=(data.store_info()["teams"][0],))
    data._cached_call.clear()
    seen = {}
    for scope in (one_team, EVERYTHING, one_team):
        monkeypatch.setattr(data.access, "current_scope", lambda scope=scope: scope)
        seen.setdefault(scope, []).append(data.cached(cohorts.headline, Filters(), DEFAULTS))
    assert seen[one_team][0]["plans_started"] < seen[EVERYTHING][0]["plans_started"]
    assert seen[one_team] == [_headline(demo_store, one_team)] * 2
    assert seen[EVERYTHING] == [_headline(demo_store, EVERYTHING)]


def test_a_cached_result_never_survives_an_import(demo_store, tmp_path, monkeypatch):
    """The store written again (as an import writes it, in place): the next call reads the new data, not the
    cached answer."""
    import shutil

    from paqa_dash.filters import Filters
    from paqa_dash.metrics import cohorts
    from paqa_dash.scope import EVERYTHING
    from paqa_dash.settings import DEFAULTS
    from paqa_dash import store

    db = tmp_path / "s.duckdb"
    monkeypatch.setenv("PAQA_DB", str(db))
    monkeypatch.setattr(data.access, "current_scope", lambda: EVERYTHING)
    data._cached_call.clear()
    shutil.copy(demo_store, db)
    before = data.cached(cohorts.headline, Filters(as_of=None), DEFAULTS)
    assert before == _headline(db, EVERYTHING)
    con = store.connect(db)
    con.execute("DELETE FROM plans WHERE team = (SELECT min(team) FROM plans)")
    con.close()
    after = data.cached(cohorts.headline, Filters(as_of=None), DEFAULTS)
    assert after == _headline(db, EVERYTHING)
    assert after["plans_started"] != before["plans_started"]
