"""7.6 agency attendance / contribution at core groups, and challenge / escalation events."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from support.store_builder import build_store

from paqa_dash.metrics import engagement
from paqa_dash.filters import Filters
from paqa_dash.settings import DEFAULTS

AS_OF = date(2024, 12, 31)


def ev(eid, pid, day, kind="CORE_GROUP", agency="CSC", child=None):
    return {"event_id": eid, "child_id": child or "c" + (pid or ""), "event_date": day, "event_type": kind,
            "agency": agency, "plan_id": pid}


def att(eid, agency, invited, attended, contributed=None):
    return {"event_id": eid, "agency": agency, "invited": invited, "attended": attended, "contributed": contributed}


@pytest.fixture
def con(tmp_path):
    plans = [{"plan_id": p, "child_id": "c" + p, "start_date": s, "end_date": None, "initial_category": "NEG",
              "team": "North"} for p, s in (("P", "2024-01-08"), ("Q", "2024-02-05"), ("OLD", "2022-01-10"))]
    con = build_store(
        tmp_path / "g.duckdb", plans=plans,
        events=[ev("m1", "P", "2024-01-15"), ev("m2", "P", "2024-02-20"), ev("q1", "Q", "2024-04-10"),
                ev("o1", "OLD", "2022-01-20"), ev("v1", "P", "2024-01-16", kind="VISIT"),
                ev("fut", "P", "2025-02-01"),
                ev("ch1", "P", "2024-03-01", "CHALLENGE", "HEALTH"), ev("ch2", "Q", "2024-03-02", "CHALLENGE", "HEALTH"),
                ev("es1", "P", "2024-03-05", "ESCALATION", "EDUCATION"),
                ev("ch3", None, "2024-05-01", "CHALLENGE", "POLICE", child="cQ"),   # no plan id: placed by date
                ev("ch4", None, "2023-05-01", "CHALLENGE", "POLICE", child="cQ")],  # before Q started: ignored
        attendance=[
            att("m1", "HEALTH", True, True, True), att("m1", "ADULT_MH", True, False, False),
            att("m1", "EDUCATION", False, True),                       # not invited: left out
            att("m2", "HEALTH", True, True, False), att("m2", "ADULT_MH", True, True, True),
            att("q1", "HEALTH", True, False), att("o1", "HEALTH", True, False),
            att("v1", "HEALTH", True, True), att("fut", "HEALTH", True, True),   # a visit; after as-of
        ])
    yield con
    con.close()


def test_agency_attendance(con):
    got = engagement.agency_attendance(con, Filters(date_from=date(2024, 1, 1), as_of=AS_OF)).set_index("agency")
    assert sorted(got.index) == ["ADULT_MH", "HEALTH"]
    assert got.loc["HEALTH", ["invited", "attended", "contributed"]].tolist() == [3, 2, 1]
    assert got.loc["HEALTH", "rate"] == pytest.approx(2 / 3)
    assert got.loc["ADULT_MH", "rate"] == pytest.approx(0.5)
    assert got.loc["ADULT_MH", "contribution_rate"] == pytest.approx(0.5)


def test_attendance_by_quarter(con):
    got = engagement.attendance_by_quarter(con, Filters(date_from=date(2024, 1, 1), as_of=AS_OF))
    health = got[got["agency"] == "HEALTH"].set_index("quarter")
    assert health["invited"].tolist() == [2, 1] and health["attended"].tolist() == [2, 0]


def test_challenges(con):
    got = engagement.challenges(con, Filters(date_from=date(2024, 1, 1), as_of=AS_OF))
    table = {(a, t): (e, p) for a, t, e, p in got[["agency", "event_type", "events", "plans"]].itertuples(index=False)}
    assert table == {("HEALTH", "CHALLENGE"): (2, 2), ("EDUCATION", "ESCALATION"): (1, 1), ("POLICE", "CHALLENGE"): (1, 1)}
    per_plan = engagement.challenges_per_plan(con, Filters(date_from=date(2024, 1, 1), as_of=AS_OF)).set_index("plan_id")
    assert per_plan.loc["P", ["challenges", "escalations"]].tolist() == [1, 1]
    assert per_plan.loc["Q", ["challenges", "escalations"]].tolist() == [2, 0]


def test_challenges_by_team_sums_the_per_plan_counts(con):
    f = Filters(date_from=date(2024, 1, 1), as_of=AS_OF)
    got = engagement.challenges_by_team(con, f)
    assert got.to_dict("records") == [{"team": "North", "plans": 2, "plans_with_challenge": 2,
                                       "plans_with_escalation": 1, "challenges": 3, "escalations": 1}]
    everything = engagement.challenges_by_team(con, Filters(as_of=AS_OF)).iloc[0]
    assert everything["plans"] == 3 and everything["challenges"] == 3   # OLD has none; ch4 predates Q
    assert engagement.challenges_by_team(con, Filters(teams=("South",), as_of=AS_OF)).empty


def test_agency_totals_equal_agency_attendance(con):
    f = Filters(date_from=date(2024, 1, 1), as_of=AS_OF)
    totals = engagement.agency_totals(engagement.attendance_by_quarter(con, f))
    expected = engagement.agency_attendance(con, f)
    pd.testing.assert_frame_equal(totals.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False)
    assert engagement.agency_totals(engagement.attendance_by_quarter(con, Filters(teams=("South",), as_of=AS_OF))).empty


def test_attendance_by_authority_sums_each_authoritys_invited_rows_stored_or_inline(con):
    """The Regional view's attendance by authority, worked by hand: P's two meetings by 31 Dec 2024 (4 invited, 3
    attended; the education row not invited, the visit not a core group, the February 2025 meeting after the as-of)
    are Camden's, Q's one (1 invited, none attended) Greenwich's; the same worked out inline and read from the sums
    stored at import, per plan and quarter (the as-of a quarter end before the latest meeting: the quarters up to it);
    as of 30 June 2024, P's and Q's meetings of the first half of 2024 only."""
    from paqa_dash.derive import registry
    from support.derive import current

    con.execute("UPDATE children SET authority = '202' WHERE child_id IN ('cP', 'cOLD')")
    con.execute("UPDATE children SET authority = '203' WHERE child_id = 'cQ'")
    f = Filters(date_from=date(2024, 1, 1), as_of=AS_OF)

    def by_authority(filters):
        frame = engagement.attendance_by_authority(con, filters)
        return {a: (i, t) for a, i, t in frame[["authority", "invited", "attended"]].itertuples(index=False)}
    def read(filters):   # the blocks standing for the question: the stored sums', or the inline one
        return registry.resolve(con, filters, DEFAULTS).substitute("engagement_attendance_by_authority")
    dates = (AS_OF, date(2024, 3, 31), date(2025, 3, 31))
    assert {read(f.with_(as_of=d)) for d in dates} == {("engagement_attendance_by_authority",)}
    inline = [by_authority(f.with_(as_of=d)) for d in dates]
    # as an import leaves it: a run, and the sums written for it
    con.execute("INSERT INTO import_runs (run_id, started_at, kind, source, file_hash, rows_read, rows_loaded, "
                "rows_rejected, rows_duplicate, counts_json) VALUES (1, TIMESTAMP '2025-04-01 09:00', 'bundle', 'test', "
                "'', 0, 0, 0, 0, '{}')")
    registry.refresh(con, registry.Change(reviews="keep"), only=("plan_sequence", "core_group_attendance"))
    assert current(con, "core_group_attendance", f.with_(as_of=date(2025, 3, 31)))
    assert {read(f.with_(as_of=d)) for d in dates} == {("derive_sequence_attendance_by_authority_stored",)}
    stored = [by_authority(f.with_(as_of=d)) for d in dates]
    assert inline == stored == [{"202": (4, 3), "203": (1, 0)}, {"202": (4, 3)}, {"202": (5, 4), "203": (1, 0)}]
    assert con.execute("SELECT plan_id, quarter, invited, attended FROM core_group_attendance_by_plan "
                       "ORDER BY plan_id, quarter").fetchall() == [
        ("OLD", date(2022, 1, 1), 1, 0), ("P", date(2024, 1, 1), 4, 3), ("P", date(2025, 1, 1), 1, 1),
        ("Q", date(2024, 4, 1), 1, 0)]
