"""Cached, read-only access to the store for the pages.

Why: every page reruns on each click; the metrics run once per (store version, filters,
thresholds) and are reused.  The store version is the file's identity, mtime and size (and its WAL's), so a
new import invalidates every cache without a restart.  A page run's reads share one read-only
connection, closed when the run ends (`page_run`); the store is then held open a few seconds more for the next
page (`keep_warm`), and let go for an import from another process as soon as it says it is waiting (it waits up to
a minute for the pages being drawn).

Why not one shared read-only connection per store version, held while the app runs?  Measured at
1,000,000 plans (26 Nov, 2 cores, load 9-13; `benchmark/pages.py` items, per call vs one connection
with a cursor per call, both with the settings below): overview 3.5 -> 2.3 s, repeat plans 5.1 -> 2.4 s,
endings 9.0 -> 7.4 s, household 11.8 -> 8.9 s (team=North: 1.8 -> 1.7, 2.4 -> 2.0, 3.8 -> 3.2,
5.6 -> 2.0 s); peak memory the same (about 0.6 GB).  A faster warm cache, but a held read-only
connection keeps DuckDB's file lock for as long as the app runs, so `python -m paqa_dash import` from
another process would fail until the app is stopped.  The gain is kept for the second visit anyway by
the result cache below; the slow first visits are fixed in SQL (derived tables), not here.  What is kept: the
DuckDB instance, for a few seconds after each page run, let go when a writer says it waits (`keep_warm`, `KEEPER`).

Memory: DuckDB's default memory_limit is 80% of RAM per database instance; `connection_config()` caps
it (PAQA_DUCKDB_MEMORY, default 2GB) and sets the threads (PAQA_DUCKDB_THREADS, default all cores),
at most PAQA_DUCKDB_CONCURRENT calls (default 1) run at once, and the result cache is bounded in
entries and bytes, so the app stays under the 4 GB target
(`python -m paqa_dash.benchmark.browser` measures it; docs/benchmark_browser.md has the figures).
"""
from __future__ import annotations

from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator, NoReturn

import inspect
import logging
import os
import sys
import threading

import duckdb
import streamlit as st

from .. import store
from ..filters import Filters
from ..metrics import sqlrun
from ..metrics.store_info import store_info as store_summary
from ..scope import OutOfScope, Scope
from ..settings import db_path
from . import access, keep_warm, readers

DEMO_CHILDREN = 2000
DEMO_SEED = 42
MEMORY_ENV, THREADS_ENV, DEFAULT_MEMORY = store.MEMORY_ENV, store.THREADS_ENV, store.DEFAULT_MEMORY


def store_path() -> Path:
    return db_path()


def store_version(path: Path | None = None) -> str:
    """Changes whenever the store file changes (or another file is put in its place): the cache key part that
    says "same data"."""
    path = path or store_path()
    parts = []
    for p in (path, Path(str(path) + ".wal")):
        try:
            st_ = p.stat()
            parts.append(f"{st_.st_ino}:{st_.st_mtime_ns}:{st_.st_size}")
        except OSError:
            parts.append("-")
    return "|".join(parts)


def connection_config() -> dict[str, str]:
    """DuckDB settings of every connection the app opens (`store.reader_config`: the benchmark uses
    the same, so its memory figures are the app's)."""
    return store.reader_config()


BUSY = "The store is being updated (an import, or its summary tables being written again); try again in a minute."


# Every read-only connection this process opens, counted, so a write here waits for them (ui/readers.py).
READERS = readers.Readers()
READ_WAIT_S = 10.0    # a page waits this long for a write in this process (a save, an import) to end, then is told busy
WRITE_WAIT_S = 30.0   # a save or import waits this long for the pages reading now to finish, then is refused


