"""Stores built by direct INSERTs (no importer) get their plan-quality reviews the way an import
writes them: the derive registry's refresh of the reviews entry, over every action, with its record."""
from __future__ import annotations

import duckdb

from paqa_dash.derive import registry
from paqa_dash.derive.currency import REVIEWS


def review_store(con: duckdb.DuckDBPyConnection) -> int:
    """Write `action_reviews`, `language_findings` and `plan_reviews` for every action; returns how many."""
    return registry.refresh(con, registry.Change(reviews="all"), only=(REVIEWS,))[REVIEWS]
