"""summary.compute gives exactly the `metrics --json` keys, JSON-serialisable, consistent with the parts."""
from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest
from support.store_builder import build_store

from paqa_dash.metrics import summary
from paqa_dash.filters import Filters
from paqa_dash.settings import Thresholds

METRICS_JSON_KEYS = {"plans_started", "repeat_plans_started", "repeat_rate", "repeat_within_window", "plans_ended",
             "repeat_plans_undated", "ended_duration_bands", "median_gap_days", "premature_endings", "endings_at_risk", "duplicate_actions",
             "core_groups", "reviews", "agency_attendance", "family_changes"}
AS_OF = date(2025, 6, 30)


def plan(pid, child, start, end=None, prev=None):
    return {"plan_id": pid, "child_id": child, "start_date": start, "end_date": end, "initial_category": "NEG",
            "team": "North", "previous_plans": prev}


@pytest.fixture
def con(tmp_path):
    con = build_store(
        tmp_path / "s.duckdb",
        plans=[plan("A1", "A", "2023-01-31", "2023-04-30"), plan("A2", "A", "2024-01-15", None),
               plan("B1", "B", "2024-02-01", "2024-12-01", prev=1)],
        actions=[{"action_id": "x1", "plan_id": "A1", "action_text": "attend", "status": "DONE"},
                 {"action_id": "x2", "plan_id": "A2", "action_text": "attend all", "status": "OPEN"},
                 {"action_id": "x3", "plan_id": "A2", "action_text": "other", "status": "OPEN"}],
        action_matches=[{"action_id": "x2", "plan_id": "A2", "matches_action_id": "x1", "matches_plan_id": "A1",
                         "score": 0.9, "method": "t"},
                        {"action_id": "x3", "plan_id": "A2", "matches_action_id": "x1", "matches_plan_id": "A1",
                         "score": 0.3, "method": "t"}],
        events=[{"event_id": "e1", "child_id": "A", "event_date": "2024-01-20", "event_type": "CORE_GROUP",
                 "agency": "CSC", "plan_id": "A2"},
                # a referral between A's plans and a plan update: between plans and plan refresh are recorded
                {"event_id": "e2", "child_id": "A", "event_date": "2023-10-01", "event_type": "REFERRAL",
                 "agency": "HEALTH"},
                {"event_id": "e3", "child_id": "A", "event_date": "2024-02-01", "event_type": "PLAN_UPDATE",
                 "agency": "CSC", "plan_id": "A2"}],
        attendance=[{"event_id": "e1", "agency": "HEALTH", "invited": True, "attended": True}],
        family_changes=[{"change_id": "f1", "child_id": "B", "change_date": "2024-03-01", "change_type": "HOUSE_MOVE"}])
    yield con
    con.close()


def test_keys_and_json(con):
    out = summary.compute(con, Filters(as_of=AS_OF))
    assert METRICS_JSON_KEYS <= set(out)
    assert set(out["ended_duration_bands"]) == {"le_3m", "3_6m", "6_12m", "1_2y", "ge_2y"}
    assert {"first_on_time", "first_late", "intervals_on_time", "intervals_late"} <= set(out["core_groups"])
    assert set(out["family_changes"]) == {"during_plans", "before_repeat_plans"}
    assert json.loads(json.dumps(out)) == out
    # the store records no review conference, no incident and no challenge or written agreement (a core group is
    # not one), no concern short of a referral (its one concern is a referral) and no strategy discussion: those
    # alone are null, with their reasons
    assert out["reviews"] is None and out["between_plans"]["with_impact_before_decision"] is None
    assert out["between_plans"]["bands"] is None and out["between_plans"]["median_days_to_strategy"] is None
    assert out["challenge_and_escalation"] is None and out["written_agreements"] is None
    assert set(out["not_recorded"]) == {"reviews", "between_plans.with_impact_before_decision",
                                        "between_plans.bands", "between_plans.median_days_to_strategy",
                                        "challenge_and_escalation", "written_agreements"}
    assert out["between_plans"]["repeat_plans_with_gap"] == 1   # A2 (B1 is a repeat whose first plan is not held)
    assert "not recorded in this data" in out["not_recorded"]["reviews"]


def test_values(con):
    out = summary.compute(con, Filters(as_of=AS_OF))
    assert (out["plans_started"], out["repeat_plans_started"], out["repeat_within_window"]) == (3, 2, 1)
    # B1's first plan is not held: 1 of the 2 repeat plans is not placed, so the 1 within the window is a floor
    assert out["repeat_plans_undated"] == 1
    from paqa_dash.metrics import summary_text
    assert dict(summary_text.rows(out))["Repeat within 24 months"] == "at least 33.3% (1 of 3 plans started)"
    assert out["repeat_rate"] == pytest.approx(2 / 3)
    assert out["plans_ended"] == 2 and out["ended_duration_bands"]["le_3m"] == 1
    assert out["median_gap_days"] == (date(2024, 1, 15) - date(2023, 4, 30)).days
    assert out["premature_endings"] == [{"plan_id": "A1", "child_id": "A", "reasons": ["SHORT"]}]
    assert out["endings_at_risk"] == []
    assert out["duplicate_actions"] == [{"action_id": "x2", "matches_action_id": "x1", "score": 0.9}]
    assert out["agency_attendance"]["HEALTH"]["rate"] == 1.0
    assert out["core_groups"]["first_on_time"] == 1


