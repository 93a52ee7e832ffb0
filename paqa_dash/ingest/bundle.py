"""The native bundle (docs/data_contract.md): a folder of CSV files, or one `.xlsx` workbook with a sheet per table.

Only the canonical columns are kept.  Any other column is reported as ignored (it may hold names),
and the values of columns that look like names are kept aside, only to scrub them from free text.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from itertools import chain
from pathlib import Path
from typing import Iterable, Iterator, TextIO

import pandas as pd

from . import csvfile, dates, formulas, la_number, limits, merges, partition, textfile
from .codes import (EXCEL_EPOCH, HEADING_AGAIN, TOTALS_ROW, LostZeros, cell_text, heading_again, iso_date,
                    totals_row, workbook_epoch)
from .frames import COLUMNS, KEYS, REQUIRED, TABLES, Extract, FatalImportError, Issue
from .validate import DATE_COLUMNS, clean_value
from ..reference.words import counted, plural

NAME_COLUMN = re.compile(r"name|forename|surname|worker|parent|carer|mother|father", re.IGNORECASE)


def canonical(name: str) -> str:
    """A file's or a column's name as the bundle spells it: `Family Changes` -> 'family_changes', `Child ID` ->
    'child_id' (spreadsheets' headings are written with spaces and capitals)."""
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def table_of(path: Path) -> str | None:
    """`Children.CSV` -> 'children'; None for a file that is not a bundle table."""
    stem = canonical(path.stem)
    return stem if stem in TABLES else None


def read(paths: list[Path]) -> Extract:
    """Read CSV files (given one by one or as folders) and `.xlsx` bundles into one extract."""
    return next(batches(paths, None))


# How the first pass places each table's rows in batches (ingest/partition.py): the column naming the row's
# child, the ids other rows find it by, and the record it must come with or after.
_PLACES: dict[str, tuple[str | None, dict[str, str], tuple[str, str] | None]] = {
    "children": ("child_id", {"family": "family_id"}, None),
    "plans": ("child_id", {"plan": "plan_id"}, None),
    "events": ("child_id", {"event": "event_id"}, ("plan", "plan_id")),
    "attendance": (None, {}, ("event", "event_id")),
    "family_changes": ("child_id", {}, ("family", "family_id")),
    "needs": ("child_id", {}, ("plan", "plan_id")),
    "actions": (None, {}, ("plan", "plan_id")),
}


@dataclass
class _Sheet:
    """One table file or worksheet as the first pass found it: the canonical columns it has (in order),
    and whether its dates are written month-first."""

    table: str
    source: str
    columns: list[str]
    month_first: bool = False


def batches(paths: list[Path], batch_children: int | None) -> Iterator[Extract]:
    """The bundle's rows in batches of `batch_children` children (None: one batch), each child's rows in one
    batch, a row needing another record (an action its plan) with or after it (ingest/partition.py).

    The first pass, now, reads every file once: the header checks, the columns that hold names (their
    values kept to scrub), each file's date order, and every row to the partition on disk; a file that cannot
    be read stops the import here, before any batch.  The file-wide warnings and the names go with the first
    batch; each row's rejects with its own."""
    files, workbooks, ignored = _files(paths)
    only_workbooks = bool(workbooks) and not files
    extract = Extract(kind="bundle_xlsx" if only_workbooks else "bundle", files=list(paths),
                      date_formats=dates.WORKBOOK_DATES if only_workbooks else None)
    for name in ignored:
        extract.warnings.append(Issue("bundle", name, None, None, f"file '{name}' is not a bundle table; ignored"))
    rows = partition.Partition(sum(f.stat().st_size for f in [*files, *workbooks]))
    sheets: list[_Sheet] = []
    try:
        for f in files:
            try:
                read = _read_csv(f)
            except csvfile.EmptyFile:
                _empty(extract, table_of(f), f.name)  # type: ignore[arg-type]
                continue
            _first_pass(extract, rows, sheets, table_of(f), f.name, *read)  # type: ignore[arg-type]
        for wb in workbooks:
            zeros = LostZeros()
            for table, header, found, blank, fill in _read_workbook(wb, zeros):
                source = f"{wb.name}:{table}"
                if not any(h.strip() for h in header):  # no heading: a sheet with nothing in it, or rows unheaded
                    first = next(found, None)
                    if first is None:
                        _empty(extract, table, source)
                        continue
                    found = chain([first], found)
                _first_pass(extract, rows, sheets, table, source, header,
                            _calculated(extract, table, source, header, found, blank))
                # the sheet's rows are read by now: the cells its merged ranges filled are known
                merges.said(fill.used, {i: h for i, h in enumerate(header) if canonical(h) in COLUMNS[table]}, table,
                            source, extract)
            for source, lost in zeros.said(restores=False):   # child ids Excel turned into numbers
                extract.warnings.append(Issue(source.rsplit(":", 1)[1], source, None, "child_id", lost))
    except BaseException:
        rows.close()
        raise
    return _extracts(extract, sheets, rows.batches(batch_children))


def _files(paths: list[Path]) -> tuple[list[Path], list[Path], list[str]]:
    """The CSV tables and the workbooks among `paths` (folders opened), and the files of a folder ignored."""
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
    return files, workbooks, ignored


# The tables the core measures need (docs/data_contract.md, "The native bundle"): a file of one of them given empty
# stops the import (an export that failed); any other table given empty loads nothing, with a warning.
NEEDED_TABLES = ("children", "plans")


def _empty(extract: Extract, table: str, source: str) -> None:
    """A table file (or sheet) with nothing in it: fatal for a table the import needs, else a warning."""
    if table in NEEDED_TABLES:
        raise FatalImportError(f"{source}: {csvfile.EMPTY}, and {table} is needed: "
                               "export it again, or leave it out of the import if no rows have changed")
    extract.warnings.append(Issue(table, source, None, None, csvfile.EMPTY_FILE, own_words=True))


def _encoding(path: Path) -> tuple[str, str | None]:
    """The encoding to read `path` with, and the note to give about it; FatalImportError for no text file."""
    found = textfile.scan(path)
    if found.blank:
        raise csvfile.EmptyFile(f"{path.name}: the file is empty")
    if found.utf16:  # Excel's "Unicode text" saves UTF-16 with a BOM
        return "utf-16", "file is UTF-16; read as such"
    if found.nul_line is not None and found.nul_early:
        raise FatalImportError(f"{path.name}: this is a binary file, not a CSV text file")
    if found.nul_line is not None:  # a NUL byte is never text: the file is damaged or not what it seems
        raise FatalImportError(f"{path.name}: line {found.nul_line} holds a NUL byte (a damaged or binary file)")
    if found.utf8:
        return "utf-8-sig", None
    return "cp1252", "file is not UTF-8; read as Windows-1252"


_SEPARATOR_LINE = re.compile(r"^\s*sep=([,;\t])\s*$", re.IGNORECASE)


def _read_csv(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]], str | None, str]:
    """Header, (line number, values) rows read as they are asked for, the note about the file and its separator;
    a row's number is the line it starts on, as an editor shows it (csvfile.records)."""
    encoding, note = _encoding(path)
    try:
        first_line = textfile.first_line(path, encoding)
    except UnicodeDecodeError:
        raise FatalImportError(f"{path.name}: the file says UTF-16 but cannot be decoded as it") from None
    # Excel in some locales saves CSV with semicolons (or tabs); the header line tells which, unless the file begins
    # with Excel's separator line (`sep=;`, written by exports so Excel splits it in any locale), which says it.
    said = _SEPARATOR_LINE.match(first_line)
    delimiter = said.group(1) if said else max((",", ";", "\t"), key=first_line.count)
    if delimiter != ",":
        note = "; ".join(filter(None, [note, f"values separated by {'tabs' if delimiter == chr(9) else 'semicolons'}"]))
    stream = textfile.open_text(path, encoding)
    rows = _csv_rows(path, stream, delimiter)
    try:
        if said:
            next(rows)  # the separator line: not the header
        _, header = next(rows)
    except StopIteration:
        raise csvfile.EmptyFile(f"{path.name}: the file is empty") from None
    return header, rows, note, delimiter


