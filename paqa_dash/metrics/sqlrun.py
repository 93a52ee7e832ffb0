"""Run a `metrics_*` main block behind the shared CTE blocks of `queries/metrics.sql`.

Why: the plan sequence and the filter selection (`seq`, `started`, `ended`) must be one
definition that every measure reads, and DuckDB plans a CTE chain as one query (no temp tables,
so a read-only app connection works).  Only SQL text from `queries/` is joined here; values
always travel as named parameters, as with `paqa_dash.sql.query`.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Iterator

import duckdb
import pandas as pd

from .. import sql
from ..settings import Thresholds
from . import derived, stored_sequence
from ..filters import Filters

SEQ = "metrics_cte_seq"            # alias: expands to the current base below (seq, started, ended)
SEQ_BASE = "metrics_cte_seq_base"
SCOPE = "metrics_cte_scope"
CACHED_SEQ = "metrics_cte_seq_cached"
STORED_SEQ = "metrics_cte_seq_stored"   # the `plan_sequence` table written at import (stored_sequence.py)
# Where `seq` comes from: computed inline, or (inside cached_sequence) a temp table.  A ContextVar,
# so Streamlit's script threads never see each other's cache.
_BASE: ContextVar[tuple[str, ...]] = ContextVar("metrics_seq_base", default=(SEQ_BASE, SCOPE))


def compose(ctes: list[str], main: str) -> str:
    """`WITH <cte blocks>, <main>`; the main block may open with its own CTEs before SELECT."""
    body = sql.text(main)
    names = [n for name in ctes for n in (_BASE.get() if name == SEQ else (name,))]
    cte_text = ",\n".join(sql.text(name) for name in names)
    if not cte_text:
        return body
    joiner = "\n" if re.match(r"\s*SELECT\b", body, re.IGNORECASE) else ",\n"
    return f"WITH {cte_text}{joiner}{body}"


def threshold_params(thresholds: Thresholds) -> dict[str, Any]:
    return {
        "replan_months": int(thresholds.replan_window_months),
        "short_months": int(thresholds.short_plan_months),
        "cg_weeks": int(thresholds.core_group_interval_weeks),
        "first_review_months": int(thresholds.first_review_months),
        "later_review_months": int(thresholds.later_review_months),
        "similarity_threshold": float(thresholds.similarity_threshold),
    }


def text_and_params(con: duckdb.DuckDBPyConnection, main: str, filters: Filters, thresholds: Thresholds,
                    ctes: tuple[str, ...] = (), **extra: Any) -> tuple[str, dict[str, Any]]:
    """The query `run` runs for these arguments and the parameters it mentions, without running it:
    for a caller that keeps the rows in a temp table (CREATE TEMP TABLE x AS <text>) which several
    queries then read.  Registers the small pandas tables the text joins, as `run` does."""
    token = None
    if _BASE.get() == (SEQ_BASE, SCOPE) and stored_sequence.usable(con, filters, thresholds.replan_window_months):
        token = _BASE.set((STORED_SEQ, SCOPE))
    try:
        text = compose([SEQ, *derived.resolve(con, tuple(c for c in ctes if c != SEQ), filters, thresholds)], main)
    finally:
        if token is not None:
            _BASE.reset(token)
    params = {**filters.params(), **threshold_params(thresholds), **extra}
    used = {k: v for k, v in params.items() if re.search(rf"\${re.escape(k)}\b", text)}
    derived.register_tables(con, text, thresholds)
    return text, used


def run(con: duckdb.DuckDBPyConnection, main: str, filters: Filters, thresholds: Thresholds,
        ctes: tuple[str, ...] = (), **extra: Any) -> pd.DataFrame:
    """Run `main` after the plan-sequence and filter CTEs and any extra `ctes`, with the filter and
    threshold parameters the text mentions (plus `extra` ones, e.g. $children, $limit).

    Outside `cached_sequence`, `seq` is read from the stored `plan_sequence` when that gives the same
    rows (stored_sequence.usable), and each CTE block with a current derived table is read from it
    (derived.resolve)."""
    text, used = text_and_params(con, main, filters, thresholds, ctes, **extra)
    return con.execute(text, used).df()


@contextmanager
def cached_sequence(con: duckdb.DuckDBPyConnection, filters: Filters, thresholds: Thresholds) -> Iterator[None]:
    """Within the block, every `run` on this thread reads the plan sequence from a temp table built
    once (for this as-of date and re-plan window), instead of renumbering a million plans per query.
    Temp tables are allowed on read-only connections and vanish with the connection.  When the
    stored `plan_sequence` is current for this question it is read directly (no temp table at all)."""
    if stored_sequence.usable(con, filters, thresholds.replan_window_months):
        token = _BASE.set((STORED_SEQ, SCOPE))
        try:
            yield
        finally:
            _BASE.reset(token)
        return
    text = compose([SEQ_BASE], "metrics_seq_all")
    params = {**filters.params(), **threshold_params(thresholds)}
    used = {k: v for k, v in params.items() if re.search(rf"\${re.escape(k)}\b", text)}
    # `text` is SQL from queries/*.sql only; every value travels in `used` as a parameter.
    con.execute("CREATE OR REPLACE TEMP TABLE metrics_seq_cache AS " + text, used)
    token = _BASE.set((CACHED_SEQ, SCOPE))  # compose() now expands SEQ to the temp table
    try:
        yield
    finally:
        _BASE.reset(token)
        con.execute("DROP TABLE IF EXISTS temp.metrics_seq_cache")
