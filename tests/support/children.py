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


def add_child_with_plan(con: duckdb.DuckDBPyConnection, child: str, plan: str, start: object, end: object = None,
                        birth_month: str = "2015-05-01", sex: str = "F", previous_plans: int | None = None) -> int:
    """A child of team North with one neglect plan, added to a test store under its latest import run as an
    import would leave them (the caller rewrites the derived tables once it has added the child's events);
    returns that run, for the events it adds."""
    run = con.execute("SELECT max(run_id) FROM import_runs").fetchone()[0]
    con.execute("INSERT INTO children (child_id, birth_month, sex, run_id) VALUES (?, CAST(? AS DATE), ?, ?)",
                [child, birth_month, sex, run])
    con.execute("INSERT INTO plans (plan_id, child_id, start_date, end_date, initial_category, team, previous_plans, "
                "run_id) VALUES (?, ?, ?, ?, 'NEG', 'North', ?, ?)", [plan, child, start, end, previous_plans, run])
    return run
