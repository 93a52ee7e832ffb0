"""The briefing's headline figures and the quarter-on-quarter comparison, on hand-made `metrics --json`
results (no store): suppression as on screen, "not recorded" never a zero, changes marked."""
from __future__ import annotations

import json
from datetime import date

import openpyxl
import pandas as pd
import pytest

from paqa_dash.filters import Filters
from paqa_dash.report.briefing import compare, headline
from paqa_dash.report.briefing.contents import Briefing
from paqa_dash.report.briefing.charts import Chart
from paqa_dash.report.briefing.xlsx_out import heading, xlsx_bytes
from paqa_dash.settings import Thresholds

RESULT = {"plans_started": 40, "repeat_plans_started": 3, "repeat_rate": 3 / 40, "repeat_within_window": 0,
          "median_gap_days": 200.0, "plans_ended": 30, "ended_duration_bands": {"le_3m": 6},
          "premature_endings": [{"plan_id": "p"}] * 7, "endings_at_risk": [], "duplicate_actions": [],
          "core_groups": None, "reviews": {"first_on_time": 20, "first_late": 2},
          "family_changes": {"during_plans": 9, "before_repeat_plans": 5},
          "agency_attendance": {"POLICE": {"invited": 10, "attended": 4, "contributed": 5, "rate": 0.4}}}


def _by_key(figures: list[headline.Figure]) -> dict[str, headline.Figure]:
    return {f.key: f for f in figures}


def test_small_counts_and_the_rates_resting_on_them_read_c_for_a_threshold():
    shown = _by_key(headline.figures(RESULT, Thresholds(), 5))
    assert shown["repeat_plans_started"].shown == "c" and shown["repeat_plans_started"].value is None
    assert shown["repeat_rate"].shown == "c"                 # rests on 3 repeat plans
    assert shown["median_gap_days"].shown == "c"             # a median over 3 plans
    assert shown["agency_attendance.POLICE.rate"].shown == "c"   # 4 attended
    assert shown["repeat_within_window"].shown == "0"        # a zero is shown, as DfE does
    assert shown["premature_endings"].value == 7             # a list counts its items
    assert shown["plans_started"].shown == "40"


def test_an_administrator_sees_every_figure_and_missing_data_is_not_recorded_never_zero():
    shown = _by_key(headline.figures(RESULT, Thresholds(), 0))
    assert shown["repeat_rate"].shown == "7.5%"
    assert shown["core_groups.first_late"].value is None
    assert shown["core_groups.first_late"].shown == "not recorded in this data"


def test_changes_are_marked_up_down_new_and_never_compared_through_a_suppressed_value():
    now = headline.figures(RESULT, Thresholds(), 5)
    before = compare.Previous({"plans_started": 35.0, "plans_ended": 30.0, "premature_endings": 9.0,
                               "repeat_plans_started": 6.0}, "last.xlsx")
    marks = compare.changes(now, before).set_index("Key (metrics --json)")
    assert marks.loc["plans_started", "Marked"] == "▲ up" and marks.loc["plans_started", "Change"] == "+5"
    assert marks.loc["premature_endings", "Marked"] == "▼ down"
    assert marks.loc["plans_ended", "Marked"] == "no change"
    assert marks.loc["repeat_plans_started", "Marked"].startswith("not comparable")   # now "c"
    assert marks.loc["reviews.first_late", "Marked"] == "new this time"


def test_a_snapshot_reads_back_as_the_previous_quarter(tmp_path):
    figures = headline.figures(RESULT, Thresholds(), 0)
    path = tmp_path / "q1.json"
    path.write_bytes(compare.snapshot(figures, "2025-06-30"))
    previous = compare.read_previous(path)
    assert previous.values["plans_started"] == 40 and "2025-06-30" in previous.source
    with pytest.raises(compare.CompareError, match="no such file"):
        compare.read_previous(tmp_path / "missing.xlsx")
    (tmp_path / "bad.json").write_text(json.dumps({"x": 1}))
    with pytest.raises(compare.CompareError, match="not a briefing snapshot"):
        compare.read_previous(tmp_path / "bad.json")


def _briefing(table: pd.DataFrame) -> Briefing:
    chart = Chart("repeat_by_team", "Repeat plans", None, "=notes", table, message="Repeat share by team")
    return Briefing("Briefing", Filters(teams=("=cmd|' /C calc'!A0",), as_of=date(2025, 6, 30)), Thresholds(),
                    date(2025, 6, 30), True, 5, ("repeat_plans",), ("what_works",), [chart],
                    headline.figures(RESULT, Thresholds(), 5))


def test_the_workbook_opens_neutralises_formulas_and_compares_with_itself(tmp_path):
    table = pd.DataFrame({"team": ["=HYPERLINK(\"http://x\")", "North"], "plans_started": [12, "c"],
                          "repeat_share": [0.25, "c"]})
    path = tmp_path / "q1.xlsx"
    path.write_bytes(xlsx_bytes(_briefing(table)))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:2] == ["About", "Figures"]
    sheet = book["Repeat by team"]
    assert [c.value for c in sheet[1]] == ["Team", "Plans started", "Repeat share"]
    assert sheet["A2"].value == "'=HYPERLINK(\"http://x\")" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 12 and sheet["B3"].value == "c"
    front = {r[0].value: r[1].value for r in book["About"].iter_rows(min_row=3, max_row=10) if r[0].value}
    assert front["SYNTHETIC DATA"].startswith("every child")
    assert "=" not in str(front["Filters"])[:1] and "what works" in front["Not included (not yet available)"]
    assert not any(c.data_type == "f" for ws in book for row in ws.iter_rows() for c in row)
    previous = compare.read_previous(path)
    assert previous.values["plans_started"] == 40 and previous.values["repeat_rate"] is None   # "c" stays unknown


