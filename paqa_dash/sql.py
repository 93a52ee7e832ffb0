"""Named SQL from `queries/**/*.sql`: load it, compose it by declared needs, bind its parameters strictly.

Why: nothing else in the package writes SQL that carries values (values always travel as
parameters), and a query names only the block it wants: the blocks that block reads are declared
once, beside it, instead of repeated in tuples at every call site.

The files sit in folders named for the package part that runs them (queries/store, queries/ingest,
queries/derive, queries/metrics, queries/synth, queries/benchmark), one file per module where a module runs several
blocks; block names are unique across all of them and start with the file's stem (the part in
front where two parts have a file of that stem: docs/architecture.md).  A query file holds one or
more blocks, each starting with a line `-- name: NAME`; a file with no such line is one query named
after the file (e.g. `schema`).  A block may declare, on the line right under its name, the CTE blocks it reads:
`-- needs: a, b`.  A CTE that one of several blocks may give is left to the block run (the plan
sequence `seq` / `started` / `ended`, which the metrics runner puts first; the audit's per-plan
facts, from the inline or the stored blocks).  Parameters are DuckDB's named
parameters (`$team`), bound by `bind`: one function, so every query fails the same way when a value
is missing or a value given for it is not used.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import duckdb
import pandas as pd

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
_NAME = re.compile(r"^--\s*name:\s*([A-Za-z_][A-Za-z0-9_]*)\s*$", re.MULTILINE)
_NEEDS = re.compile(r"\A\s*--\s*needs:\s*([A-Za-z0-9_,\s]*?)\s*$", re.MULTILINE)
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


@lru_cache(maxsize=None)
def _library() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """(SQL text per block name, the blocks each block declares it needs)."""
    queries: dict[str, str] = {}
    needs: dict[str, tuple[str, ...]] = {}
    for path in sorted(QUERIES_DIR.rglob("*.sql")):
        body = path.read_text(encoding="utf-8")
        parts = _NAME.split(body)
        where = path.relative_to(QUERIES_DIR).as_posix()
        if len(parts) == 1:
            if path.stem in queries:
                raise ValueError(f"query {path.stem!r} is defined twice (second in {where})")
            queries[path.stem] = body
            continue
        for name, text in zip(parts[1::2], parts[2::2]):
            if name in queries:
                raise ValueError(f"query {name!r} is defined twice (second in {where})")
            declared = _NEEDS.match(text)
            if declared:
                needs[name] = tuple(n.strip() for n in declared.group(1).split(",") if n.strip())
                text = text[declared.end():]
            queries[name] = text.strip()
    for name, wanted in needs.items():
        unknown = [n for n in wanted if n not in queries]
        if unknown:
            raise ValueError(f"query {name!r} needs unknown blocks {unknown}")
    return queries, needs


def text(name: str) -> str:
    """The SQL text of a named query (without its needs line)."""
    try:
        return _library()[0][name]
    except KeyError:
        raise KeyError(f"no query named {name!r} in {QUERIES_DIR}") from None


def needs(name: str) -> tuple[str, ...]:
    """The blocks `name` declares it reads (its `-- needs:` line), in the order written."""
    text(name)
    return _library()[1].get(name, ())


Substitute = Callable[[str], tuple[str, ...]]


def expand(names: Iterable[str], substitute: Substitute | None = None) -> list[str]:
    """`names` with the blocks each needs, recursively, every block once and its needs before it.

    `substitute` maps a block to the blocks that stand for it (e.g. an inline block to the block
    reading its stored table, an alias to the current plan sequence): the stand-ins' own needs are
    expanded, not the replaced block's."""
    sub = substitute or (lambda n: (n,))
    out: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        for block in sub(name):
            if block in out:
                continue
            if block in visiting:
                raise ValueError(f"query {block!r} needs itself (through {sorted(visiting)})")
            visiting.add(block)
            for need in needs(block):
                visit(need)
            visiting.discard(block)
            out.append(block)

    for name in names:
        visit(name)
    return out


def compose(main: str, ctes: Iterable[str] = (), substitute: Substitute | None = None) -> str:
    """`WITH <cte blocks>, <main>`: the CTE blocks are `ctes` and everything `main` and they need
    (`expand`); the main block may open with its own CTEs before SELECT."""
    sub = substitute or (lambda n: (n,))
    mains = sub(main)
    if len(mains) != 1:
        raise ValueError(f"main block {main!r} must stand for one block, not {mains}")
    blocks = expand([*ctes, *needs(mains[0])], substitute)
    body = text(mains[0])
    if not blocks:
        return body
    cte_text = ",\n".join(text(name) for name in blocks)
    joiner = "\n" if re.match(r"\s*SELECT\b", body, re.IGNORECASE) else ",\n"
    return f"WITH {cte_text}{joiner}{body}"


def parameters(sql_text: str) -> set[str]:
    """The `$name` parameters `sql_text` uses (comments aside: DuckDB ignores them there too)."""
    return set(_PARAM.findall(_COMMENT.sub("", sql_text)))


