"""Between plans (audit question 2) on a hand-worked chronology: the gap's concerns, the decision's days from
the first concern, the evidence of impact before the decision, the bands."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from support.store_builder import build_store

from paqa_dash import store
from paqa_dash.filters import Filters
from paqa_dash.metrics import between
from paqa_dash.scope import STRATEGIC_LEAD, OutOfScope, Scope

AS_OF = date(2024, 1, 1)


def plan(pid, child, start, end=None, team="North"):
    return {"plan_id": pid, "child_id": child, "start_date": start, "end_date": end, "initial_category": "NEG",
            "team": team}


def event(eid, child, day, kind, agency="CSC"):
    return {"event_id": eid, "child_id": child, "event_date": day, "event_type": kind, "agency": agency}


BETWEEN_TABLES = ("derived_between_events", "derived_between_plans")


@pytest.fixture(params=["inline", "stored"])
def con(request, chronology, tmp_path):
    """The chronology below, its figures worked out inline per question, or read from the tables an import writes
    (the gap's events and each plan's facts, read for any as-of date): every hand-worked figure holds on both.
    Each test opens a copy of its own of the module's store (`chronology`)."""
    shutil.copy(chronology[request.param], tmp_path / "b.duckdb")
    con = store.connect(tmp_path / "b.duckdb")
    yield con
    con.close()


