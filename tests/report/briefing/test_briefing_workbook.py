"""The workbook's cells as a reader of Excel sees them, read back with openpyxl: the Changes sheet's signed changes, a
suppressed previous value, the last gap bucket, the median gap's unit, the watch list's sheet in words."""
from __future__ import annotations

import openpyxl
import pandas as pd

from paqa_dash.cli import main
from paqa_dash.reference.codes import BAND_LABELS, END_REASON_LABELS, REASON_LABELS, factor_label
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


WATCH = ["--role", "service_manager", "--child-lists", "--section", "endings", "--from", "2021-04-01",
         "--to", "2025-03-31"]


def _watch_sheet(path) -> list[dict]:
    rows = list(openpyxl.load_workbook(path)["Endings at risk"].iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_the_watch_list_sheet_reads_in_words_with_the_codes_beside_them(demo_store, tmp_path):
    """The sheet held the query's own columns, codes in the worded ones ("Duration band": le_3m, "Reasons":
    SHORT,OPEN_ACTIONS, "Open adult factors": 3B, "Initial category": NEG): it now has the Plan endings page's
    download, headings in words and each code in a "(code)" column beside its words."""
    out = tmp_path / "sm.xlsx"
    assert main(["brief", "--db", str(demo_store), "--format", "xlsx", "--out", str(out), *WATCH]) == 0
    rows = _watch_sheet(out)
    assert rows and list(rows[0]) == [
        "Child", "Plan no.", "Team", "Started", "Ended", "Lasted", "Lasted (code)", "Warning signs",
        "Warning signs (code)", "Open adult needs", "Open adult needs (code)", "Why it ended (recorded)",
        "Why it ended (recorded) (code)", "Weeks since it ended", "Became looked after"]
    assert {r["Lasted"] for r in rows} <= set(BAND_LABELS.values())
    assert {r["Lasted (code)"] for r in rows} <= set(BAND_LABELS)
    signs = set(REASON_LABELS.values())
    assert all(set(r["Warning signs"].split("; ")) <= signs for r in rows)
    assert any("SHORT" in r["Warning signs (code)"] for r in rows)
    needs = [r for r in rows if r["Open adult needs (code)"]]
    assert needs and all(r["Open adult needs"] == "; ".join(factor_label(c) for c in r["Open adult needs (code)"]
                                                             .split(",")) for r in needs)
    assert all(r["Open adult needs"] != r["Open adult needs (code)"] for r in needs)
    assert {r["Why it ended (recorded) (code)"] for r in rows if r["Why it ended (recorded) (code)"]} <= \
        set(END_REASON_LABELS)
    assert all(isinstance(r["Started"], str) and len(r["Started"]) == 10 for r in rows)   # a date, not a time


def test_the_watch_list_sheet_names_each_childs_authority_in_a_store_of_several(demo_store, tmp_path):
    """As the page's list does (its 'Authority' column after the child), so a regional workbook says whose child."""
    from support.authorities import demo_of_three

    three = demo_of_three(demo_store, tmp_path)
    out = tmp_path / "three.xlsx"
    assert main(["brief", "--db", str(three), "--format", "xlsx", "--out", str(out), *WATCH]) == 0
    rows = _watch_sheet(out)
    assert list(rows[0])[:3] == ["Child", "Authority", "Plan no."]
    assert {r["Authority"] for r in rows} <= {"Camden", "Greenwich", "Darlington"}
    assert len({r["Authority"] for r in rows}) > 1
