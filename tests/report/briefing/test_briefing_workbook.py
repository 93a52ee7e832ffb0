"""The workbook's cells as a reader of Excel sees them, read back with openpyxl: the Changes sheet's signed changes, a
suppressed previous value, the last gap bucket, the median gap's unit."""
from __future__ import annotations

import openpyxl
import pandas as pd

from paqa_dash.cli import main
from paqa_dash.report.briefing.sections import gap_table

LEAD = ["--from", "2024-04-01", "--to", "2025-03-31"]


def test_the_changes_sheet_shows_signed_numbers_and_keeps_a_suppressed_c(demo_store, tmp_path):
    """"'+9" and "'-3.1 pts" showed with the formula guard's apostrophe (the deck shows "+9"), and a previous "c"
    came back as "–"."""
    first, second = tmp_path / "q1.xlsx", tmp_path / "q2.xlsx"
    assert main(["brief", "--db", str(demo_store), "--format", "xlsx", "--out", str(first), "--section", "overview",
                 "--team", "West", *LEAD]) == 0
    assert main(["brief", "--db", str(demo_store), "--format", "xlsx", "--out", str(second), "--section", "overview",
                 "--compare-with", str(first), *LEAD]) == 0
    before = {r[3]: r[1] for r in openpyxl.load_workbook(first)["Figures"].iter_rows(min_row=2, values_only=True)}
    sheet = openpyxl.load_workbook(second)["Changes"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c for c in row))) for row in sheet.iter_rows(min_row=2)]
    assert not any(isinstance(c.value, str) and c.value.startswith("'") for r in rows for c in r.values())
    numbers = [r["Change"] for r in rows if isinstance(r["Change"].value, (int, float))]
    assert numbers and all(c.number_format.startswith("+") for c in numbers)
    suppressed = [r for r in rows if before.get(r["Key (metrics --json)"].value) == "c"]
    assert suppressed and all(r["Previous"].value == "c" for r in suppressed)
    gap = next(r for r in rows if r["Key (metrics --json)"].value == "median_gap_days")
    assert gap["Now"].value.endswith(" days)") and " month" in gap["Now"].value


def test_the_last_gap_bucket_is_60_plus():
    table = gap_table(pd.DataFrame({"gap_month": [0, 59, 60], "plans": [3, 2, 6]}))
    assert table["gap_full_months"].tolist() == [0, 59, "60+"]
