"""How much an import will read, checked before reading: unpacked size, rows, columns and cell length.

Why: source files are untrusted.  A 2.6 MB workbook can unpack to gigabytes (a zip bomb) and a small sheet
can declare millions of cells; read whole, either takes the machine's memory before any row is judged.  The
zip's own directory says how large each part unpacks, and Python's zipfile never inflates a part beyond
what the directory declares (it stops with a CRC error), so checking the directory first bounds the work.
The limits are far above a real authority's files and can be raised for a national extract.
"""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

from .frames import FatalImportError

UNPACKED_ENV = "PAQA_MAX_UNPACKED_MB"  # the most a workbook may unpack to, in MB (default 512)
DEFAULT_UNPACKED_MB = 512
MAX_RATIO = 200           # a part that unpacks to more than 200 times its packed size (and > 16 MB) is a bomb
RATIO_FROM = 16 * 2**20
MAX_ROWS = 1_048_576      # Excel's own limits: a sheet with more was not written by Excel
MAX_COLUMNS = 16_384
MAX_CELL_CHARS = 32_767   # Excel's limit on one cell's text; CIN XML values are far shorter
# The longest value a CSV file may hold (characters).  A CSV has no Excel limit: a case system's export can put a
# long case note in one field, past Python csv's default of 131,072, which stopped the whole import.  10 million
# is the field the scrubber is timed on (`python -m paqa_dash.benchmark.scrub`), so a value this long is still
# scrubbed in bounded time; a longer one is no free text, and stops the import naming its file and line.
MAX_CSV_FIELD_CHARS = 10_000_000
XML_ENV = "PAQA_MAX_XML_MB"  # the largest XML file read, in MB (default 4096: a national census year)
DEFAULT_XML_MB = 4096


def _megabytes(env: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(env) or default)) * 2**20
    except ValueError:
        return default * 2**20


def check_workbook(path: Path) -> None:
    """Refuse a workbook whose parts unpack beyond the limit, or far beyond their packed size (before any
    part is inflated: a reader opening the workbook inflates its shared strings at once)."""
    limit = _megabytes(UNPACKED_ENV, DEFAULT_UNPACKED_MB)
    try:
        with zipfile.ZipFile(path) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # not a zip at all: the reader says so in its own words
    total = sum(p.file_size for p in parts)
    if total > limit:
        raise FatalImportError(f"{path.name}: unpacks to {total / 2**20:,.0f} MB, more than the "
                               f"{limit / 2**20:,.0f} MB limit ({UNPACKED_ENV}); not read")
    for p in parts:
        if p.file_size > RATIO_FROM and p.file_size > MAX_RATIO * max(p.compress_size, 1):
            raise FatalImportError(f"{path.name}: part {p.filename} unpacks to {p.file_size / 2**20:,.0f} MB from "
                                   f"{p.compress_size / 2**20:,.1f} MB (over {MAX_RATIO} times); not read")


def check_xml(path: Path) -> None:
    limit = _megabytes(XML_ENV, DEFAULT_XML_MB)
    size = path.stat().st_size if path.is_file() else 0
    if size > limit:
        raise FatalImportError(f"{path.name}: {size / 2**20:,.0f} MB, more than the {limit / 2**20:,.0f} MB "
                               f"limit ({XML_ENV}); not read")


def check_row(where: str, row_number: int, width: int) -> None:
    """Called for each sheet row as it is read: the row and column limits."""
    if row_number > MAX_ROWS:
        raise FatalImportError(f"{where}: more than {MAX_ROWS:,} rows (Excel's limit); not read")
    if width > MAX_COLUMNS:
        raise FatalImportError(f"{where}: row {row_number} has {width:,} columns, more than {MAX_COLUMNS:,}")


def check_cell(where: str, value: object) -> None:
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        raise FatalImportError(f"{where}: a cell holds {len(value):,} characters, more than {MAX_CELL_CHARS:,}")
