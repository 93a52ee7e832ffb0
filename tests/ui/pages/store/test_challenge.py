"""AppTest of the Challenge & written agreements page, the duplicates page's impact section and the child
timeline's challenges and agreements, on the session demo store and on an empty store."""
from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from paqa_dash import store
from support.paths import ROOT

APP = str(ROOT / "app.py")
PAGES = "paqa_dash/ui/pages"


def open_page(page: str, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page(f"{PAGES}/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def titles(at: AppTest) -> list[str]:
    """Each chart's title read as one line (titles break for narrow screens)."""
    return [json.loads(c.proto.spec)["layout"]["meta"]["finding"].replace("<br>", " ")
            for c in at.get("plotly_chart")]


def test_challenge_page_states_its_findings(use_store, demo_store):
    use_store(demo_store)
    at = open_page("challenge", {"from": "2016-01-01"})
    got = titles(at)
    assert len(got) == 6, got
    assert got[0].startswith("Most often challenged: ")
    assert got[2].startswith("The plan ran on after ")
    assert got[3].startswith("Endings with a challenge were re-planned")
    assert "written agreements were made" in got[4]
    assert got[5].startswith("Step-downs with a written agreement were re-planned less often")
    assert len(at.get("download_button")) == 7   # each chart's table, and every combination


def test_duplicates_page_compares_largely_repeated_plans(use_store, demo_store):
    use_store(demo_store)
    at = open_page("duplicates", {"from": "2016-01-01"})
    assert any(t.startswith("Repeat plans that largely repeated the last") for t in titles(at)), titles(at)
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
    legend = {t["name"] for t in json.loads(at.get("plotly_chart")[0].proto.spec)["data"] if t.get("name")}
    assert "Written agreement" in legend


def test_challenge_page_on_an_empty_store_says_so(use_store, empty_store):
    use_store(empty_store)
    at = open_page("challenge")
    assert not titles(at)
