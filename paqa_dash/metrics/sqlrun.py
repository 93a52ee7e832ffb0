"""Run a `metrics_*` main block behind the shared CTE blocks of `queries/metrics.sql`.

Why: the plan sequence and the filter selection (`seq`, `started`, `ended`) must be one
definition that every measure reads, and DuckDB plans a CTE chain as one query (no temp tables,
so a read-only app connection works).  Only SQL text from `queries/` is joined here; values
always travel as named parameters, as with `paqa_dash.sql.query`.
"""
from __future__ import annotations

import re
from typing import Any

import duckdb
import pandas as pd

from .. import sql
from ..settings import Thresholds
from .filters import Filters

SEQ = "metrics_cte_seq"


def compose(ctes: list[str], main: str) -> str:
    """`WITH <cte blocks>, <main>`; the main block may open with its own CTEs before SELECT."""
    body = sql.text(main)
    cte_text = ",\n".join(sql.text(name) for name in ctes)
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


def run(con: duckdb.DuckDBPyConnection, main: str, filters: Filters, thresholds: Thresholds,
        ctes: tuple[str, ...] = (SEQ,)) -> pd.DataFrame:
    """Run `main` after `ctes` with the filter and threshold parameters it mentions."""
    text = compose(list(ctes), main)
    params = {**filters.params(), **threshold_params(thresholds)}
    used = {k: v for k, v in params.items() if re.search(rf"\${re.escape(k)}\b", text)}
    return con.execute(text, used).df()
