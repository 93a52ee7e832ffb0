"""Who in this server process has the store open, so that a write waits for the readers and readers wait
for a write.

Why: DuckDB keeps one database instance per file per process, and refuses a read-write connection while
a read-only one is open in the same process (and a read-only one while a read-write one is).  Page runs
hold one read-only connection each for the run (`data.page_run`), so the audit group's save of its
judgements, or an import started from the Import page, must wait until they have closed, and no page
may open the store while such a write is under way.  Plain threading; no Streamlit here.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import threading


class Busy(Exception):
    """The store could not be had in time: a write is under way, or readers did not finish."""


class Readers:
    """A count of open read-only connections and whether a write is under way, with a wait for either."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._open = 0
        self._writing = False

    @property
    def open(self) -> int:
        with self._cond:
            return self._open

    def enter(self, wait: float) -> None:
        """One more reader; waits up to `wait` seconds for a write to finish, else Busy."""
        with self._cond:
            if not self._cond.wait_for(lambda: not self._writing, timeout=wait):
                raise Busy("a write to the store is under way")
            self._open += 1

    def leave(self) -> None:
        with self._cond:
            self._open -= 1
            self._cond.notify_all()

    @contextmanager
    def writing(self, wait: float) -> Iterator[None]:
        """Within the block no reader is open and none may open; waits up to `wait` seconds for another write
        to finish, then up to `wait` seconds for the readers open now to close (at most twice `wait` in all),
        else Busy and nothing is held."""
        with self._cond:
            if not self._cond.wait_for(lambda: not self._writing, timeout=wait):
                raise Busy("another write to the store is under way")
            self._writing = True
            if not self._cond.wait_for(lambda: self._open == 0, timeout=wait):
                self._writing = False
                self._cond.notify_all()
                raise Busy("pages are still reading the store")
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()