def bind(sql_text: str, params: Mapping[str, Any] | None = None, *, context: Mapping[str, Any] | None = None,
         block: str = "query") -> dict[str, Any]:
    """The parameters to execute `sql_text` with, checked strictly.

    `params` are given for this text: each must be used (a value given for nothing is a mistake).
    `context` is the shared filter and threshold context (`Filters.params()`, threshold params): only
    the ones the text uses are bound.  A `$name` the text uses that neither gives is an error naming
    `block`.  `params` win over `context`."""
    params = dict(params or {})
    context = context or {}
    used = parameters(sql_text)
    unused = sorted(set(params) - used)
    if unused:
        raise ValueError(f"{block}: parameters given but not used by the SQL: {unused}")
    missing = sorted(used - set(params) - set(context))
    if missing:
        raise ValueError(f"{block}: parameters used by the SQL but not given: {missing}")
    return {name: params[name] if name in params else context[name] for name in sorted(used)}


def query(con: duckdb.DuckDBPyConnection, name: str, context: Mapping[str, Any] | None = None,
          **params: Any) -> pd.DataFrame:
    """Run a named query and return a DataFrame; `params` and `context` as in `bind`."""
    sql_text = text(name)
    return con.execute(sql_text, bind(sql_text, params, context=context, block=name)).df()


def execute(con: duckdb.DuckDBPyConnection, name: str, context: Mapping[str, Any] | None = None,
            **params: Any) -> None:
    """Run a named statement; `params` and `context` as in `bind`."""
    sql_text = text(name)
    con.execute(sql_text, bind(sql_text, params, context=context, block=name))


