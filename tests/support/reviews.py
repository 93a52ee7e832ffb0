"""Stores built by direct INSERTs (no importer) get their plan-quality reviews the way an import
writes them: the same `write_reviews`, over every action."""
from __future__ import annotations

import duckdb

from paqa_dash.action_reviews import write_reviews


def review_store(con: duckdb.DuckDBPyConnection) -> int:
    """Write `action_reviews`, `language_findings` and `plan_reviews` for every action; returns how many."""
    return write_reviews(con, None)
