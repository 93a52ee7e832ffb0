"""paqa_dash.metrics.chronology on a tiny hand-built store: one child on two plans, a sibling family member,
and a second unrelated child whose rows must never leak into the first child's chronology."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from paqa_dash import store
from paqa_dash.metrics import chronology

C1 = "00000000000000c1"
C2 = "00000000000000c2"
F1 = "000000000000f001"


def build_tiny_store(path: Path) -> Path:
    """A store small enough to check by eye (also used by the detail-page tests)."""
    con = store.connect(path)
    con.execute(f"""
        INSERT INTO children (child_id, family_id, birth_month, sex, ethnicity, disability, run_id) VALUES
          ('{C1}', '{F1}', DATE '2015-03-01', 'F', 'WBRI', false, 1),
          ('{C2}', NULL, DATE '2016-07-01', 'M', 'WBRI', false, 1);
        INSERT INTO plans VALUES
          ('00000000000000p2', '{C1}', DATE '2021-01-04', NULL, 'NEG', 'NEG', 'North', NULL, 1, 1),
          ('00000000000000p1', '{C1}', DATE '2020-01-06', DATE '2020-03-20', 'NEG', 'NEG', 'North',
           'NO_LONGER_AT_RISK', 1, 1),
          ('00000000000000p9', '{C2}', DATE '2020-05-01', DATE '2021-05-01', 'EMO', 'EMO', 'South',
           'STEP_DOWN_CIN', 0, 1);
        INSERT INTO events VALUES
          ('0000000000000e01', '{C1}', DATE '2020-01-06', 'ICPC', 'CSC', '00000000000000p1', 'ICPC held', 1, NULL),
          ('0000000000000e02', '{C1}', DATE '2020-01-15', 'CORE_GROUP', 'CSC', '00000000000000p1', NULL, 1, NULL),
          ('0000000000000e03', '{C1}', DATE '2020-02-10', 'CHALLENGE', 'HEALTH', '00000000000000p1',
           'HV challenged closure', 1, NULL),
          ('0000000000000e04', '{C1}', DATE '2020-02-12', 'INTERVENTION_START', 'ADULT_MH', NULL, NULL, 1, NULL),
          ('0000000000000e05', '{C1}', DATE '2021-01-04', 'ICPC', 'CSC', '00000000000000p2', NULL, 1, NULL),
          ('0000000000000e99', '{C2}', DATE '2020-05-01', 'ICPC', 'CSC', '00000000000000p9', NULL, 1, NULL);
        INSERT INTO attendance VALUES
          ('0000000000000e02', 'HEALTH', true, true, true, 1),
          ('0000000000000e02', 'EDUCATION', true, false, false, 1),
          ('0000000000000e99', 'HEALTH', true, true, false, 1);
        INSERT INTO needs VALUES
          ('00000000000000n1', '{C1}', '00000000000000p1', DATE '2019-12-01', '4B', NULL, 1),
          ('00000000000000n2', '{C1}', '00000000000000p1', DATE '2020-01-10', '1B', DATE '2020-06-01', 1),
          ('00000000000000n9', '{C2}', NULL, DATE '2020-04-01', '3A', NULL, 1);
        INSERT INTO family_changes VALUES
          ('00000000000000x1', '{F1}', NULL, DATE '2020-06-01', 'ADULT_JOINED', 'new partner', 1),
          ('00000000000000x2', NULL, '{C1}', DATE '2020-09-01', 'HOUSE_MOVE', NULL, 1),
          ('00000000000000x9', NULL, '{C2}', DATE '2020-09-01', 'HOUSE_MOVE', NULL, 1);
        INSERT INTO actions VALUES
          ('00000000000000a1', '00000000000000p1', 'Mum to attend GP appointments', 'HEALTH',
           DATE '2020-01-06', DATE '2020-02-01', 'DONE', DATE '2020-01-30', '4', 1),
          ('00000000000000a2', '00000000000000p2', 'Mother to attend all GP appointments', 'HEALTH',
           DATE '2021-01-04', NULL, 'OPEN', NULL, NULL, 1),
          ('00000000000000a3', '00000000000000p2', 'Refer mother to domestic abuse service', 'ADULT_DA',
           DATE '2021-01-04', NULL, 'OPEN', NULL, '3B', 1),
          ('00000000000000a9', '00000000000000p9', 'Attend nursery', 'EDUCATION', NULL, NULL, 'DONE', NULL, NULL, 1);
        INSERT INTO action_matches VALUES
          ('00000000000000a2', '00000000000000p2', '00000000000000a1', '00000000000000p1', 0.85, 'test'),
          ('00000000000000a3', '00000000000000p2', '00000000000000a1', '00000000000000p1', 0.20, 'test');
    """)
    con.close()
    return path


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = build_tiny_store(tmp_path_factory.mktemp("chron") / "tiny.duckdb")
    c = store.connect(path, read_only=True)
    yield c
    c.close()


def test_plans_in_start_order_numbered_from_previous_plans(con):
    plans = chronology.child_plans(con, C1)
    assert plans["plan_id"].tolist() == ["00000000000000p1", "00000000000000p2"]
    # previous_plans = 1 on the earliest plan: the child's first plan in the store is its 2nd plan.
    assert plans["plan_number"].tolist() == [2, 3]
    assert pd.isna(plans["end_date"].iloc[1])
    assert plans["start_date"].dtype.kind == "M"


def test_events_only_this_child(con):
    events = chronology.child_events(con, C1)
    assert len(events) == 5
    assert "0000000000000e99" not in set(events["event_id"])
    assert events["event_date"].is_monotonic_increasing


def test_family_changes_by_child_or_family(con):
    changes = chronology.child_family_changes(con, C1)
    assert changes["change_id"].tolist() == ["00000000000000x1", "00000000000000x2"]
    # C2 has no family: only its own change, never changes of NULL-family rows.
    assert chronology.child_family_changes(con, C2)["change_id"].tolist() == ["00000000000000x9"]


def test_actions_carry_plan_numbers_and_matches(con):
    actions = chronology.child_actions(con, C1).set_index("action_id")
    assert len(actions) == 3
    a2 = actions.loc["00000000000000a2"]
    assert a2["plan_number"] == 3 and a2["matches_plan_number"] == 2
    assert a2["matches_text"] == "Mum to attend GP appointments"
    assert a2["score"] == pytest.approx(0.85)
    assert pd.isna(actions.loc["00000000000000a1", "matches_action_id"])


def test_attendance_and_needs(con):
    att = chronology.child_attendance(con, C1)
    assert len(att) == 2 and set(att["agency"]) == {"HEALTH", "EDUCATION"}
    needs = chronology.child_needs(con, C1)
    assert needs["factor"].tolist() == ["4B", "1B"]
    assert pd.isna(needs["resolved_date"].iloc[0])


def test_whole_chronology_and_unknown_child(con):
    chron = chronology.chronology(con, " " + C1.upper() + " ")
    assert chron.found and chron.child_id == C1 and len(chron.plans) == 2
    missing = chronology.chronology(con, "ffffffffffffffff")
    assert not missing.found
    assert missing.events.empty and missing.actions.empty


def test_find_children_by_prefix(con):
    assert chronology.find_children(con, "00000000000000c") == [C1, C2]  # C1 has more plans
    assert chronology.find_children(con, "zz") == []


def test_cohort_place_follows_the_filters(con):
    from paqa_dash.filters import Filters
    from paqa_dash.settings import Thresholds

    t = Thresholds()
    everyone = chronology.cohort_place(con, Filters(as_of="2022-01-01"), t)
    assert everyone == chronology.CohortPlace(2, None, None, None, (C1, C2))   # C1 has two plans: first
    south = chronology.cohort_place(con, Filters(teams=("South",), as_of="2022-01-01"), t, C2)
    assert south == chronology.CohortPlace(1, 1, None, None, (C2,))
    outside = chronology.cohort_place(con, Filters(teams=("South",), as_of="2022-01-01"), t, C1)
    assert outside.position is None and outside.children == 1
    nobody = chronology.cohort_place(con, Filters(date_from="2030-01-01", as_of="2031-01-01"), t, C1)
    assert nobody == chronology.CohortPlace(0, None, None, None, ())


def test_cohort_place_neighbours_and_order(tmp_path):
    """Most plans first, then the most recent start, then pseudonym; neighbours on both sides."""
    from paqa_dash.filters import Filters
    from paqa_dash.settings import Thresholds

    con = store.connect(build_tiny_store(tmp_path / "tiny.duckdb"))

    extra = [("00000000000000c3", "2020-02-01"), ("00000000000000c4", "2020-02-01"), ("00000000000000c5", "2021-06-01")]
    for i, (child, start) in enumerate(extra):
        con.execute("INSERT INTO children (child_id, family_id, birth_month, sex, ethnicity, disability, run_id) "
                    f"VALUES ('{child}', NULL, DATE '2016-01-01', 'M', 'WBRI', false, 1)")
        con.execute(f"INSERT INTO plans VALUES ('0000000000000q{i}', '{child}', DATE '{start}', NULL, 'NEG', 'NEG', "
                    "'North', NULL, 0, 1)")
    f, t = Filters(as_of="2022-01-01"), Thresholds()
    # C1: 2 plans; then one plan each, latest start first: c5 (2021-06), c2 (2020-05), c3 = c4 (2020-02) by pseudonym
    order = (C1, "00000000000000c5", C2, "00000000000000c3", "00000000000000c4")
    assert chronology.cohort_place(con, f, t, first=10).first_children == order
    assert chronology.cohort_place(con, f, t, first=2).first_children == order[:2]
    for i, child in enumerate(order):
        place = chronology.cohort_place(con, f, t, " " + child.upper())
        assert (place.children, place.position) == (5, i + 1)
        assert place.previous_child == (order[i - 1] if i else None)
        assert place.next_child == (order[i + 1] if i + 1 < len(order) else None)
