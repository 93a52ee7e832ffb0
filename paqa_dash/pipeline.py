"""What an import does, in order, in one transaction: read -> validate -> de-identify -> write ->
derive.

Why one module: the CLI import, the Import page, the demo generator and the benchmark all import
data, and each used to spell out part of the order (write the rows, then score matches, review
actions, number plans, sum attendance, fill the derived tables).  The order is written here once:

1. read: each source file through its reader to canonical Extracts, in bounded batches of children
   (`ingest.detect.iter_batches`: a census of a million plans, or a region's bundle or SSD extract, is never
   in memory at once; census XML is streamed, a bundle's or an SSD extract's rows wait on disk after a first
   pass, `ingest.partition`; an Annex A workbook, one authority's year, is one batch);
2. validate, de-identify and write each batch's rows, then the import run (`ingest.load.ImportWriter`;
   what spans batches, such as duplicates, references and counts, is kept by the writer);
3. derive everything worked out from the stored rows, once, in the registry's order (`derive.registry.refresh`).

Steps 1 to 3 run in one DuckDB transaction: a fatal error anywhere, in the last batch's file too,
leaves the store exactly as it was, and a reader never sees rows without what is derived from them.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator

import duckdb

from . import store
from .derive import registry
from .ingest import la_number
from .ingest.deidentify import key_file, load_key
from .ingest.detect import iter_batches
from .ingest.frames import Extract, FatalImportError
from .ingest.load import ImportSummary, ImportWriter

Progress = Callable[[float, str], None]


def run_import(paths: list[Path], db: Path, progress: Progress | None = None,
               waiting: Callable[[str], None] | None = None, authority: str | None = None,
               batch_children: int | None = None) -> ImportSummary:
    """Detect, read and load source files into the store at `db` (created if missing).

    `authority`: the DfE LA number the files belong to (`import --authority`, the Import page), for sources
    that do not state it; a file stating another is a fatal error (ingest/authority.py).

    The key is checked first (a weak or readable key refuses before any file is read), then every file is
    recognised and every census header read (a file that is no source refuses before the store is opened);
    a store held by another process is waited for (`store.connect`), then refused with one line:
    FatalImportError.  The rows are read batch by batch inside the transaction (`batch_children` children at
    a time; default cin_xml.BATCH_CHILDREN for a census, partition.BATCH_CHILDREN for a bundle or an SSD
    extract, whose files are first read through once, before the store is opened).
    Everything written (store, log, key) is readable by the owner only."""
    with store.private_files(), _removed_if_failed(db):
        named = la_number.check(authority, "--authority") if authority and authority.strip() else None
        key = load_key(db)
        batches = _named_by(iter_batches([Path(p) for p in paths], batch_children, key), named)
        try:
            con = store.connect(db, waiting=waiting)
        except store.StoreBusy as busy:
            raise FatalImportError(str(busy)) from None
        try:
            return load_batches(con, ([b] for b in batches), key, progress=progress)
        finally:
            con.close()


@contextmanager
def _removed_if_failed(db: Path) -> Iterator[None]:
    """A failed first import leaves no store behind: the files it created (the store, its key, its write-ahead
    log) are removed; an existing store keeps everything (its transaction was rolled back).  The access log
    keeps its record of the attempt: who tried to import what, and that nothing was imported, is governance's."""
    beside = [db, key_file(db), db.with_name(db.name + ".wal")]
    new = [p for p in beside if not p.exists()]
    try:
        yield
    except BaseException:
        for path in new:
            path.unlink(missing_ok=True)
        raise


def _named_by(batches: Iterable[Extract], named: str | None) -> Iterator[Extract]:
    """Each batch as read, carrying the authority the user named for the import (None: the files' own)."""
    for batch in batches:
        batch.authority = named
        yield batch


def load_extracts(con: duckdb.DuckDBPyConnection, extracts: list[Extract], key: bytes,
                  today: date | None = None, progress: Progress | None = None) -> ImportSummary:
    """Validate, de-identify, write and derive, in one transaction, the extracts as one batch."""
    return load_batches(con, [extracts], key, today=today, progress=progress)


def load_batches(con: duckdb.DuckDBPyConnection, batches: Iterable[list[Extract]], key: bytes,
                 today: date | None = None, progress: Progress | None = None) -> ImportSummary:
    """Validate, de-identify and write each batch as it comes, then derive once: all in one transaction.

    The derived entries are rewritten for the children the import changed only, where the registry can tell
    (`registry.refresh`): it is given the store as found (`registry.prior`), unless an update moved a row to
    another child, plan, event or family (the children it left are not known) or the demo store was replaced."""
    say = progress or (lambda _f, _m: None)
    with store.transaction(con):
        before = registry.prior(con)
        writer = ImportWriter(con, key, today=today, progress=say)
        try:
            for batch in batches:
                writer.write(batch)
            summary = writer.finish()
        finally:
            writer.close()
        if summary.unchanged:
            return summary
        known = not (summary.relinked or summary.replaced_synthetic)
        change = registry.Change(run_id=summary.run_id, children=frozenset(summary.changed_children),
                                 prior=before if known else None)
        registry.refresh(con, change, progress=say)
        say(1.0, "Done")
    return summary


__all__ = ["ImportSummary", "run_import", "load_extracts", "load_batches", "FatalImportError"]