@pytest.fixture(scope="module")
def chronology(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The chronology on each path, built once for the module (it was built for each test and path: 14 builds)."""
    built = {}
    for path in ("inline", "stored"):
        folder = tmp_path_factory.mktemp(f"between_{path}")
        con = _on_path(_chronology(folder), path)
        con.close()
        built[path] = folder / "b.duckdb"
    return built


def _on_path(built, path: str):
    if path == "stored":
        from paqa_dash.derive import registry
        from paqa_dash.settings import DEFAULTS
        from support.derive import current

        # an import run, as an import records one (the stored tables are read only for the run they were written for)
        built.execute("INSERT INTO import_runs VALUES (1, now(), now(), 'synthetic', 'test', 'x', 0, 0, 0, 0, '{}', "
                      "NULL)")
        registry.refresh(built, registry.Change(reviews="keep"))
        for as_of in (AS_OF, date(2022, 12, 31), date(2020, 6, 30)):
            assert all(current(built, name, Filters(as_of=as_of), DEFAULTS) for name in BETWEEN_TABLES)
    return built


def _chronology(tmp_path):
    return build_store(
        tmp_path / "b.duckdb",
        plans=[plan("A1", "A", "2022-01-01", "2022-06-30"), plan("A2", "A", "2023-01-10"),
               plan("B1", "B", "2022-01-01", "2022-12-31"), plan("B2", "B", "2023-06-01", team="South"),
               plan("C1", "C", "2022-01-01", "2022-12-31"),
               plan("D1", "D", "2021-01-01", "2021-12-31"), plan("D2", "D", "2022-03-01", "2022-12-31"),
               plan("F1", "F", "2020-01-01", "2020-03-31"), plan("F2", "F", "2020-05-01", "2020-12-31")],
        events=[
            # A: two concerns, then strategy and ICPC
            event("a0", "A", "2022-06-30", "INCIDENT", "POLICE"),      # on the previous plan's end day: not in the gap
            event("a1", "A", "2022-09-01", "INCIDENT", "POLICE"),      # police call-out: impact
            event("a2", "A", "2022-11-15", "CORE_GROUP"),              # the plan's own work: not a concern
            event("a3", "A", "2022-12-01", "REFERRAL", "HEALTH"),
            event("a4", "A", "2022-12-20", "STRATEGY_DISCUSSION"),
            event("a5", "A", "2023-01-10", "ICPC"),
            event("a6", "A", "2023-01-10", "MISSED_APPOINTMENT", "HEALTH"),  # on the start day: not before the plan
            # C has one plan only: its events are no gap's
            event("c1", "C", "2023-03-01", "INCIDENT", "POLICE"),
            # D: six concerns, ICPC before the start, an incident after the ICPC
            event("d1", "D", "2022-01-05", "MISSED_APPOINTMENT", "EDUCATION"),   # missed school: impact
            event("d2", "D", "2022-01-20", "REFERRAL", "EDUCATION"),
            event("d8", "D", "2022-01-10", "MISSED_APPOINTMENT", "HEALTH"),      # impact
            event("d9", "D", "2022-01-15", "INCIDENT", "POLICE"),                # impact
            event("d3", "D", "2022-02-03", "ASSESSMENT"),                        # the response: not a concern
            event("d4", "D", "2022-02-05", "S47_START"),
            event("d5", "D", "2022-02-10", "ESCALATION", "HEALTH"),
            event("d6", "D", "2022-02-20", "ICPC"),
            event("d7", "D", "2022-02-25", "INCIDENT", "FAMILY"),     # after the decision: a concern, not its evidence
            # F: one police call-out 11 days before the plan, no ICPC recorded
            event("f1", "F", "2020-04-20", "INCIDENT", "POLICE"),
        ])


def test_one_row_per_repeat_plan_with_a_gap(con):
    rows = between.plan_rows(con, Filters(as_of=AS_OF)).set_index("plan_id")
    assert sorted(rows.index) == ["A2", "B2", "D2", "F2"]
    a = rows.loc["A2"]
    assert (a.concerns, a.agencies, a.impact_events, a.band) == (2, 2, 1, "few")
    assert (a.days_to_strategy, a.days_to_icpc, a.days_to_plan, a.gap_days) == (110, 131, 131, 194)
    d = rows.loc["D2"]
    assert (d.concerns, d.impact_events, d.band, d.days_to_icpc, d.days_to_plan) == (6, 3, "many", 46, 55)
    assert pd.isna(d.strategy_date) and pd.isna(d.days_to_strategy)
    b = rows.loc["B2"]
    assert (b.concerns, b.impact_events, b.band) == (0, 0, "none") and pd.isna(b.days_to_plan)
    f = rows.loc["F2"]
    assert (f.concerns, f.impact_events, f.band, f.days_to_plan) == (1, 1, "one", 11)


def test_counts_groups_and_bands(con):
    got = between.counts(con, Filters(as_of=AS_OF))
    assert got["repeat_plans_with_gap"] == 4 and got["with_concerns"] == 3 and got["concerns"] == 9
    assert got["with_impact_before_decision"] == 3
    assert got["median_days_to_plan"] == 55 and got["median_days_to_strategy"] == 110
    assert got["median_days_to_icpc"] == 88.5 and got["median_gap_days"] == 106
    assert got["by_group"] == {"police_callout": 3, "referral": 2, "missed_health": 1, "missed_school": 1,
                               "escalation": 1, "incident": 1}
    assert got["bands"] == {"none": 1, "one": 1, "few": 1, "many": 1}


def test_the_filter_applies_to_the_repeat_plan(con):
    later = Filters(date_from=date(2022, 6, 1), as_of=AS_OF)
    assert between.counts(con, later)["repeat_plans_with_gap"] == 2          # A2, B2
    south = Filters(teams=("South",), as_of=AS_OF)
    assert between.counts(con, south)["bands"] == {"none": 1, "one": 0, "few": 0, "many": 0}
    before_icpc = Filters(as_of=date(2022, 12, 31))                           # A2 not started yet
    assert "A2" not in set(between.plan_rows(con, before_icpc)["plan_id"])


def test_months_before_the_plan_by_agency(con):
    frame = between.months_before(con, Filters(as_of=AS_OF))
    got = {(int(m), a): int(n) for m, a, n in frame.itertuples(index=False)}
    # A: 131 days -> month 4 (police), 40 days -> 1 (health); F: 11 days -> 0 (police); D: 55 (education), 50
    # (health), 45 (police), 40 (education) -> 1; 19 (health), 4 (family) -> 0
    assert got[(4, "POLICE")] == 1 and got[(1, "HEALTH")] == 2 and got[(0, "POLICE")] == 1
    assert got[(1, "EDUCATION")] == 2 and got[(1, "POLICE")] == 1 and got[(0, "HEALTH")] == 1
    assert got[(0, "FAMILY")] == 1
    assert sum(got.values()) == 9


def test_concern_rows_and_lists_need_child_level_scope(con):
    rows = between.concern_rows(con, Filters(as_of=AS_OF, child_ids=("A",)))
    assert list(rows["event_id"]) == ["a1", "a3"] and list(rows["impact"]) == [True, False]
    lead = Filters(as_of=AS_OF).with_(scope=Scope(STRATEGIC_LEAD))
    with pytest.raises(OutOfScope):
        between.plan_rows(con, lead)
    assert between.counts(con, lead)["repeat_plans_with_gap"] == 4           # aggregates are allowed


def test_no_concern_events_recorded_is_not_zero(tmp_path):
    """A store with plans and only meetings: between plans is not recorded (JSON None + reason), not 0."""
    from paqa_dash.metrics import summary
    con = build_store(tmp_path / "n.duckdb",
                      plans=[plan("A1", "A", "2022-01-01", "2022-06-30"), plan("A2", "A", "2023-01-10")],
                      events=[event("a1", "A", "2022-09-01", "CORE_GROUP")])
    result = summary.compute(con, Filters(as_of=AS_OF))
    assert result["between_plans"] is None
    assert result["not_recorded"]["between_plans"].startswith("not recorded in this data: no referrals")
    assert between.counts(con, Filters(as_of=AS_OF))["repeat_plans_with_gap"] == 0


def test_bands_from_referrals_alone_are_not_recorded_not_zero(tmp_path):
    """Referrals the only concerns recorded (a CIN census gives each episode's referral, never a contact, incident or
    missed appointment): `metrics --json` gives no bands ("0 plans after 5 or more concerns" would be a finding about
    the source) but a reason, and still counts the referrals; with a contact recorded too, the bands are given."""
    from paqa_dash.metrics import summary
    plans = [plan("A1", "A", "2022-01-01", "2022-06-30"), plan("A2", "A", "2023-01-10")]
    referral = event("a1", "A", "2022-12-01", "REFERRAL")
    con = build_store(tmp_path / "r.duckdb", plans=plans, events=[referral])
    result = summary.compute(con, Filters(as_of=AS_OF))
    assert result["between_plans"]["bands"] is None
    assert result["not_recorded"]["between_plans.bands"].startswith(
        "not recorded in this data: no contacts, incidents or missed appointments")
    assert (result["between_plans"]["with_concerns"], result["between_plans"]["by_group"]) == (1, {"referral": 1})
    con.close()
    con = build_store(tmp_path / "c.duckdb", plans=plans, events=[referral, event("a2", "A", "2022-11-01", "CONTACT")])
    result = summary.compute(con, Filters(as_of=AS_OF))
    assert result["between_plans"]["bands"] == {"none": 0, "one": 0, "few": 1, "many": 0}
    assert "between_plans.bands" not in result["not_recorded"]


def test_days_to_strategy_without_strategy_discussions_is_not_recorded(tmp_path):
    """A census or Annex A child: a referral and the ICPC, no strategy discussion.  `metrics --json` gives the median
    days to strategy as null with a reason (not a bare null beside the days to the ICPC); with one recorded, days."""
    from paqa_dash.metrics import summary
    plans = [plan("A1", "A", "2022-01-01", "2022-06-30"), plan("A2", "A", "2023-01-10")]
    census = [event("a1", "A", "2022-12-01", "REFERRAL"), event("a2", "A", "2023-01-05", "ICPC")]
    con = build_store(tmp_path / "s.duckdb", plans=plans, events=census)
    result = summary.compute(con, Filters(as_of=AS_OF))
    assert result["between_plans"]["median_days_to_strategy"] is None
    assert result["between_plans"]["median_days_to_icpc"] == 35
    assert result["not_recorded"]["between_plans.median_days_to_strategy"].startswith(
        "not recorded in this data: no strategy discussions")
    con.close()
    con = build_store(tmp_path / "t.duckdb", plans=plans,
                      events=[*census, event("a3", "A", "2022-12-11", "STRATEGY_DISCUSSION")])
    result = summary.compute(con, Filters(as_of=AS_OF))
    assert result["between_plans"]["median_days_to_strategy"] == 10
    assert "between_plans.median_days_to_strategy" not in result["not_recorded"]


def test_read_as_of_a_date_before_the_childs_later_plans(con):
    """As of 30 Jun 2020 only F2 has started (its gap: F1 ended 31 Mar, one police call-out 11 days before the plan):
    the stored facts, written for every plan of the store, give only it, with its gap whole."""
    early = Filters(as_of=date(2020, 6, 30))
    rows = between.plan_rows(con, early)
    assert list(rows["plan_id"]) == ["F2"]
    f = rows.iloc[0]
    assert (f.concerns, f.impact_events, f.band, f.days_to_plan, f.gap_days) == (1, 1, "one", 11, 31)
    assert between.totals(con, early)["concerns"] == 1
    assert between.by_group(con, early)[["grp", "agency", "concerns", "plans"]].values.tolist() == [
        ["police_callout", "POLICE", 1, 1]]


def test_totals_are_the_counts_without_groups_and_bands(con):
    """The page's tiles (totals, one question) are the `metrics --json` counts less the groups and bands the page
    asks for apart."""
    f = Filters(as_of=AS_OF)
    whole = between.counts(con, f)
    assert between.totals(con, f) == {k: v for k, v in whole.items() if k not in ("by_group", "bands")}
    assert between.totals(con, f)["repeat_plans_with_gap"] == 4


@pytest.mark.parametrize("stored", [False, True])
def test_a_census_cin_plan_and_closure_are_not_concerns(tmp_path, stored):
    """A CIN census child between two plans: the referral, then a CIN plan's start and end and the case's closure,
    which the census importer writes as OTHER events.  They are the service's own steps, not concerns: the gap holds
    one concern, the referral, not four with three "other recorded event"s.  An OTHER event of a bundle is still a
    concern (an event of no named kind), and Annex A's child in need episode (CIN_START, CIN_END) is not one."""
    from paqa_dash.derive import registry

    plans = [plan("A1", "A", "2022-01-01", "2022-06-30"), plan("A2", "A", "2023-01-10"),
             plan("B1", "B", "2022-01-01", "2022-06-30"), plan("B2", "B", "2023-01-10")]
    census = [{**e, "run_id": 1} for e in (
        event("a1", "A", "2022-08-01", "REFERRAL"), event("a2", "A", "2022-08-20", "OTHER"),
        event("a3", "A", "2022-11-30", "OTHER"), event("a4", "A", "2022-12-10", "OTHER"))]
    bundle = [{**e, "run_id": 2} for e in (
        event("b1", "B", "2022-08-01", "REFERRAL"), event("b2", "B", "2022-09-01", "OTHER"),
        event("b3", "B", "2022-10-01", "CIN_START"), event("b4", "B", "2022-12-01", "CIN_END"))]
    con = build_store(tmp_path / "census.duckdb", plans=[{**p, "run_id": 1} for p in plans],
                      events=census + bundle)
    for run, kind in ((1, "cin_xml"), (2, "bundle")):
        con.execute("INSERT INTO import_runs VALUES (?, now(), now(), ?, 'test', ?, 0, 0, 0, 0, '{}', NULL)",
                    [run, kind, f"h{run}"])
    if stored:
        registry.refresh(con, registry.Change(reviews="keep"))
    rows = between.plan_rows(con, Filters(as_of=AS_OF)).set_index("plan_id")
    assert rows.loc["A2", "concerns"] == 1 and rows.loc["B2", "concerns"] == 2
    groups = between.by_group(con, Filters(as_of=AS_OF)).groupby("grp")["concerns"].sum().to_dict()
    assert groups == {"referral": 2, "other": 1}
