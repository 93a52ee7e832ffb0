"""Rows read by their keys: the words of the actions a page lists, the start dates of the plans it names.

Why a module: a page lists a thousand actions out of millions (the non-SMART ones, the duplicated pairs).  Joined
to the listed rows in one query, `actions` was scanned whole, texts and all: at a million plans, plan quality's
list took 0.38 s that way and 0.03 s by key; the duplicated pairs' texts and dates 0.22 s and 0.09 s
(docs/benchmark_history.md, *Eighth round*).  Read by a list of keys, DuckDB goes through the primary key's index
(queries/metrics/by_key.sql).  Callers check the scope: the texts are child-level.
"""
from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd

from .. import sql


def _keys(values: Iterable[object]) -> list[str]:
    """The distinct non-blank keys, as text, in their first order (a shorter list reads fewer index entries)."""
    return list(dict.fromkeys(str(v) for v in values if v is not None and not pd.isna(v)))


# DuckDB reads a list of keys through the index only up to max(index_scan_max_count, index_scan_percentage of the
# rows) keys: 2,048 by default; past that it scans the table.  A longer list is read in parts of this size.
INDEX_KEYS = 2048


def _read(con: duckdb.DuckDBPyConnection, block: str, param: str, ids: Iterable[object]) -> dict[str, object]:
    """{key: value} of named block `block`, which selects a key column then a value column for the keys `param`."""
    keys = _keys(ids)
    found: dict[str, object] = {}
    for start in range(0, len(keys), INDEX_KEYS):
        rows = sql.query(con, block, **{param: keys[start:start + INDEX_KEYS]})
        found.update(zip(rows.iloc[:, 0], rows.iloc[:, 1]))
    return found


def action_texts(con: duckdb.DuckDBPyConnection, action_ids: Iterable[object]) -> dict[str, object]:
    """Each listed action's text, by action id (an id not in the store is absent)."""
    return _read(con, "by_key_action_texts", "action_ids", action_ids)


def plan_starts(con: duckdb.DuckDBPyConnection, plan_ids: Iterable[object]) -> dict[str, object]:
    """Each listed plan's start date, by plan id (an id not in the store is absent)."""
    return _read(con, "by_key_plan_starts", "plan_ids", plan_ids)


def child_authorities(con: duckdb.DuckDBPyConnection, child_ids: Iterable[object]) -> dict[str, object]:
    """Each listed child's authority (DfE LA number; None when its source named none), by pseudonym."""
    return _read(con, "by_key_child_authorities", "child_ids", child_ids)
