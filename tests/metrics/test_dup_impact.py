"""Impact of duplication: repeat plans that largely repeat the last beside the rest, on a hand-worked
chronology (as of 2026-01-01, similarity threshold 0.42, re-plan window 24 months, "largely": half or more).

r: R2 2021-03-01..2021-09-01 repeats both its actions (2 of 2) -> largely; re-planned by R3 (no actions: not
   counted); adult need 4B open, addressed by a done action for factor 4.
s: S2 2021-01-01..2021-04-01 repeats 1 of 3 (one more match scores under the threshold) -> the rest; not
   re-planned, window passed; adult need 1B open with no action for it.
t: T2 2022-01-01 open repeats 1 of 2 (exactly half) -> largely; no adult need.
"""
from __future__ import annotations

from datetime import date

import pytest
from support.store_builder import build_store

from paqa_dash.filters import Filters
from paqa_dash.metrics import dup_impact
from paqa_dash.settings import Thresholds

AS_OF = date(2026, 1, 1)


def plan(pid, child, start, end=None, reason=None):
    return {"plan_id": pid, "child_id": child, "start_date": start, "end_date": end, "initial_category": "NEG",
            "team": "North", "end_reason": reason}


def act(aid, pid, status="OPEN", factor=None):
    return {"action_id": aid, "plan_id": pid, "action_text": f"action {aid}", "status": status,
            "addresses_factor": factor}


def match(aid, pid, earlier, earlier_plan, score):
    return {"action_id": aid, "plan_id": pid, "matches_action_id": earlier, "matches_plan_id": earlier_plan,
            "score": score, "method": "test"}


@pytest.fixture
def con(tmp_path):
    con = build_store(tmp_path / "d.duckdb", plans=[
        plan("R1", "r", "2020-01-01", "2020-12-31", "STEP_DOWN_CIN"),
        plan("R2", "r", "2021-03-01", "2021-09-01", "NO_LONGER_AT_RISK"), plan("R3", "r", "2022-01-01"),
        plan("S1", "s", "2020-01-01", "2020-06-01", "STEP_DOWN_CIN"),
        plan("S2", "s", "2021-01-01", "2021-04-01", "STEP_DOWN_CIN"),
        plan("T1", "t", "2020-01-01", "2020-06-01", "STEP_DOWN_CIN"), plan("T2", "t", "2022-01-01"),
    ], actions=[
        act("a1", "R1"), act("a2", "R1"), act("b1", "R2", "DONE", "4"), act("b2", "R2"),
        act("c0", "S1"), act("c1", "S2"), act("c2", "S2"), act("c3", "S2", "DONE", "3"),
        act("d0", "T1"), act("d1", "T2"), act("d2", "T2"),
    ], action_matches=[
        match("b1", "R2", "a1", "R1", 0.9), match("b2", "R2", "a2", "R1", 0.9),
        match("c1", "S2", "c0", "S1", 0.9), match("c2", "S2", "c0", "S1", 0.3),
        match("d1", "T2", "d0", "T1", 0.5),
    ], needs=[
        {"need_id": "n1", "child_id": "r", "identified_date": "2020-02-01", "factor": "4B"},
        {"need_id": "n2", "child_id": "s", "identified_date": "2020-01-05", "factor": "1B"},
    ])
    yield con
    con.close()


def test_two_groups_side_by_side(con):
    got = dup_impact.compare(con, Filters(as_of=AS_OF)).set_index("largely_repeated")
    largely, rest = got.loc[True], got.loc[False]
    assert [int(largely[c]) for c in dup_impact.COUNTS] == [2, 1, 1, 1, 1, 1]   # R2 and T2
    assert largely["median_length_days"] == 184
    assert largely["replan_rate"] == pytest.approx(1.0) and largely["addressed_rate"] == pytest.approx(1.0)
    assert [int(rest[c]) for c in dup_impact.COUNTS] == [1, 1, 1, 0, 1, 0]      # S2
    assert rest["median_length_days"] == 90 and rest["addressed_rate"] == pytest.approx(0.0)


def test_a_re_plan_inside_a_window_still_running_is_not_followed_up_yet(con):
    # as of 1 June 2022 R2 (ended September 2021) is re-planned (R3, January 2022) but its window runs to 2023;
    # S2 (ended April 2021, not re-planned) is not followed up either: no rate yet, not 100% against nothing
    got = dup_impact.compare(con, Filters(as_of=date(2022, 6, 1))).set_index("largely_repeated")
    assert got["followed_up"].tolist() == [0, 0] and got["replanned"].tolist() == [0, 0]
    assert got["replan_rate"].isna().all()


def test_a_higher_similarity_threshold_moves_a_plan(con):
    got = dup_impact.compare(con, Filters(as_of=AS_OF), Thresholds(similarity_threshold=0.6))
    assert got.set_index("largely_repeated")["plans"].to_dict() == {True: 1, False: 2}   # T2's match is 0.5


def test_no_repeat_plans_gives_zeros_and_no_rates(con):
    got = dup_impact.compare(con, Filters(as_of=AS_OF, teams=("Nowhere",)))
    assert got["plans"].tolist() == [0, 0] and got["replan_rate"].isna().all()
    assert dup_impact.as_json(got)["largely_repeated"]["median_length_days"] is None


def test_a_plan_whose_actions_name_no_need_has_no_adult_need_counted(tmp_path):
    """u: U2 repeats its one action (largely) with an adult need open, but its import run's actions never say which
    need they address (no action links): a plan, not one with an adult need (coverage_cte_plan_data)."""
    run2 = {"run_id": 2}
    con = build_store(tmp_path / "u.duckdb", plans=[
        {**plan("U1", "u", "2020-01-01", "2020-06-01", "STEP_DOWN_CIN"), **run2},
        {**plan("U2", "u", "2021-01-01"), **run2},
        plan("V1", "v", "2020-01-01", "2020-06-01", "STEP_DOWN_CIN"), plan("V2", "v", "2021-01-01"),
    ], actions=[
        {**act("e0", "U1"), **run2}, {**act("e1", "U2"), **run2},
        act("f0", "V1"), act("f1", "V2", "DONE", "4"),
    ], action_matches=[match("e1", "U2", "e0", "U1", 0.9), match("f1", "V2", "f0", "V1", 0.9)],
       needs=[{"need_id": "n1", "child_id": "u", "identified_date": "2020-02-01", "factor": "4B"},
              {"need_id": "n2", "child_id": "v", "identified_date": "2020-02-01", "factor": "4B"}])
    try:
        largely = dup_impact.compare(con, Filters(as_of=AS_OF)).set_index("largely_repeated").loc[True]
        assert (int(largely["plans"]), int(largely["with_adult_need"]), int(largely["adult_needs_addressed"])) == (2, 1, 1)
    finally:
        con.close()
