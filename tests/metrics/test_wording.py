"""Strengths-based and trauma-informed wording beside deficit wording, per team, on a hand-worked store.

North: N1 (started 2021) has 3 actions -- "Mum is non-compliant with the plan." (deficit), "Dad has done well
keeping the flat warm; build on this." (strength), "Attend school daily." (neither) -- and N2 (2021) repeats the
strength wording once: 4 actions, 1 deficit, 2 strength, 2 positive.
South: S1 (2021) has "[name]'s hitting out is communicating a need for comfort; we will work at her own pace."
(need and trauma-informed: one positive action) and an empty text (not an action to weigh): 1 action.
Old: O1 started 2015, outside the period filter 2020-2026.
"""
from __future__ import annotations

from datetime import date

import pytest
from support.store_builder import build_store

from paqa_dash.filters import Filters
from paqa_dash.metrics import wording

DEFICIT = "Mum is non-compliant with the plan."
STRENGTH = "Dad has done well keeping the flat warm; build on this."
NEED = "[name]'s hitting out is communicating a need for comfort; we will work at her own pace."


def plan(pid, child, start, team):
    return {"plan_id": pid, "child_id": child, "start_date": start, "end_date": None, "initial_category": "NEG",
            "team": team, "end_reason": None}


def act(aid, pid, text):
    return {"action_id": aid, "plan_id": pid, "action_text": text, "status": "OPEN", "addresses_factor": None}


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    con = build_store(tmp_path_factory.mktemp("wording") / "w.duckdb", plans=[
        plan("N1", "n", "2021-01-01", "North"), plan("N2", "m", "2021-06-01", "North"),
        plan("S1", "s", "2021-02-01", "South"), plan("O1", "o", "2015-01-01", "South"),
    ], actions=[
        act("a1", "N1", DEFICIT), act("a2", "N1", STRENGTH), act("a3", "N1", "Attend school daily."),
        act("a4", "N2", STRENGTH), act("b1", "S1", NEED), act("b2", "S1", " "), act("c1", "O1", DEFICIT),
    ])
    yield con
    con.close()


FILTERS = Filters(date_from=date(2020, 1, 1), date_to=date(2026, 1, 1), as_of=date(2026, 1, 1))


def test_each_team_counts_its_actions_by_kind_of_wording(con):
    frame = wording.by_team(con, FILTERS).set_index("team")
    north, south = frame.loc["North"], frame.loc["South"]
    assert (north["actions"], north["with_deficit"], north["with_strength"], north["with_positive"]) == (4, 1, 2, 2)
    assert north["positive_share"] == pytest.approx(0.5) and north["deficit_share"] == pytest.approx(0.25)
    assert (south["actions"], south["with_deficit"], south["with_need"], south["with_trauma_informed"],
            south["with_positive"]) == (1, 0, 1, 1, 1)


def test_the_json_holds_totals_shares_and_teams(con):
    out = wording.as_json(wording.by_team(con, FILTERS))
    assert out["actions"] == 5 and out["with_deficit"] == 1 and out["with_positive"] == 3
    assert out["positive_share"] == pytest.approx(0.6) and out["by_team"]["South"]["with_need"] == 1


def test_no_action_text_gives_an_empty_frame_and_no_shares(con):
    empty = wording.by_team(con, Filters(date_from=date(2010, 1, 1), date_to=date(2011, 1, 1),
                                         as_of=date(2026, 1, 1)))
    assert empty.empty and list(empty.columns) == wording.COLUMNS
    assert wording.as_json(empty)["positive_share"] is None
