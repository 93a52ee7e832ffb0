"""The audit pack's "Between plans and plan refresh" section on a hand-worked chronology."""
from __future__ import annotations

from datetime import date

from support.store_builder import build_store

from paqa_dash.report import pack

CHILD = "a1b2c3d4e5f60708"   # a pseudonym as the store holds them


# A first plan of 2022 and a repeat plan from 10 January 2023: the gap between them holds each test's events.
TWO_PLANS = [{"plan_id": "A1", "child_id": CHILD, "start_date": "2022-01-01", "end_date": "2022-06-30",
              "initial_category": "NEG", "team": "North"},
             {"plan_id": "A2", "child_id": CHILD, "start_date": "2023-01-10", "initial_category": "NEG", "team": "North"}]


def event(eid, day, kind, agency="CSC"):
    return {"event_id": eid, "child_id": CHILD, "event_date": day, "event_type": kind, "agency": agency}


def test_the_gap_and_the_refresh_of_one_child(tmp_path):
    con = build_store(
        tmp_path / "p.duckdb",
        plans=TWO_PLANS,
        events=[event("a1", "2022-09-01", "INCIDENT", "POLICE"), event("a2", "2022-12-01", "REFERRAL", "HEALTH"),
                event("a3", "2022-12-20", "STRATEGY_DISCUSSION"), event("a4", "2023-01-10", "ICPC"),
                event("a5", "2023-02-01", "CORE_GROUP"), event("a6", "2023-02-10", "PLAN_UPDATE"),
                event("a7", "2023-03-01", "INCIDENT", "POLICE"),
                event("a8", "2023-12-31", "VISIT")])   # the data runs to the date the pack is read as of
    html = pack.build_pack(con, CHILD, as_of=date(2023, 12, 31))
    section = html.split('<section id="between"', 1)[1].split("</section>", 1)[0]
    assert "9. Between plans and plan refresh" in section and "Informs audit questions 2, 7" in section
    assert "1 police call-out; 1 referral" in section
    assert "131 days" in section and "110 days" in section                      # to the ICPC / plan; to strategy
    assert "updated in time" in section and "no update in time" in section    # the core group; the incident after it
    assert section.count('class="flag"') == 1


def test_each_kind_of_concern_is_counted_in_the_number_it_takes(tmp_path):
    """"2 police call-outs", "1 missed appointment (other agency)": a label counted by words.counted, with its
    plural from reference/concerns.py where no rule makes it ("2 challenges or escalations by an agency")."""
    con = build_store(
        tmp_path / "p.duckdb",
        plans=TWO_PLANS,
        events=[event("b1", "2022-08-01", "INCIDENT", "POLICE"), event("b2", "2022-09-01", "INCIDENT", "POLICE"),
                event("b3", "2022-10-01", "MISSED_APPOINTMENT", "CSC"),
                event("b4", "2022-11-01", "CHALLENGE", "HEALTH"), event("b5", "2022-11-15", "CHALLENGE", "POLICE"),
                event("b6", "2023-01-10", "ICPC")])
    html = pack.build_pack(con, CHILD, as_of=date(2023, 12, 31))
    section = html.split('<section id="between"', 1)[1].split("</section>", 1)[0]
    assert "2 police call-outs" in section, section
    assert "1 missed appointment (other agency)" in section
    assert "2 challenges or escalations by an agency" in section
    assert "2 police call-out;" not in section and "by an agencies" not in section


def test_a_census_gap_says_what_is_not_recorded_not_zero_impact(tmp_path):
    """Referrals the only concerns recorded (a CIN census): the gap's table has no "Impact before the decision"
    column of 0s and no "First concern to strategy" column of dashes, and the section says that impact, the concerns
    short of a referral and strategy discussions are not recorded, so "1 referral" is not read as all that happened;
    with an incident recorded the column is there, its 0 a zero."""
    census = [event("c1", "2022-12-01", "REFERRAL"), event("c2", "2023-01-05", "ICPC")]
    con = build_store(tmp_path / "c.duckdb", plans=TWO_PLANS, events=census)
    section = pack.build_pack(con, CHILD, as_of=date(2023, 12, 31)).split('<section id="between"', 1)[1]
    section = section.split("</section>", 1)[0]
    assert "1 referral" in section and "Impact before the decision" not in section
    assert "Impact on the child before the decision is not recorded in this data: no incidents" in section
    assert "not recorded in this data: no contacts, incidents or missed appointments" in section
    assert "First concern to strategy" not in section   # nor a column of "–": no strategy discussion recorded
    assert "Strategy discussions are not recorded in this data: no strategy discussions" in section
    con.close()
    recorded = build_store(tmp_path / "r.duckdb", plans=TWO_PLANS,
                           events=[*census, event("c3", "2023-03-01", "INCIDENT", "POLICE")])
    section = pack.build_pack(recorded, CHILD, as_of=date(2023, 12, 31)).split('<section id="between"', 1)[1]
    section = section.split("</section>", 1)[0]
    assert "Impact before the decision" in section and "before the decision is not recorded" not in section
    assert "no contacts, incidents or missed appointments" not in section
