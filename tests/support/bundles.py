"""A native bundle folder written from CSV texts, for the tests that import a few hand-made rows."""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook


def write_bundle(folder: Path, **tables: str) -> Path:
    """`folder` (made) holding one `<table>.csv` per keyword, its text as given: write_bundle(p, plans="...")."""
    folder.mkdir(parents=True)
    for table, text in tables.items():
        (folder / f"{table}.csv").write_text(text)
    return folder


def bundle_workbook(**sheets: list[list[object]]) -> Workbook:
    """A bundle workbook (unsaved, so a test may set its date system or merge cells first) with one sheet per
    keyword, in the order given, holding the rows given: bundle_workbook(children=[["child_id"], ["K1"]])."""
    wb = Workbook()
    wb.remove(wb.active)
    for table, rows in sheets.items():
        ws = wb.create_sheet(table)
        for row in rows:
            ws.append(row)
    return wb
