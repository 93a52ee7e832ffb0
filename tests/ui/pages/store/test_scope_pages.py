"""What each role sees in the app (AppTest on the session demo store): the session's scope is the one
seam `paqa_dash.ui.access.current_scope`, patched here as sign-in would set it.  The browser tests sign in
through a real OpenID Connect provider; these check the pages' side quickly."""
from __future__ import annotations

from pathlib import Path

import pytest

from paqa_dash import store
from paqa_dash.scope import AUDITOR, SERVICE_MANAGER, STRATEGIC_LEAD, Scope
from paqa_dash.ui import access, navigation
from streamlit.testing.v1 import AppTest

from support.children import child_only_in
from support.pages import ROOT, open_page


@pytest.fixture(scope="module")
def teams(demo_store: Path) -> list[str]:
    con = store.connect(demo_store, read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT DISTINCT team FROM plans ORDER BY team").fetchall()]
    finally:
        con.close()


@pytest.fixture
def as_user(monkeypatch: pytest.MonkeyPatch, use_store, demo_store):
    def _as(scope: Scope) -> None:
        use_store(demo_store)
        monkeypatch.setattr(access, "current_scope", lambda: scope)
    return _as



def test_a_manager_asking_for_another_team_by_url_is_told_and_shown_nothing_of_it(as_user, teams):
    north, south = teams[0], teams[1]
    as_user(Scope(SERVICE_MANAGER, teams=(north,)))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)   # a pasted link opens "/" once
    at.query_params["team"] = south
    at.run()
    assert not at.exception
    assert any(f"Team {south} is outside your scope" in w.value for w in at.warning)
    assert at.multiselect(key="team").options == [north]
    assert south not in at.multiselect(key="team").value


def test_a_manager_pasting_another_teams_child_sees_why_and_no_timeline(as_user, teams, demo_store):
    north, south = teams[0], teams[1]
    as_user(Scope(SERVICE_MANAGER, teams=(north,)))
    at = open_page("child_timeline", {"child": child_only_in(demo_store, south)})
    assert any("Nothing to show for pseudonym" in i.value for i in at.info)
    assert not at.get("plotly_chart")
    mine = open_page("child_timeline", {"child": child_only_in(demo_store, north)})
    assert mine.get("plotly_chart")


def test_a_strategic_lead_sees_aggregates_but_not_the_lists_naming_children(as_user):
    as_user(Scope(STRATEGIC_LEAD))
    at = open_page("endings")
    assert at.get("plotly_chart")
    assert any("A list naming children is not open to your role" in i.value for i in at.info)
    shown = " ".join(str(df.value.columns.tolist()) for df in at.dataframe)
    assert "child_id" not in shown and "Child" not in shown




def _pages(scope: Scope) -> dict[str, str]:
    """url_path -> 'default' | 'shown' | 'refused' in the navigation of `scope`."""
    return {e.module.URL_PATH: e.kind for e in navigation.plan(navigation.discover_pages(), scope)}


@pytest.mark.parametrize("role,teams,opens,refused", [
    (STRATEGIC_LEAD, None, {"overview", "endings", "household", "definitions"},
     {"child_timeline", "audit_sample", "import", "data_quality"}),
    (SERVICE_MANAGER, ("North",), {"overview", "child_timeline", "audit_sample"}, {"import", "data_quality"}),
    (AUDITOR, None, {"audit_sample", "child_timeline", "definitions"},
     {"overview", "repeat_plans", "endings", "import", "data_quality"}),
])
def test_each_role_opens_its_pages_and_gets_a_reason_at_the_others(role, teams, opens, refused):
    pages = _pages(Scope(role, teams=teams))
    assert {p for p, kind in pages.items() if kind != "refused"} >= opens
    assert {p for p, kind in pages.items() if kind == "refused"} >= refused
    assert not opens & {p for p, kind in pages.items() if kind == "refused"}


def test_a_strategic_lead_gets_plan_quality_charts_without_lists_naming_children(as_user):
    as_user(Scope(STRATEGIC_LEAD))
    at = open_page("plan_quality")
    assert at.get("plotly_chart")
    captions = " ".join(c.value for c in at.caption)
    assert "names children, so it is not open to your role" in captions
    for df in at.dataframe:
        assert "child_id" not in df.value.columns and "timeline" not in df.value.columns
