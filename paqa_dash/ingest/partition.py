"""The rows of a table-shaped source (a native bundle, an SSD extract) grouped into batches of children.

Why: a bundle or an extract of a region holds millions of rows, and a child's rows are spread over every
file (its plans in plans.csv, its events in events.csv) in any order.  The writer checks references and
duplicates batch by batch against what earlier batches wrote, so a batch must hold all of a child's rows,
and a row that needs another record (an attendance row its event, an action its plan) must come with or
after that record.  A reader's first pass streams every row here, with its child and the record it needs;
the rows wait on disk in a scratch DuckDB database (not in memory), DuckDB numbers the children in the
order the source first names them, `size` to a batch, and the rows come back batch by batch in the order
they were read.  Memory holds one batch of rows, whatever the files' size.

Where a row goes (`partition_*` in queries/ingest/partition.sql): with its own child; later, when a record
it needs is in a later batch (followed through two links: attendance -> event -> plan); rows of no child
and needing no record of the source (a blank child id) in the last batch.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import duckdb
import pyarrow as pa

from .. import sql
from .validate import clean_value

CHUNK = 50_000  # rows sent to DuckDB at a time in the first pass, and read back at a time
IN_MEMORY_BELOW = 16 * 2**20  # sources smaller than this (bytes) wait in memory: no file to create and remove
_LINKS = 2  # the longest chain of records a row needs: attendance -> event -> plan


@dataclass
class Row:
    """One source row as the first pass saw it: where it is, its cells (the reader decides which), its own
    child, the ids other rows find it by (`keys`: name -> id), and the record it needs in its batch."""

    sheet: int
    line: int
    cells: list[str | None]
    child: object = None
    keys: dict[str, object] = field(default_factory=dict)
    via: tuple[str, object] | None = None


Batch = dict[int, list[tuple[int, list[str | None]]]]  # sheet -> its rows in this batch: (line, cells)


class Partition:
    """Rows held until every row is read, then given back in batches of children (`batches`)."""

    def __init__(self, source_bytes: int = 0) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="paqa-partition-")
        where = ":memory:" if source_bytes < IN_MEMORY_BELOW else str(Path(self._folder.name) / "rows.duckdb")
        self.con = duckdb.connect(where, config={"temp_directory": self._folder.name, "memory_limit": "512MB",
                                                 "preserve_insertion_order": False})
        self.con.execute("SET enable_progress_bar = false")
        self.con.execute(sql.text("partition_create"))
        self._rows: list[Row] = []
        self._seq = 0

    def add(self, row: Row) -> None:
        """Keep one row (sent to DuckDB CHUNK rows at a time)."""
        self._rows.append(row)
        if len(self._rows) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        if not self._rows:
            return
        seq = range(self._seq, self._seq + len(self._rows))
        self._seq += len(self._rows)
        rows = pa.table({
            "seq": pa.array(seq, pa.int64()), "sheet": pa.array([r.sheet for r in self._rows], pa.int32()),
            "line": pa.array([r.line for r in self._rows], pa.int64()),
            "child": pa.array([_key(r.child) for r in self._rows], pa.string()),
            "via_name": pa.array([r.via[0] if r.via else None for r in self._rows], pa.string()),
            "via": pa.array([_key(r.via[1]) if r.via else None for r in self._rows], pa.string()),
            "cells": pa.array([r.cells for r in self._rows], pa.list_(pa.string())),
        })
        keys = [(name, _key(value), s) for s, r in zip(seq, self._rows) for name, value in r.keys.items()]
        keys = [k for k in keys if k[1] is not None]
        self._run("partition_insert_rows", rows)
        if keys:
            names, ids, seqs = zip(*keys)
            self._run("partition_insert_keys", pa.table({"name": pa.array(names, pa.string()),
                                                          "id": pa.array(ids, pa.string()),
                                                          "seq": pa.array(seqs, pa.int64())}))
        self._rows = []

    def _run(self, name: str, rows: pa.Table) -> None:
        staged = rows  # read by name: DuckDB's replacement scan finds this local variable
        self.con.execute(sql.text(name))
        del staged

    def batches(self, size: int | None) -> Iterator[Batch]:
        """Every row kept, in batches of `size` children (None: one batch), each batch's rows in the order
        they were added.  Closes the partition when done."""
        try:
            self._flush()
            self._assign(size)
            current, batch = None, {}
            for chunk in self.con.sql(sql.text("partition_rows_in_batches")).to_arrow_reader(CHUNK):
                for number, sheet, line, cells in zip(*(chunk.column(i).to_pylist() for i in range(4))):
                    if number != current and batch:
                        yield batch
                        batch = {}
                    current = number
                    batch.setdefault(sheet, []).append((line, cells))
            if batch or current is None:
                yield batch
        finally:
            self.close()

    def _assign(self, size: int | None) -> None:
        if size is not None and size < 1:
            raise ValueError("batch_children must be at least 1")
        sql.execute(self.con, "partition_number_children", size=size or 2**62)
        self.con.execute(sql.text("partition_batch_children"))
        for _ in range(_LINKS):
            self.con.execute(sql.text("partition_follow_references"))
        self.con.execute(sql.text("partition_orphans"))

    def close(self) -> None:
        self.con.close()
        self._folder.cleanup()


def _key(value: object) -> str | None:
    """An id as the validator will read it (trimmed, blanks none), so ' C1' and 'C1' are one child."""
    return None if value is None else clean_value(value)
