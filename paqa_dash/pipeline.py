"""What an import does, in order, in one transaction: read -> validate -> de-identify -> write ->
derive.

Why one module: the CLI import, the Import page, the demo generator and the benchmark all import
data, and each used to spell out part of the order (write the rows, then score matches, review
actions, number plans, sum attendance, fill the derived tables).  The order is written here once:

1. read: each source file through its reader to a canonical Extract (`ingest.detect.read_all`);
2. validate, de-identify and write the canonical rows and the import run (`ingest.load.write_extracts`);
3. derive everything worked out from the stored rows, in the registry's order (`derive.registry.refresh`).

Steps 2 and 3 run in one DuckDB transaction: a fatal error anywhere leaves the store exactly as it
was, and a reader never sees rows without what is derived from them.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable

import duckdb

from . import store
from .derive import registry
from .ingest import la_number
from .ingest.deidentify import load_key
from .ingest.detect import read_all
from .ingest.frames import Extract, FatalImportError
from .ingest.load import ImportSummary, write_extracts

Progress = Callable[[float, str], None]


def run_import(paths: list[Path], db: Path, progress: Progress | None = None,
               waiting: Callable[[str], None] | None = None, authority: str | None = None) -> ImportSummary:
    """Detect, read and load source files into the store at `db` (created if missing).

    `authority`: the DfE LA number the files belong to (`import --authority`, the Import page), for sources
    that do not state it; a file stating another is a fatal error (ingest/authority.py).

    The key is checked first (a weak or readable key refuses before any file is read); a store held by
    another process is waited for (`store.connect`), then refused with one line: FatalImportError.
    Everything written (store, log, key) is readable by the owner only."""
    with store.private_files():
        named = la_number.check(authority, "--authority") if authority and authority.strip() else None
        key = load_key(db)
        extracts = read_all([Path(p) for p in paths])
        for extract in extracts:
            extract.authority = named
        try:
            con = store.connect(db, waiting=waiting)
        except store.StoreBusy as busy:
            raise FatalImportError(str(busy)) from None
        try:
            return load_extracts(con, extracts, key, progress=progress)
        finally:
            con.close()


def load_extracts(con: duckdb.DuckDBPyConnection, extracts: list[Extract], key: bytes,
                  today: date | None = None, progress: Progress | None = None) -> ImportSummary:
    """Validate, de-identify, write and derive, in one transaction."""
    say = progress or (lambda _f, _m: None)
    with store.transaction(con):
        summary = write_extracts(con, extracts, key, today=today, progress=say)
        if summary.unchanged:
            return summary
        change = registry.Change(run_id=summary.run_id, children=frozenset(summary.changed_children))
        registry.refresh(con, change, progress=say)
        say(1.0, "Done")
    return summary


__all__ = ["ImportSummary", "run_import", "load_extracts", "FatalImportError"]
