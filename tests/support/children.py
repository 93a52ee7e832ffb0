"""Finding a child of a test store by where its plans are: the scope tests (a manager of one team must not
reach another team's child) need children whose every plan is in one team."""
from __future__ import annotations

from pathlib import Path

import duckdb

from paqa_dash import store

_HAVING = {None: "", True: "AND count(*) >= 2",
           False: "AND count(*) = 1 AND max(coalesce(previous_plans, 0)) = 0"}


def child_only_in(where: Path | duckdb.DuckDBPyConnection, team: str, repeat: bool | None = None) -> str:
    """The first child (by pseudonym) whose every plan is in `team`: with a repeat plan (`repeat=True`), with
    only a first plan (False), or either (None).  `where`: a store file, or an open connection to one."""
    con = store.connect(where, read_only=True) if isinstance(where, Path) else where
    try:
        row = con.execute("SELECT child_id FROM plans GROUP BY child_id HAVING bool_and(team = ?) "
                          + _HAVING[repeat] + " ORDER BY child_id LIMIT 1", [team]).fetchone()
    finally:
        if isinstance(where, Path):
            con.close()
    assert row, f"no child only in {team}"
    return row[0]
