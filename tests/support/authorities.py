"""Giving a store's children authorities, until the importers fill children.authority (issue 15): each child
takes the authority of the team of its first plan, and the stored plan sequence is written again (as an
import would), so the stored and inline paths both carry it."""
from __future__ import annotations

from typing import Mapping

import duckdb

from paqa_dash.derive import registry

BY_TEAM = {"North": "202", "Central": "202", "South": "203", "East": "203", "West": "841"}


def assign_by_team(con: duckdb.DuckDBPyConnection, by_team: Mapping[str, str] = BY_TEAM) -> None:
    for team, code in by_team.items():
        con.execute("UPDATE children SET authority = ? WHERE child_id IN (SELECT child_id FROM plans "
                    "GROUP BY child_id HAVING arg_min(team, start_date) = ?)", [code, team])
    registry.refresh(con, registry.Change(reviews="keep"), only=("plan_sequence",))
