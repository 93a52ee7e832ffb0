"""Plan refresh (audit question 7) on a hand-worked chronology: after each review, core group and new concern,
a plan update within the threshold's days, late, or not yet due."""
from __future__ import annotations

from datetime import date

import pandas as pd
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
    grid = refresh.team_quarters(con, Filters(as_of=AS_OF))
    # R1's review (Q1) on time, core group (Q2) late, incident (Q2) on time, household change (Q3) late, need (Q4)
    # not yet due; S1's core group not due (after its plan ended): counted in neither column
    assert [(t, str(q.date()), k, n, m) for t, q, k, n, m in grid.itertuples(index=False)] == [
        ("North", "2023-01-01", "meeting", 1, 0), ("North", "2023-04-01", "concern", 1, 0),
        ("North", "2023-04-01", "meeting", 0, 1), ("North", "2023-07-01", "concern", 0, 1),
        ("North", "2023-10-01", "concern", 0, 0), ("South", "2023-01-01", "meeting", 0, 0)]
    team = refresh.by_team(grid).set_index(["team", "kind"])
    assert (team.loc[("North", "concern"), "due"], team.loc[("North", "concern"), "rate"]) == (2, 0.5)
    assert team.loc[("South", "meeting"), "due"] == 0 and pd_isna(team.loc[("South", "meeting"), "rate"])
    quarter = refresh.by_quarter(grid)
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


@pytest.fixture
def family_con(tmp_path):
    """Child F and sibling G in family FF: a household change recorded of F *and* of the family (linked both ways),
    one of the family only; a plan update on a review's own day; a core group whose first update comes weeks later."""
    return build_store(
        tmp_path / "f.duckdb",
        children=[{"child_id": "F", "family_id": "FF"}, {"child_id": "G", "family_id": "FF"}],
        plans=[{"plan_id": "F1", "child_id": "F", "start_date": "2023-01-01", "initial_category": "NEG", "team": "North"}],
        events=[event("f1", "F", "2023-02-01", "REVIEW_CONFERENCE"),
                event("fu1", "F", "2023-02-01", "PLAN_UPDATE"),          # the same day: on time
                event("f2", "F", "2023-03-01", "CORE_GROUP"),            # next update 2023-05-01: late at 28 days
                event("fu2", "F", "2023-05-01", "PLAN_UPDATE")],
        family_changes=[{"change_id": "h1", "child_id": "F", "family_id": "FF", "change_date": "2023-04-01",
                         "change_type": "ADULT_JOINED"},
                        {"change_id": "h2", "child_id": "G", "family_id": "FF", "change_date": "2023-04-10",
                         "change_type": "HOUSE_MOVE"}])


def _statuses(con, as_of, days=28):
    rows = refresh.trigger_rows(con, Filters(as_of=as_of), Thresholds(plan_update_days=days))
    return [(t, str(d.date()), None if pd.isna(u) else str(u.date()), s)
            for t, d, u, s in rows[["trigger", "trigger_date", "updated_on", "status"]].itertuples(index=False)]


EXPECTED = {
    # as of the day the core group's update came: every trigger's first update known
    date(2023, 5, 1): [("review", "2023-02-01", "2023-02-01", "on_time"), ("core_group", "2023-03-01", "2023-05-01", "late"),
                       ("household_change", "2023-04-01", "2023-05-01", "late"),
                       ("household_change", "2023-04-10", "2023-05-01", "on_time")],
    # as of a day before that update: none yet after the review's; the core group late, the changes not yet due
    date(2023, 4, 20): [("review", "2023-02-01", "2023-02-01", "on_time"), ("core_group", "2023-03-01", None, "late"),
                        ("household_change", "2023-04-01", None, "not_due"),
                        ("household_change", "2023-04-10", None, "not_due")],
    # as of the core group's own day: a meeting on the cutoff sets no deadline yet; the changes have not happened
    date(2023, 3, 1): [("review", "2023-02-01", "2023-02-01", "on_time")],
}


def test_triggers_linked_by_child_and_family_once_and_the_first_update_as_of_each_date(family_con):
    """Worked out inline, then read from the table written at import (derived_refresh_triggers, written as of the far
    future and seen as of each date): the same rows.  The change linked by the child and by the family is one trigger."""
    from paqa_dash.derive import registry

    inline = {}
    for as_of, expected in EXPECTED.items():
        assert _statuses(family_con, as_of) == expected, as_of
        inline[as_of] = _summaries(family_con, as_of)
    # an import run, which the tables' record is kept against (a store of no run has nothing current)
    family_con.execute("INSERT INTO import_runs (run_id, started_at, finished_at, kind, source, file_hash, rows_read, rows_loaded, "
                       "rows_rejected, rows_duplicate, counts_json) VALUES (1, now(), now(), 'bundle', 'f', 'h', 8, 8, 0, 0, '{}')")
    registry.refresh(family_con, registry.Change(reviews="keep"))
    assert registry.resolve(family_con, Filters(as_of=date(2023, 4, 20)), Thresholds()).reads_stored("derived_refresh_triggers")
    for as_of, expected in EXPECTED.items():
        assert _statuses(family_con, as_of) == expected, as_of
        for stored, worked_out in zip(_summaries(family_con, as_of), inline[as_of]):   # the kind and quarter kept too
            pd.testing.assert_frame_equal(stored, worked_out)


def _summaries(con, as_of) -> tuple[pd.DataFrame, ...]:
    """The page's frames: the team-by-quarter counts and the late list, as of a date."""
    return (refresh.team_quarters(con, Filters(as_of=as_of)), refresh.late_plans(con, Filters(as_of=as_of)))


def test_late_list_names_each_listed_plan_s_kinds_after_ranking(tmp_path):
    """P has three kinds of new concern with no update in time, Q one: the list cut to one plan keeps P, names its
    three kinds once each, and still counts both plans (the kinds are named after the ranking and the cut)."""
    con = build_store(
        tmp_path / "l.duckdb",
        children=[{"child_id": "A", "family_id": "FA"}, {"child_id": "B", "family_id": "FB"}],
        plans=[{"plan_id": "P", "child_id": "A", "start_date": "2023-01-01", "initial_category": "NEG", "team": "North"},
               {"plan_id": "Q", "child_id": "B", "start_date": "2023-01-01", "initial_category": "NEG", "team": "South"}],
        events=[event("a0", "A", "2023-01-05", "PLAN_UPDATE"), event("b0", "B", "2023-01-05", "PLAN_UPDATE"),
                event("a1", "A", "2023-02-01", "INCIDENT", "POLICE"), event("a2", "A", "2023-03-01", "INCIDENT", "POLICE"),
                event("b1", "B", "2023-05-01", "INCIDENT", "POLICE")],
        family_changes=[{"change_id": "h1", "family_id": "FA", "change_date": "2023-04-01", "change_type": "ADULT_JOINED"}],
        needs=[{"need_id": "n1", "child_id": "A", "identified_date": "2023-06-01", "factor": "3B"}])
    late = refresh.late_plans(con, Filters(as_of=AS_OF), limit=1)
    assert late[["plan_id", "late_concerns", "triggers", "plans_listed"]].values.tolist() == [
        ["P", 4, "household_change,incident,new_need", 2]]
    assert (str(late["first_late"].iloc[0].date()), str(late["last_late"].iloc[0].date())) == ("2023-02-01", "2023-06-01")
