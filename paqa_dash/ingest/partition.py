"""The rows of a table-shaped source (a native bundle, an SSD extract) grouped into batches of children.

Why: a bundle or an extract of a region holds millions of rows, and a child's rows are spread over every
file (its plans in plans.csv, its events in events.csv) in any order.  The writer checks references and
duplicates batch by batch against what earlier batches wrote, so a batch must hold all of a child's rows,
and a row that needs another record (an attendance row its event, an action its plan) must come with or
after that record.  A reader's first pass streams every row here, with its child and the record it needs;
the rows wait on disk in a scratch DuckDB database (not in memory), DuckDB numbers the children in the
order the source first names them, `size` to a batch, and the rows come back batch by batch in the order
they were read.  The reader holds one batch of rows, whatever the files' size, and the scratch database at
most 512 MB (it spills to its folder); what still grows is the store's own, its uncommitted rows, until the
import's one transaction commits (docs/benchmark_history.md, "Bundles and SSD extracts in batches").

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
import numpy
import pyarrow as pa
import pyarrow.compute as pc

from .. import sql
from .validate import BLANKS

# Children a batch of a bundle or an SSD extract holds when the import names no size: a bundle's child
# carries about a hundred rows (events, attendance), a census child about ten (cin_xml.BATCH_CHILDREN).
BATCH_CHILDREN = 2_000
CHUNK = 50_000  # rows sent to DuckDB at a time in the first pass, and read back at a time
IN_MEMORY_BELOW = 16 * 2**20  # sources smaller than this (bytes) wait in memory: no file to create and remove
_LINKS = 2  # the longest chain of records a row needs: attendance -> event -> plan


@dataclass(frozen=True)
class Places:
    """Where a sheet's rows go, by cell position: the cell naming the row's child, the cells other rows
    find it by (`keys`: name -> position), and the record it must come with or after (`via`: name, position),
    needed only when the row names no child if `via_without_child`."""

    child: int | None = None
    keys: dict[str, int] = field(default_factory=dict)
    via: tuple[str, int] | None = None
    via_without_child: bool = False


@dataclass
class Sheet:
    """A sheet's rows in one batch, column by column: `lines` and `columns[i]`, the i-th cell of each row."""

    lines: list[int]
    columns: list[list[str | None]]

    def rows(self) -> Iterator[tuple[int, tuple[str | None, ...]]]:
        """(line, cells) of each row, for a reader that works row by row."""
        return zip(self.lines, zip(*self.columns)) if self.columns else ((n, ()) for n in self.lines)


Batch = dict[int, Sheet]  # sheet number -> its rows in this batch


