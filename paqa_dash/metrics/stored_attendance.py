"""Core group attendance summed at import (table `core_group_attendance`), and when the agencies
measures may read it.

Why: at national scale the agencies page joined 40M attendance rows to 27M events on every view,
though the join depends on no filter.  The importer sums invited / attended / contributed per plan,
quarter and agency once; `engagement` reads the sums (joined to the filter's started plans) when:

- the table exists and meta says it reflects the latest import run;
- `events` and `attendance` hold as many rows as when it was written (a direct INSERT makes no run);
- the as-of date is on or after the latest core group (then as_of drops no meeting).

Otherwise the inline join runs, as before.
"""
from __future__ import annotations

import json

import duckdb
import pandas as pd

from .. import sql, store
from ..filters import Filters

META_KEY = "core_group_attendance_state"


def _facts(con: duckdb.DuckDBPyConnection) -> dict:
    row = sql.query(con, "metrics_stored_attendance_facts").iloc[0]
    latest = row["latest_meeting"]
    return {"run": None if pd.isna(row["latest_run"]) else int(row["latest_run"]),
            "events": int(row["events_rows"]), "attendance": int(row["attendance_rows"]),
            "latest_meeting": None if latest is None or pd.isna(latest) else str(pd.Timestamp(latest).date())}


def refresh(con: duckdb.DuckDBPyConnection, run_id: int | None = None) -> None:
    """Rewrite the summary from the events and attendance now in the store; record what it reflects.
    The caller owns the transaction."""
    sql.execute(con, "metrics_stored_attendance_clear")
    sql.execute(con, "metrics_stored_attendance_write")
    facts = _facts(con)
    if run_id is not None:
        facts["run"] = int(run_id)
    store.set_meta(con, META_KEY, json.dumps(facts, sort_keys=True))


def usable(con: duckdb.DuckDBPyConnection, filters: Filters) -> bool:
    """True when the stored sums equal what the inline join would give (see module doc)."""
    try:
        if int(sql.query(con, "metrics_stored_attendance_exists")["n"].iloc[0]) == 0:
            return False
        recorded = store.get_meta(con, META_KEY)
        if recorded is None:
            return False
        facts = _facts(con)
    except duckdb.Error:
        return False
    if facts["run"] is None or json.loads(recorded) != facts:
        return False
    latest = facts["latest_meeting"]
    return latest is None or filters.effective_as_of.isoformat() >= latest