# Statements whose shape depends on a table's columns (the loader's upsert, the benchmark's copies).
# Only identifiers vary, each checked against a plain-identifier pattern; values still travel as parameters.
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def ident(name: str) -> str:
    """`name` if it is a plain SQL identifier (table or column), else ValueError."""
    if not _IDENT.match(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return name


def insert_from(table: str, cols: list[str], source: str) -> str:
    """Append `cols` from the registered view `source`, with run_id as the one parameter."""
    names = ", ".join(map(ident, cols))
    return f"INSERT INTO {ident(table)} ({names}, run_id) SELECT {names}, ? FROM {ident(source)}"


def update_from(table: str, cols: list[str], key: list[str], source: str, few: bool = False) -> str:
    """Overwrite the non-key `cols` of rows matched by `key` in the registered view `source`; run_id is the first
    parameter, and with `few` the second is the list of the rows' first key values (`stored_rows`)."""
    sets = ", ".join(f"{ident(c)} = u.{ident(c)}" for c in cols if c not in key)
    cond = " AND ".join(f"t.{ident(c)} = u.{ident(c)}" for c in key)
    only = f" AND list_contains(?, t.{ident(key[0])})" if few else ""
    return f"UPDATE {ident(table)} t SET {sets}, run_id = ? FROM {ident(source)} u WHERE {cond}{only}"


def stored_rows(table: str, key: list[str], few: bool) -> str:
    """`table`'s rows, or with `few` only those whose first key column is in the parameter $keys (a batch's few keys,
    read through the primary key's index: ingest/load.py `_by_index`)."""
    return f"(SELECT * FROM {ident(table)} WHERE list_contains($keys, {ident(key[0])}))" if few else ident(table)


def against_stored(table: str, types: Mapping[str, str], key: list[str], source: str, dated: bool,
                   links: Sequence[str] = (), few: bool = False) -> str:
    """Each row of the registered view `source` whose key `table` holds, compared with the stored row in SQL.

    `types`: the stored columns to compare (name -> the table's type: a row's values are cast as its INSERT
    would cast them).  Returns `_at` (the row's position, `source._at`), `_seen` (the stored row was written
    by run $run_id), the key, every other column as it is to be stored (the row's value, a blank filled from
    the stored row; for a row of an older return than the one that wrote the stored row (`_older`, read
    from row_returns for $table_name when `dated`), the stored value, a blank filled from the row), `_same`
    (that equals the stored row), `_identical` (the row itself equals the stored row) and `_relinked` (a value of
    one of the `links` columns, stored and not blank, is to be replaced by another); in `_at` order.  `few`: the
    batch's first key values are the parameter $keys, and the table is read through them (`stored_rows`)."""
    cols = list(types)
    values = [c for c in cols if c not in key]
    typed = ", ".join(f"CAST(s.{ident(c)} AS {ident(types[c])}) AS {ident('_new_' + c)}" for c in cols)
    stored = ", ".join(f"t.{ident(c)} AS {ident('_old_' + c)}" for c in values)
    older = "coalesce(s._as_of < r.as_of, false)" if dated else "false"
    returns = (f" LEFT JOIN row_returns r ON r.table_name = $table_name AND r.row_id = s.{ident(key[0])}"
               if dated else "")
    merged = ", ".join(f"CASE WHEN _older THEN coalesce({ident('_old_' + c)}, {ident('_new_' + c)}) "
                       f"ELSE coalesce({ident('_new_' + c)}, {ident('_old_' + c)}) END AS {ident(c)}" for c in values)
    same = " AND ".join([f"{ident(c)} IS NOT DISTINCT FROM {ident('_old_' + c)}" for c in values] or ["true"])
    identical = " AND ".join([f"{ident('_new_' + c)} IS NOT DISTINCT FROM {ident('_old_' + c)}" for c in values]
                             or ["true"])
    relinked = " OR ".join([f"({ident('_old_' + c)} IS NOT NULL AND {ident(c)} IS DISTINCT FROM {ident('_old_' + c)})"
                            for c in links if c in values] or ["false"])
    keys = ", ".join(f"{ident('_new_' + c)} AS {ident(c)}" for c in key)
    return (f"SELECT _at, _seen, {', '.join(map(ident, cols))}, {same} AS _same, {identical} AS _identical, "
            f"{relinked} AS _relinked FROM ("
            f"SELECT _at, _seen, {keys}, {merged}, * EXCLUDE (_at, _seen, _older) FROM ("
            f"SELECT s._at, coalesce(t.run_id = $run_id, false) AS _seen, {older} AS _older, {typed}, {stored} "
            f"FROM {ident(source)} s JOIN {stored_rows(table, key, few)} t USING ({', '.join(map(ident, key))}){returns})) "
            "ORDER BY _at")


def create_table_as(table: str, select: str) -> str:
    """Replace `table` with the rows of `select` (SQL text from queries/; its values are parameters)."""
    return f"CREATE OR REPLACE TABLE {ident(table)} AS {select}"


def keyed_by_as_of(select: str) -> str:
    """The rows of `select` with the as-of date they were worked out for ($written_as_of) as a first column
    `as_of`: for derived tables written for several as-of dates (paqa_dash/derive/registry.py)."""
    return f"SELECT CAST($written_as_of AS DATE) AS as_of, * FROM ({select})"


def in_plan_order(select: str, leading: tuple[str, ...] = ()) -> str:
    """The rows of `select` (which has a `plan_id` column) ordered by plan, for writing a per-plan table;
    by the columns `leading` first where given.

    Why: a page joins the plans of its filter to these tables on `plan_id`.  Rows stored in the order a hash
    aggregate gave them send every probe of that join to another part of its hash table; rows of one plan stored
    together send runs of probes to one place.  At a million plans the attendance sums (18.7 M rows) joined in
    2.5 to 3 CPU s in hash order against 0.6 s in plan order (docs/benchmark_history.md, *Seventh round*).  A leading
    column puts the rows a query picks by it together, so its scan skips the row groups of the others (their
    stored minimum and maximum show that none qualifies)."""
    return f"SELECT * FROM ({select}) ORDER BY {', '.join(ident(c) for c in (*leading, 'plan_id'))}"


def insert_into(table: str, select: str) -> str:
    """Append the rows of `select` to `table` (SQL text from queries/; its values are parameters)."""
    return f"INSERT INTO {ident(table)} {select}"


def create_temp_table_as(table: str, select: str) -> str:
    """Replace the connection's temp table `table` with the rows of `select` (gone with the connection, never
    written to the store)."""
    return f"CREATE OR REPLACE TEMP TABLE {ident(table)} AS {select}"


def of_plans(select: str, plans: str) -> str:
    """The rows of `select` (which has a `plan_id` column) for the plans listed in table `plans` only."""
    return f"SELECT * FROM ({select}) WHERE plan_id IN (SELECT plan_id FROM {ident(plans)})"


def delete_of_plans(table: str, plans: str) -> str:
    """Delete the rows of `table` whose `plan_id` is listed in table `plans`."""
    return f"DELETE FROM {ident(table)} WHERE plan_id IN (SELECT plan_id FROM {ident(plans)})"


def drop_temp_table(table: str) -> str:
    return f"DROP TABLE IF EXISTS temp.{ident(table)}"


def count_rows(table: str) -> str:
    return f"SELECT count(*) FROM {ident(table)}"


def has_rows(table: str) -> str:
    return f"SELECT EXISTS (SELECT 1 FROM main.{ident(table)})"


def drop_table(table: str) -> str:
    return f"DROP TABLE main.{ident(table)}"


_INLINE_KEY = re.compile(r" PRIMARY KEY(?=[,)])")
_TABLE_KEY = re.compile(r", PRIMARY KEY\([^()]*\)")


def without_primary_key(ddl: str) -> str:
    """A table's CREATE statement (as DuckDB prints it: `store_table_definition`) without its primary key.

    Why: DuckDB keeps a primary key's ART index up to date row by row, so appending 24 million events
    to a keyed table takes minutes (141 s measured) where adding the key afterwards builds the index
    in one pass (24 s).  Every other constraint (NOT NULL, CHECK) stays on the table while it fills."""
    return _TABLE_KEY.sub("", _INLINE_KEY.sub("", ddl))


def add_primary_key(table: str, key: list[str]) -> str:
    """Give `table` its primary key back after a bulk fill (one index build instead of row-by-row upkeep)."""
    names = ", ".join(f'"{ident(c)}"' for c in key)   # quoted: a key column may be a keyword ("key")
    return f"ALTER TABLE main.{ident(table)} ADD PRIMARY KEY ({names})"
