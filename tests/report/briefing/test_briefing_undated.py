"""The briefing's repeat-plans-by-team slide on a hand-built store: team North's repeat plan has its previous plan
in the store (A1 ended 2023-04-30, A2 started 2024-01-15: within the window), team South's repeat plan is known only
from a count of previous plans (as Annex A gives it).  South's repeats within the window are not recorded: a blank in
the slide's table and a note naming South, never a 0."""
from __future__ import annotations

from datetime import date

import pandas as pd
from support.briefing_slides import slide

from paqa_dash.filters import Filters
from paqa_dash.reference.recorded import UNDATED_EARLIER_PLANS
from paqa_dash.report.briefing.sections import repeat_plans


def _plan(pid: str, child: str, start: str, end: str | None, team: str, prev: int | None = None) -> dict:
    return {"plan_id": pid, "child_id": child, "start_date": start, "end_date": end, "initial_category": "NEG",
            "team": team, "previous_plans": prev}


def _team_slide(tmp_path, plans: list[dict]):
    f = Filters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31), as_of=date(2025, 3, 31))
    return slide(tmp_path / "b.duckdb", repeat_plans, "repeat_by_team", f, plans=plans)


def test_a_team_of_undated_earlier_plans_is_blank_and_named_not_zero(tmp_path):
    slide = _team_slide(tmp_path, [_plan("A1", "A", "2023-01-31", "2023-04-30", "North"),
                                   _plan("A2", "A", "2024-01-15", None, "North"),
                                   _plan("B1", "B", "2024-02-01", None, "South", prev=1)])
    within = slide.table.set_index("team")["repeat_within_window"]
    assert within["North"] == 1
    assert pd.isna(within["South"])
    assert slide.notes.endswith(f"Repeat plans within the window, for South: {UNDATED_EARLIER_PLANS}.")


def test_no_note_when_every_team_has_its_earlier_plans_dated(tmp_path):
    slide = _team_slide(tmp_path, [_plan("A1", "A", "2023-01-31", "2023-04-30", "North"),
                                   _plan("A2", "A", "2024-01-15", None, "North")])
    assert "Repeat plans within the window" not in slide.notes
    assert slide.notes.endswith(".")
