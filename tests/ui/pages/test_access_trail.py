"""What the app writes to the access log (paqa_dash/ui/access_trail.py), fast tier: page views with their
filters, the child opened on the timeline even when reading it fails, and downloads when they are produced."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from paqa_dash import access_log
from paqa_dash.metrics.chronology import CohortPlace
from support.pages import open_page

CURVE = pd.DataFrame({"group": ["2023"], "months": [0], "followed_up": [40], "replanned": [0], "share": [0.0],
                      "cumulative": [0.0]})
REPEAT = {"cohort_curve": CURVE, "gap_months": pd.DataFrame({"gap_month": [3], "plans": [2]}),
          "start_counts": {"plans_started": 40, "repeat_plans_started": 8, "repeat_within_window": 3,
                           "median_gap_days": 200.0},
          "pathways": pd.DataFrame(columns=["band", "reason", "outcome", "plans"]),
          "repeat_by_team": pd.DataFrame({"team": ["North"], "plans_started": [30], "repeat_plans": [6],
                                          "repeat_within_window": [2], "repeat_share": [0.2]})}
CHILD = "0123456789abcdef"


def _log(tmp_path: Path) -> list[access_log.Record]:
    """The log the fake store's app writes (beside PAQA_DB, which `fake_metrics` points into tmp_path)."""
    return list(access_log.read(path=tmp_path / "never_opened.duckdb.access.jsonl").records)


def test_a_page_view_is_logged_with_who_and_the_filters(fake_metrics, tmp_path) -> None:
    fake_metrics(REPEAT)
    at = open_page("repeat_plans", {"team": "North"})
    views = [r for r in _log(tmp_path) if r.page == "repeat_plans"]
    assert len(views) == 1
    view = views[0]
    assert (view.action, view.identity, view.role, view.child) == ("view", "local analyst", "administrator", None)
    assert "team=North" in view.filters
    at.run()   # the same page and filters again: not a second line
    assert len([r for r in _log(tmp_path) if r.page == "repeat_plans"]) == 1


def _place(filters, thresholds, child_id=None) -> CohortPlace:
    return CohortPlace(children=1, position=1, previous_child=None, next_child=None, first_children=(CHILD,))


def test_viewing_a_child_is_logged_even_when_reading_it_fails(fake_metrics, tmp_path) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("the store could not be read")

    fake_metrics({"cohort_place": _place, "chronology": broken})
    at = AppTest.from_file(str(Path(__file__).resolve().parents[3] / "app.py"), default_timeout=30)
    at.query_params["child"] = CHILD
    at.run()
    at.switch_page("paqa_dash/ui/pages/child_timeline.py").run()
    assert at.exception and "could not be read" in at.exception[0].value
    opened = [r for r in _log(tmp_path) if r.child == CHILD]
    assert len(opened) == 1 and opened[0].action == "view" and opened[0].page == "child_timeline"
    assert f"child={CHILD}" in opened[0].filters


def test_a_download_is_logged_when_the_file_is_produced_not_when_drawn(fake_metrics, tmp_path) -> None:
    def script() -> None:
        import streamlit as st

        from paqa_dash.ui import access_trail

        st.session_state["make"] = access_trail.logged(lambda: b"a,b\r\n", "x.csv", child="c0ffee")

    fake_metrics({})
    at = AppTest.from_function(script, default_timeout=30)
    at.query_params["team"] = "South"
    at.run()
    assert not at.exception
    assert [r for r in _log(tmp_path) if r.action == "export"] == []     # drawn, not downloaded
    assert at.session_state["make"]() == b"a,b\r\n"   # Streamlit calls it outside the script run, on the click
    exports = [r for r in _log(tmp_path) if r.action == "export"]
    assert len(exports) == 1
    assert (exports[0].detail, exports[0].child, exports[0].filters) == ("x.csv", "c0ffee", "team=South")
