"""Written agreements placed against a child's plans, and step-downs with and without one, on a hand-worked
chronology (as of 2026-01-01, re-plan window 24 months, 6 months after an ending).

a: A1 2022-01-01..2022-06-01 step-down to CIN with an action left open; A2 2023-01-01 open.
   w1 2022-06-10 (after the step-down; A1's action unfinished), w2 2022-03-01 (during A1),
   w3 2022-12-20 (over 6 months after A1: before A2).
b: B1 2022-01-01..2022-06-01 step-down to early help, nothing after: no agreement, not re-planned.
g: G1 2022-01-01..2022-03-01 no longer at risk; w4 2022-04-01 (after another ending; its action done),
   w6 2023-06-01 (long after, no later plan: counted nowhere).
z: an agreement for a child without plans: counted nowhere.
"""
from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest
from support.store_builder import build_store

from paqa_dash import scope
from paqa_dash.filters import Filters
from paqa_dash.metrics import agreements
from paqa_dash.scope import OutOfScope, Scope

AS_OF = date(2026, 1, 1)


def plan(pid, child, start, end=None, reason=None):
    return {"plan_id": pid, "child_id": child, "start_date": start, "end_date": end, "initial_category": "NEG",
            "team": "North", "end_reason": reason}


def wa(eid, child, day, agency):
    return {"event_id": eid, "child_id": child, "event_date": day, "event_type": "WRITTEN_AGREEMENT",
            "agency": agency, "plan_id": None, "detail": "Written agreement"}


def action(aid, pid, status):
    return {"action_id": aid, "plan_id": pid, "action_text": "Do a thing", "status": status}


@pytest.fixture
def con(tmp_path):
    con = build_store(tmp_path / "w.duckdb", plans=[
        plan("A1", "a", "2022-01-01", "2022-06-01", "STEP_DOWN_CIN"), plan("A2", "a", "2023-01-01"),
        plan("B1", "b", "2022-01-01", "2022-06-01", "STEP_DOWN_EARLY_HELP"),
        plan("G1", "g", "2022-01-01", "2022-03-01", "NO_LONGER_AT_RISK"),
    ], children=[{"child_id": "z"}], events=[
        wa("w1", "a", "2022-06-10", "CSC"), wa("w2", "a", "2022-03-01", "HEALTH"), wa("w3", "a", "2022-12-20", "CSC"),
        wa("w4", "g", "2022-04-01", "EDUCATION"), wa("w6", "g", "2023-06-01", "CSC"), wa("w5", "z", "2022-01-01", "CSC"),
    ], actions=[action("x1", "A1", "OPEN"), action("x2", "G1", "DONE")])
    yield con
    con.close()


def test_each_agreement_placed(con):
    got = agreements.for_child(con, "a", Filters(as_of=AS_OF)).set_index("event_id")
    assert got.loc["w1", ["timing", "plan_id", "unfinished"]].tolist() == ["AFTER_STEP_DOWN", "A1", True]
    assert got.loc["w2", ["timing", "plan_id"]].tolist() == ["DURING_PLAN", "A1"]
    assert got.loc["w3", ["timing", "plan_id"]].tolist() == ["BEFORE_PLAN", "A2"]
    assert got["unfinished"].isna().sum() == 2                 # only an agreement after an ending is judged
    g = agreements.for_child(con, "g", Filters(as_of=AS_OF))
    assert g[["event_id", "timing", "unfinished"]].values.tolist() == [["w4", "AFTER_OTHER_ENDING", False]]


def test_counts_by_agency_and_timing(con):
    got = agreements.counts(con, Filters(as_of=AS_OF))
    rows = {(r.agency, r.timing): (r.agreements, r.unfinished) for r in got.itertuples()}
    assert rows == {("CSC", "AFTER_STEP_DOWN"): (1, 1), ("CSC", "BEFORE_PLAN"): (1, 0),
                    ("HEALTH", "DURING_PLAN"): (1, 0), ("EDUCATION", "AFTER_OTHER_ENDING"): (1, 0)}


def test_an_agreement_counts_for_the_plan_started_in_the_period(con):
    got = agreements.counts(con, Filters(as_of=AS_OF, date_from=date(2022, 6, 1)))
    assert got[["agency", "timing", "agreements"]].values.tolist() == [["CSC", "BEFORE_PLAN", 1]]   # A2's


def test_step_downs_with_and_without_an_agreement(con):
    got = agreements.step_downs(con, Filters(as_of=AS_OF)).set_index("with_agreement")
    assert got.loc[True, ["step_downs", "followed_up", "replanned"]].tolist() == [1, 1, 1]     # A1
    assert got.loc[False, ["step_downs", "followed_up", "replanned"]].tolist() == [1, 1, 0]    # B1
    early = agreements.step_downs(con, Filters(as_of=date(2022, 7, 1))).set_index("with_agreement")
    assert early.loc[True, "followed_up"] == 0 and pd.isna(early.loc[True, "replan_rate"])


