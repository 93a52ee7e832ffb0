"""Opening the DuckDB store, applying its schema, transactions, meta, and the data date.

The app opens the store read-only, and lets go of it when a writer says it is waiting (`waiting_file`), so a
running dashboard holds an import up only while a page is being drawn; writers (import, demo) open it read-write
and do all their work in one transaction.
"""
from __future__ import annotations

import os
import re
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

import duckdb
import pandas as pd

from . import sql
from .filters import Filters

SCHEMA_VERSION = "1"


MEMORY_ENV = "PAQA_DUCKDB_MEMORY"    # DuckDB memory_limit of read-only (app, benchmark) connections, e.g. "2GB"
THREADS_ENV = "PAQA_DUCKDB_THREADS"  # DuckDB threads of those connections (default: all cores)
DEFAULT_MEMORY = "2GB"


def reader_config() -> dict[str, str]:
    """DuckDB settings of every read-only connection: a memory limit and a thread count.

    Why: DuckDB's default memory_limit is 80% of the machine's RAM per database instance, and each
    cached page call is its own instance, so a few concurrent calls at 1,000,000 plans could take the
    machine; a 2 GB limit keeps the app (Python, cached frames, DuckDB) under the 4 GB target, and
    DuckDB spills to a temporary directory (or fails with a clear error) beyond it.  Every connection
    gets the same settings: DuckDB refuses a second connection to one file in one process with other ones.
    """
    threads = os.environ.get(THREADS_ENV) or str(os.cpu_count() or 1)
    return {"memory_limit": os.environ.get(MEMORY_ENV) or DEFAULT_MEMORY, "threads": threads}


DERIVE_MEMORY_ENV = "PAQA_DERIVE_MEMORY"   # DuckDB memory_limit of the derive command's connection
DEFAULT_DERIVE_MEMORY = "3GB"


def derive_config() -> dict[str, str]:
    """The derive command's DuckDB settings: a memory limit, so DuckDB spills to a temporary folder beside the
    store (`<store>.tmp`) instead of holding every old and new row of one transaction in memory.

    Why: with DuckDB's default (80% of RAM) the command peaked at 8.4 GB on a million plans; at 3 GB it peaked
    at 3.4 GB resident with the same CPU time (docs/benchmark_history.md).  Not the import's: its peak is under 4 GB
    already, and building a primary key index is not held to the limit (docs/benchmark_history.md, the build)."""
    return {"memory_limit": os.environ.get(DERIVE_MEMORY_ENV) or DEFAULT_DERIVE_MEMORY}


WAIT_ENV = "PAQA_LOCK_WAIT"  # seconds a connection waits for another process's write to finish (default 60)
DEFAULT_WAIT = 60.0
_LOCK = re.compile(r"Could not set lock on file")


class StoreBusy(Exception):
    """Another process (an import, or the app's Import page) holds the store: one writer at a time."""


def is_lock_error(exc: BaseException) -> bool:
    """True for DuckDB's "another process holds the file" error (the one error worth waiting on)."""
    return isinstance(exc, duckdb.IOException) and bool(_LOCK.search(str(exc)))


def busy_message(path: Path) -> str:
    return (f"the store {path.name} is in use by another process (an import, or the app importing); "
            "try again when it has finished")


def lock_wait() -> float:
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV) or DEFAULT_WAIT))
    except ValueError:
        return DEFAULT_WAIT


