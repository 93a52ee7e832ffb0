"""Rows read by their keys: the words of the actions a page lists, the start dates of the plans it names.

Why a module: a page lists a thousand actions out of millions (the non-SMART ones, the duplicated pairs).  Joined
to the listed rows in one query, `actions` was scanned whole, texts and all: 0.2 to 0.3 CPU s at a million plans
for every such list.  Read by a list of keys, DuckDB goes through the primary key's index instead
(queries/metrics/by_key.sql; docs/benchmark.md, *Eighth round*).  Callers check the scope: the texts are
child-level.
"""
from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd

from .. import sql


def _keys(values: Iterable[object]) -> list[str]:
    """The distinct non-blank keys, as text, in their first order (a shorter list reads fewer index entries)."""
    return list(dict.fromkeys(str(v) for v in values if v is not None and not pd.isna(v)))


def _read(con: duckdb.DuckDBPyConnection, block: str, param: str, ids: Iterable[object]) -> dict[str, object]:
    """{key: value} of named block `block`, which selects a key column then a value column for the keys `param`."""
    keys = _keys(ids)
    if not keys:
        return {}
    rows = sql.query(con, block, **{param: keys})
    return dict(zip(rows.iloc[:, 0], rows.iloc[:, 1]))


def action_texts(con: duckdb.DuckDBPyConnection, action_ids: Iterable[object]) -> dict[str, object]:
    """Each listed action's text, by action id (an id not in the store is absent)."""
    return _read(con, "by_key_action_texts", "action_ids", action_ids)


def plan_starts(con: duckdb.DuckDBPyConnection, plan_ids: Iterable[object]) -> dict[str, object]:
    """Each listed plan's start date, by plan id (an id not in the store is absent)."""
    return _read(con, "by_key_plan_starts", "plan_ids", plan_ids)