def test_period_and_threshold(con):
    out = summary.compute(con, Filters(date_from=date(2024, 2, 1), as_of=AS_OF), Thresholds(similarity_threshold=0.2))
    assert out["plans_started"] == 1 and out["duplicate_actions"] == []   # A2 started before the period
    assert out["plans_ended"] == 1                                         # B1 ended in it
    assert out["median_gap_days"] is None
    every = summary.compute(con, Filters(as_of=AS_OF), Thresholds(similarity_threshold=0.2))
    assert len(every["duplicate_actions"]) == 2


def test_empty_store(tmp_path):
    con = build_store(tmp_path / "e.duckdb")
    out = summary.compute(con, Filters(as_of=AS_OF))
    assert out["plans_started"] == 0 and out["repeat_rate"] is None and out["median_gap_days"] is None
    json.dumps(out)
    assert summary.quarterly(con, Filters(as_of=AS_OF)).empty


def test_quarterly(con):
    q = summary.quarterly(con, Filters(as_of=AS_OF))
    assert q["label"].tolist()[:2] == ["Jan-Mar 2023", "Apr-Jun 2023"] and q["label"].iloc[-1] == "Oct-Dec 2024"
    assert q["plans_started"].sum() == 3 and q["plans_ended"].sum() == 2
    assert q.set_index("label").loc["Apr-Jun 2023", "ended_le_3m"] == 1


def test_runs_on_a_read_only_connection(con, tmp_path):
    path = tmp_path / "s.duckdb"
    con.close()
    ro = duckdb.connect(str(path), read_only=True)
    assert summary.compute(ro, Filters(as_of=AS_OF))["plans_started"] == 3


def test_demo_store_is_consistent(demo_store):
    ro = duckdb.connect(str(demo_store), read_only=True)
    out = summary.compute(ro, Filters(as_of=date(2025, 10, 1)))
    assert out["plans_started"] > 0
    assert sum(out["ended_duration_bands"].values()) == out["plans_ended"]
    assert 0 <= out["repeat_rate"] <= 1
    json.dumps(out)


def test_cached_sequence_gives_the_same_figures(demo_store):
    from paqa_dash.metrics import endings, timeliness
    ro = duckdb.connect(str(demo_store), read_only=True)
    f = Filters(date_from=date(2021, 1, 1), as_of=date(2025, 10, 1))
    out = summary.compute(ro, f)
    assert out["core_groups"] == timeliness.core_group_counts(ro, f)
    assert out["reviews"] == timeliness.review_counts(ro, f)
    at_risk = endings.ending_reasons(ro, f)
    assert len(out["endings_at_risk"]) == int(at_risk["at_risk"].sum())
    # the temp table is gone afterwards
    assert ro.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'metrics_seq_cache'").fetchone()[0] == 0


def test_wording_balance_weighs_the_action_texts_and_is_null_without_them(con, tmp_path):
    out = summary.compute(con, Filters(as_of=AS_OF))
    assert out["wording_balance"]["actions"] == 3 and out["wording_balance"]["with_positive"] == 0
    assert out["wording_balance"]["by_team"] == {"North": {"actions": 3, "with_deficit": 0, "with_strength": 0,
                                                           "with_need": 0, "with_trauma_informed": 0,
                                                           "with_positive": 0}}
    bare = build_store(tmp_path / "bare.duckdb", plans=[plan("C1", "C", "2024-01-01")])
    try:
        none = summary.compute(bare, Filters(as_of=AS_OF))
    finally:
        bare.close()
    assert none["wording_balance"] is None
    assert "not recorded in this data" in none["not_recorded"]["wording_balance"]


def test_a_quarter_without_a_start_or_an_ending_is_a_row_of_zeros_not_a_gap(con):
    # starts Jan-Mar 2023, Jan-Mar 2024 (two); endings Apr-Jun 2023, Oct-Dec 2024: nothing in the five quarters
    # Jul-Sep 2023 .. Oct-Dec 2023 and Apr-Jun 2024 .. Jul-Sep 2024
    frame = summary.quarterly(con, Filters(as_of=AS_OF))
    assert frame["label"].tolist() == ["Jan-Mar 2023", "Apr-Jun 2023", "Jul-Sep 2023", "Oct-Dec 2023", "Jan-Mar 2024",
                                       "Apr-Jun 2024", "Jul-Sep 2024", "Oct-Dec 2024"]
    assert frame["plans_started"].tolist() == [1, 0, 0, 0, 2, 0, 0, 0]
    assert frame["plans_ended"].tolist() == [0, 1, 0, 0, 0, 0, 0, 1]
    assert frame["repeat_plans_started"].tolist() == [0, 0, 0, 0, 2, 0, 0, 0]
    assert frame["repeat_rate"].isna().tolist() == [False, True, True, True, False, True, True, True]
    assert str(frame["quarter"].iloc[2].date()) == "2023-07-01"