@contextmanager
def private_files() -> Iterator[None]:
    """Files created inside are readable by the owner only (the store, its WAL, the key, a pack).

    Why the umask and not a chmod afterwards: DuckDB creates the store and its write-ahead log itself,
    and the log holds rows before they reach the store; a chmod after the fact leaves a window."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


WAITING_FRESH_S = 5.0   # a writer's waiting file older than this is left over from a process that stopped


def waiting_file(path: Path | str) -> Path:
    """The file a writer keeps beside the store while it waits for DuckDB's lock (`connect`).

    Why: a running app keeps its read-only connection open a few seconds after each page (ui/keep_warm.py), and
    DuckDB lets no other process write the file while one is open; the app lets go as soon as it sees this."""
    path = Path(os.path.realpath(path))   # one name whichever link to the store the app or the writer was given
    return path.with_name(path.name + ".waiting")


def writer_waiting(path: Path | str) -> bool:
    """True while a writer in another process waits for the store (its waiting file touched in the last seconds)."""
    try:
        return time.time() - waiting_file(path).stat().st_mtime < WAITING_FRESH_S
    except OSError:
        return False


def _signal_waiting(path: Path) -> bool:
    """Touch the store's waiting file; False where it cannot be written (the wait goes on without the signal).
    One left by another account (a writer stopped by a kill) is put aside for this writer's own."""
    signal = waiting_file(path)
    for attempt in range(2):
        try:
            with private_files():
                signal.touch()
            return True
        except PermissionError:
            if attempt == 0:
                _clear_signal(signal)
        except OSError:
            return False
    return False


def _clear_signal(signal: Path) -> None:
    try:
        signal.unlink(missing_ok=True)
    except OSError:   # another account's, in a folder that keeps it: it goes stale, and is then ignored
        pass


def connect(path: Path | str, read_only: bool = False, wait: float | None = None,
            waiting: Callable[[str], None] | None = None,
            config: dict[str, str] | None = None) -> duckdb.DuckDBPyConnection:
    """Open (and for writers create) the store at `path`, with the schema applied; `config`: a writer's DuckDB
    settings (derive_config), where DuckDB's defaults will not do.

    DuckDB lets one process write a file at a time.  When another holds it, this waits up to `wait`
    seconds (PAQA_LOCK_WAIT, default 60), says so once through `waiting`, then raises StoreBusy."""
    path = Path(path)
    deadline = time.monotonic() + (lock_wait() if wait is None else wait)
    said = False
    signalled = False
    try:
        while True:
            try:
                return _open(path, read_only, config)
            except duckdb.IOException as exc:
                if not is_lock_error(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise StoreBusy(busy_message(path)) from None
                if waiting is not None and not said:
                    waiting(f"The store {path.name} is in use by another process; waiting for it to finish...")
                    said = True
                if not read_only:   # a writer asks a running app to let go of the file (writer_waiting)
                    signalled = _signal_waiting(path) or signalled
                time.sleep(0.5)
    finally:
        if signalled:
            _clear_signal(waiting_file(path))


def _open(path: Path, read_only: bool, config: dict[str, str] | None = None) -> duckdb.DuckDBPyConnection:
    if read_only:
        return duckdb.connect(str(path), read_only=True, config=reader_config())
    path.parent.mkdir(parents=True, exist_ok=True)
    with private_files():
        con = duckdb.connect(str(path), config=config or {})
    apply_schema(con)
    return con


def bring_up_to_date(path: Path | str) -> bool:
    """Give a store made by an earlier version today's schema (new columns, wider checks) before readers open it.

    Why: the app only ever opens the store read-only, and a read-only connection cannot add the columns a
    newer query reads (children.authority, events.due_date), so an upgraded app would fail on an old store
    until the next import.  The schema is idempotent, so applying it to a current store changes nothing.
    A store held by an import is left alone (the import applies the schema itself); returns whether it ran."""
    try:
        con = duckdb.connect(str(path))
    except duckdb.Error:
        return False   # held by a writer, or a file this process may not write: readers see it as it is
    try:
        apply_schema(con)
    finally:
        con.close()
    return True


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(sql.text("schema"))
    _allow_new_event_types(con)
    _row_returns_unkeyed(con)
    con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])


def _allow_new_event_types(con: duckdb.DuckDBPyConnection) -> None:
    """A store made before the Annex A event types gets the events table again with today's CHECK, rows kept.

    Why a rebuild: DuckDB cannot change a CHECK constraint in place, and an older store would otherwise
    refuse every Annex A contact, early help or care event with a constraint error."""
    checks = " ".join(r[0] for r in con.execute(sql.text("store_event_types_checked")).fetchall())
    if not checks or "'CONTACT'" in checks:
        return
    con.execute(sql.text("store_events_set_aside"))
    con.execute(sql.text("schema"))
    con.execute(sql.text("store_events_restore"))


