"""Plan refresh (audit question 7) on a hand-worked chronology: after each review, core group and new concern,
a plan update within the threshold's days, late, or not yet due."""
from __future__ import annotations

from datetime import date

import pytest
from support.store_builder import build_store

from paqa_dash.filters import Filters
from paqa_dash.metrics import refresh
from paqa_dash.scope import STRATEGIC_LEAD, OutOfScope, Scope
from paqa_dash.settings import Thresholds

AS_OF = date(2023, 12, 31)


def event(eid, child, day, kind, agency="CSC"):
    return {"event_id": eid, "child_id": child, "event_date": day, "event_type": kind, "agency": agency}


@pytest.fixture
def con(tmp_path):
    return build_store(
        tmp_path / "r.duckdb",
        children=[{"child_id": "R", "family_id": "FR"}, {"child_id": "S", "family_id": "FS"}],
        plans=[{"plan_id": "R1", "child_id": "R", "start_date": "2023-01-01", "initial_category": "NEG", "team": "North"},
               {"plan_id": "S1", "child_id": "S", "start_date": "2023-01-01", "end_date": "2023-03-01",
                "initial_category": "NEG", "team": "South"}],
        events=[
            event("r1", "R", "2023-01-01", "INCIDENT", "POLICE"),     # on the start day: what the plan was made for
            event("r2", "R", "2023-03-20", "REVIEW_CONFERENCE"),      # updated 21 days later: on time
            event("u1", "R", "2023-04-10", "PLAN_UPDATE"),
            event("r3", "R", "2023-05-01", "CORE_GROUP"),             # next update 45 days later: late at 28
            event("r4", "R", "2023-06-01", "INCIDENT", "POLICE"),     # updated 14 days later: on time
            event("r5", "R", "2023-06-10", "MISSED_APPOINTMENT", "HEALTH"),   # not a new concern for a refresh
            event("u2", "R", "2023-06-15", "PLAN_UPDATE"),
            event("s1", "S", "2023-03-01", "REVIEW_CONFERENCE"),      # the closing review: sets no deadline
            event("s2", "S", "2023-02-20", "CORE_GROUP"),             # due after the plan ended: not due
        ],
        family_changes=[{"change_id": "h1", "family_id": "FR", "change_date": "2023-07-01", "change_type": "ADULT_JOINED"}],
        needs=[{"need_id": "n0", "child_id": "R", "identified_date": "2023-01-01", "factor": "4B"},   # at the start
               {"need_id": "n1", "child_id": "R", "identified_date": "2023-12-20", "factor": "3B"}])  # due after as-of


def test_each_trigger_and_its_status(con):
    rows = refresh.trigger_rows(con, Filters(as_of=AS_OF))
    got = [(p, t, str(d.date()), s) for p, t, d, s in rows[["plan_id", "trigger", "trigger_date", "status"]].itertuples(index=False)]
    assert got == [("R1", "review", "2023-03-20", "on_time"), ("R1", "core_group", "2023-05-01", "late"),
                   ("R1", "incident", "2023-06-01", "on_time"), ("R1", "household_change", "2023-07-01", "late"),
                   ("R1", "new_need", "2023-12-20", "not_due"), ("S1", "core_group", "2023-02-20", "not_due")]


def test_the_threshold_moves_the_deadline(con):
    wide = refresh.counts(con, Filters(as_of=AS_OF), Thresholds(plan_update_days=50))
    assert wide["core_group"] == {"on_time": 1, "late": 0, "not_due": 1}
    narrow = refresh.counts(con, Filters(as_of=AS_OF))
    assert narrow["core_group"] == {"on_time": 0, "late": 1, "not_due": 1}
    assert narrow["meetings_rate"] == 0.5 and narrow["new_concerns_rate"] == 0.5


def test_rates_by_team_and_quarter(con):
    team = refresh.by_team(con, Filters(as_of=AS_OF)).set_index(["team", "kind"])
    assert (team.loc[("North", "concern"), "due"], team.loc[("North", "concern"), "rate"]) == (2, 0.5)
    assert team.loc[("South", "meeting"), "due"] == 0 and pd_isna(team.loc[("South", "meeting"), "rate"])
    quarter = refresh.by_quarter(con, Filters(as_of=AS_OF))
    q3 = quarter[(quarter["quarter"].astype(str).str.startswith("2023-07")) & (quarter["kind"] == "concern")]
    assert (int(q3["on_time"].iloc[0]), int(q3["late"].iloc[0])) == (0, 1)


def test_late_plans_list_needs_child_level(con):
    late = refresh.late_plans(con, Filters(as_of=AS_OF))
    assert list(late["plan_id"]) == ["R1"] and late["late_concerns"].iloc[0] == 1
    assert late["triggers"].iloc[0] == "household_change"
    with pytest.raises(OutOfScope):
        refresh.late_plans(con, Filters(as_of=AS_OF).with_(scope=Scope(STRATEGIC_LEAD)))


def test_no_plan_updates_recorded_is_not_a_zero_rate(tmp_path):
    from paqa_dash.metrics import summary
    con = build_store(tmp_path / "n.duckdb",
                      plans=[{"plan_id": "R1", "child_id": "R", "start_date": "2023-01-01", "initial_category": "NEG"}],
                      events=[event("r2", "R", "2023-03-20", "REVIEW_CONFERENCE")])
    result = summary.compute(con, Filters(as_of=AS_OF))
    assert result["plan_refresh"] is None
    assert "no plan updates (PLAN_UPDATE rows in events.csv)" in result["not_recorded"]["plan_refresh"]


def pd_isna(value) -> bool:
    return value != value or value is None
