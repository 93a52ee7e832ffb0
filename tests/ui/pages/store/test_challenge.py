"""AppTest of the Challenge & written agreements page, the duplicates page's impact section and the child
timeline's challenges and agreements, on the session demo store, on an empty store and on a store of core group
meetings without challenges or written agreements."""
from __future__ import annotations

from functools import partial

import pytest

from paqa_dash import store
from support import pages
from support.pages import findings as titles
from support.store_builder import build_store

open_page = partial(pages.open_page, timeout=90)


def test_challenge_page_states_its_findings(use_store, demo_store):
    use_store(demo_store)
    at = open_page("challenge", {"from": "2016-01-01"})
    got = titles(at)
    assert len(got) == 6, got
    assert got[0].startswith("Most often challenged: ")
    assert got[2].startswith("The ending was reversed after ")
    assert got[3].startswith("Endings with a challenge were re-planned")
    assert "written agreements were made" in got[4]
    assert got[5].startswith("Step-downs with a written agreement were re-planned less often")
    assert len(at.get("download_button")) == 7   # each chart's table, and every combination


def test_duplicates_page_compares_largely_repeated_plans(use_store, demo_store):
    use_store(demo_store)
    at = open_page("duplicates", {"from": "2016-01-01"})
    # the comparison, or on this small store's few plans followed up the counts and why not (docs/definitions.md,
    # "Small bases")
    assert any(t.startswith("Repeat plans that largely repeated the last")
               or t.startswith("Too few repeat plans followed up to compare re-planning") for t in titles(at)), titles(at)
    assert any(s.value == "Did duplication hurt the family's progress?" for s in at.subheader)


def test_timeline_lists_the_childs_written_agreements(use_store, demo_store):
    con = store.connect(demo_store, read_only=True)
    try:
        child = con.execute("SELECT child_id FROM events WHERE event_type = 'WRITTEN_AGREEMENT' "
                            "AND child_id IN (SELECT child_id FROM events WHERE event_type = 'CHALLENGE') "
                            "ORDER BY child_id LIMIT 1").fetchone()[0]
    finally:
        con.close()
    use_store(demo_store)
    at = open_page("child_timeline", {"child": child})
    labels = [e.label for e in at.expander]
    assert any(lab.startswith("Written agreements (") and "when, with whom" in lab for lab in labels), labels
    assert any(lab.startswith("Challenges and escalations (") for lab in labels), labels
    legend = {t["name"] for t in pages.charts(at)[0]["data"] if t.get("name")}
    assert "Written agreement" in legend


def test_challenge_page_on_an_empty_store_says_so(use_store, empty_store):
    use_store(empty_store)
    at = open_page("challenge")
    assert not titles(at)


CHILD = "aaaaaaaaaaaaaaa1"


@pytest.fixture
def meetings_only(tmp_path):
    """A store whose events hold core group meetings and no challenge, escalation or written agreement (an authority
    that records the meetings and not the challenges): child CHILD (aaa...1), plan A1 2022-01-01..2022-06-01 stepped down to CIN,
    a core group on 2022-02-01; plan A2 from 2023-01-01."""
    path = tmp_path / "meetings.duckdb"
    build_store(path, plans=[
        {"plan_id": "A1", "child_id": CHILD, "start_date": "2022-01-01", "end_date": "2022-06-01",
         "end_reason": "STEP_DOWN_CIN", "initial_category": "NEG", "team": "North"},
        {"plan_id": "A2", "child_id": CHILD, "start_date": "2023-01-01", "initial_category": "NEG", "team": "North"},
    ], events=[{"event_id": "g1", "child_id": CHILD, "event_date": "2022-02-01", "event_type": "CORE_GROUP",
                "agency": "CSC", "plan_id": "A1", "detail": "Core group"}]).close()
    return path


def test_challenge_page_says_not_recorded_where_only_meetings_are(use_store, meetings_only):
    """Not "No agency raised a challenge" nor "No written agreement is recorded": neither is recorded at all."""
    use_store(meetings_only)
    at = open_page("challenge", {"from": "2021-01-01"})
    said = [i.value for i in at.info]
    assert any("This store records no challenges or escalations by agencies" in s for s in said), said
    assert any("This store records no written agreements" in s for s in said), said
    assert not any(s.startswith("No agency raised") or s.startswith("No written agreement") for s in said), said
    assert not titles(at)
    agencies = open_page("agencies", {"from": "2021-01-01"})
    assert any("This store records no challenges or escalations" in i.value for i in agencies.info)


def test_child_timeline_says_not_recorded_where_only_meetings_are(use_store, meetings_only):
    use_store(meetings_only)
    at = open_page("child_timeline", {"child": CHILD})
    said = [c.value for c in at.caption]
    assert any(c.startswith("Challenge and escalation are not recorded in this data: no challenges") for c in said), said
    assert any(c.startswith("Written agreements are not recorded in this data: no written agreements") for c in said), said
    assert not any(c.startswith("No challenge or escalation is recorded") for c in said), said


def test_child_timeline_says_actions_are_not_recorded_where_none_are(use_store, meetings_only):
    """The child has two plans and the store no plan actions at all: the side-by-side section says the actions are
    not recorded, not "fewer than two plans with actions", which blames the child's plans for what the data lacks."""
    use_store(meetings_only)
    at = open_page("child_timeline", {"child": CHILD})
    said = [i.value for i in at.info]
    assert any(s.startswith("Plan actions are not recorded in this data: no plan actions (actions.csv)") for s in said), said
    assert not any("fewer than two plans with actions" in s for s in said), said


def test_duplication_impact_with_no_period_chosen_follows_up_the_years_that_could_be(use_store, demo_store):
    """The default year's repeat plans cannot have been followed up 24 months after ending ("Followed up 0,
    Re-planned 0"): with no period chosen the impact section shows the years that could, and says so."""
    use_store(demo_store)
    at = open_page("duplicates")
    impact = [d.value for d in at.dataframe if "Followed up" in d.value.columns]
    assert len(impact) == 1, [list(d.value.columns) for d in at.dataframe]
    assert sum(int(v) for v in impact[0]["Followed up"] if str(v).isdigit()) > 0, impact[0]
    assert any("reporting years whose plans could have been followed up" in c.value for c in at.caption)