def _row_returns_unkeyed(con: duckdb.DuckDBPyConnection) -> None:
    """A store made while row_returns had a primary key gets the table again without it, rows kept, in one
    transaction (a failure leaves the keyed table as it was).

    Why: the key's index was the dearest part of a large first import's end and commit, and no query reads through
    it (queries/store/schema.sql); DuckDB cannot drop a primary key in place.  Once per store: 4 CPU s at a
    million plans' 10.5 million return dates."""
    if "row_returns" not in set(sql.query(con, "store_primary_keys")["table_name"]):
        return
    with transaction(con):
        con.execute(sql.text("store_row_returns_set_aside"))
        con.execute(sql.text("schema"))
        con.execute(sql.text("store_row_returns_restore"))


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: any exception rolls the store back to where it was."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def get_meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])


def is_synthetic(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the store was built by the synthetic generator (shown as a banner everywhere)."""
    try:
        return get_meta(con, "synthetic") == "true"
    except duckdb.Error:
        return False


def data_date(con: duckdb.DuckDBPyConnection) -> date | None:
    """The default "as of" date: the last day the store has data for (its latest event, plan or
    household-change date), capped at today; None when empty.

    Why not today: an authority's extract is taken on a day; read months later with `as_of = today`,
    every open plan would show months of missed core groups and reviews that are only missing from
    the extract.  It lives with the store because what is worked out at import is written for it too."""
    latest = latest_date(con)
    return None if latest is None else min(latest, date.today())


def latest_date(con: duckdb.DuckDBPyConnection) -> date | None:
    """The latest date the store records anything on, uncapped (what is worked out at import is judged on it)."""
    return as_date(sql.query(con, "store_data_date")["data_date"].iloc[0])


def as_date(value: Any) -> date | None:
    """A date from what DuckDB hands back (a Timestamp, a date, NaT or None)."""
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def authority_data_dates(con: duckdb.DuckDBPyConnection) -> dict[str, date]:
    """{authority: its own data date} (its latest record, capped at today as the store's is).

    Why: a regional store pools returns that may end a year apart; read as of a later authority's date, an
    earlier one's open plans would look overdue for reviews that are only missing from its return."""
    frame = sql.query(con, "store_authority_data_dates")
    today = date.today()
    return {str(a): min(as_date(d), today) for a, d in zip(frame["authority"], frame["data_date"])
            if as_date(d) is not None}


def default_as_of(chosen: Sequence[str], dates: Mapping[str, date], store_date: date | None) -> date | None:
    """The as-of date a view opens at when the user chose none: the latest own data date of the authorities
    chosen (`authority_data_dates`), else the store's: another authority's newer return does not move it."""
    own = [dates[c] for c in chosen if c in dates]
    return max(own) if own else store_date


def read_as_of(chosen: date | None, data_date: date | None) -> date | None:
    """The date a view (or a child) is read as of: the as-of date chosen, but never after the data date (the latest
    date the data records: the store's, the authorities chosen', or a child's authority's); the data date when none
    is chosen.

    Why: after the data date nothing is recorded, not quiet; read as of a later date, a plan open on the last day
    would be drawn open, its reviews overdue and its ending never come, for months the data says nothing about.
    One rule for a store of one authority and of several (where it was once applied only to a child);
    the notes saying so are metrics/data_dates.py's."""
    if chosen is None:
        return data_date
    return min(chosen, data_date) if data_date is not None else chosen


def view_data_date(con: duckdb.DuckDBPyConnection, filters: Filters) -> date | None:
    """The data date of the view `filters` asks for (`default_as_of`: the authorities chosen', else the store's)."""
    dates = authority_data_dates(con) if filters.authorities else {}
    return default_as_of(filters.authorities, dates, data_date(con))


def with_data_date(con: duckdb.DuckDBPyConnection, filters: Filters) -> Filters:
    """`filters` with `as_of` set to the data date (`view_data_date`) when the user gave none, and brought back to
    it when the user gave a later one (`read_as_of`: nothing after it is recorded)."""
    return filters.with_(as_of=read_as_of(filters.as_of, view_data_date(con, filters)))
