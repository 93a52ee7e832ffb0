"""Challenge and escalation: what about, how resolved, what followed, endings with and without a challenge,
on a hand-worked chronology (as of 2026-01-01, re-plan window 24 months, ran-on span 3 months).

a: A1 2022-01-01..2022-06-01 step-down, challenged 2022-05-20 (step-down; upheld); A2 2023-01-01 open
   -> re-planned; the ending drew a challenge and was re-planned.
b: B1 2022-01-01..2023-06-01, challenged 2022-03-01 (proposal to end; reversed) -> ran on: ending reversed;
   its ending drew no challenge (too early), window passed, not re-planned.
c: C1 2022-02-01 open, escalation 2022-04-01 (note says nothing) -> plan kept.
d: D1 2025-10-01..2025-11-15, a challenge without a plan id dated 2025-11-01 (category) -> too soon;
   its ending drew a challenge but its window has not passed: not followed up.
e: E1 ended DIED with nothing: not an ending a re-plan can follow.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from support.store_builder import build_store

from paqa_dash.filters import Filters
from paqa_dash.metrics import challenge

AS_OF = date(2026, 1, 1)


def plan(pid, child, start, end=None, reason=None, team="North"):
    return {"plan_id": pid, "child_id": child, "start_date": start, "end_date": end, "initial_category": "NEG",
            "team": team, "end_reason": reason}


def ev(eid, child, pid, day, kind, agency, detail):
    return {"event_id": eid, "child_id": child, "event_date": day, "event_type": kind, "agency": agency,
            "plan_id": pid, "detail": detail}


@pytest.fixture
def con(tmp_path):
    con = build_store(tmp_path / "c.duckdb", plans=[
        plan("A1", "a", "2022-01-01", "2022-06-01", "STEP_DOWN_CIN"), plan("A2", "a", "2023-01-01"),
        plan("B1", "b", "2022-01-01", "2023-06-01", "NO_LONGER_AT_RISK"), plan("C1", "c", "2022-02-01", team="South"),
        plan("D1", "d", "2025-10-01", "2025-11-15", "STEP_DOWN_EARLY_HELP"),
        plan("E1", "e", "2021-01-01", "2021-05-01", "DIED"),
    ], events=[
        ev("ch1", "a", "A1", "2022-05-20", "CHALLENGE", "EDUCATION",
           "School challenged the step down; resolved: the decision to step down was upheld"),
        ev("ch2", "b", "B1", "2022-03-01", "CHALLENGE", "HEALTH",
           "Health visitor challenged the proposal to end the plan; outcome: decision reversed, plan to continue"),
        ev("es1", "c", "C1", "2022-04-01", "ESCALATION", "POLICE", "Escalated to the team manager"),
        ev("ch3", "d", None, "2025-11-01", "CHALLENGE", "POLICE", "Police challenged the category"),
        ev("v1", "a", "A1", "2022-02-01", "VISIT", "CSC", "challenged nothing: a visit"),
    ])
    yield con
    con.close()


def test_each_challenge_classified_with_what_followed(con):
    got = challenge.events(con, Filters(as_of=AS_OF)).set_index("event_id")
    assert sorted(got.index) == ["ch1", "ch2", "ch3", "es1"]
    assert got.loc["ch1", ["topic", "resolution", "followed"]].tolist() == ["STEP_DOWN", "UPHELD", "REPLANNED"]
    assert got.loc["ch2", ["topic", "resolution", "followed"]].tolist() == ["ENDING", "CHANGED", "ENDING_REVERSED"]
    assert got.loc["es1", ["topic", "resolution", "followed"]].tolist() == ["NOT_STATED", "NOT_RECORDED", "PLAN_KEPT"]
    assert got.loc["ch3", ["topic", "plan_id", "followed"]].tolist() == ["CATEGORY", "D1", "ENDED_WAITING"]


def test_an_open_plan_is_too_soon_until_the_span_has_passed(con):
    got = challenge.events(con, Filters(as_of=date(2022, 6, 15))).set_index("event_id")
    assert got.loc["es1", "followed"] == "TOO_SOON"     # 2022-04-01 + 3 months is after the as-of date
    # ended (so not reversed: known), but neither re-planned nor the window over: whether re-planned is not known
    assert got.loc["ch1", "followed"] == "ENDED_WAITING"


def test_summary_counts_by_team_filter(con):
    south = challenge.summary(con, Filters(as_of=AS_OF, teams=("South",)))
    assert south[["agency", "event_type", "topic", "events"]].values.tolist() == [["POLICE", "ESCALATION", "NOT_STATED", 1]]


def test_endings_with_and_without_a_challenge(con):
    got = challenge.endings(con, Filters(as_of=AS_OF)).set_index("challenged")
    assert got.loc[True, ["endings", "followed_up", "replanned"]].tolist() == [2, 1, 1]    # A1, D1 (not yet)
    assert got.loc[True, "replan_rate"] == pytest.approx(1.0)
    assert got.loc[False, ["endings", "followed_up", "replanned"]].tolist() == [1, 1, 0]   # B1; E1 died: left out
    assert got.loc[False, "replan_rate"] == pytest.approx(0.0)


def test_an_ending_re_planned_inside_a_window_still_running_is_not_followed_up_yet(con):
    """As of 1 March 2023 A1 (ended June 2022) has been re-planned (A2, January 2023), but its 24 months run to June
    2024: an ending beside it that will not be re-planned could not be told apart yet, so counting A1 would read
    100% re-planned. It waits, as the endings not re-planned do."""
    got = challenge.endings(con, Filters(as_of=date(2023, 3, 1))).set_index("challenged")
    assert got.loc[True, ["endings", "followed_up", "replanned"]].tolist() == [1, 0, 0]
    assert pd.isna(got.loc[True, "replan_rate"])
    # the challenge itself still says what followed: a re-plan that happened is a fact
    assert challenge.events(con, Filters(as_of=date(2023, 3, 1))).set_index("event_id").loc["ch1", "followed"] == "REPLANNED"


def test_no_challenge_gives_zero_counts_and_no_rate(con):
    got = challenge.endings(con, Filters(as_of=AS_OF, teams=("Nowhere",)))
    assert got["endings"].tolist() == [0, 0] and got["replan_rate"].isna().all()
    assert challenge.summary(con, Filters(as_of=AS_OF, teams=("Nowhere",))).empty


def test_json_block(con):
    f = Filters(as_of=AS_OF)
    got = challenge.as_json(challenge.events(con, f), challenge.endings(con, f))
    assert got["events"] == 4 and got["by_kind"] == {"CHALLENGE": 3, "ESCALATION": 1}
    assert got["followed"] == {"ENDING_REVERSED": 1, "PLAN_KEPT": 1, "REPLANNED": 1, "ENDED_WAITING": 1}
    assert got["endings_not_challenged"] == {"endings": 1, "followed_up": 1, "replanned": 0, "replan_rate": 0.0}


def test_child_challenges_reads_a_chronology(con):
    events = con.execute("SELECT * FROM events ORDER BY event_date").df()
    got = challenge.child_challenges(events[events["child_id"] == "a"])
    assert got[["event_id", "topic", "resolution"]].values.tolist() == [["ch1", "STEP_DOWN", "UPHELD"]]


def test_summary_counts_the_groups_as_every_event_classified_would(con):
    """The page's summary (one classified row per group of events, counted in SQL) equals the events classified
    one by one and counted, with a team and with a period too."""
    for f in (Filters(as_of=AS_OF), Filters(as_of=AS_OF, teams=("North",)),
              Filters(as_of=AS_OF, date_from=date(2022, 1, 1), date_to=date(2022, 12, 31))):
        one_by_one = challenge.counts(challenge.classify(challenge.events(con, f)))
        assert len(one_by_one) > 0
        pd.testing.assert_frame_equal(challenge.summary(con, f), one_by_one)


def test_summary_equals_every_event_classified_on_the_demo_store(demo_store):
    """On the demo store many events share a note and a group, so the summed groups are tested too."""
    import duckdb

    from paqa_dash import store

    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        as_of, most = store.data_date(con), 0
        for f in (Filters(as_of=as_of), Filters(as_of=as_of, teams=("North",)),
                  Filters(as_of=date(2024, 12, 31), date_from=date(2023, 1, 1), date_to=date(2024, 6, 30))):
            one_by_one = challenge.counts(challenge.classify(challenge.events(con, f)))
            assert len(one_by_one) > 0
            most = max(most, int(one_by_one["events"].max()))
            pd.testing.assert_frame_equal(challenge.summary(con, f), one_by_one)
        assert most > 1
    finally:
        con.close()


def test_the_page_read_from_the_derived_tables_equals_the_inline_page_on_the_demo_store(demo_store, monkeypatch):
    """What the Challenge page reads from the tables written at import (each challenge's note in
    derived_challenge_links, each ending's first challenge in derived_ending_challenges) equals what the inline SQL
    gives, at the data date and as of earlier dates (the first challenge is compared with the as-of when read), with
    a team and a period."""
    import duckdb

    from paqa_dash import store
    from paqa_dash.derive import registry
    from paqa_dash.settings import DEFAULTS
    from support.derive import current, inline

    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        latest = store.data_date(con)
        days = (latest, date(2024, 12, 31), date(2023, 5, 17))
        filters = [g for day in days for g in (Filters(as_of=day), Filters(as_of=day, teams=("North",)),
                                               Filters(as_of=day, date_from=date(2022, 1, 1)))]
        assert current(con, "derived_ending_challenges", Filters(as_of=days[-1]), DEFAULTS)
        assert registry.resolve(con, Filters(as_of=latest), DEFAULTS).substitute("engagement_cte_challenges") == \
            ("derived_agencies_cte_challenges_stored",)
        stored = [(challenge.summary(con, f), challenge.endings(con, f)) for f in filters]
        assert any(int(ends.loc[ends["challenged"], "endings"].sum()) for _, ends in stored)
        inline(monkeypatch, "derived_ending_challenges", "derived_challenge_links")
        for (summary, ends), f in zip(stored, filters):
            pd.testing.assert_frame_equal(summary, challenge.summary(con, f))
            pd.testing.assert_frame_equal(ends, challenge.endings(con, f))
    finally:
        con.close()