@contextmanager
def read_only(path: str | Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-only connection (closed on exit), with `connection_config()`.

    While an import writes, DuckDB refuses every other process the file, and a write in this process keeps
    readers out (`READERS`): the visitor gets one plain sentence and the page stops; the detail goes to the
    log, for the administrator.  Outside a page run (a download made on a worker thread) the refusal is
    raised as `readers.Busy`."""
    try:
        READERS.enter(READ_WAIT_S)
    except readers.Busy as exc:
        _busy(exc)
    try:
        try:
            con = duckdb.connect(str(path or store_path()), read_only=True, config=connection_config())
        except duckdb.IOException as exc:
            if not store.is_lock_error(exc):
                raise
            _busy(exc)
        try:
            yield con
        finally:
            con.close()
    finally:
        READERS.leave()


_DUCKDB_CONNECT = duckdb.connect   # the keeper's own, apart from the reads' connections (which tests count)


def _keep_open(db: str) -> duckdb.DuckDBPyConnection:
    """The connection `KEEPER` holds between page runs: read-only, with the reads' settings, so they share its
    DuckDB instance.  Not counted in READERS: a write in this process lets it go first (`writing`)."""
    return _DUCKDB_CONNECT(str(db), read_only=True, config=connection_config())


# The store held open a few seconds after each page run, so the next starts on a warm DuckDB instance.
KEEPER = keep_warm.Keeper(_keep_open, others_open=lambda: READERS.open > 0)


def _busy(why: Exception) -> NoReturn:
    """Say the store is busy and stop the page; where there is no page run to stop (st.stop() then only asks
    for a stop and returns), raise, so no caller goes on as if it had a connection."""
    logging.getLogger(__name__).warning("store busy: %s", why)
    st.info(BUSY, icon=":material/hourglass_top:")
    st.stop()
    raise readers.Busy(BUSY) from why


class _RunConnection:
    """A page run's read-only connection: opened at the run's first read the cache cannot answer, closed at
    the run's end (or before a write in this run).  Each read gets a cursor of it (its own temp tables,
    registrations and open results, as a connection of its own had) on the same warm DuckDB instance."""

    def __init__(self) -> None:
        self._stack: ExitStack | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._opened_at: tuple[str, str] | None = None

    def get(self, db: str, version: str) -> duckdb.DuckDBPyConnection:
        """The connection, opened again when the store's version is not the one it was opened at: another
        process may have put a new store file in place (an import's os.replace) while this run held the old
        one, and the new version's answers must be read from the new file."""
        if self._con is None or self._opened_at != (db, version):
            self.close()
            KEEPER.touch(db, version)   # first, so this connection shares the instance it holds
            stack = ExitStack()
            self._con = stack.enter_context(read_only(db))
            self._stack, self._opened_at = stack, (db, version)
        return self._con

    def close(self) -> None:
        if self._stack is not None:
            stack, self._stack, self._con, self._opened_at = self._stack, None, None, None
            stack.close()

    def end(self) -> None:
        """The run is over: its connection closed, the keeper's held from now (the idle time counts from here)."""
        read = self._opened_at
        self.close()
        if read is not None:
            KEEPER.touch(*read)


_RUN: ContextVar[_RunConnection | None] = ContextVar("paqa_run_connection", default=None)


@contextmanager
def page_run() -> Iterator[None]:
    """Within the block (a whole page run: app.py), the reads the cache cannot answer share one read-only
    connection, closed at the end.

    Why: a connection per read started each of a page's four to six reads on a cold DuckDB instance (its
    buffer pool empty); measured at 1,000,000 plans (quiet machine, 4 Dec, with the store's state read
    once, sqlrun.store_state): duplicates 1.29 -> 1.07 s, endings 1.07 -> 0.79 s, agencies 2.6 -> 2.2 s,
    household 1.38 -> 1.09 s.  The file is locked against an import from another process while any page is
    being drawn (with a connection per read, only while a read ran), and for up to PAQA_KEEP_WARM seconds after
    the run unless an import says it is waiting (`keep_warm`); a write in this process waits for the pages
    reading (`writing`)."""
    held = _RunConnection()
    token = _RUN.set(held)
    try:
        yield
    finally:
        _RUN.reset(token)
        held.end()


@contextmanager
def _connection(db: str, version: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of the page run's connection inside `page_run`, else a connection of its own for this read."""
    held = _RUN.get()
    if held is None:
        with read_only(db) as con:
            yield con
        return
    cursor = held.get(db, version).cursor()
    try:
        yield cursor
    finally:
        cursor.close()


@st.cache_resource(show_spinner=False)
def _bring_up_to_date(path: str) -> bool:
    """Once per server process and store: an older store gets today's schema (store.bring_up_to_date).  Its
    read-write connection is refused beside a held read-only one (after "Clear caches" it runs again), so the
    keeper lets go first; only when it runs, not on each page run's call."""
    with KEEPER.paused():
        return store.bring_up_to_date(path)


def ensure_store() -> bool:
    """Make sure a store exists; build the synthetic demo store (with a progress bar) when none does.

    Returns False (after explaining why on screen) when no store could be made.
    """
    path = store_path()
    if path.exists():
        _bring_up_to_date(str(path))
        return True
    try:
        from ..synth.generate import build_demo  # written by the synth helper
    except ImportError:
        st.error(f"No data store at `{path}` yet, and the demo generator is not available. "
                 "Import data with `python -m paqa_dash import PATH`.")
        return False
    bar = st.progress(0.0, text="Building the synthetic demo store (first run only)…")

    def progress(fraction: float, message: str | None = None) -> None:
        bar.progress(min(max(float(fraction), 0.0), 1.0), text=message or "Building the synthetic demo store…")

    build_demo(path, children=DEMO_CHILDREN, seed=DEMO_SEED, progress=progress)
    bar.empty()
    st.cache_data.clear()
    return True


# At most this many store calls at once in the app process (PAQA_DUCKDB_CONCURRENT, default 1). Why: queries
# running at once each take working memory (and connections opened while none is open each start a DuckDB
# instance with its own memory_limit), so N concurrent calls may take N times it;
# a rerun (a filter change, a page switch) does not stop a query already running, so without the gate a
# user who clicks on while a slow page loads stacks queries (measured at 1,000,000 plans: 8.1 GB).
# On 2 cores more concurrency would not finish sooner anyway; other calls wait their turn.
_GATE = threading.BoundedSemaphore(max(1, int(os.environ.get("PAQA_DUCKDB_CONCURRENT") or 1)))

# Bounded both ways: at most CACHE_ENTRIES results and CACHE_SIZE of them pickled (Streamlit drops the least
# recently used first), so visiting every page under many filter sets cannot grow the app without limit.
CACHE_ENTRIES = 64
CACHE_SIZE = os.environ.get("PAQA_CACHE_SIZE") or "512MB"


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES, max_size=CACHE_SIZE)
def _cached_call(func_path: str, version: str, db: str, args: tuple, kwargs: tuple) -> Any:
    module_name, _, name = func_path.rpartition(".")
    import importlib

    func = getattr(importlib.import_module(module_name), name)
    # the reader's place first, then the gate: a write waits for readers (READERS), never for the gate
    with _connection(db, version) as con, _GATE, sqlrun.store_state(con, (db, version)):
        return func(con, *args, **dict(kwargs))


WRITE_BUSY = "Other pages are still reading the store; nothing was written. Try again in a minute."


@contextmanager
def writing() -> Iterator[None]:
    """Within the block this process may write to the store (a save of the audit's judgements, an import from
    the Import page): DuckDB refuses a read-write connection while a read-only one is open in the same process.
    This run's own connection is closed first; the block waits for other pages' reads to end (new ones wait
    for it, and are told the store is busy when it lasts).  `readers.Busy` (with a plain message) when they
    do not end in time: nothing is written, and the caller says so."""
    held = _RUN.get()
    if held is not None:
        held.close()
    with ExitStack() as hold:
        hold.enter_context(KEEPER.paused())   # the store held between page runs let go, and not taken again
        try:
            hold.enter_context(READERS.writing(WRITE_WAIT_S))
        except readers.Busy as refused:
            logging.getLogger(__name__).warning("write refused: %s", refused)
            raise readers.Busy(WRITE_BUSY) from refused
        yield


@lru_cache(maxsize=None)
def _takes_scope(func: Callable[..., Any]) -> bool:
    return "scope" in inspect.signature(func).parameters


def bounded(func: Callable[..., Any], scope: Scope, args: tuple, kwargs: dict[str, Any]) -> tuple[tuple, dict]:
    """The call's arguments with the session's scope put in: into every Filters (the plan filter applies it
    in SQL) and as `scope=` for a reader that takes one (a child's records, the audit pack).  A module
    that declares `NEEDS` (the data-quality reads: administrators) is refused here.  Why at this one
    gateway: every page reads through `cached`, so no page can forget its user's scope."""
    needs = getattr(sys.modules.get(func.__module__), "NEEDS", None)
    if needs:
        scope.require(needs, "This information")
    args = tuple(a.with_(scope=scope) if isinstance(a, Filters) else a for a in args)
    kwargs = {k: v.with_(scope=scope) if isinstance(v, Filters) else v for k, v in kwargs.items()}
    if _takes_scope(func):
        kwargs["scope"] = scope
    return args, kwargs


def cached(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call `func(con, *args, **kwargs)` on a read-only connection, bounded by the session's scope
    (`bounded`; OutOfScope when the scope does not allow it) and cached by store version and arguments.

    Arguments must be hashable by Streamlit (Filters and Thresholds are frozen dataclasses).
    """
    args, kwargs = bounded(func, access.current_scope(), args, kwargs)
    db = str(store_path())
    return _cached_call(f"{func.__module__}.{func.__qualname__}", store_version(Path(db)), db,
                        tuple(args), tuple(sorted(kwargs.items())))


def cached_or_refused(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any | None:
    """`cached`, or None after saying on the page why the user's scope does not allow it: for a part of a
    page (a list naming children on an aggregate page) that some roles may not see."""
    try:
        return cached(func, *args, **kwargs)
    except OutOfScope as refused:
        st.info(str(refused), icon=":material/lock:")
        return None


def store_info() -> dict[str, Any]:
    """Teams, plan count, date span, the data date (latest date recorded, capped at today: the
    default as-of) and whether the store is synthetic (cached)."""
    return cached(store_summary)

