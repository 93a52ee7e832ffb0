"""The access log: who opened which page, filters and child, and what they exported or imported.

Why a file of its own, beside the store rather than in it: the analytic store is replaced whole by an
import ("start a new store", replacing the demo) and must never hold identities, while the log must
outlive every import and name the people who used the app.  So the log is a JSON-lines file
(`PAQA_ACCESS_LOG`, else `<store>.access.jsonl` beside the store; ignored by git), one record a line.

Append-only by construction: this module offers `append` and `read`, nothing that rewrites or deletes.
Each record is one `os.write` of one whole line to a file opened with O_APPEND, under a thread lock and an
advisory file lock, so concurrent sessions (threads of the app) and processes (the app and the command
line) never interleave partial lines.  A line that cannot be parsed (a disk that filled mid-write) is
skipped by `read` and counted, never "repaired".

Here in the base, below ui, so the app and the command line write the same records.
"""
from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Mapping

import pandas as pd

try:  # advisory locks between processes; POSIX only (the lock and O_APPEND still hold elsewhere)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from .settings import db_path

LOG_ENV = "PAQA_ACCESS_LOG"
SUFFIX = ".access.jsonl"

# What a record says happened.
VIEW = "view"          # a page (and, on the child timeline, a child) was opened
EXPORT = "export"      # a file was downloaded: a CSV, an audit pack, the log itself
IMPORT = "import"      # data were imported (the page or the command line)
CONFIRM = "confirm"    # a dangerous action was confirmed with its typed word
REFUSED = "refused"    # a page or action the user's role does not allow
RECORD = "record"      # the audit group's judgements of a child were saved (a new version)
ACTIONS = (VIEW, EXPORT, IMPORT, CONFIRM, REFUSED, RECORD)

_LOCK = threading.Lock()


def now() -> str:
    """The time a record is stamped with: UTC, ISO 8601, to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Record:
    """One line of the log.  `filters` is the page's URL query string (`team=North&period=24m`), so a
    reviewer can open exactly what the user saw; `child` is the pseudonym opened, if any."""

    identity: str
    role: str
    action: str
    page: str = ""
    filters: str = ""
    child: str | None = None
    detail: str = ""
    time: str = field(default_factory=now)

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown access-log action {self.action!r}; use one of {', '.join(ACTIONS)}")

    def line(self) -> bytes:
        """The record as one JSON line (newlines inside values are escaped by JSON, so it is one line)."""
        return (json.dumps(asdict(self), ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.time)


COLUMNS = tuple(f.name for f in fields(Record))


def log_path(db: Path | None = None, env: Mapping[str, str] | None = None) -> Path:
    """$PAQA_ACCESS_LOG, else `<store>.access.jsonl` beside the store (`db`, else the default store)."""
    env = os.environ if env is None else env
    if env.get(LOG_ENV):
        return Path(env[LOG_ENV])
    db = db or db_path()
    return db.with_name(db.name + SUFFIX)


def append(record: Record, path: Path | None = None) -> None:
    """Add one record at the end of the log: one write of one line, under a thread and a file lock."""
    path = path or log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = record.line()
    with _LOCK:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            written = os.write(fd, data)
            if written != len(data):  # a full disk: say so rather than leave a silent half-line
                raise OSError(f"access log {path}: wrote {written} of {len(data)} bytes")
        finally:
            os.close(fd)   # closing releases the flock


@dataclass(frozen=True)
class Query:
    """What the administrator's page filters the log by; None (or empty) means any.  `since` and `until`
    are dates, both inclusive, in UTC."""

    identity: str | None = None
    page: str | None = None
    child: str | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None

    def matches(self, record: Record) -> bool:
        day = record.when.astimezone(timezone.utc).date()
        return ((not self.identity or self.identity.strip().lower() in record.identity.lower())
                and (not self.page or record.page == self.page)
                and (not self.child or (record.child or "") == self.child.strip().lower())
                and (not self.action or record.action == self.action)
                and (self.since is None or day >= self.since)
                and (self.until is None or day <= self.until))


@dataclass(frozen=True)
class Reading:
    """The records that matched, oldest first, and how many lines could not be read (damaged)."""

    records: tuple[Record, ...]
    damaged: int = 0


def _parse(lines: Iterable[bytes]) -> Iterator[Record | None]:
    known = set(COLUMNS)
    for raw in lines:
        if not raw.strip():
            continue
        try:
            values = json.loads(raw)
            yield Record(**{k: v for k, v in values.items() if k in known})
        except (ValueError, TypeError):
            yield None


def read(query: Query = Query(), path: Path | None = None) -> Reading:
    """The records matching `query`, oldest first; a missing log is an empty one."""
    path = path or log_path()
    if not path.exists():
        return Reading(())
    with open(path, "rb") as f:
        parsed = list(_parse(f))
    return Reading(tuple(r for r in parsed if r is not None and query.matches(r)),
                   damaged=sum(r is None for r in parsed))


def as_frame(records: Iterable[Record], newest_first: bool = True) -> pd.DataFrame:
    """The records as a table with one column per field (`time` first), for the page and its CSV."""
    order = ("time",) + tuple(c for c in COLUMNS if c != "time")
    rows = [asdict(r) for r in records]
    frame = pd.DataFrame(rows, columns=list(order))
    return frame.iloc[::-1].reset_index(drop=True) if newest_first else frame
