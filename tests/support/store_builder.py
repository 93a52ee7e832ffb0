"""Build a tiny store in a temp folder from lists of dicts, INSERTing directly (no importer), so
metric tests state their chronology by hand and nothing else can change it.  Ids may be plain
strings such as 'P1'.  Missing columns are NULL; dates may be ISO strings.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from paqa_dash import store

TABLES = ("children", "plans", "events", "attendance", "family_changes", "needs", "actions", "action_matches")


def build_store(path: Path, **tables: list[dict[str, Any]]) -> duckdb.DuckDBPyConnection:
    """`build_store(tmp_path / 's.duckdb', plans=[{...}], events=[...])` -> open connection."""
    unknown = set(tables) - set(TABLES)
    if unknown:
        raise ValueError(f"unknown tables {sorted(unknown)}")
    con = store.connect(path)
    children = list(tables.get("children", []))
    known = {c["child_id"] for c in children}
    for plan in tables.get("plans", []):  # a plan's child need not be spelled out in a test
        if plan["child_id"] not in known:
            children.append({"child_id": plan["child_id"]})
            known.add(plan["child_id"])
    tables["children"] = children
    for table in TABLES:
        for row in tables.get(table, []):
            cols = list(row)
            marks = ", ".join("?" for _ in cols)
            con.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", [row[c] for c in cols])
    return con
