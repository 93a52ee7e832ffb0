"""A figure of days reads the same in a chart, its table and its CSV: one rounding rule (reference/words.py,
`whole_days`), a half day up.  A newcomer's review found the Between plans table at "607.5" beside the chart's
"608 days" for the same median (and Python's round() takes 608.5 to 608, so the two could even disagree by a day)."""
from __future__ import annotations

import pandas as pd
import pytest

from paqa_dash.figures import between, regional
from paqa_dash.report.safe_csv import csv_bytes
from paqa_dash.ui import headings


def _bands(days: float) -> pd.DataFrame:
    return pd.DataFrame({"band": ["none", "one", "few", "many"], "plans": [10, 12, 14, 16],
                         "with_impact": [1, 2, 3, 4], "median_days_to_plan": [days, 30.0, 40.0, 50.0]})


@pytest.mark.parametrize("days, whole", [(607.5, 608), (608.5, 609), (12.4, 12)])
def test_the_between_plans_chart_and_its_table_and_csv_give_one_number_of_days(days: float, whole: int) -> None:
    bands = _bands(days)
    bars = between.bands_bars(bands).data[0]
    label = bars.hovertext[0]   # the label itself is on two lines ("median<br>608 days")
    assert bars.text[0] == label.replace(" ", "<br>", 1)
    table = headings.readable(bands)
    csv = csv_bytes(table).decode("utf-8")
    assert label == f"median {whole} days"
    assert table["Median days to the plan"].tolist()[0] == whole
    assert f",{whole}\r\n" in csv or f",{whole}\n" in csv, csv
    assert str(days) not in csv


def test_the_regional_gap_chart_and_its_table_give_one_number_of_days() -> None:
    gaps = pd.DataFrame({"authority": ["390", "391"], "name": ["A", "B"], "gaps": [40, 50],
                         "median_gap_days": [608.5, 200.0]})
    fig = regional.gap_bars(gaps)
    assert "609 days" in fig.data[0].text
    assert "609 days" in fig.layout.title.text, fig.layout.title.text
    assert headings.readable(gaps)[headings.heading("median_gap_days")].tolist() == [609, 200]


def test_a_column_a_page_named_itself_in_days_is_in_whole_days_too() -> None:
    """The Regional view names its columns before the table is drawn ("Median gap, days"): it read 607.5 there."""
    table = headings.readable(pd.DataFrame({"Authority": ["Gateshead", "LA 999"], "Median gap, days": [607.5, None]}))
    assert table["Median gap, days"].tolist() == [608, ""]


def test_a_share_named_with_days_stays_a_share() -> None:
    table = headings.readable(pd.DataFrame({"Updated within 10 days (%)": [12.34], "within_10_days_share": [0.5]}))
    assert table["Updated within 10 days (%)"].tolist() == [12.34]   # not taken for days (12)
    assert table[headings.heading("within_10_days_share")].tolist() == [50.0]


def test_months_of_days_round_a_half_month_up_as_days_round_a_half_day_up() -> None:
    from paqa_dash.reference.words import DAYS_PER_MONTH, months_of_days

    assert months_of_days(10.5 * DAYS_PER_MONTH) == "11 months"    # round() gave 10 (half to even)
    assert months_of_days(11.5 * DAYS_PER_MONTH) == "12 months"
    assert months_of_days(11.49 * DAYS_PER_MONTH) == "11 months"


def test_a_half_percent_rounds_up_as_a_half_day_does() -> None:
    """One rounding rule for display (reference/words.py `rounded`, docs/definitions.md "Rounding"): a half up.
    Percentages were rounded half to even (Python's round(): 12.5% read "12%", and 100 * 0.145 = 14.4999... read
    "14%") beside days rounded half up (12.5 days read "13 days")."""
    from paqa_dash.figures.style import pct_text
    from paqa_dash.metrics.summary_text import _share
    from paqa_dash.reference.words import days_text, points_between

    assert (pct_text(0.125), days_text(12.5)) == ("13%", "13 days")
    assert pct_text(0.145) == "15%" and pct_text(0.0625, 1) == "6.3%"
    assert points_between(0.10, 0.125) == 3   # 10% then, 13% now: the two numbers shown
    table = headings.readable(pd.DataFrame({"within_10_days_share": [0.0625, 0.00125]}))
    assert table[headings.heading("within_10_days_share")].tolist() == [6.3, 0.1]
    assert _share(1, 16).startswith("6.3% (1 of 16")
