"""Primary keys of the tables an import fills from empty, added back when it finishes rather than kept up row by row.

Why: DuckDB keeps a primary key's index up to date as each row is inserted, and builds it again when the transaction
commits.  A first import fills every table from empty in one transaction, so the per-row upkeep was pure cost: at a
million plans the events' key alone took about 9 CPU s of the batches (6.5 million keys in 16 inserts: 29.2 CPU s
keyed, 19.8 unkeyed then keyed at the end, with the same commit; docs/benchmark_history.md, *The serial start and end of a
large import*).  The table is made again, still empty, from its own CREATE statement less the key (every other
constraint stays on while it fills), and `restore` adds the key back before the run is recorded: the stored table
has the same columns, constraints and rows.  A key written twice still fails the import, at its commit rather than at
the insert: DuckDB checks a key added inside the transaction that made the table when the transaction commits, so
the commit fails (duckdb.TransactionException, "PRIMARY KEY or UNIQUE constraint violation") and nothing is kept.
The writer never writes a key twice (each batch is merged with itself and with the stored rows first); the key is
the guard that it did not.  Nothing an import does reads through these keys: the batches are compared with the stored rows by a
join (`sql.against_stored`), which reads a table without its index the same way.  A table that holds rows keeps its
key throughout (an incremental import reads a few stored rows through it).
"""
from __future__ import annotations

import duckdb

from .. import sql


class DeferredKeys:
    """The keys `drop_where_empty` took off the run's empty tables, for `restore` to put back."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.dropped: dict[str, list[str]] | None = None   # table -> key columns (None: not looked at yet)

    def drop_where_empty(self, tables: tuple[str, ...]) -> None:
        """Once a run, before its first row is written: each of `tables` that is keyed and empty, made again unkeyed."""
        if self.dropped is not None:
            return
        self.dropped = {}
        keys = {str(t): list(k) for t, k in sql.query(self.con, "store_primary_keys").itertuples(index=False)}
        for table in tables:
            if table not in keys or self.con.execute(sql.has_rows(table)).fetchone()[0]:
                continue
            ddl = sql.query(self.con, "store_table_definition", table_name=table)["sql"].iloc[0]
            self.con.execute(sql.drop_table(table))
            self.con.execute(sql.without_primary_key(ddl))
            self.dropped[table] = keys[table]

    def restore(self) -> None:
        """Give each table its key back (one index build each, at the commit, which a duplicate key fails)."""
        for table, key in (self.dropped or {}).items():
            self.con.execute(sql.add_primary_key(table, key))
        self.dropped = {}
