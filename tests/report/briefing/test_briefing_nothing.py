"""A briefing slide with nothing to show names the period it covers, and speaks of filters only when some are set:
a reader of the slides cannot see the sidebar, and with no period chosen the app chose one for them."""
from __future__ import annotations

from datetime import date

from support.briefing_slides import slide

from paqa_dash.filters import Filters
from paqa_dash.report.briefing.sections import nothing, overview

YEAR = {"date_from": date(2024, 4, 1), "date_to": date(2025, 3, 31), "as_of": date(2025, 6, 30)}


def test_the_message_names_the_period_and_only_filters_that_are_set() -> None:
    assert nothing("plans", Filters(**YEAR)) == "No plans between 1 April 2024 and 31 March 2025"
    assert nothing("ended first plans", Filters(**YEAR, teams=("North",))) == (
        "No ended first plans between 1 April 2024 and 31 March 2025 match these filters")
    assert nothing("plans ended", Filters(date_from=date(2024, 4, 1))) == "No plans ended from 1 April 2024"
    assert nothing("plans", Filters(date_to=date(2025, 3, 31))) == "No plans up to 31 March 2025"
    assert nothing("plans", Filters(plan_number="repeat")) == "No plans in the data match these filters"


def test_the_overview_slide_of_an_empty_year_says_which_year(tmp_path) -> None:
    plans = [{"plan_id": "P1", "child_id": "A", "start_date": "2020-05-01", "end_date": "2020-11-30",
              "initial_category": "NEG", "team": "North"}]
    said = slide(tmp_path / "b.duckdb", overview, "overview", Filters(**YEAR), plans=plans)
    assert said.message == "No plans between 1 April 2024 and 31 March 2025", said.message
