"""A native bundle workbook whose dates were typed into cells formatted General or Number: Excel keeps them as its
day numbers (44489 for 20 October 2021), which the Annex A reader reads as dates; the bundle's reader does too."""
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
    assert reject.row == 4 and "a date cell, DD/MM/YYYY or YYYY-MM-DD" in reject.reason, reject.reason
