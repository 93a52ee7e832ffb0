"""ui/headings.py: the one place a table's columns get their headings and its values their reading form."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from paqa_dash.report.safe_csv import csv_bytes
from paqa_dash.ui import headings


def test_known_columns_have_headings_with_units():
    table = pd.DataFrame({"plans_started": [10], "repeat_rate": [0.25], "ended_le_3m": [4]})
    assert list(headings.readable(table).columns) == ["Plans started", "Repeat rate (%)", "Ended within 3 months"]


def test_an_unknown_column_reads_without_underscores():
    out = headings.readable(pd.DataFrame({"some_new_count": [1], "x_code": ["A"]}))
    assert list(out.columns) == ["Some new count", "X (code)"]


def test_a_page_heading_wins_and_none_leaves_a_column_out():
    table = pd.DataFrame({"band": ["le_3m"], "label": ["3 months or less"], "plans": [3]})
    out = headings.readable(table, {"band": "Lasted", "label": None})
    assert list(out.columns) == ["Lasted", "Plans"]
    assert out["Lasted"].tolist() == ["3 months or less"]   # the code in words (reference.codes.BAND_LABELS)


def test_a_column_config_label_is_the_heading_and_the_config_follows_it():
    table = pd.DataFrame({"child_id": ["ab12"], "team": ["North"]})
    config = {"child_id": {"label": "Child"}, "team": "Team of the plan"}
    assert list(headings.readable(table, column_config=config).columns) == ["Child", "Team of the plan"]
    assert set(headings.readable_config(table, config)) == {"Child", "Team of the plan"}


def test_shares_become_percentages_and_percentages_stay():
    table = pd.DataFrame({"repeat_rate": [0.25, 0.0966], "replan_rate_pct": [12.345, 50.0], "share": [0.5, "c"]})
    out = headings.readable(table)
    assert out["Repeat rate (%)"].tolist() == [25.0, 9.7]
    assert out["Re-planned (%)"].tolist() == [12.3, 50.0]
    assert out["Share (%)"].tolist() == [50.0, "c"]   # a suppressed cell is kept as it is


def test_dates_without_a_time_and_times_to_the_minute():
    table = pd.DataFrame({"quarter": pd.to_datetime(["2025-04-01", None]),
                          "started_at": pd.to_datetime(["2025-04-01 09:30:12", "2025-04-02 00:00:00"])})
    out = headings.readable(table)
    assert out["Quarter starting"].tolist() == [date(2025, 4, 1), ""]
    assert out["Started at"].tolist() == ["2025-04-01 09:30", "2025-04-02 00:00"]
    assert "00:00:00" not in csv_bytes(out).decode()


def test_nothing_recorded_is_blank_not_none_or_nan():
    table = pd.DataFrame({"within_24m": [0.1, np.nan], "source": ["DfE", None], "year": [np.nan, 2025.0]})
    out = headings.readable(table)
    assert out["Re-planned within 24 months (%)"].tolist() == [10.0, ""]
    assert out["Source"].tolist() == ["DfE", ""]
    assert out["Year"].tolist() == ["", 2025]
    text = csv_bytes(out).decode()
    assert "None" not in text and "nan" not in text


def test_pseudonyms_and_text_are_unchanged():
    table = pd.DataFrame({"child_id": ["5c578555a364a478"], "detail": ["Mum's partner moved out"]})
    out = headings.readable(table)
    assert out.iloc[0].tolist() == ["5c578555a364a478", "Mum's partner moved out"]


def test_codes_in_words_where_reference_has_labels():
    table = pd.DataFrame({"category": ["NEG"], "end_reason": ["STEP_DOWN_CIN"], "reason": ["SHORT"]})
    assert headings.readable(table).iloc[0].tolist() == ["Neglect", "step down to CIN", "Short plan"]


def test_a_percentage_a_page_named_itself_keeps_its_point_beside_blanks():
    """The Regional view names its columns before the table is drawn ("Repeat plans, % (this data)"): beside an
    authority's blank cell, 32.0 read "32" under 26.2, as a count reads, not as a percentage."""
    out = headings.readable(pd.DataFrame({"Repeat plans, % (this data)": [26.2, 32.0, None], "Plans": [5.0, 6.0, None]}))
    assert out["Repeat plans, % (this data)"].tolist() == [26.2, 32.0, ""]
    assert [type(v) for v in out["Repeat plans, % (this data)"][:2]] == [float, float]
    assert out["Plans"].tolist() == [5, 6, ""]   # a count keeps reading as a whole number