def test_repeat_within_the_window_is_not_recorded_when_no_repeat_plans_earlier_plan_is_dated(tmp_path):
    """B's plan is its second, its first known only as a count (previous_plans, as Annex A's List 7 gives it): whether
    it came within 24 months is not known, so `metrics --json`, the overview's headline and the CLI table say "not
    recorded", not 0 / 0.0%; once a repeat plan's previous plan is dated, the count is a finding again."""
    from paqa_dash.metrics import cohorts, summary_text
    from paqa_dash.reference.recorded import UNDATED_EARLIER_PLANS
    from paqa_dash.settings import DEFAULTS

    con = build_store(tmp_path / "undated.duckdb",
                      plans=[plan("B1", "B", "2024-02-01", None, prev=1), plan("C1", "C", "2024-03-01", None)])
    try:
        f = Filters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31), as_of=AS_OF)
        out = summary.compute(con, f)
        assert out["repeat_plans_started"] == 1 and out["median_gap_days"] is None
        assert out["repeat_within_window"] is None
        assert out["not_recorded"]["repeat_within_window"] == UNDATED_EARLIER_PLANS
        head = cohorts.headline(con, f, DEFAULTS)
        assert head["repeat_within_window"] is None and head["repeat_within_window_rate"] is None
        assert dict(summary_text.rows(out))["Repeat within 24 months"] == "not recorded in this data"
        # no repeat plan at all: none came within the window, a real 0
        first_only = f.with_(plan_number="first")
        assert summary.compute(con, first_only)["repeat_within_window"] == 0
        assert cohorts.headline(con, first_only, DEFAULTS)["repeat_within_window_rate"] == 0.0
    finally:
        con.close()


def test_repeat_within_the_window_counts_when_a_previous_plan_is_dated(con):
    out = summary.compute(con, Filters(as_of=AS_OF))
    assert out["repeat_within_window"] == 1 and "repeat_within_window" not in out["not_recorded"]


def test_the_summary_table_words_a_count_of_one_in_the_singular():
    from paqa_dash.metrics import summary_text

    result = {"as_of": "2025-03-31", "plans_started": 1, "repeat_plans_started": 1, "repeat_within_window": 0,
              "plans_ended": 2, "ended_duration_bands": {"UNDER_3M": 1}, "thresholds": {"replan_window_months": 1},
              "agency_attendance": {"HEALTH": {"attended": 1, "invited": 1}}, "not_recorded": {}}
    table = dict(summary_text.rows(result))
    assert table["Repeat plans (DfE)"] == "100.0% (1 of 1 plan started)"
    assert table["Repeat within 1 month"] == "0.0% (0 of 1 plan started)"
    assert any(v == "50.0% (1 of 2 plans ended)" for v in table.values())
    assert any(v == "100.0% (1 of 1 invitation)" for v in table.values())
    assert "1 plans" not in " ".join(table.values())


def test_between_plans_is_not_recorded_when_no_repeat_plans_earlier_plan_is_dated(tmp_path):
    """An Annex A return: B's second plan, its first known only as a count, and an incident before it.  No gap
    before a repeat plan could be searched, so `metrics --json` gives no "0 gaps, 0 concerns" but says why, as the
    Between plans page does; once an earlier plan is dated, the counts are findings again."""
    from paqa_dash.reference.recorded import UNDATED_EARLIER_PLANS

    events = [{"event_id": "e1", "child_id": "B", "event_date": "2024-01-10", "event_type": "INCIDENT",
               "agency": "POLICE"}]
    con = build_store(tmp_path / "undated.duckdb", plans=[plan("B1", "B", "2024-02-01", None, prev=1)], events=events)
    try:
        out = summary.compute(con, Filters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31), as_of=AS_OF))
        assert out["between_plans"] is None
        assert out["not_recorded"]["between_plans"] == UNDATED_EARLIER_PLANS
    finally:
        con.close()
    dated = build_store(tmp_path / "dated.duckdb", events=events,
                        plans=[plan("B0", "B", "2022-01-01", "2023-06-01"), plan("B1", "B", "2024-02-01", None)])
    try:
        out = summary.compute(dated, Filters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31), as_of=AS_OF))
        assert out["between_plans"]["repeat_plans_with_gap"] == 1 and "between_plans" not in out["not_recorded"]
    finally:
        dated.close()