def test_headings_are_words_and_codes_say_so():
    assert heading("plans_started") == "Plans started"
    assert heading("agency_code") == "Agency (code)"


def test_a_chart_card_suppresses_its_table_marks_its_figure_and_names_a_chart_without_axes():
    import plotly.graph_objects as go

    from paqa_dash.report.briefing.charts import Card
    from paqa_dash.report.suppression import Rule

    table = pd.DataFrame({"team": ["North", "South"], "plans": [3, 40]})
    card = Card(threshold=5)
    rule = Rule(counts=("plans",))
    from paqa_dash.figures.style import MEASURE

    card.add("paths", "Repeat plans", lambda: go.Figure(go.Sankey(node={"label": list(card.hidden(table, rule)["team"])}),
                                                        layout={"meta": {MEASURE: "Pathways from a first plan"}}),
             "notes", table, rule)   # a chart without axes names itself in its meta, as figures/cohorts' Sankey does
    chart = card.charts[0]
    assert chart.table["plans"].tolist() == ["c", 40] and chart.lost
    assert chart.title.startswith("Pathways from a first plan: some values suppressed")
    open_card = Card(threshold=0)
    open_card.add("paths", "Repeat plans", lambda: go.Figure(layout={"title": {"text": "43 plans"}}), "n", table, rule)
    assert open_card.charts[0].table["plans"].tolist() == [3, 40] and open_card.charts[0].title == "43 plans"


def test_a_count_the_timeliness_table_withholds_is_withheld_in_the_figures_too():
    # 195 on time, 37 late, 3 not yet due: the page's table withholds the 3 and, since the three add up to plans
    # started (235, a figure here), the 37 as well.  Printed here, 235 - 195 - 37 gave the 3 back.
    result = {**RESULT, "plans_started": 235,
              "core_groups": {"first_on_time": 195, "first_late": 37, "first_not_due": 3, "intervals_on_time": 60,
                              "intervals_late": 10, "intervals_not_due": 9},
              "reviews": {"first_on_time": 161, "first_late": 34, "first_not_due": 40, "later_on_time": 93,
                          "later_late": 2, "later_not_due": 191}}
    shown = _by_key(headline.figures(result, Thresholds(), 5))
    assert shown["core_groups.first_late"].shown == "c" and shown["core_groups.first_late"].value is None
    assert shown["core_groups.first_on_time"].shown == "195"
    assert shown["reviews.first_late"].shown == "34" and shown["reviews.first_on_time"].shown == "161"
    # an administrator reads every number
    assert _by_key(headline.figures(result, Thresholds(), 0))["core_groups.first_late"].shown == "37"


@pytest.mark.parametrize(("before", "now", "change", "number", "mark"), [
    (600.5, 608.0, "+7 days", 7, "▲ up"),        # 601 days then, 608 now: not "+8 days" (7.5 rounded half to even)
    (607.6, 608.4, "+0 days", 0, "no change"),   # 608 days both times: not "+1 days" and "▲ up"
])
def test_a_change_of_days_is_the_change_between_the_whole_days_shown(before, now, change, number, mark):
    """A gap in days reads in whole days, a half day up (reference/words.whole_days), in the Previous and Now
    columns; the change beside them was worked out from the unrounded medians, so 601 -> 608 read "+8 days", and
    two figures both shown as 608 days read "+1 days", marked up."""
    figures = _by_key(headline.figures({**RESULT, "median_gap_days": now, "repeat_plans_started": 30},
                                       Thresholds(), 0))
    row = compare.changes([figures["median_gap_days"]], compare.Previous({"median_gap_days": before}, "last.xlsx"))
    row = row.iloc[0]
    shown_before, shown_now = (int(s.split("(")[1].split()[0]) for s in (row["Previous"], row["Now"]))
    assert shown_now - shown_before == number
    assert (row["Change"], row[compare.CHANGE_NUMBER], row["Marked"]) == (change, number, mark)


@pytest.mark.parametrize(("median", "days"), [(607.5, 608), (292.5, 293), (338.0, 338)])
def test_the_workbook_s_number_of_days_is_the_whole_days_its_words_say(tmp_path, median, days):
    """The Figures sheet held a median gap of 607.5 in its number column beside "20 months (608 days)" (a median
    of an even count falls on a half day; the regional store's gives 292.5 beside "293 days"); the number is now
    rounded by the rule the words use (reference/words.whole_days), and the workbook compares with itself."""
    result = {**RESULT, "median_gap_days": median, "repeat_plans_started": 30}
    briefing = Briefing("Briefing", Filters(as_of=date(2025, 6, 30)), Thresholds(), date(2025, 6, 30), True, 0,
                        ("overview",), (), [], headline.figures(result, Thresholds(), 0))
    path = tmp_path / "gap.xlsx"
    path.write_bytes(xlsx_bytes(briefing))
    sheet = openpyxl.load_workbook(path)["Figures"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[header.index("Key (metrics --json)")]
               == "median_gap_days")
    words, number = row[header.index("Value")], row[header.index("Value (number)")]
    assert f"({days} days)" in words and number == days, row
    assert compare.read_previous(path).values["median_gap_days"] == days
