"""Between plans, Plan refresh and the child timeline's sections on the session demo store and an empty store."""
from __future__ import annotations

from pathlib import Path

import pytest

from paqa_dash import store
from paqa_dash.scope import STRATEGIC_LEAD, Scope
from paqa_dash.ui import access
from support.pages import findings, open_page




@pytest.fixture(scope="module")
def gap_child(demo_store: Path) -> str:
    """A child of the demo whose repeat plan followed concerns recorded between the plans."""
    con = store.connect(demo_store, read_only=True)
    try:
        row = con.execute("SELECT e.child_id FROM events e WHERE e.plan_id IS NULL AND e.event_type = 'INCIDENT' "
                          "ORDER BY e.child_id LIMIT 1").fetchone()
    finally:
        con.close()
    assert row, "the demo should record concerns between plans"
    return row[0]


def test_the_demo_shows_every_section_on_first_start(use_store, demo_store):
    use_store(demo_store)
    between = findings(open_page("between_plans"))
    assert len(between) == 3 and "repeat plans" in between[0]
    refresh = findings(open_page("plan_refresh"))
    assert len(refresh) == 2 and "within 28 days" in refresh[0]   # 13 new concerns in the year: given as a count


def test_the_child_timeline_shows_the_gap_and_the_refresh(use_store, demo_store, gap_child):
    use_store(demo_store)
    at = open_page("child_timeline", {"child": gap_child})
    assert {"Between plans", "Plan refresh"} <= {h.value for h in at.subheader}
    assert any("recorded between this child's plans" in t for t in findings(at))


def test_an_empty_store_says_so(use_store, empty_store):
    use_store(empty_store)
    for page in ("between_plans", "plan_refresh"):
        at = open_page(page)
        assert not at.get("plotly_chart") and at.info


def test_a_strategic_lead_sees_the_aggregates_not_the_list(monkeypatch, use_store, demo_store):
    use_store(demo_store)
    monkeypatch.setattr(access, "current_scope", lambda: Scope(STRATEGIC_LEAD))
    at = open_page("plan_refresh", {"from": "2019-04-01"})
    assert at.get("plotly_chart")
    assert any("A list naming children is not open to your role" in i.value for i in at.info)
    assert all("child_id" not in d.value.columns for d in at.dataframe)


def test_a_child_whose_earlier_plans_are_only_counted_is_not_told_it_has_no_repeat_plan(use_store, tmp_path):
    """An Annex A child: one plan in the data, numbered 2 (its source counted one earlier plan, with no dates).  The
    tiles and the title say "Plan 2"; the Between plans section says the earlier plans' dates are not recorded, not
    "This child has no repeat plan"."""
    from support.store_builder import build_store

    path = tmp_path / "counted.duckdb"
    child = "bbbbbbbbbbbbbbb2"
    build_store(path, plans=[{"plan_id": "B2", "child_id": child, "start_date": "2022-01-01", "previous_plans": 1,
                              "initial_category": "NEG", "team": "North"}],
                events=[{"event_id": "r1", "child_id": child, "event_date": "2021-12-01", "event_type": "REFERRAL",
                         "agency": "POLICE", "detail": "Referral"}]).close()
    use_store(path)
    at = open_page("child_timeline", {"child": child})
    said = [i.value for i in at.info]
    assert any(s.startswith("The time between this child's plans: not recorded in this data: no dates of the repeat "
                            "plans' earlier plans") for s in said), said
    assert not any("has no repeat plan" in s for s in said), said


def test_a_census_childs_gap_has_no_band_from_its_referral_alone(use_store, tmp_path):
    """A CIN census child: two plans and the referral between them, nothing else.  The Between plans section gives the
    gap and its referral but no band ("One concern": the census records nothing short of a referral), no impact
    column of 0s and no blank strategy columns, and its caption says contacts, incidents and missed appointments,
    and strategy discussions, are not recorded."""
    from support.store_builder import build_store

    path = tmp_path / "census.duckdb"
    child = "ccccccccccccccc3"
    build_store(path, plans=[{"plan_id": "C1", "child_id": child, "start_date": "2022-01-01", "end_date": "2022-06-30",
                              "initial_category": "NEG", "team": "North"},
                             {"plan_id": "C2", "child_id": child, "start_date": "2023-01-10", "initial_category": "NEG",
                              "team": "North"}],
                events=[{"event_id": "r1", "child_id": child, "event_date": "2022-12-01", "event_type": "REFERRAL",
                         "agency": "CSC", "detail": "Referral"}]).close()
    use_store(path)
    at = open_page("child_timeline", {"child": child, "as_of": "2023-12-31"})
    gaps = [d.value for d in at.dataframe if "Gap (days)" in d.value.columns]
    assert gaps, [d.value.columns.tolist() for d in at.dataframe]
    columns = " ".join(map(str, gaps[0].columns))
    assert "Concerns" in columns and "Band" not in columns and "Concern before" not in columns, columns
    assert "mpact" not in columns and "strategy" not in columns, columns
    captions = " ".join(c.value for c in at.caption)
    assert "Contacts, incidents and missed appointments are not recorded in this data" in captions
    assert "Strategy discussions are not recorded in this data" in captions
