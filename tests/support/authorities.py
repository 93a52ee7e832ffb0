"""Giving a store's children authorities, until the importers fill children.authority (issue 15): each child
takes the authority of the team of its first plan, and the stored plan sequence is written again (as an
import would), so the stored and inline paths both carry it."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Mapping

import duckdb

from paqa_dash import store
from paqa_dash.derive import registry

BY_TEAM = {"North": "202", "Central": "202", "South": "203", "East": "203", "West": "841"}


def assign_by_team(con: duckdb.DuckDBPyConnection, by_team: Mapping[str, str] = BY_TEAM) -> None:
    for team, code in by_team.items():
        con.execute("UPDATE children SET authority = ? WHERE child_id IN (SELECT child_id FROM plans "
                    "GROUP BY child_id HAVING arg_min(team, start_date) = ?)", [code, team])
    registry.refresh(con, registry.Change(reviews="keep"), only=("plan_sequence",))


def demo_of_three(demo_store: Path, folder: Path) -> Path:
    """A copy of the demo store in `folder` whose children are Camden's, Greenwich's and Darlington's by team."""
    path = folder / "three.duckdb"
    shutil.copy(demo_store, path)
    con = store.connect(path)
    try:
        assign_by_team(con)
    finally:
        con.close()
    return path
