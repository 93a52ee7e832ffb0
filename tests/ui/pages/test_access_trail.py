"""What the app writes to the access log (paqa_dash/ui/access_trail.py), fast tier: page views with their
filters, the child opened on the timeline even when reading it fails, and downloads when they are produced."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from paqa_dash import access_log
from paqa_dash.metrics.chronology import CohortPlace
from paqa_dash.scope import SERVICE_MANAGER, OutOfScope, Scope
from paqa_dash.ui import access_trail
from support.pages import open_page

CURVE = pd.DataFrame({"group": ["2023"], "months": [0], "followed_up": [40], "replanned": [0], "share": [0.0],
                      "cumulative": [0.0]})
REPEAT = {"cohort_curve": CURVE, "gap_months": pd.DataFrame({"gap_month": [3], "plans": [2], "within_window": [True]}),
          "start_counts": {"plans_started": 40, "repeat_plans_started": 8, "repeat_within_window": 3, "repeat_plans_dated": 8,
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
    # the page failed, and the visitor is not shown why (.streamlit/config.toml: showErrorDetails = "none")
    assert at.exception and "could not be read" not in at.exception[0].value
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


def test_a_child_the_timeline_opens_by_itself_is_logged_as_not_chosen(fake_metrics, tmp_path) -> None:
    """With no child asked for, the timeline opens the first child of the filtered cohort: the log says that
    view was not the user's choice; a child the user then chooses (typed, or back to the first) is a plain view."""
    other = "fedcba9876543210"

    def place(filters, thresholds, child_id=None) -> CohortPlace:
        return CohortPlace(children=2, position=1 if child_id in (None, CHILD) else 2, previous_child=None,
                           next_child=other, first_children=(CHILD, other))

    def broken(*args, **kwargs):   # the view is logged before the child is read: reading is not needed here
        raise OutOfScope("not read in this test")

    fake_metrics({"cohort_place": place, "chronology": broken})
    at = open_page("child_timeline")
    at.run()   # a rerun of the page (a widget touched) keeps the view as the one opened by default
    views = [r for r in _log(tmp_path) if r.child]
    assert {(r.child, r.detail) for r in views} == {(CHILD, access_trail.OPENED_BY_DEFAULT)}
    at.text_input(key="child").set_value(other).run()
    at.text_input(key="child").set_value(CHILD).run()
    chosen = [(r.child, r.detail) for r in _log(tmp_path) if r.child][len(views):]
    assert chosen == [(other, ""), (CHILD, "")]


def test_a_team_outside_the_scope_asked_by_the_address_is_logged_as_refused(fake_metrics, tmp_path,
                                                                            monkeypatch) -> None:
    """A North manager opening a link with team=South is told so on the page; the log has a refused line
    with what was asked (the sidebar drops the team from the address before the view is logged)."""
    from paqa_dash.ui import access

    fake_metrics(REPEAT)
    monkeypatch.setattr(access, "current_scope", lambda: Scope(role=SERVICE_MANAGER, teams=("North",)))
    at = open_page("repeat_plans", {"team": "South"})
    assert any("Team South is outside your scope" in w.value for w in at.warning)
    refused = [r for r in _log(tmp_path) if r.action == access_log.REFUSED]
    assert len(refused) == 1
    assert (refused[0].page, refused[0].filters, refused[0].role) == ("repeat_plans", "team=South", SERVICE_MANAGER)
    assert "team South outside the scope" in refused[0].detail
    at.run()   # the address no longer asks for it: not refused again
    assert len([r for r in _log(tmp_path) if r.action == access_log.REFUSED]) == 1


def test_an_exported_briefing_logs_the_period_it_was_made_for(fake_metrics, tmp_path) -> None:
    """A briefing made with no period chosen is of the latest complete year, worked out from the data: the
    log's line writes that period and the as-of date out with the page's other filters, not an empty string."""
    def script() -> None:
        from datetime import date

        import streamlit as st

        from paqa_dash.filters import Filters, default_period
        from paqa_dash.ui import access_trail

        shown = default_period(Filters(teams=("North",), as_of=date(2025, 3, 31)))
        st.session_state["make"] = access_trail.logged(lambda: b"%PDF", "briefing_x.pdf",
                                                       filters=access_trail.query_of(shown))

    fake_metrics({})
    at = AppTest.from_function(script, default_timeout=30)
    at.query_params["team"] = "North"
    at.run()
    assert not at.exception
    at.session_state["make"]()
    (export,) = [r for r in _log(tmp_path) if r.action == access_log.EXPORT]
    assert export.filters == "as_of=2025-03-31&from=2024-04-01&team=North&to=2025-03-31"
