"""The briefing's ending measures on a store of plans alone (no plan actions or needs, as a CIN census or Annex A
return): a short plan is still a warning sign, so premature endings and endings at risk are counted, and the signs
read from plan actions are not recorded, never 0 (hand-built: child a, plan A1 2022-01-01..2022-03-01, short, with no
later plan; child b, plan B1 2021-01-01..2022-02-01)."""
from __future__ import annotations

from datetime import date

from support.briefing_slides import slide
from support.store_builder import build_store

from paqa_dash.filters import Filters
from paqa_dash.metrics import summary
from paqa_dash.report.briefing import headline
from paqa_dash.report.briefing.sections import endings
from paqa_dash.settings import Thresholds

PLANS = [{"plan_id": "A1", "child_id": "a", "start_date": "2022-01-01", "end_date": "2022-03-01",
          "end_reason": "STEP_DOWN_CIN", "initial_category": "NEG", "team": "North"},
         {"plan_id": "B1", "child_id": "b", "start_date": "2021-01-01", "end_date": "2022-02-01",
          "end_reason": "STEP_DOWN_CIN", "initial_category": "NEG", "team": "North"}]
WHEN = Filters(date_from=date(2021, 4, 1), date_to=date(2022, 3, 31), as_of=date(2022, 6, 1))


def test_the_endings_reasons_sheet_leaves_unchecked_signs_blank_with_a_note(tmp_path):
    chart = slide(tmp_path / "b.duckdb", endings, "endings_reasons", WHEN, plans=PLANS)
    table = chart.table.set_index(["reason", "outcome"])
    short = table.xs("Short plan", level="reason")
    assert int(short["plans"].sum()) == 1 and (short["note"] == "").all()
    for sign in ("Actions not done", "Adult need unaddressed"):
        rows = table.xs(sign, level="reason")
        assert rows["plans"].isna().all(), rows      # blank, not 0
        assert rows["note"].str.startswith("not recorded in this data: no ").all()
    assert "Warning signs not checked: actions not done and adult need unaddressed" in chart.notes
    assert "not checked" in chart.title


def test_the_headline_counts_endings_at_risk_and_says_from_which_signs(tmp_path):
    con = build_store(tmp_path / "h.duckdb", plans=PLANS)
    try:
        result = summary.compute(con, WHEN, Thresholds())
    finally:
        con.close()
    rows = {f.key: f for f in headline.figures(result, Thresholds(), 0)}
    assert rows["endings_at_risk"].value == 1 and rows["premature_endings"].value == 0
    assert "counted from short plan only" in rows["endings_at_risk"].label
    assert "actions not done and adult need unaddressed not recorded in this data" in rows["endings_at_risk"].label


def test_the_by_team_slide_says_teams_are_not_recorded_where_no_plan_names_one(tmp_path):
    from paqa_dash.report.briefing.sections import repeat_plans
    plans = [{**p, "team": None} for p in PLANS]
    chart = slide(tmp_path / "t.duckdb", repeat_plans, "repeat_by_team", WHEN, plans=plans)
    assert chart.figure is None and chart.message == "Teams: not recorded in this data"


def test_a_blank_count_is_an_empty_cell_in_the_workbook_not_the_text_na(tmp_path):
    """The Endings reasons sheet's blank counts are nullable (pd.NA): written as "<NA>" text they read as a value."""
    import io

    import openpyxl
    import pandas as pd
    import xlsxwriter

    from paqa_dash.report.briefing.xlsx_out import _write_frame
    frame = pd.DataFrame({"reason": ["Short plan", "Actions not done"],
                          "plans": pd.array([3, None], dtype="Float64"), "note": ["", "not recorded in this data"]})
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    _write_frame(book, book.add_worksheet("t"), frame)
    book.close()
    rows = list(openpyxl.load_workbook(io.BytesIO(out.getvalue()))["t"].iter_rows(values_only=True))
    assert rows[1][1] == 3 and rows[2][1] is None
