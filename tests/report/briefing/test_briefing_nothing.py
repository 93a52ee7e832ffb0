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


def test_a_rate_with_no_plans_started_is_not_given_as_0_percent(tmp_path) -> None:
    """A period in which plans ended but none started: the briefing's Figures sheet read "Repeat plans as a share of
    plans started: 0.0%" (and `metrics --json` repeat_rate 0.0), a zero where there was nothing to divide.  It reads
    "–" with no number, as the Overview's tile and the tables' blank cells do (figures/style.share_text); read back
    from the workbook written by `python -m paqa_dash brief`."""
    import json
    import subprocess
    import sys

    import openpyxl

    from support.store_builder import build_store

    db = tmp_path / "s.duckdb"
    build_store(db, plans=[{"plan_id": "P1", "child_id": "A", "start_date": "2025-01-10", "end_date": "2026-02-20",
                            "initial_category": "NEG", "team": "North"}]).close()
    period = ["--from", "2026-01-01", "--to", "2026-03-31"]
    out = tmp_path / "b.xlsx"
    run = subprocess.run([sys.executable, "-m", "paqa_dash", "brief", "--db", str(db), "--format", "xlsx", "--out",
                          str(out), "--role", "administrator", "--section", "overview", *period],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    rows = {r[3]: r for r in openpyxl.load_workbook(out)["Figures"].iter_rows(values_only=True)}
    assert rows["plans_started"][2] == 0 and rows["plans_ended"][2] == 1
    _, shown, number, _ = rows["repeat_rate"]
    assert shown == "–" and number is None, rows["repeat_rate"]
    run = subprocess.run([sys.executable, "-m", "paqa_dash", "metrics", "--db", str(db), "--json", *period],
                         capture_output=True, text=True)
    assert json.loads(run.stdout)["repeat_rate"] is None
