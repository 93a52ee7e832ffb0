"""7.5 timeliness of core groups and review conferences (Working Together to Safeguard Children).

First core group within N working days of the plan start (the ICPC), later ones at most W weeks
apart; first review within M calendar months, later ones at most L months apart.  Each later
deadline runs from the meeting before it.  A deadline on or before min(plan end, as-of) with no
meeting by then is late (a missed meeting is late); one after either is not yet due.

The working-day deadline is the only step SQL cannot do well, so a small table (every date in the
bank-holiday range -> that date + N working days, numpy busday) is registered on the connection
and joined by start date: the row work still happens in DuckDB.
"""
from __future__ import annotations

from typing import Sequence

import duckdb
import pandas as pd

from ..settings import Thresholds
from ..filters import Filters
from .sqlrun import run

STATUSES = ("on_time", "late", "not_due")


def core_group_timeliness(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                          thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """One row per core-group deadline of plans started in the filter: plan_id, kind
    ('first' | 'interval'), due, met_on, status ('on_time' | 'late' | 'not_due')."""
    return run(con, "timeliness_core_group_rows", filters, thresholds)


def review_timeliness(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                      thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """One row per review-conference deadline: plan_id, kind ('first' | 'later'), due, met_on, status."""
    return run(con, "timeliness_review_rows", filters, thresholds)


def _counts(frame: pd.DataFrame) -> dict[tuple[str, str], int]:
    return {(k, s): int(n) for k, s, n in frame[["kind", "status", "n"]].itertuples(index=False)}


def core_group_counts(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                      thresholds: Thresholds = Thresholds()) -> dict[str, int]:
    """The `metrics --json` key `core_groups`: first_on_time, first_late, intervals_on_time, intervals_late
    (plus first_not_due, intervals_not_due), aggregated in SQL."""
    return _core_group_dict(_counts(run(con, "timeliness_core_group_counts", filters, thresholds)))


def _core_group_dict(c: dict[tuple[str, str], int]) -> dict[str, int]:
    return {f"{label}_{status}": c.get((kind, status), 0)
            for kind, label in (("first", "first"), ("interval", "intervals")) for status in STATUSES}


def _review_dict(c: dict[tuple[str, str], int]) -> dict[str, int]:
    return {f"{kind}_{status}": c.get((kind, status), 0) for kind in ("first", "later") for status in STATUSES}


def _by_authority(frame: pd.DataFrame, codes: Sequence[str | None]) -> dict[str | None, dict[tuple[str, str], int]]:
    """A per-authority counts frame split by authority (None: every row, the whole filter as one group)."""
    split: dict[object, dict[tuple[str, str], int]] = {}
    whole: dict[tuple[str, str], int] = {}
    for authority, kind, status, n in frame[["authority", "kind", "status", "n"]].itertuples(index=False):
        mine = split.setdefault(authority, {})
        mine[(kind, status)] = mine.get((kind, status), 0) + int(n)
        whole[(kind, status)] = whole.get((kind, status), 0) + int(n)
    return {code: whole if code is None else split.get(code, {}) for code in codes}


def core_group_counts_by_authority(con: duckdb.DuckDBPyConnection, codes: Sequence[str | None],
                                   filters: Filters = Filters(),
                                   thresholds: Thresholds = Thresholds()) -> dict[str | None, dict[str, int]]:
    """`core_group_counts` for each authority of `codes` (None: the whole filter), from one query: what it gives with
    the filter narrowed to that authority (the Regional view; docs/benchmark_history.md)."""
    frame = run(con, "timeliness_core_group_counts_by_authority", filters, thresholds)
    return {code: _core_group_dict(c) for code, c in _by_authority(frame, codes).items()}


def review_counts_by_authority(con: duckdb.DuckDBPyConnection, codes: Sequence[str | None],
                               filters: Filters = Filters(),
                               thresholds: Thresholds = Thresholds()) -> dict[str | None, dict[str, int]]:
    """`review_counts` for each authority of `codes`, as `core_group_counts_by_authority`."""
    frame = run(con, "timeliness_review_counts_by_authority", filters, thresholds)
    return {code: _review_dict(c) for code, c in _by_authority(frame, codes).items()}


def review_counts(con: duckdb.DuckDBPyConnection, filters: Filters = Filters(),
                  thresholds: Thresholds = Thresholds()) -> dict[str, int]:
    """The `metrics --json` key `reviews`: first_on_time, first_late, later_on_time, later_late (plus *_not_due)."""
    return _review_dict(_counts(run(con, "timeliness_review_counts", filters, thresholds)))
