"""Duplicated actions (`action_matches`), scored once at import for the children whose plans or
actions the import changed: one entry of the derive registry.

Why here and not in the importer: scoring is working something out from the stored rows (every
action of each changed child, old and new, is compared), like the other derived data, and it runs
after the rows are written; the importer only writes what it read.
"""
from __future__ import annotations

import duckdb

from .. import sql
from . import currency

MATCH_COLUMNS = ["action_id", "plan_id", "matches_action_id", "matches_plan_id", "score", "method"]
# Bump when the scoring (not the data) changes what a match says.
MATCH_CODE_VERSION = "4"


def rescore(con: duckdb.DuckDBPyConnection, child_ids: set[str] | frozenset[str]) -> int:
    """Replace the stored matches of these children's actions with fresh scores; matches written."""
    ids = sorted(child_ids)
    actions = sql.query(con, "matches_actions_of_children", child_ids=ids)
    sql.execute(con, "matches_delete_matches_of_children", child_ids=ids)
    if actions.empty:
        return 0
    # imported here, not at the top: the scoring pulls in scikit-learn and scipy (3 s of the app's start-up on a
    # busy machine, docs/benchmark_history.md "Every setting fast"), and the app only reads the stored matches
    from ..text.duplicates import match_actions

    matches = match_actions(actions)
    if matches.empty:
        return 0
    con.register("new_matches", matches[MATCH_COLUMNS])
    try:
        sql.execute(con, "matches_insert_matches")
    finally:
        con.unregister("new_matches")
    return len(matches)


ENTRY = currency.Entry(name="action_matches", write=lambda con, change: rescore(con, change.children),
                       version=lambda: MATCH_CODE_VERSION, sources=(), as_of="any",
                       wanted=lambda change: bool(change.children), progress=(0.8, "Scoring repeated actions"))