def _csv_rows(path: Path, stream: TextIO, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    with stream:
        try:
            yield from csvfile.records(path.name, stream, delimiter)
        except UnicodeDecodeError:
            raise FatalImportError(f"{path.name}: the file says UTF-16 but cannot be decoded as it") from None


def _read_workbook(path: Path, zeros: LostZeros) -> Iterator[tuple[str, list[str], Iterator[tuple[int, list[str]]],
                                                                   formulas.Uncalculated, merges.Filler]]:
    """Each bundle sheet's table, header, rows, formula cells with no calculated value (which openpyxl
    reads as blank) and the filler of its cells merged down rows (`merges.Filler`: each such cell read with the
    value Excel shows, as an Annex A list's); a sheet's rows must be read before the next sheet.  Each child_id
    cell is shown to `zeros` as the sheet holds it (a number has lost its leading zeros: codes.LostZeros)."""
    from openpyxl import load_workbook

    limits.check_workbook(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
        parts = formulas.sheet_parts(path)
    except Exception as e:  # openpyxl raises many kinds for a broken file
        raise FatalImportError(f"{path.name}: not a readable Excel workbook ({type(e).__name__})") from None
    found = False
    epoch = workbook_epoch(wb)  # a 1904 workbook's day numbers count from 1904 (Mac Excel)
    try:
        for ws in wb.worksheets:
            table = table_of(Path(ws.title))
            if not table:
                continue
            found = True
            ws.reset_dimensions()  # the stored size may be wrong (rows past it were lost): read to the end
            where = f"{path.name}: sheet '{ws.title}'"
            it = (_bounded_row(where, i, values) for i, values in enumerate(ws.iter_rows(values_only=True), start=1))
            header = [(cell_text(v) or "") for v in next(it, ())]
            dated = frozenset(i for i, h in enumerate(header) if canonical(h) in DATE_COLUMNS.get(table, ()))
            fill = merges.Filler(merges.merged_ranges(path, parts[ws.title]))
            child = next((j for j, h in enumerate(header) if canonical(h) == "child_id"), None)
            rows = _sheet_rows(it, fill, dated, epoch, child, zeros, f"{path.name}:{table}")
            yield table, header, rows, formulas.uncalculated(path, parts[ws.title]), fill
    finally:
        wb.close()
    if not found:
        raise FatalImportError(f"{path.name}: no sheet is named after a bundle table ({', '.join(TABLES)})")


def _sheet_rows(it: Iterator[tuple], fill: merges.Filler, dated: frozenset[int], epoch: date, child: int | None,
                zeros: LostZeros, source: str) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row, cells as text) of a sheet's rows that hold anything, merged cells filled; the child_id cell
    (column `child`) of each shown to `zeros` first, as the sheet holds it."""
    for i, values in enumerate(it, start=2):
        if not any(v not in (None, "") for v in values):
            continue
        values = fill(i, values)
        if child is not None and child < len(values):
            zeros.see(source, i, values[child])
        yield i, [_cell(v, j in dated, epoch) for j, v in enumerate(values)]


def _cell(value: object, dated: bool, epoch: date = EXCEL_EPOCH) -> str:
    """One workbook cell as text; in a date column, a number is Excel's day number (a date typed into a cell
    formatted General or Number shows as 44489), read as the date it stands for in the workbook's date system
    (`epoch`), as the Annex A reader does."""
    if dated and isinstance(value, (int, float)) and not isinstance(value, bool):
        return iso_date(value, epoch) or ""
    return cell_text(value) or ""


# Columns whose blank says something (a plan still open, a need not resolved, an action not done): a formula
# read as blank there would load a falsehood, as it would in a required column.
_BLANK_SAYS = frozenset({"end_date", "resolved_date", "completed_date"})


def _calculated(extract: Extract, table: str, source: str, header: list[str], rows: Iterable[tuple[int, list[str]]],
                found: formulas.Uncalculated) -> Iterator[tuple[int, list[str]]]:
    """The sheet's rows as formulas.said leaves them: vital are the required columns and those whose blank says
    something; columns the bundle does not read are ignored anyway."""
    columns = {i: (canonical(h), h) for i, h in enumerate(header) if canonical(h) in COLUMNS[table]}
    vital = set(REQUIRED[table]) | _BLANK_SAYS | ({"family_id", "child_id"} if table == "family_changes" else set())
    return formulas.said(found, rows, columns, vital, 1, table, source, extract)


def _bounded_row(where: str, number: int, values: tuple) -> tuple:
    limits.check_row(where, number, len(values))
    for v in values:
        limits.check_cell(where, v)
    return values


def _first_pass(extract: Extract, rows: partition.Partition, sheets: list[_Sheet], table: str, source: str,
                header: list[str], found: Iterable[tuple[int, list[str]]], note: str | None = None,
                delimiter: str | None = None) -> None:
    """Check one file's header, note its warnings, keep the values of its name columns (to scrub), judge its
    date order, and send its rows to the partition (the canonical columns only).  A CSV file's row with more
    values than its header (`delimiter`: the file's separator; None for a sheet, whose cells are never split
    wrongly) is a reject instead, its names still kept: one of them may be written in another row's text; a CSV
    file with no row gets a warning saying so (an import of such files alone would load nothing, silently)."""
    names = [canonical(h) for h in header]
    missing = [c for c in REQUIRED[table] if c not in names]
    if table == "family_changes" and "family_id" not in names and "child_id" not in names:
        missing.append("family_id or child_id")
    if missing:
        raise FatalImportError(f"{source}: missing required column '{missing[0]}'")
    repeated = sorted(h for h, n in Counter(names).items() if h and n > 1)
    if repeated:  # which of the two is meant cannot be guessed
        raise FatalImportError(f"{source}: column '{repeated[0]}' appears more than once in the header")
    if note:
        extract.warnings.append(Issue(table, source, None, None, note, own_words=True))
    positions = {c: names.index(c) for c in COLUMNS[table] if c in names}
    name_columns = []
    for i, h in enumerate(names):
        if h and h not in COLUMNS[table]:
            extract.warnings.append(Issue(table, source, 1, header[i], f"unknown column '{header[i]}' ignored"))
            if NAME_COLUMN.search(h):
                name_columns.append(i)
    columns = list(positions)
    date_columns = [c for c in DATE_COLUMNS.get(table, ()) if c in positions]
    evidence = {c: dates.Evidence() for c in date_columns}
    child, keys, via = _PLACES[table]
    at = {c: columns.index(c) for c in columns}
    places = partition.Places(child=at.get(child) if child else None,
                              keys={name: at[c] for name, c in keys.items() if c in at},
                              via=(via[0], at[via[1]]) if via and via[1] in at else None)
    authority = at.get("authority") if table == "children" else None
    key_at = names.index(KEYS[table][0])   # the table's id (required): where a totals row names itself
    id_heading = header[key_at].strip()
    lines: list[int] = []
    cells: list[list[str | None]] = []
    seen = False
    unheaded = _Unheaded(header)
    for line, r in found:
        seen = True
        if name_columns:
            extract.names.update(r[i].strip() for i in name_columns if i < len(r) and r[i].strip())
        if delimiter and (unsplit := csvfile.unsplit(r, len(header), delimiter)):
            extract.rejects.append(Issue(table, source, line, None, unsplit))
            continue
        if totals_row(r, key_at):   # `Total,2` under the rows of a file kept in Excel: not a record (Annex A's rule)
            extract.warnings.append(Issue(table, source, line, header[key_at], TOTALS_ROW))
            continue
        if heading_again(r, key_at, id_heading):   # two exports pasted one under the other (Annex A's rule too)
            extract.warnings.append(Issue(table, source, line, header[key_at], HEADING_AGAIN))
            continue
        row = [r[p] if p < len(r) else None for p in positions.values()]  # a short row's last values: blank
        unheaded.see(line, r)
        for c in date_columns:
            evidence[c].see(row[at[c]])
        if authority is not None and la_number.is_code(named := clean_value(row[authority] or "")):
            extract.authorities_named.add(named)  # type: ignore[arg-type]
        lines.append(line)
        cells.append(row)
        if len(lines) == partition.CHUNK:
            rows.add(len(sheets), places, lines, cells)
            lines, cells = [], []
    rows.add(len(sheets), places, lines, cells)
    if delimiter and not seen:  # (a sheet's rows may all be said already, as formulas never calculated)
        extract.warnings.append(Issue(table, source, None, None, csvfile.NO_ROWS, own_words=True))
    if unheaded.rows:
        extract.warnings.append(Issue(table, source, unheaded.first, None, unheaded.said(), own_words=True))
    month_first = dates.Evidence.joined([evidence[c] for c in date_columns]).order(source) == dates.MONTH_FIRST
    if month_first:
        extract.warnings.append(Issue(table, source, None, None, dates.WARNING))
    sheets.append(_Sheet(table, source, columns, month_first))


_NO_ROWS = partition.Sheet([], [])


class _Unheaded:
    """Rows holding values in a column with no heading (a blank heading; in a workbook also cells to the right of
    the last heading): those values cannot be read as any column, and are said, once a file, not dropped unseen."""

    def __init__(self, header: list[str]) -> None:
        self.width = len(header)
        self.blank = [i for i, h in enumerate(header) if not h.strip()]
        self.rows = 0
        self.first: int | None = None

    def see(self, line: int, values: list[str]) -> None:
        if any(values[i].strip() for i in self.blank if i < len(values)) or \
                any(v.strip() for v in values[self.width:]):
            self.rows += 1
            self.first = self.first or line

    def said(self) -> str:
        return (f"{counted(self.rows, 'row')} {plural('holds', self.rows, 'hold')} values in a column with no "
                f"heading (the first at row {self.first}): those values were not read; give the column a heading "
                "from the data contract, or delete them")


def _extracts(first: Extract, sheets: list[_Sheet], batches: Iterator[partition.Batch]) -> Iterator[Extract]:
    """Each batch of rows as an Extract: every table read, its frames built from the batch's rows as one
    batch builds them (dates of a month-first file written day-first); the first carries the warnings and
    names of the first pass."""
    extract = first
    for batch in batches:
        for number, sheet in enumerate(sheets):
            _add(extract, sheet, batch.get(number, _NO_ROWS))
        yield extract
        extract = Extract(kind=first.kind, files=first.files, authorities_named=first.authorities_named,
                          date_formats=first.date_formats)


def _add(extract: Extract, sheet: _Sheet, rows: partition.Sheet) -> None:
    data = {c: rows.columns[i] if rows.columns else [] for i, c in enumerate(sheet.columns)}
    if sheet.month_first:
        for c in DATE_COLUMNS.get(sheet.table, ()):
            if c in data:
                data[c] = [dates.as_day_first(v) for v in data[c]]
    frame = pd.DataFrame(data, dtype=object)
    frame["_source"] = sheet.source
    frame["_row"] = rows.lines
    old = extract.tables.get(sheet.table)
    extract.tables[sheet.table] = frame if old is None else pd.concat([old, frame], ignore_index=True)
