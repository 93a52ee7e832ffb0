"""What the data quality page reads: import runs, rejected rows and why, warnings, rows per table.

Why here: pages call metrics functions only and hold no SQL; these are plain reads of the store's
own bookkeeping tables (queries/metrics/data_quality.sql), with no Filters (the page is about the store, not
about a period or a team).  `table`, `reason`, `source` narrow the rejects and warnings (None: all).
"""
from __future__ import annotations

import duckdb
import pandas as pd

from .. import sql
from ..scope import ADMIN
from ..settings import PLAUSIBILITY

NEEDS = ADMIN   # the store's bookkeeping, rejected rows among it: administrators only (ui/data.cached checks)


def table_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """table_name, rows: rows per table of the store."""
    return sql.query(con, "data_quality_table_counts")


def stale_summaries(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """The summary tables an import would write differently now (written by an earlier version of paqa_dash,
    or missing): the pages work their rows out on every visit instead, slower, until `python -m paqa_dash derive`
    (or the next import) writes them.  Why on this page: after an upgrade nothing else tells the administrator."""
    from ..derive import registry
    from .sqlrun import snapshot

    return tuple(entry.name for entry in registry.stale(con, snapshot(con)))


def import_runs(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every import run, latest first: run_id, started_at, finished_at, kind, source, file_hash,
    rows_read, rows_loaded, rows_rejected, rows_duplicate, counts_json."""
    return sql.query(con, "data_quality_import_runs")


def reject_options(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """kind ('table' | 'source' | 'reason'), value, n: the choices the page offers to narrow the rejects."""
    return sql.query(con, "data_quality_reject_options")


def reject_reasons(con: duckdb.DuckDBPyConnection, table: str | None = None, reason: str | None = None,
                   source: str | None = None) -> pd.DataFrame:
    """table_name, reason, n: rejected rows by table and reason, most first."""
    return sql.query(con, "data_quality_reject_reasons", table=table, reason=reason, source=source)


def rejects(con: duckdb.DuckDBPyConnection, limit: int, table: str | None = None, reason: str | None = None,
            source: str | None = None) -> pd.DataFrame:
    """At most `limit` rejected rows, latest run first: run_id, table_name, source, row_number, field, reason."""
    return sql.query(con, "data_quality_rejects", limit=limit, table=table, reason=reason, source=source)


def warning_messages(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """table_name, message, n: warnings by message, most first."""
    return sql.query(con, "data_quality_warning_messages")


def warnings(con: duckdb.DuckDBPyConnection, limit: int, table: str | None = None,
             source: str | None = None) -> pd.DataFrame:
    """At most `limit` warnings, latest run first: run_id, table_name, source, row_number, field, message."""
    return sql.query(con, "data_quality_warnings", table=table, source=source, limit=limit)


def implausible_plans(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """plan_id, child_id, start_date, end_date, reason: every plan in the store whose dates cannot be
    right (docs/data_contract.md, "Implausible plans"), by the one definition the plan sequence reads, so
    this list is exactly the plans every measure leaves out."""
    text = sql.compose("data_quality_implausible_plans")
    return con.execute(text, sql.bind(text, context=PLAUSIBILITY.params(),
                                      block="data_quality_implausible_plans")).df()
