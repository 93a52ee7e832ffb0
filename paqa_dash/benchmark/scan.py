"""What a set of queries reads, and the time DuckDB takes just to read it.

Why: a page's query time means little alone on a shared, noisy machine; beside the time of a
plain scan of the same columns, measured in the same run, the ratio says how much work the query
does beyond reading its data, and stays comparable between machines.

The tables and columns are not listed by hand: every statement a page runs is recorded (through
`Recorder`, a connection proxy) and DuckDB's own `EXPLAIN (FORMAT json)` names the tables each
scan touches, the columns it projects and the columns its pushed-down filters use.
"""
from __future__ import annotations

import json
import re
import time
from typing import Any

import duckdb

Reads = dict[str, set[str]]
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Recorder:
    """A stand-in connection that notes each SELECT it runs (with its parameters) and what the
    query plan reads, then runs it on the real connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection, reads: Reads) -> None:
        self._con = con
        self.reads = reads

    def execute(self, query: str, parameters: Any = None, *args: Any, **kwargs: Any):
        if _is_select(query):
            merge(self.reads, tables_read(self._con, query, parameters))
        if parameters is None:
            return self._con.execute(query, *args, **kwargs)
        return self._con.execute(query, parameters, *args, **kwargs)

    def sql(self, query: str, *args: Any, **kwargs: Any):
        if _is_select(query) and not args and not kwargs:
            merge(self.reads, tables_read(self._con, query, None))
        return self._con.sql(query, *args, **kwargs)

    query = sql

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


def _is_select(query: str) -> bool:
    """Statements that read the store: queries, and `CREATE [TEMP] TABLE ... AS` queries (caches)."""
    body = re.sub(r"^\s*(--[^\n]*\n\s*)*", "", query).lstrip("( \n").upper()
    if body.startswith("CREATE"):
        return re.match(r"CREATE\s+(OR\s+REPLACE\s+)?(TEMP\w*\s+)?TABLE\b.*?\bAS\b", body, re.DOTALL) is not None
    return body.startswith(("SELECT", "WITH", "FROM"))


def merge(into: Reads, more: Reads) -> Reads:
    for table, cols in more.items():
        into.setdefault(table, set()).update(cols)
    return into


def tables_read(con: duckdb.DuckDBPyConnection, query: str, parameters: Any = None) -> Reads:
    """{table: columns} the plan of `query` scans (projected or used by a pushed-down filter)."""
    explain = "EXPLAIN (FORMAT json) " + query
    rows = con.execute(explain, parameters).fetchall() if parameters else con.execute(explain).fetchall()
    reads: Reads = {}
    for _, plan in rows:
        _visit(con, json.loads(plan), reads)
    return reads


def _visit(con: duckdb.DuckDBPyConnection, node: Any, reads: Reads) -> dict[str, set[str]]:
    """Walk a plan; returns {table: its columns} of the scans below `node`.  A FILTER node that was
    not pushed into its scan names its columns in its own expression: they count for the tables
    below it that have such a column."""
    if isinstance(node, list):
        below: dict[str, set[str]] = {}
        for n in node:
            below.update(_visit(con, n, reads))
        return below
    if not isinstance(node, dict):
        return {}
    below = _visit(con, node.get("children", []), reads)
    info = node.get("extra_info") or {}
    if not isinstance(info, dict):
        return below
    if "Table" in info:
        table = str(info["Table"]).split(".")[-1].strip('"')
        known = _columns(con, table)
        if known:
            cols = set(_as_list(info.get("Projections")))
            cols |= {w for w in _WORD.findall(" ".join(_as_list(info.get("Filters")))) if w in known}
            reads.setdefault(table, set()).update(c for c in cols if c in known)
            below[table] = known
    elif node.get("name") == "FILTER":
        words = set(_WORD.findall(" ".join(_as_list(info.get("Expression")))))
        for table, known in below.items():
            used = words & known
            if used:
                reads.setdefault(table, set()).update(used)
    return below


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [v for v in str(value).split("\n") if v]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    """Columns of a stored table (empty for temporary tables: a page's own caches are not the store)."""
    rows = con.execute(
        "SELECT c.column_name FROM duckdb_columns() c JOIN duckdb_tables() t USING (table_oid) "
        "WHERE c.table_name = ? AND NOT t.temporary", [table]).fetchall()
    return {r[0] for r in rows}


def scan_statements(reads: Reads) -> list[str]:
    """One `SELECT count(*), min(c), max(c), ...` per table: reading every value a page reads once.

    Table and column names come from the store's own catalogue (via EXPLAIN), never from input,
    and are quoted as identifiers."""
    out = []
    for table in sorted(reads):
        aggs = ["count(*)"] + [f'min("{c}"), max("{c}")' for c in sorted(reads[table])]
        out.append(f'SELECT {", ".join(aggs)} FROM "{table}"')
    return out


def run_scan(con: duckdb.DuckDBPyConnection, statements: list[str]) -> float:
    """Seconds to run the scan statements once."""
    t = time.perf_counter()
    for s in statements:
        con.execute(s).fetchall()
    return time.perf_counter() - t