def test_a_step_down_re_planned_inside_its_window_waits_until_the_window_is_over(con):
    # as of 1 March 2023 A1 (June 2022) is re-planned (A2, January 2023) but its 24 months run to June 2024, and B1
    # (not re-planned) is in the same place: counting A1 alone would read 100% re-planned for the agreements
    got = agreements.step_downs(con, Filters(as_of=date(2023, 3, 1))).set_index("with_agreement")
    assert got["followed_up"].tolist() == [0, 0] and got["replanned"].tolist() == [0, 0]
    assert got["replan_rate"].isna().all()


def test_a_child_list_needs_child_level_access(con):
    with pytest.raises(OutOfScope):
        agreements.for_child(con, "a", Filters(as_of=AS_OF, scope=Scope(role=scope.STRATEGIC_LEAD)))


def test_json_block(con):
    f = Filters(as_of=AS_OF)
    got = agreements.as_json(agreements.counts(con, f), agreements.step_downs(con, f))
    assert got["agreements"] == 4 and got["stood_in_for_unfinished_actions"] == 1
    assert got["by_timing"] == {"AFTER_OTHER_ENDING": 1, "AFTER_STEP_DOWN": 1, "BEFORE_PLAN": 1, "DURING_PLAN": 1}
    assert got["step_downs_with_agreement"]["replan_rate"] == 1.0


@pytest.mark.parametrize("as_of", [AS_OF, date(2022, 12, 31), date(2022, 7, 1), date(2022, 3, 15)])
def test_the_agreements_placed_at_import_give_the_inline_figures(con, monkeypatch, as_of):
    """derived_agreements (written as of the far future) is read for the data date and, through its as-of block,
    for earlier dates: 31 Dec 2022 is the case that block is for (w3 is placed before A2, which starts the day
    after, so as of then it is placed nowhere); every figure equals the inline one, with a period and a team too."""
    from paqa_dash.derive import registry
    from paqa_dash.settings import DEFAULTS
    from support.derive import current, inline

    # an import run, as an import records one (the stored tables are read only for the run they were written for)
    con.execute("INSERT INTO import_runs VALUES (1, now(), now(), 'synthetic', 'test', 'x', 0, 0, 0, 0, '{}', NULL)")
    registry.refresh(con, registry.Change(reviews="keep"))
    filters = [Filters(as_of=as_of), Filters(as_of=as_of, date_from=date(2022, 6, 1)),
               Filters(as_of=as_of, teams=("North",), plan_number="first")]
    assert current(con, "derived_agreements", Filters(as_of=AS_OF), DEFAULTS)
    stand_in = registry.resolve(con, Filters(as_of=as_of), DEFAULTS).substitute("agreements_cte_agreements")
    assert stand_in == (("agreements_cte_agreements_stored",) if as_of == AS_OF
                        else ("agreements_cte_agreements_stored_as_of",))

    def figures():
        return ([agreements.counts(con, f) for f in filters] + [agreements.step_downs(con, f) for f in filters]
                + [agreements.for_child(con, child, Filters(as_of=as_of)) for child in ("a", "g", "z")])

    stored = figures()
    inline(monkeypatch, "derived_agreements")
    for got, want in zip(stored, figures()):
        pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True), check_dtype=False)
    if as_of == date(2022, 12, 31):
        assert "w3" not in set(stored[-3]["event_id"])


def test_each_placed_agreement_keeps_its_plans_start_so_an_earlier_date_reads_no_plan_sequence(con):
    """derived_agreements keeps the start of the plan each agreement is placed against (`plan_start`), and the as-of
    block leaves out a row whose plan had not started by then by it: reading one child's agreements as of an earlier
    date scans no plan sequence (the block tested every row against every plan of `seq`: most of each of the Challenge
    page's agreement reads as of an earlier date at a million plans)."""
    from paqa_dash.derive import registry
    from paqa_dash.metrics import sqlrun
    from paqa_dash.settings import DEFAULTS, FOLLOW_UP

    con.execute("INSERT INTO import_runs VALUES (1, now(), now(), 'synthetic', 'test', 'x', 0, 0, 0, 0, '{}', NULL)")
    registry.refresh(con, registry.Change(reviews="keep"))
    kept = con.execute("SELECT a.event_id, a.plan_start, p.start_date FROM derived_agreements a "
                       "JOIN plans p ON p.plan_id = a.plan_id ORDER BY a.event_id").fetchall()
    assert [row[0] for row in kept] == ["w1", "w2", "w3", "w4"] and all(row[1] == row[2] for row in kept)
    early = Filters(child_ids=("a",), as_of=date(2022, 12, 31))
    text, params = sqlrun.text_and_params(con, "agreements_for_child", early, DEFAULTS, shared=FOLLOW_UP.params())
    assert registry.resolve(con, early, DEFAULTS).substitute("agreements_cte_agreements") == (
        "agreements_cte_agreements_stored_as_of",)
    plan = "\n".join(str(row[1]) for row in con.execute("EXPLAIN " + text, params).fetchall())
    assert re.findall(r"Table: \S+\.(\w+)", plan) == ["derived_agreements"]
    assert set(agreements.for_child(con, "a", early)["event_id"]) == {"w1", "w2"}
