"""The plan sequence stored at import (table `plan_sequence`), and when a query may read it.

Why: numbering every plan per child (SPEC 7.1) is a window over all plans; at a national million
plans it costs seconds per query, yet it depends on none of the user's filters.  So the importer
writes it once, for as_of = far future and the default re-plan window, and `sqlrun` reads it when
that gives the same rows as the inline computation:

- the table exists and meta says it reflects the latest import run;
- it holds as many rows as `plans` (a direct INSERT, as tests do, makes no import run but changes this);
- the re-plan window asked for is the stored one;
- the as-of date is on or after every plan date in the store (then as_of hides no start and opens no end).

Otherwise the sequence is computed inline, as before.
"""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from .. import sql, store
from ..settings import DEFAULTS
from ..filters import Filters

FAR_FUTURE = date(9999, 12, 31)
RUN_KEY = "plan_sequence_run"
REPLAN_KEY = "plan_sequence_replan_months"


def refresh(con: duckdb.DuckDBPyConnection, run_id: int | None = None) -> int:
    """Rewrite `plan_sequence` from the plans now in the store and record which import run (default:
    the latest recorded one) and re-plan window it reflects.  Returns the rows written.  The caller
    owns the transaction (the importer calls this inside its own)."""
    if run_id is None:
        latest = con.execute("SELECT max(run_id) FROM import_runs").fetchone()[0]
        run_id = int(latest) if latest is not None else 0
    months = int(DEFAULTS.replan_window_months)
    text = ("INSERT INTO plan_sequence BY NAME SELECT * FROM (WITH "
            + sql.text("metrics_cte_seq_base") + "\n" + sql.text("metrics_seq_all") + ")")
    params = {"as_of": FAR_FUTURE, "child_ids": [], "replan_months": months}
    sql.execute(con, "metrics_stored_sequence_clear")
    # `text` is SQL from queries/*.sql only; values travel as parameters.
    con.execute(text, params)
    store.set_meta(con, RUN_KEY, str(run_id))
    store.set_meta(con, REPLAN_KEY, str(months))
    return int(con.execute("SELECT count(*) FROM plan_sequence").fetchone()[0])


def usable(con: duckdb.DuckDBPyConnection, filters: Filters, replan_months: int) -> bool:
    """True when reading `plan_sequence` gives exactly the rows the inline `seq` would (see module doc)."""
    try:
        if int(sql.query(con, "metrics_stored_sequence_exists")["n"].iloc[0]) == 0:
            return False
        state = sql.query(con, "metrics_stored_sequence_state").iloc[0]
    except duckdb.Error:
        return False
    if pd.isna(state["latest_run"]) or state["stored_run"] is None or pd.isna(state["stored_run"]):
        return False
    if str(state["stored_run"]) != str(int(state["latest_run"])):
        return False
    if str(state["stored_replan_months"]) != str(int(replan_months)):
        return False
    if int(state["stored_rows"]) != int(state["plan_rows"]):
        return False
    latest = state["latest_plan_date"]
    if latest is None or pd.isna(latest):
        return True
    return filters.effective_as_of >= pd.Timestamp(latest).date()
