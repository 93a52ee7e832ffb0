"""Challenge and escalation, and written agreements, are shown exactly where the data records them
(reference/recorded.py: kinds `challenges` and `written_agreements`), never read from the core group meetings
beside them.  Hand-worked chronologies, as of 2026-01-01 (re-plan window 24 months, 6 months after an ending):

a: A1 2022-01-01..2022-06-01 stepped down to CIN; A2 2023-01-01, open.
   c1 2022-05-15 HEALTH challenges the step-down (linked to A1); w1 2022-06-10 CSC written agreement (after the
   step-down: A1's); g1 2022-02-01 a core group of A1.
b: B1 2022-01-01..2022-06-01 stepped down to early help; g2 2022-02-01 a core group of B1; nothing else.

(a) challenges and agreements, no core groups: both measures are counted (1 challenge, 1 agreement).
(b) core groups only: both are "not recorded in this data", not "0 challenges" / "0 step-downs with an agreement".
The ordinary case: all of them; child b's plan, in the same import as child a's, holds both kinds (its zero is a
zero), but in an import of its own that brought none, it does not.
"""
from __future__ import annotations

from datetime import date

import pytest
from support.store_builder import build_store

from paqa_dash.filters import Filters
from paqa_dash.metrics import coverage, summary

AS_OF = Filters(as_of=date(2026, 1, 1))
MEASURES = ("challenge_and_escalation", "written_agreements")
PLANS = [{"plan_id": "A1", "child_id": "a", "start_date": "2022-01-01", "end_date": "2022-06-01",
          "end_reason": "STEP_DOWN_CIN", "initial_category": "NEG", "team": "North"},
         {"plan_id": "A2", "child_id": "a", "start_date": "2023-01-01", "initial_category": "NEG", "team": "North"},
         {"plan_id": "B1", "child_id": "b", "start_date": "2022-01-01", "end_date": "2022-06-01",
          "end_reason": "STEP_DOWN_EARLY_HELP", "initial_category": "NEG", "team": "North"}]


def event(eid: str, child: str, day: str, kind: str, agency: str, plan: str | None, detail: str) -> dict:
    return {"event_id": eid, "child_id": child, "event_date": day, "event_type": kind, "agency": agency,
            "plan_id": plan, "detail": detail}


CHALLENGE = event("c1", "a", "2022-05-15", "CHALLENGE", "HEALTH", "A1", "Challenged the step down. Resolved: upheld")
AGREEMENT = event("w1", "a", "2022-06-10", "WRITTEN_AGREEMENT", "CSC", None, "Written agreement")
CORE_GROUPS = [event("g1", "a", "2022-02-01", "CORE_GROUP", "CSC", "A1", "Core group"),
               event("g2", "b", "2022-02-01", "CORE_GROUP", "CSC", "B1", "Core group")]


def _metrics(tmp_path, events: list[dict], plans: list[dict] = PLANS, filters: Filters = AS_OF) -> dict:
    con = build_store(tmp_path / "s.duckdb", plans=plans, events=events)
    try:
        return summary.compute(con, filters)
    finally:
        con.close()


def test_challenges_and_agreements_without_core_groups_are_counted(tmp_path):
    """(a): a bundle of challenges and agreements but no core group meetings."""
    out = _metrics(tmp_path, [CHALLENGE, AGREEMENT])
    assert "core_groups" in out["not_recorded"]
    assert not set(MEASURES) & set(out["not_recorded"])
    ch = out["challenge_and_escalation"]
    assert (ch["events"], ch["by_kind"], ch["by_agency"]) == (1, {"CHALLENGE": 1}, {"HEALTH": 1})
    assert ch["endings_challenged"]["endings"] == 1 and ch["endings_not_challenged"]["endings"] == 1   # A1; B1
    wa = out["written_agreements"]
    assert (wa["agreements"], wa["by_timing"]) == (1, {"AFTER_STEP_DOWN": 1})
    assert wa["step_downs_with_agreement"]["step_downs"] == 1 and wa["step_downs_without_agreement"]["step_downs"] == 1


def test_core_groups_without_challenges_or_agreements_are_not_zeros(tmp_path):
    """(b): the authority records core groups but never a challenge, an escalation or a written agreement."""
    out = _metrics(tmp_path, CORE_GROUPS)
    assert "core_groups" not in out["not_recorded"]
    assert out["challenge_and_escalation"] is None and out["written_agreements"] is None
    assert out["not_recorded"]["challenge_and_escalation"] == (
        "not recorded in this data: no challenges or escalations by agencies (CHALLENGE or ESCALATION rows in "
        "events.csv)")
    assert out["not_recorded"]["written_agreements"] == (
        "not recorded in this data: no written agreements (WRITTEN_AGREEMENT rows in events.csv)")


def test_only_challenges_recorded_leaves_agreements_not_recorded(tmp_path):
    """Each measure its own kind: challenges recorded, written agreements not."""
    out = _metrics(tmp_path, [*CORE_GROUPS, CHALLENGE])
    assert out["challenge_and_escalation"]["events"] == 1
    assert out["written_agreements"] is None and "written_agreements" in out["not_recorded"]


def test_every_kind_recorded_and_a_plan_without_one_counts_zero(tmp_path):
    """The ordinary case: child b has no challenge or agreement of its own, but its import recorded them, so its
    plan's zero is a zero."""
    out = _metrics(tmp_path, [*CORE_GROUPS, CHALLENGE, AGREEMENT])
    assert not set(MEASURES) & set(out["not_recorded"])
    assert out["challenge_and_escalation"]["events"] == 1 and out["written_agreements"]["agreements"] == 1
    b = Filters(as_of=date(2026, 1, 1), child_ids=("b",))
    only_b = _metrics(tmp_path / "b", [*CORE_GROUPS, CHALLENGE, AGREEMENT], filters=b)
    assert only_b["challenge_and_escalation"]["events"] == 0 and only_b["written_agreements"]["agreements"] == 0
    con = build_store(tmp_path / "c.duckdb", plans=PLANS, events=[*CORE_GROUPS, CHALLENGE, AGREEMENT])
    try:
        held_b = coverage.coverage(con, b).by_year_team
    finally:
        con.close()
    assert held_b[["plans", "challenges", "written_agreements"]].sum().tolist() == [1, 1, 1]   # B1, by its import


@pytest.mark.parametrize("kind", ["challenges", "written_agreements"])
def test_a_plan_of_an_import_that_brought_none_does_not_hold_them(tmp_path, kind):
    """Two imports: child a's (core groups, challenges, agreements) and child b's (a core group only).  b's plan
    holds neither kind: its import recorded none and none is of b."""
    plans = [{**p, "run_id": 1 if p["child_id"] == "a" else 2} for p in PLANS]
    events = [{**e, "run_id": 1 if e["child_id"] == "a" else 2} for e in [*CORE_GROUPS, CHALLENGE, AGREEMENT]]
    (tmp_path / "s").mkdir()
    con = build_store(tmp_path / "s" / "s.duckdb", plans=plans, events=events)
    try:
        held_b = coverage.coverage(con, Filters(as_of=date(2026, 1, 1), child_ids=("b",)))
        held_all = coverage.coverage(con, AS_OF)
    finally:
        con.close()
    assert int(held_b.by_year_team[kind].sum()) == 0 and int(held_b.by_year_team["core_groups"].sum()) == 1
    assert int(held_all.by_year_team[kind].sum()) == 2   # A1 and A2