class Partition:
    """Rows held until every row is read, then given back in batches of children (`batches`)."""

    def __init__(self, source_bytes: int = 0) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="paqa-partition-")
        where = ":memory:" if source_bytes < IN_MEMORY_BELOW else str(Path(self._folder.name) / "rows.duckdb")
        self.con = duckdb.connect(where, config={"temp_directory": self._folder.name, "memory_limit": "512MB",
                                                 "preserve_insertion_order": False})
        self.con.execute("SET enable_progress_bar = false")
        self.con.execute(sql.text("partition_create"))
        self._seq = 0
        self._widths: dict[int, int] = {}

    def add(self, sheet: int, places: Places, lines: list[int], cells: list[list[str | None]]) -> None:
        """Keep a sheet's rows (`cells`: each row's cells, as many as the sheet's columns); call it with a
        few thousand rows at a time."""
        if not lines:
            return
        width = self._widths.setdefault(sheet, len(cells[0]))
        columns = [pa.array([r[i] for r in cells], pa.string()) for i in range(width)]
        seq = pa.array(range(self._seq, self._seq + len(lines)), pa.int64())
        self._seq += len(lines)
        child = _ids(columns[places.child]) if places.child is not None else pa.nulls(len(lines), pa.string())
        via_name = via = pa.nulls(len(lines), pa.string())
        if places.via is not None:
            via = _ids(columns[places.via[1]])
            if places.via_without_child:
                via = pc.if_else(pc.is_null(child), via, pa.scalar(None, pa.string()))
            via_name = pc.if_else(pc.is_null(via), pa.scalar(None, pa.string()), pa.scalar(places.via[0]))
        joined, listed = _joined(columns, cells)
        rows = pa.table({"seq": seq, "sheet": pa.array([sheet] * len(lines), pa.int32()),
                         "line": pa.array(lines, pa.int64()), "child": child, "via_name": via_name, "via": via,
                         "joined": joined, "cells": listed})
        self._run("partition_insert_rows", rows)
        for name, at in places.keys.items():
            ids = _ids(columns[at])
            self._run("partition_insert_keys", pa.table({"name": pa.array([name] * len(lines), pa.string()),
                                                          "id": ids, "seq": seq}).filter(pc.is_valid(ids)))

    def _run(self, name: str, rows: pa.Table) -> None:
        staged = rows  # read by name: DuckDB's replacement scan finds this local variable
        self.con.execute(sql.text(name))
        del staged

    def batches(self, size: int | None) -> Iterator[Batch]:
        """Every row kept, in batches of `size` children (None: one batch), each batch's rows in the order
        they were added.  Closes the partition when done."""
        try:
            self._assign(size)
            pending: list[pa.RecordBatch] = []
            current = None
            for chunk in self.con.sql(sql.text("partition_rows_in_batches")).to_arrow_reader(CHUNK):
                numbers = chunk.column(0).to_numpy()
                for start, end in _runs(numbers):
                    if pending and numbers[start] != current:
                        yield self._batch(pending)
                        pending = []
                    current = numbers[start]
                    pending.append(chunk.slice(start, end - start))
            yield self._batch(pending)
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


    def _batch(self, parts: list[pa.RecordBatch]) -> Batch:
        """One batch's rows, sheet by sheet, column by column (a sheet's rows are together: read in order)."""
        rows = pa.Table.from_batches(parts) if parts else None
        out: Batch = {}
        if rows is None or rows.num_rows == 0:
            return out
        sheets = rows.column("sheet").to_numpy()
        for start, end in _runs(sheets):
            part = rows.slice(start, end - start)
            sheet = int(sheets[start])
            cells = _split(part.column("joined"), part.column("cells"))
            out[sheet] = Sheet(part.column("line").to_pylist(),
                               [pc.list_element(cells, i).to_pylist() for i in range(self._widths.get(sheet, 0))])
        return out


SEPARATOR, NULL = "\x1f", "\x1e"  # the ASCII unit separator between cells; a blank cell (None) as "record separator"


def _joined(columns: list[pa.Array], cells: list[list[str | None]]) -> tuple[pa.Array, pa.Array]:
    """The rows' cells as one text each (`joined`), unless a cell holds SEPARATOR or is NULL: then as lists."""
    width = len(columns)
    marked = any(pc.any(pc.match_substring(c, SEPARATOR)).as_py() or pc.any(pc.equal(c, NULL)).as_py()
                 for c in columns)
    if marked or width == 0:
        return pa.nulls(len(cells), pa.string()), pa.array(cells, pa.list_(pa.string()))
    joined = pc.binary_join_element_wise(*columns, SEPARATOR, null_handling="replace", null_replacement=NULL)
    return joined, pa.nulls(len(cells), pa.list_(pa.string()))


def _split(joined: pa.ChunkedArray, listed: pa.ChunkedArray) -> pa.ChunkedArray:
    """The cells of each row as a list, from whichever way they were stored (`_joined`)."""
    split = pc.split_pattern(joined.combine_chunks(), SEPARATOR)
    values = split.flatten()
    values = pc.if_else(pc.equal(values, NULL), pa.scalar(None, pa.string()), values)
    split = pa.ListArray.from_arrays(split.offsets, values, mask=pc.is_null(split))
    return pa.chunked_array([pc.if_else(pc.is_null(joined.combine_chunks()), listed.combine_chunks(), split)])


def _runs(values: numpy.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of equal values."""
    cuts = [0, *(numpy.flatnonzero(values[1:] != values[:-1]) + 1).tolist(), len(values)]
    return list(zip(cuts[:-1], cuts[1:]))


_BLANKS = pa.array(sorted(BLANKS), pa.string())


def _ids(values: pa.Array) -> pa.Array:
    """Ids as the validator will read them (trimmed, blanks none), so ' C1' and 'C1' are one child."""
    trimmed = pc.utf8_trim_whitespace(values)
    return pc.if_else(pc.is_in(pc.utf8_upper(trimmed), _BLANKS), pa.scalar(None, pa.string()), trimmed)
