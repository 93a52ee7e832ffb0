"""Named SQL from `queries/*.sql`, run with parameters.  Nothing else in the package writes SQL
that carries values: values always travel as parameters.

A query file holds one or more blocks, each starting with a line `-- name: NAME`; a file with no
such line is one query named after the file (e.g. `schema`).  Parameters are DuckDB's named
parameters (`$team`), passed as keyword arguments.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
_NAME = re.compile(r"^--\s*name:\s*([A-Za-z_][A-Za-z0-9_]*)\s*$", re.MULTILINE)


@lru_cache(maxsize=None)
def _library() -> dict[str, str]:
    queries: dict[str, str] = {}
    for path in sorted(QUERIES_DIR.glob("*.sql")):
        body = path.read_text(encoding="utf-8")
        parts = _NAME.split(body)
        if len(parts) == 1:
            queries[path.stem] = body
            continue
        for name, text in zip(parts[1::2], parts[2::2]):
            if name in queries:
                raise ValueError(f"query {name!r} is defined twice (second in {path.name})")
            queries[name] = text.strip()
    return queries


def text(name: str) -> str:
    """The SQL text of a named query."""
    try:
        return _library()[name]
    except KeyError:
        raise KeyError(f"no query named {name!r} in {QUERIES_DIR}") from None


def query(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    """Run a named query with named parameters and return a DataFrame.

    Only the parameters the query text mentions are passed, so callers can hand over one
    filter dict to every query.
    """
    sql_text = text(name)
    used = {k: v for k, v in params.items() if re.search(rf"\${re.escape(k)}\b", sql_text)}
    return con.execute(sql_text, used).df()


def execute(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> None:
    sql_text = text(name)
    used = {k: v for k, v in params.items() if re.search(rf"\${re.escape(k)}\b", sql_text)}
    con.execute(sql_text, used)


# Statements whose shape depends on a table's columns (the loader's upsert, the benchmark's copies).
# Only identifiers vary, each checked against a plain-identifier pattern; values still travel as parameters.
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def ident(name: str) -> str:
    """`name` if it is a plain SQL identifier (table or column), else ValueError."""
    if not _IDENT.match(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return name


def select_by_key(table: str, key: list[str], keys_view: str) -> str:
    """Stored rows (without run_id) whose key is in the registered view `keys_view`."""
    return (f"SELECT t.* EXCLUDE (run_id) FROM {ident(table)} t JOIN {ident(keys_view)} "
            f"USING ({', '.join(map(ident, key))})")


def insert_from(table: str, cols: list[str], source: str) -> str:
    """Append `cols` from the registered view `source`, with run_id as the one parameter."""
    names = ", ".join(map(ident, cols))
    return f"INSERT INTO {ident(table)} ({names}, run_id) SELECT {names}, ? FROM {ident(source)}"


def update_from(table: str, cols: list[str], key: list[str], source: str) -> str:
    """Overwrite the non-key `cols` of rows matched by `key` in the registered view `source`; run_id is the parameter."""
    sets = ", ".join(f"{ident(c)} = u.{ident(c)}" for c in cols if c not in key)
    cond = " AND ".join(f"t.{ident(c)} = u.{ident(c)}" for c in key)
    return f"UPDATE {ident(table)} t SET {sets}, run_id = ? FROM {ident(source)} u WHERE {cond}"


def create_table_as(table: str, select: str) -> str:
    """Replace `table` with the rows of `select` (SQL text from queries/*.sql; its values are parameters)."""
    return f"CREATE OR REPLACE TABLE {ident(table)} AS {select}"


def count_rows(table: str) -> str:
    return f"SELECT count(*) FROM {ident(table)}"


def add_primary_key(table: str, key: list[str]) -> str:
    """Give `table` its primary key back after a bulk fill (one index build instead of row-by-row upkeep)."""
    names = ", ".join(f'"{ident(c)}"' for c in key)   # quoted: a key column may be a keyword ("key")
    return f"ALTER TABLE main.{ident(table)} ADD PRIMARY KEY ({names})"
