"""The native bundle (docs/data_contract.md): a folder of CSV files, or one `.xlsx` workbook with a sheet per table.

Only the canonical columns are kept.  Any other column is reported as ignored (it may hold names),
and the values of columns that look like names are kept aside, only to scrub them from free text.
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import pandas as pd

from . import dates, limits
from .codes import cell_text
from .frames import COLUMNS, REQUIRED, TABLES, Extract, FatalImportError, Issue
from .validate import DATE_COLUMNS

NAME_COLUMN = re.compile(r"name|forename|surname|worker|parent|carer|mother|father", re.IGNORECASE)


def table_of(path: Path) -> str | None:
    """`Children.CSV` -> 'children'; None for a file that is not a bundle table."""
    stem = path.stem.strip().lower().replace(" ", "_").replace("-", "_")
    return stem if stem in TABLES else None


def read(paths: list[Path]) -> Extract:
    """Read CSV files (given one by one or as folders) and `.xlsx` bundles into one extract."""
    files: list[Path] = []
    workbooks: list[Path] = []
    ignored: list[str] = []
    for path in paths:
        if path.is_dir():
            found = [p for p in sorted(path.iterdir()) if p.suffix.lower() == ".csv" and table_of(p)]
            ignored.extend(p.name for p in sorted(path.iterdir()) if p.is_file() and p not in found)
            if not found:
                raise FatalImportError(f"{path.name}: no bundle files found (expected e.g. children.csv, plans.csv)")
            files.extend(found)
        elif path.suffix.lower() in (".xlsx", ".xlsm"):
            workbooks.append(path)
        else:
            if not table_of(path):
                raise FatalImportError(f"{path.name}: not a bundle table name (expected one of {', '.join(TABLES)})")
            files.append(path)
    extract = Extract(kind="bundle_xlsx" if workbooks and not files else "bundle", files=list(paths))
    for name in ignored:
        extract.warnings.append(Issue("bundle", name, None, None, f"file '{name}' is not a bundle table; ignored"))
    for f in files:
        _add(extract, table_of(f), f.name, *_read_csv(f))  # type: ignore[arg-type]
    for wb in workbooks:
        for table, header, rows in _read_workbook(wb):
            _add(extract, table, f"{wb.name}:{table}", header, rows)
    return extract


def _decode(path: Path) -> tuple[str, str | None]:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise FatalImportError(f"{path.name}: cannot be read ({e.strerror})") from None
    if not data.strip():
        raise FatalImportError(f"{path.name}: the file is empty")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode text" saves UTF-16 with a BOM
        try:
            return data.decode("utf-16"), "file is UTF-16; read as such"
        except UnicodeDecodeError:
            raise FatalImportError(f"{path.name}: the file says UTF-16 but cannot be decoded as it") from None
    if b"\x00" in data[:4096]:
        raise FatalImportError(f"{path.name}: this is a binary file, not a CSV text file")
    if (nul := data.find(b"\x00")) >= 0:  # a NUL byte is never text: the file is damaged or not what it seems
        line = data.count(b"\n", 0, nul) + 1
        raise FatalImportError(f"{path.name}: line {line} holds a NUL byte (a damaged or binary file)")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "file is not UTF-8; read as Windows-1252"


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], str | None]:
    """Header and (line number, values) rows; line numbers count physical lines, as an editor shows them."""
    text, note = _decode(path)
    first_line = text.split("\n", 1)[0]
    # Excel in some locales saves CSV with semicolons (or tabs); the header line tells which.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    if delimiter != ",":
        note = "; ".join(filter(None, [note, f"values separated by {'tabs' if delimiter == chr(9) else 'semicolons'}"]))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise FatalImportError(f"{path.name}: the file is empty") from None
    except csv.Error as e:
        raise FatalImportError(f"{path.name}: not a readable CSV file ({e})") from None
    rows: list[tuple[int, list[str]]] = []
    try:
        for values in reader:
            if any(v.strip() for v in values):
                rows.append((reader.line_num, values))
    except csv.Error as e:
        raise FatalImportError(f"{path.name}: line {reader.line_num}: not readable as CSV ({e})") from None
    return header, rows, note


def _read_workbook(path: Path) -> list[tuple[str, list[str], list[tuple[int, list[str]]]]]:
    from openpyxl import load_workbook

    limits.check_workbook(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a broken file
        raise FatalImportError(f"{path.name}: not a readable Excel workbook ({type(e).__name__})") from None
    out = []
    try:
        for ws in wb.worksheets:
            table = table_of(Path(ws.title))
            if not table:
                continue
            ws.reset_dimensions()  # the stored size may be wrong (rows past it were lost): read to the end
            where = f"{path.name}: sheet '{ws.title}'"
            it = (_bounded_row(where, i, values) for i, values in enumerate(ws.iter_rows(values_only=True), start=1))
            header = [(cell_text(v) or "") for v in next(it, ())]
            rows = [(i, [cell_text(v) or "" for v in values]) for i, values in enumerate(it, start=2)
                    if any(v not in (None, "") for v in values)]
            out.append((table, header, rows))
    finally:
        wb.close()
    if not out:
        raise FatalImportError(f"{path.name}: no sheet is named after a bundle table ({', '.join(TABLES)})")
    return out


def _bounded_row(where: str, number: int, values: tuple) -> tuple:
    limits.check_row(where, number, len(values))
    for v in values:
        limits.check_cell(where, v)
    return values


def _add(extract: Extract, table: str, source: str, header: list[str], rows: list[tuple[int, list[str]]],
         note: str | None = None) -> None:
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED[table] if c not in names]
    if table == "family_changes" and "family_id" not in names and "child_id" not in names:
        missing.append("family_id or child_id")
    if missing:
        raise FatalImportError(f"{source}: missing required column '{missing[0]}'")
    repeated = sorted(h for h, n in Counter(names).items() if h and n > 1)
    if repeated:  # which of the two is meant cannot be guessed
        raise FatalImportError(f"{source}: column '{repeated[0]}' appears more than once in the header")
    if note:
        extract.warnings.append(Issue(table, source, None, None, note))
    positions = {c: names.index(c) for c in COLUMNS[table] if c in names}
    for i, h in enumerate(names):
        if h and h not in COLUMNS[table]:
            extract.warnings.append(Issue(table, source, 1, header[i], f"unknown column '{header[i]}' ignored"))
            if NAME_COLUMN.search(h):
                extract.names.update(r[i].strip() for _, r in rows if i < len(r) and r[i].strip())
    data = {c: [r[p] if p < len(r) else None for _, r in rows] for c, p in positions.items()}
    date_columns = [c for c in DATE_COLUMNS.get(table, ()) if c in data]
    if dates.order_of((v for c in date_columns for v in data[c]), source) == dates.MONTH_FIRST:
        extract.warnings.append(Issue(table, source, None, None, dates.WARNING))
        for c in date_columns:
            data[c] = [dates.as_day_first(v) for v in data[c]]
    frame = pd.DataFrame(data, dtype=object)
    frame["_source"] = source
    frame["_row"] = [n for n, _ in rows]
    old = extract.tables.get(table)
    extract.tables[table] = frame if old is None else pd.concat([old, frame], ignore_index=True)
