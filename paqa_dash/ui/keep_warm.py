"""The store's DuckDB instance kept open for a few seconds after a page run, for the next page.

Why: a page run opens the store read-only and closes it when the page is drawn (`data.page_run`), so every page
started on a new DuckDB instance: the file's catalogue read again and the instance's cache of the store's blocks
empty.  DuckDB shares one instance per file among a process's connections with the same settings, so one
connection held here keeps it, and its cache, for the next run.  Measured at a million plans (5 December, 2 cores,
each page's data calls as the app makes them, warm medians): plan quality with one team 1.37-1.50 s -> 0.89-0.97 s,
duplicates with one year 0.98 -> 0.48 s, agencies with one year 0.66 -> 0.45 s (docs/benchmark_history.md, *Eighth
round*).

Why only a few seconds, and never in an import's way: while any read-only connection is open, DuckDB lets no other
process write the file.  So the connection is held at most `PAQA_KEEP_WARM` seconds (default 20; 0 turns it off)
after the last page run that read the store, and let go within half a second when a writer in another process
says it is waiting (`store.writer_waiting`: the import, derive and reviews commands leave a file beside the store
while they wait, for up to PAQA_LOCK_WAIT seconds) or at once when this process writes (`paused`, used by
`data.writing`).  The writer still waits for the pages being drawn at that moment, as before.  A writer that does
not say it waits (DuckDB's own command line, a script) waits up to `PAQA_KEEP_WARM` seconds after the last page.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator

import duckdb

from .. import store

KEEP_ENV = "PAQA_KEEP_WARM"
DEFAULT_KEEP_S = 20.0
POLL_S = 0.5          # how often the held connection is checked against the clock and a waiting writer


def keep_seconds() -> float:
    """PAQA_KEEP_WARM, in seconds (default 20; 0 or less: never held); a value that is not a number: the default."""
    try:
        return float(os.environ.get(KEEP_ENV) or DEFAULT_KEEP_S)
    except ValueError:
        return DEFAULT_KEEP_S


class Keeper:
    """One read-only connection to the store a page run read last, held for `keep_seconds()` after that run.

    `connect(db)` opens it, with the settings of the runs' own connections (else DuckDB would not share the
    instance: it refuses a second configuration of an open file).  `others_open()`: whether any other connection
    to the store is open in this process; while one is, nothing is opened here (see `touch`).  Thread-safe: page
    runs of several sessions touch it, and a watcher thread lets it go."""

    def __init__(self, connect: Callable[[str], duckdb.DuckDBPyConnection],
                 keep_s: Callable[[], float] = keep_seconds, poll_s: float = POLL_S,
                 others_open: Callable[[], bool] = lambda: False) -> None:
        self._connect = connect
        self._others_open = others_open
        self._keep_s = keep_s
        self._poll_s = poll_s
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._held: tuple[str, str] | None = None     # (store path, store version) of the held connection
        self._last = 0.0
        self._paused = 0
        self._watching = False

    @property
    def held(self) -> tuple[str, str] | None:
        """The (store, version) held now, or None."""
        return self._held

    def touch(self, db: str, version: str) -> None:
        """A page run reads `db` at `version`: hold a connection to it from now for `keep_seconds()`.  Called before
        the run opens its own, so the run's shares the held instance, and after it closed it.

        Another store or version held is let go first: an import may have put a new file in place, and DuckDB
        hands a new connection the instance of the file open under that name, the old one, while any connection
        to it is open.  For the same reason nothing is opened while another connection is open here (another
        session's page run may still read the old file): a connection opened then could be the old file's,
        held under the new version for every later run.  The next touch with none open takes it."""
        with self._lock:
            self._last = time.monotonic()
            if self._held == (db, version):
                return
            self._let_go()
            if self._paused or self._keep_s() <= 0 or store.writer_waiting(db) or self._others_open():
                return
            try:
                self._con = self._connect(db)
            except duckdb.Error as exc:   # busy or unreadable: the run's own connection says so to the visitor
                logging.getLogger(__name__).info("store not held open: %s", exc)
                return
            self._held = (db, version)
            if not self._watching:
                try:
                    threading.Thread(target=self._watch, name="paqa-keep-warm", daemon=True).start()
                except RuntimeError:   # no thread to let it go later: hold nothing
                    self._let_go()
                    return
                self._watching = True

    def release(self) -> None:
        """Let go of the held connection now."""
        with self._lock:
            self._let_go()

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Nothing held within the block (a write in this process: DuckDB refuses it beside a read-only
        connection), and nothing opened by `touch` until it ends."""
        with self._lock:
            self._paused += 1
            self._let_go()
        try:
            yield
        finally:
            with self._lock:
                self._paused -= 1

    def _let_go(self) -> None:
        con, self._con, self._held = self._con, None, None
        if con is not None:
            try:
                con.close()
            except duckdb.Error as exc:   # let go all the same: the reference is dropped
                logging.getLogger(__name__).info("closing the held store: %s", exc)

    def _watch(self) -> None:
        """Lets the connection go once it has been idle `keep_seconds()`, or at once when a writer waits; ends
        when nothing is held (the next `touch` starts another).  Whatever stops it, it lets go as it ends: a
        connection nobody watches would keep the store from every import until the app stops."""
        try:
            while True:
                time.sleep(self._poll_s)
                with self._lock:
                    if self._held is not None and (time.monotonic() - self._last >= self._keep_s()
                                                   or store.writer_waiting(self._held[0])):
                        self._let_go()
                    if self._held is None:
                        self._watching = False   # under the same lock: a touch from now starts a new watcher
                        return
        except BaseException:
            with self._lock:
                self._let_go()
                self._watching = False
            raise
