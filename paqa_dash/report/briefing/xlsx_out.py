"""The briefing as an Excel workbook (xlsxwriter): a front sheet (filters, data date, and per table its
finding, definition and source), the headline figures, the changes since last quarter, then a sheet a table,
headers in words and codes in extra columns, small numbers as "c".

Why xlsxwriter: it writes .xlsx only (fast, no reading), is maintained and already comes with python-pptx;
it is told never to turn a string into a formula or a URL, and every text cell is neutralised as the CSVs
are (report/safe_csv.py), so a value that came from an authority's files cannot run in a spreadsheet.
openpyxl (already pinned) reads the workbook back in the tests and the comparison.
"""
from __future__ import annotations

import io
import re

import pandas as pd
import xlsxwriter

from ..safe_csv import neutralise, neutralised
from ...reference.words import counted
from .contents import LIST_NOTES, WARN_ROWS, Briefing
from .compare import CHANGE_FORMAT, CHANGE_NUMBER, FIGURES_SHEET, KEY_HEADER, SHOWN_HEADER, VALUE_HEADER

FRONT_SHEET, CHANGES_SHEET = "About", "Changes"


def heading(column: str) -> str:
    """A column name in words: 'plans_started' -> 'Plans started', 'agency_code' -> 'Agency (code)'."""
    text = str(column)
    if text.endswith("_code"):
        return heading(text[: -len("_code")]) + " (code)"
    text = text.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", title)[:28].strip() or "Table"
    base, n = name, 2
    while name.lower() in used:
        name, n = f"{base[:25]} {n}", n + 1
    used.add(name.lower())
    return name


def _write_frame(book, sheet, frame: pd.DataFrame, first_row: int = 0) -> None:
    """Headers in words, then the cells: numbers as numbers, everything else as (neutralised) text."""
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    frame = neutralised(frame)
    for j, col in enumerate(frame.columns):
        sheet.write_string(first_row, j, neutralise(heading(col)) if isinstance(col, str) else str(col), bold)
        sheet.set_column(j, j, max(12, min(60, len(heading(str(col))) + 2)))
        for i, value in enumerate(frame[col].tolist(), start=first_row + 1):
            if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
                continue
            if isinstance(value, bool):
                sheet.write_boolean(i, j, value)
            elif isinstance(value, (int, float)):
                sheet.write_number(i, j, value)
            elif isinstance(value, pd.Timestamp):
                sheet.write_string(i, j, value.date().isoformat())
            else:
                sheet.write_string(i, j, str(value))
    sheet.freeze_panes(first_row + 1, 0)


def _write_changes(book, sheet, changes: pd.DataFrame) -> None:
    """The Changes sheet: each change a number shown with its sign ("+9", "-3.1 pts"), not a text the formula guard
    would show as "'+9"; "–" where there is none to compare."""
    shown = changes.drop(columns=[CHANGE_NUMBER, CHANGE_FORMAT])
    _write_frame(book, sheet, shown)
    column = list(shown.columns).index("Change")
    formats: dict[str, object] = {}
    for i, (number, fmt) in enumerate(zip(changes[CHANGE_NUMBER], changes[CHANGE_FORMAT]), start=1):
        if number is not None and number == number:
            cell = formats.setdefault(fmt, book.add_format({"num_format": fmt}))
            sheet.write_number(i, column, float(number), cell)


def xlsx_bytes(b: Briefing) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    used = {FRONT_SHEET.lower(), FIGURES_SHEET.lower(), CHANGES_SHEET.lower()}
    tables = [(c, _sheet_name(c.key.replace("_", " ").capitalize(), used)) for c in b.charts if not c.table.empty]
    lists = [(title, _sheet_name(title, used)) for title in b.lists]

    front = book.add_worksheet(FRONT_SHEET)
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    warn = book.add_format({"bold": True, "font_color": "#D55E00"})
    front.set_column(0, 0, 34)
    front.set_column(1, 1, 60)
    front.set_column(2, 2, 90)
    front.write_string(0, 0, b.title, book.add_format({"bold": True, "font_size": 16}))
    row = 2
    for key, value in b.front():
        front.write_string(row, 0, key, warn if key in ("SYNTHETIC DATA", *WARN_ROWS) else bold)
        front.write_string(row, 1, neutralise(value), wrap)
        row += 1
    row += 1
    for col, text in enumerate(("Sheet", "Finding (the chart's title)", "Definition and source")):
        front.write_string(row, col, text, bold)
    row += 1
    front.write_string(row, 0, FIGURES_SHEET, wrap)
    front.write_string(row, 1, "Headline figures", wrap)
    front.write_string(row, 2, "The figures of `python -m paqa_dash metrics --json` for these filters (the key "
                               "column names each one); \"c\": a suppressed small number.", wrap)
    for chart, name in tables:
        row += 1
        front.write_string(row, 0, name, wrap)
        front.write_string(row, 1, neutralise(chart.title), wrap)
        front.write_string(row, 2, neutralise(chart.notes), wrap)
    for title, name in lists:   # named here and in the handling line: a sheet of children is never unlisted
        row += 1
        front.write_string(row, 0, name, wrap)
        front.write_string(row, 1, neutralise(f"{title}: {counted(len(b.lists[title]), 'row')} naming children"), wrap)
        front.write_string(row, 2, neutralise(LIST_NOTES.get(title, "Child-level rows, by pseudonym.")), wrap)
    for chart in b.charts:
        if chart.table.empty:
            row += 1
            front.write_string(row, 0, "–", wrap)
            front.write_string(row, 1, neutralise(chart.title), wrap)
            front.write_string(row, 2, neutralise(chart.notes), wrap)

    figures = pd.DataFrame({"Figure": [f.label for f in b.figures], SHOWN_HEADER: [f.shown for f in b.figures],
                            VALUE_HEADER: [f.number for f in b.figures], KEY_HEADER: [f.key for f in b.figures]})
    _write_frame(book, book.add_worksheet(FIGURES_SHEET), figures)
    if b.changes is not None:
        _write_changes(book, book.add_worksheet(CHANGES_SHEET), b.changes)
    for chart, name in tables:
        _write_frame(book, book.add_worksheet(name), chart.worded_table())
    for title, name in lists:
        _write_frame(book, book.add_worksheet(name), b.lists[title])
    book.close()
    return out.getvalue()
