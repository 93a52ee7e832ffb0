"""Which measures a store can answer (metrics/coverage.py): `metrics --json` is null with a reason exactly where
the source lacks the data, numbers where it has it; partial coverage is said in words (issue 13)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from paqa_dash import store
from paqa_dash.filters import Filters
from paqa_dash.metrics import coverage, summary
from paqa_dash.pipeline import run_import
from paqa_dash.reference.recorded import DATA_KINDS, MEASURE_NEEDS
from paqa_dash.store import with_data_date
from support.paths import SAMPLE_SOURCES

SOURCES = {k: SAMPLE_SOURCES[k] for k in ("annex_a", "cin")}
# What a census source lacks, as metrics --json says it.
ABSENT = {"core_groups", "agency_attendance", "family_changes", "duplicate_actions", "plan_refresh",
          "challenge_and_escalation", "written_agreements", "duplication_impact",
          "restorative_practice", "first_order_endings", "what_works", "wording_balance",   # these four: no plan actions
          # the samples' repeat plans have their earlier plans only as a count, undated: no gap to search either
          "repeat_within_window", "between_plans"}


@pytest.fixture(scope="module", params=sorted(SOURCES))
def census_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp(f"cov_{request.param}") / "c.duckdb"
    run_import(SOURCES[request.param](), db)
    return db


def _metrics(db: Path) -> dict:
    con = store.connect(db, read_only=True)
    try:
        return summary.compute(con, with_data_date(con, Filters()))
    finally:
        con.close()


def test_a_census_source_is_null_with_a_reason_where_it_lacks_the_data(census_store):
    out = _metrics(census_store)
    # Annex A lists only each plan's latest review conference: review timeliness cannot be told from it
    absent = ABSENT | ({"reviews"} if census_store.parent.name.startswith("cov_annex_a") else set())
    assert set(out["not_recorded"]) == absent
    for key in absent:
        value = out
        for part in key.split("."):
            value = value[part]
        assert value is None and out["not_recorded"][key].startswith("not recorded in this data: no ")
    assert out["plans_started"] > 0
    assert isinstance(out["reviews"], dict) or "reviews" in absent   # the CIN census records every review


def test_a_census_source_counts_endings_from_short_plans_and_names_the_signs_not_checked(census_store):
    """A short plan needs only dates, so premature endings and endings at risk are listed in every source (as the
    Plan endings page lists them); the signs read from plan actions are named as not checked, with why."""
    out = _metrics(census_store)
    assert isinstance(out["premature_endings"], list) and isinstance(out["endings_at_risk"], list)
    assert all(e["reasons"] == ["SHORT"] for e in out["premature_endings"] + out["endings_at_risk"])
    unchecked = out["warning_signs_not_checked"]
    assert set(unchecked) == {"OPEN_ACTIONS", "UNADDRESSED_ADULT_NEED"}
    assert unchecked["OPEN_ACTIONS"] == "not recorded in this data: no plan actions (actions.csv)"


def test_the_demo_records_everything(demo_store):
    out = _metrics(demo_store)
    assert out["not_recorded"] == {} and out["warning_signs_not_checked"] == {}
    assert sum(out["core_groups"].values()) > 0 and out["agency_attendance"] and isinstance(out["duplicate_actions"], list)
    assert out["family_changes"]["during_plans"] > 0


def test_every_declared_kind_is_a_column_of_plan_data(demo_store):
    assert {k for needs in MEASURE_NEEDS.values() for k in needs} <= set(DATA_KINDS)
    con = store.connect(demo_store, read_only=True)
    try:
        held = coverage.coverage(con, with_data_date(con, Filters()))
    finally:
        con.close()
    assert set(DATA_KINDS) <= set(held.by_year_team.columns) and set(DATA_KINDS) <= set(held.store)
    assert all(held.store[k] == held.store["plans"] for k in DATA_KINDS)   # one run supplied everything


def _frame(rows: list[tuple[int, str, int, int]]) -> pd.DataFrame:
    """(year, team, plans, plans with core groups) -> a by_year_team frame, every other kind held by all."""
    out = pd.DataFrame(rows, columns=["year", "team", "plans", "core_groups"])
    for kind in DATA_KINDS:
        if kind != "core_groups":
            out[kind] = out["plans"]
    return out


def test_partial_coverage_in_words():
    by_year = coverage.Coverage(_frame([(2019, "N", 5, 0), (2020, "N", 5, 0), (2021, "N", 4, 4), (2022, "N", 3, 3)]), {})
    assert by_year.recorded("core_groups")
    assert by_year.partial("core_groups") == "Core group meetings are recorded for plans started in 2021-2022 only."
    by_team = coverage.Coverage(_frame([(2021, "N", 5, 5), (2021, "S", 5, 0)]), {})
    assert by_team.partial("core_groups") == "Core group meetings are not recorded for the plans of S."
    assert coverage.Coverage(_frame([(2021, "N", 5, 5)]), {}).partial("core_groups") is None
    none = coverage.Coverage(_frame([(2021, "N", 5, 0)]), {})
    assert none.not_recorded("core_groups", "reviews") == {
        "core_groups": "not recorded in this data: no core group meetings (CORE_GROUP rows in events.csv)"}


def test_a_filter_with_no_plans_falls_back_on_the_store():
    empty = coverage.Coverage(_frame([]), {"plans": 3, "core_groups": 0, "family_changes": 3})
    assert not empty.recorded("core_groups") and empty.recorded("family_changes")


def test_each_authoritys_coverage_is_summed_once_for_every_question(monkeypatch):
    """coverage.by_authority: each authority's rows, its counts summed with the others' in one pass, and every
    measure asked of it from those sums, not by summing its frame again (the Regional view asks three measures of
    each of 152 authorities: the sums per question were a tenth of its time at a million plans)."""
    frame = pd.concat([_frame([(2021, "N", 5, 0), (2022, "N", 4, 4)]).assign(authority="202"),
                       _frame([(2021, "S", 3, 0)]).assign(authority="203")], ignore_index=True)
    store_counts = {"plans": 12, **{k: 12 for k in DATA_KINDS}, "core_groups": 0}
    monkeypatch.setattr(coverage, "_counts", lambda con, filters, thresholds: (frame, store_counts))
    held = coverage.by_authority(None, ["202", "203", "841"])
    assert held["202"].by_year_team.equals(_frame([(2021, "N", 5, 0), (2022, "N", 4, 4)]))
    assert held["202"].totals == {"plans": 9, "core_groups": 4, **{k: 9 for k in DATA_KINDS if k != "core_groups"}}

    def no_sum(*args, **kwargs):
        raise AssertionError("a frame summed again")
    monkeypatch.setattr(pd.DataFrame, "sum", no_sum)
    monkeypatch.setattr(pd.Series, "sum", no_sum)
    assert [held[c].recorded("core_groups") for c in ("202", "203", "841")] == [True, False, False]
    assert held["841"].plans == 0 and held["841"].recorded("family_changes")   # no plan: the store's kinds
    assert all(held[c].recorded(m) for c in ("202", "203") for m in MEASURE_NEEDS if "core_groups" not in MEASURE_NEEDS[m])


def test_what_a_census_like_store_cannot_count(tmp_path):
    """Plans and a referral only (as an Annex A list gives them): the warning sign "actions not done", the
    duplication tiles, a child's open adult needs and the impact before a re-plan cannot be counted (not 0), while
    premature endings are counted from short plans with the other signs named as not checked; a store holding
    actions, needs and an incident can count them all."""
    from support.store_builder import build_store

    plans = [{"plan_id": "P1", "child_id": "c1", "start_date": "2023-01-09", "end_date": "2023-03-01",
              "initial_category": "NEG"},
             {"plan_id": "P2", "child_id": "c1", "start_date": "2023-06-05", "initial_category": "NEG"}]
    referral = {"event_id": "e1", "child_id": "c1", "event_date": "2023-05-02", "event_type": "REFERRAL",
                "agency": "EDUCATION"}
    measures = ("ending_open_actions", "duplicated_actions", "adult_needs_open", "impact_before_decision")
    con = build_store(tmp_path / "a.duckdb", plans=plans, events=[referral])
    held = coverage.coverage(con, Filters(as_of=date(2024, 1, 1)))
    assert held.recorded("between_plans")   # the referral is a concern between the plans
    assert {m: held.absent(m) for m in measures} == {
        "ending_open_actions": ("actions",), "duplicated_actions": ("actions",), "adult_needs_open": ("needs",),
        "impact_before_decision": ("impact_events",)}
    assert held.recorded("premature_endings") and held.recorded("endings_at_risk")   # a short plan needs only dates
    assert held.unchecked_signs() == {"OPEN_ACTIONS": ("actions",), "UNADDRESSED_ADULT_NEED": ("needs", "action_links")}
    assert "no incidents, police call-outs or missed appointments" in held.not_recorded()["impact_before_decision"]

    full = build_store(tmp_path / "b.duckdb", plans=plans,
                       events=[referral, {**referral, "event_id": "e2", "event_type": "INCIDENT", "agency": "POLICE"}],
                       actions=[{"action_id": "a1", "plan_id": "P1", "action_text": "Attend the course", "status": "DONE",
                                 "addresses_factor": "1"}],
                       needs=[{"need_id": "n1", "child_id": "c1", "factor": "1B", "identified_date": "2023-01-09"}])
    held = coverage.coverage(full, Filters(as_of=date(2024, 1, 1)))
    assert all(held.recorded(m) for m in measures) and held.unchecked_signs() == {} and held.signs_note() == ""


def test_a_plan_holds_a_kind_its_import_run_lacks_when_its_own_records_are_linked(tmp_path):
    """The second way a plan holds a kind (queries/metrics/coverage.sql): its import run (1) brought plans only, and a
    later run (2) linked records to some of them: P1's meeting with its attendance, P2's review and its child's plan
    update, P3's child's challenge.  A review from a partial source (3: an Annex A return) does not count.  Each
    plan holds exactly the kinds of its own records (worked out in one pass over the events, attendance asked only
    of the plans whose run brought none)."""
    from paqa_dash import sql
    from paqa_dash.reference import tables as reference_tables
    from paqa_dash.settings import Thresholds
    from support.store_builder import build_store

    plans = [{"plan_id": p, "child_id": c, "start_date": "2023-01-09", "initial_category": "NEG", "run_id": 1}
             for p, c in (("P1", "a"), ("P2", "b"), ("P3", "c"), ("P4", "d"))]

    def event(eid, child, kind, plan=None, run=2):
        return {"event_id": eid, "child_id": child, "event_date": "2023-03-01", "event_type": kind, "plan_id": plan,
                "agency": "HEALTH", "run_id": run}

    events = [event("e1", "a", "CORE_GROUP", "P1"), event("e2", "b", "REVIEW_CONFERENCE", "P2"),
              event("e3", "b", "PLAN_UPDATE"), event("e4", "c", "CHALLENGE"),
              event("e5", "c", "REVIEW_CONFERENCE", "P3", run=3), event("e6", "d", "WRITTEN_AGREEMENT")]
    con = build_store(tmp_path / "k.duckdb", plans=plans, events=events,
                      attendance=[{"event_id": "e1", "agency": "HEALTH", "invited": True, "attended": True,
                                   "run_id": 2}])
    try:
        for run, kind in ((1, "bundle"), (2, "bundle"), (3, "annex_a")):
            con.execute("INSERT INTO import_runs (run_id, started_at, kind, source, file_hash, rows_read, rows_loaded, "
                        "rows_rejected, rows_duplicate, counts_json) VALUES (?, now(), ?, 'x', 'h', 0, 0, 0, 0, '{}')",
                        [run, kind])
        text = sql.compose("coverage_plan_data_rows")
        reference_tables.register(con, text, Thresholds())
        kinds = ["core_groups", "attendance", "reviews", "plan_updates", "challenges", "written_agreements", "actions"]
        rows = con.execute(text).df().set_index("plan_id").sort_index()[kinds]
        held = {p: [k for k in kinds if rows.loc[p, k]] for p in rows.index}
        assert held == {"P1": ["core_groups", "attendance"], "P2": ["reviews", "plan_updates"], "P3": ["challenges"],
                        "P4": ["written_agreements"]}
    finally:
        con.close()


def test_plans_of_no_team_keep_a_text_team_column(tmp_path):
    """Every plan without a team (an Annex A return names none): the frame summed over authorities keeps the team
    column text, as the query gave it; a grouping made it float, which `partial` then filled with words (pandas
    warns it will refuse)."""
    import warnings

    from support.store_builder import build_store

    con = build_store(tmp_path / "noteam.duckdb",
                      plans=[{"plan_id": "P1", "child_id": "A", "start_date": "2024-01-01", "initial_category": "NEG"},
                             {"plan_id": "P2", "child_id": "B", "start_date": "2024-02-01", "initial_category": "NEG"}],
                      events=[{"event_id": "c1", "child_id": "A", "plan_id": "P1", "event_date": "2024-01-20",
                               "event_type": "CORE_GROUP", "agency": "CSC"}])
    try:
        held = coverage.coverage(con, Filters(as_of=date(2024, 6, 30)))
        assert held.by_year_team["team"].dtype == object and held.plans == 2
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            held.partial("core_groups")
    finally:
        con.close()


@pytest.mark.parametrize("types, absent", [
    (("REFERRAL", "ASSESSMENT", "S47_START", "ICPC"), ("other_concerns",)),   # a CIN census: referrals, the response
    (("REFERRAL", "CONTACT"), ()),                                               # an Annex A list of contacts
    (("INCIDENT",), ()),
    (("CHALLENGE",), ()),
    # a census's CIN plans, closures and pre-proceedings (OTHER), a type no group names: not contacts or incidents
    (("REFERRAL", "OTHER", "CIN_START"), ("other_concerns",)),
    (("ASSESSMENT", "ICPC"), ("concern_events", "other_concerns")),
])
def test_how_much_concern_came_before_a_plan_needs_more_than_referrals(tmp_path, types, absent):
    """How many concerns came before a repeat plan, and when (the bands, the months before the plan), needs the
    concerns short of a referral: from a census's referrals alone every gap holds one, all in the last months."""
    from support.store_builder import build_store

    plans = [{"plan_id": "P1", "child_id": "c1", "start_date": "2023-01-09", "end_date": "2023-03-01",
              "initial_category": "NEG"},
             {"plan_id": "P2", "child_id": "c1", "start_date": "2023-06-05", "initial_category": "NEG"}]
    events = [{"event_id": f"e{i}", "child_id": "c1", "event_date": "2023-05-02", "event_type": t, "agency": "CSC"}
              for i, t in enumerate(types)]
    con = build_store(tmp_path / "a.duckdb", plans=plans, events=events)
    held = coverage.coverage(con, Filters(as_of=date(2024, 1, 1)))
    assert held.absent("concern_volume") == absent
