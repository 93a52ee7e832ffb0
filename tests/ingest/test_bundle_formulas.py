"""A native bundle workbook whose formula cells hold no calculated value (written by a script, never opened in
Excel): openpyxl reads them as blank, so the reader says so; a plan is never loaded as open because its end date
was a formula nobody calculated."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from paqa_dash.pipeline import run_import

PLANS = ["plan_id", "child_id", "start_date", "end_date", "initial_category", "latest_category", "team"]


@pytest.fixture(autouse=True)
def fixed_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")


def _workbook(tmp_path: Path) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    children = wb.create_sheet("children")
    children.append(["child_id", "birth_month"])
    for child in ("C1", "C2", "C3"):
        children.append([child, "2015-01"])
    plans = wb.create_sheet("plans")
    plans.append(PLANS)
    plans.append(["P1", "C1", "2022-01-10", "=C2+120", "NEG", "NEG", "North"])    # row 2: the end date a formula
    plans.append(["P2", "C2", "2022-02-01", "", "NEG", "=E3", "North"])           # row 3: an optional column
    plans.append(["P3", "C3", "2022-03-01", "2022-09-01", "NEG", "NEG", "North"])  # row 4: no formula
    for row in range(5, 9):                                                        # rows 5-8: a template's formulas
        plans.append([f"=IF(A{row - 1}=\"\",\"\",\"x\")"])
    path = tmp_path / "bundle.xlsx"
    wb.save(path)
    return path


def test_formulas_with_no_value_are_said_and_never_load_a_falsehood(tmp_path: Path) -> None:
    summary = run_import([_workbook(tmp_path)], tmp_path / "s.duckdb")
    assert summary.tables["plans"]["loaded"] == 2                   # P2 and P3; P1 is not loaded as open
    [reject] = [r for r in summary.rejects if r.table == "plans"]
    assert (reject.source, reject.row, reject.field) == ("bundle.xlsx:plans", 2, "end_date")
    assert reject.reason.startswith("formula with no calculated value: the row was not loaded")
    assert "open it in Excel (or LibreOffice) and save it" in reject.reason
    said = {(w.row, w.field): w.reason for w in summary.warnings if "formula" in w.reason}
    assert said[(3, "latest_category")].startswith("formula with no calculated value: the row was loaded without it")
    assert said[(5, None)].startswith("4 row(s) from row 5 to 8 read as blank, and were not loaded")
    assert len(said) == 2


def test_a_workbook_without_formulas_says_nothing_of_them(tmp_path: Path) -> None:
    path = _workbook(tmp_path)
    from openpyxl import load_workbook
    wb = load_workbook(path)
    ws = wb["plans"]
    ws["D2"], ws["F3"] = "2022-05-10", "NEG"
    ws.delete_rows(5, 4)
    wb.save(path)
    summary = run_import([path], tmp_path / "s.duckdb")
    assert summary.tables["plans"]["loaded"] == 3
    assert not [i for i in [*summary.rejects, *summary.warnings] if "formula" in i.reason]


# A workbook whose dates were typed into cells formatted General or Number: Excel keeps them as its day numbers
# (44489 for 20 October 2021), which the Annex A reader reads as dates; the bundle's reader does too.
def test_day_numbers_in_date_columns_are_dates_and_elsewhere_stay_numbers(tmp_path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    children = wb.create_sheet("children")
    children.append(["child_id", "birth_month"])
    children.append(["C1", "2015-01"])
    children.append([20481, "2015-02"])                      # a numeric child id is an id, not a date
    plans = wb.create_sheet("plans")
    plans.append(PLANS)
    plans.append(["P1", "C1", 44489, 44620.0, "NEG", "NEG", "North"])   # 20 Oct 2021 to 28 Feb 2022
    plans.append(["P2", "20481", "2022-03-01", None, "NEG", "NEG", "North"])
    plans.append(["P3", "C1", "not a date", None, "NEG", "NEG", "North"])
    path = tmp_path / "bundle.xlsx"
    wb.save(path)
    db = tmp_path / "s.duckdb"
    summary = run_import([path], db)
    assert summary.tables["plans"]["loaded"] == 2, summary.rejects
    con = duckdb.connect(str(db), read_only=True)
    try:
        kept = sorted(con.execute("SELECT start_date, end_date FROM plans").fetchall(), key=str)
    finally:
        con.close()
    assert kept == [(date(2021, 10, 20), date(2022, 2, 28)), (date(2022, 3, 1), None)]
    [reject] = [r for r in summary.rejects if r.table == "plans"]
    # what a workbook's date may be: a date cell too, not only text
    assert reject.row == 4 and "a date cell, DD/MM/YYYY, YYYY-MM-DD, 3 Apr 2023 or Apr 3, 2023" in reject.reason, reject.reason


def test_values_in_a_column_with_no_heading_are_said_not_dropped_unseen(tmp_path: Path) -> None:
    """A workbook's cells to the right of its last heading, or under a blank heading, belong to no column: once a
    sheet, a warning says how many rows hold some and where the first is."""
    wb = Workbook()
    wb.remove(wb.active)
    children = wb.create_sheet("children")
    children.append(["child_id", "birth_month"])
    children.append(["C1", "2015-01"])
    children.append(["C2", "2015-02", None, "Mum Jane Smith"])     # a note typed beside the table
    plans = wb.create_sheet("plans")
    plans.append([*PLANS[:3], None, *PLANS[4:]])                     # end_date's heading deleted
    plans.append(["P1", "C1", "2022-01-10", "2022-06-01", "NEG", "NEG", "North"])
    plans.append(["P2", "C2", "2022-01-10", None, "NEG", "NEG", "North"])
    path = tmp_path / "bundle.xlsx"
    wb.save(path)
    summary = run_import([path], tmp_path / "s.duckdb")
    said = sorted((w.source, w.row, w.reason) for w in summary.warnings if "no heading" in w.reason)
    assert said == [
        ("bundle.xlsx:children", 3, "1 row holds values in a column with no heading (the first at row 3): those values "
                                    "were not read; give the column a heading from the data contract, or delete them"),
        ("bundle.xlsx:plans", 2, "1 row holds values in a column with no heading (the first at row 2): those values "
                                 "were not read; give the column a heading from the data contract, or delete them")]
    assert summary.tables["plans"]["loaded"] == 2
