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


def action_texts(con: duckdb.DuckDBPyConnection, action_ids: Iterable[object]) -> dict[str, str]:
    """Each listed action's text, by action id (an id not in the store is absent)."""
    keys = _keys(action_ids)
    if not keys:
        return {}
    rows = sql.query(con, "by_key_action_texts", action_ids=keys)
    return dict(zip(rows["action_id"], rows["action_text"]))


def plan_starts(con: duckdb.DuckDBPyConnection, plan_ids: Iterable[object]) -> dict[str, object]:
    """Each listed plan's start date, by plan id (an id not in the store is absent)."""
    keys = _keys(plan_ids)
    if not keys:
        return {}
    rows = sql.query(con, "by_key_plan_starts", plan_ids=keys)
    return dict(zip(rows["plan_id"], rows["start_date"]))
