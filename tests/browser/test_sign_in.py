"""Sign-in through a real OpenID Connect provider (oidc-provider-mock, tests/support/oidc.py), as each role.

The app runs with `[auth]` configured and an access file naming one user per role (the administrator
through a group claim); each test signs in through the provider's own page in headless Chromium.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from paqa_dash import access_log, store
from paqa_dash.filters import Filters
from paqa_dash.metrics.cohorts import repeat_by_team
from paqa_dash.scope import DEFAULT_SUPPRESS_BELOW
from paqa_dash.settings import Thresholds
from paqa_dash.ui.headings import heading
from paqa_dash.ui.pages.repeat_plans import TEAM_RULE
from paqa_dash.benchmark.browser import open_page, wait_run_finished
from paqa_dash.benchmark.sessions import child_teams
from support.children import child_only_in
from support.oidc import (ADMIN, AUDITOR, LEAD, MANAGER, MANAGER_TEAM, ROLE_OF, STRANGER,  # noqa: F401
                          as_signed_in, identities, keep_identity, oidc_home, oidc_provider, sign_in, signed_in_app,
                          signed_in_log, wait_for_sign_in)

SIDEBAR = "[data-testid='stSidebar']"
DATA = "[data-testid='stPlotlyChart'], [data-testid='stDataFrame'], [data-testid='stMetric']"


def _main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def test_a_visitor_who_has_not_signed_in_sees_only_the_sign_in(browser, signed_in_app):
    for path in ("/", "/repeat_plans?team=South", "/child_timeline", "/import"):
        browser.goto(signed_in_app + path)
        wait_for_sign_in(browser)
        assert browser.locator(SIDEBAR).count() == 0            # no navigation, no filters
        assert browser.locator(DATA).count() == 0               # no chart, table or figure
        assert browser.locator("[data-testid='stException']").count() == 0
        assert "Sign in to open the dashboard" in _main_text(browser)
        assert "Local mode" not in browser.content()


@pytest.mark.parametrize("user", [MANAGER, AUDITOR, LEAD, ADMIN], ids=lambda u: u.sub)
def test_each_role_signs_in_and_sees_who_and_what_role(browser, signed_in_app, user, identities):
    sign_in(browser, signed_in_app, user)
    keep_identity(browser, user, identities)     # the later tests of what a role may open start signed in
    sidebar = browser.locator(SIDEBAR).inner_text()
    assert user.email in sidebar and ROLE_OF[user] in sidebar
    if user is MANAGER:
        assert "Service manager (North)" in sidebar
    if user in (LEAD, ADMIN):
        assert "all teams" in sidebar
    assert "Local mode" not in sidebar
    assert browser.locator("[data-testid='stSidebarNav']").count() == 1
    assert browser.locator("[data-testid='stException']").count() == 0


def test_a_signed_in_user_the_access_file_does_not_name_sees_only_that(browser, signed_in_app):
    sign_in(browser, signed_in_app, STRANGER, wait=False)
    browser.get_by_text("not in the access file").wait_for(timeout=60000)
    browser.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
    assert STRANGER.email in _main_text(browser)
    assert browser.locator(SIDEBAR).count() == 0
    assert browser.locator(DATA).count() == 0
    # a page path typed in shows the same, and nothing of the page
    browser.goto(signed_in_app + "/repeat_plans")
    browser.get_by_text("not in the access file").wait_for(timeout=60000)
    assert browser.locator(SIDEBAR).count() == 0 and browser.locator(DATA).count() == 0


def test_sign_out_returns_to_the_sign_in(browser, signed_in_app):
    sign_in(browser, signed_in_app, LEAD)
    browser.locator(SIDEBAR).get_by_role("button", name="Sign out").click()
    # st.logout ends the session at the provider too: its page asks to confirm, then returns to the app
    browser.wait_for_url("**/oauth2/end_session**", timeout=30000)
    browser.get_by_role("button", name="End session").click()
    wait_for_sign_in(browser)
    assert browser.url.startswith(signed_in_app)
    assert browser.locator(SIDEBAR).count() == 0
    browser.goto(signed_in_app + "/")     # the identity cookie is gone: a new visit asks again
    wait_for_sign_in(browser)
    assert browser.locator(SIDEBAR).count() == 0


# ---------------------------------------------------------------- what each role may open, signed in for real

NOT_OPEN = "This page is not open to your role"
OUT_OF_SCOPE = "Nothing to show for pseudonym"



def _timeline_child(page) -> str | None:
    """The pseudonym in the timeline's 'Child <pseudonym>' heading, or None when no child is shown."""
    heading = page.locator("h3", has_text="Child ")
    return heading.first.inner_text().replace("Child", "", 1).strip() if heading.count() else None


def _type_child(page, child: str) -> None:
    """Type a pseudonym into the timeline's box and wait for the run it starts to finish and draw."""
    box = page.locator("[data-testid='stTextInput'] input").first
    box.fill(child)
    box.press("Enter")
    page.wait_for_url(f"**child={child}**", timeout=30000)
    wait_run_finished(page, timeout_s=60)


def _shows_no_child(page) -> None:
    assert _timeline_child(page) is None
    assert page.locator("[data-testid='stPlotlyChart']").count() == 0
    assert page.get_by_role("button", name="Download audit pack").count() == 0


def test_a_service_manager_cannot_open_another_teams_child(browser, signed_in_app, demo_store, identities):
    south, north = child_only_in(demo_store, "South"), child_only_in(demo_store, MANAGER_TEAM)
    as_signed_in(browser, signed_in_app, MANAGER, identities)
    # by URL: a pasted link to another team's child
    open_page(browser, f"{signed_in_app}/child_timeline?child={south}", timeout_s=60)
    assert OUT_OF_SCOPE in _main_text(browser) and south in _main_text(browser)
    _shows_no_child(browser)
    # by pseudonym: typed into the page's own box
    _type_child(browser, north)
    assert _timeline_child(browser) == north          # their own team's child opens, with its chart
    assert browser.locator("[data-testid='stPlotlyChart']").count() >= 1
    _type_child(browser, south)
    assert OUT_OF_SCOPE in _main_text(browser)
    _shows_no_child(browser)
    # by page path: the timeline opened bare, or asked for another team, starts at a child of North only
    for path in ("/child_timeline", "/child_timeline?team=South"):
        open_page(browser, signed_in_app + path, timeout_s=60)
        shown = _timeline_child(browser)
        assert shown is not None and child_teams(demo_store, shown) <= {MANAGER_TEAM}, (path, shown)
    # and pages outside the role give a reason, not the page
    for path in ("/data_quality", "/import"):
        open_page(browser, signed_in_app + path, timeout_s=60)
        browser.get_by_text(NOT_OPEN).wait_for(timeout=30000)
        assert browser.locator(DATA).count() == 0


def test_a_strategic_lead_cannot_open_a_child_page_or_pack(browser, signed_in_app, demo_store, identities):
    north = child_only_in(demo_store, MANAGER_TEAM)
    as_signed_in(browser, signed_in_app, LEAD, identities)
    nav = browser.locator("[data-testid='stSidebarNav']").inner_text()
    assert "Child timeline" not in nav and "Audit sample" not in nav
    for path in (f"/child_timeline?child={north}", "/child_timeline", "/audit_sample"):
        open_page(browser, signed_in_app + path, timeout_s=60)
        browser.get_by_text(NOT_OPEN).wait_for(timeout=30000)
        assert north not in _main_text(browser)
        _shows_no_child(browser)


TEAM_COUNTS = TEAM_RULE.counts


def _small_team_count(db: Path) -> tuple[str, str, int]:
    """(team, column, count) of a count of 1-4 in the repeat plans by team table, as the page asks it."""
    con = store.connect(db, read_only=True)
    try:
        table = repeat_by_team(con, Filters(), Thresholds())
    finally:
        con.close()
    for column in TEAM_COUNTS:
        small = table[table[column].between(1, DEFAULT_SUPPRESS_BELOW - 1)]
        if len(small):
            return str(small.iloc[0]["team"]), column, int(small.iloc[0][column])
    raise AssertionError(f"the demo store should have a team with a small count:\n{table}")


def _team_csv(page, app: str) -> dict[str, dict[str, str]]:
    """The repeat plans page's by-team table as its CSV download gives it, by team, over the whole store (the
    period the counts of `_small_team_count` are taken over; the page's default is one reporting year)."""
    open_page(page, app + "/repeat_plans?from=2000-01-01&to=2100-12-31", timeout_s=60)
    card = page.locator("[data-testid='stExpander']").filter(has=page.locator(".st-key-repeat_by_team_csv"))
    card.locator("summary").click()
    # a rerun still in flight (the URL's filters written back after the first run) replaces the button: a click on
    # the old one starts no download, so the click waits for the app to be idle, as a person's would in effect
    wait_run_finished(page, timeout_s=60, started_within_s=2.0)
    button = card.locator(".st-key-repeat_by_team_csv button")
    button.wait_for(state="visible", timeout=60_000)
    with page.expect_download(timeout=90_000) as download:   # the file is made on click: slow on a loaded machine
        button.click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    return {row[heading("team")]: row for row in csv.DictReader(io.StringIO(text))}   # headings in words


def test_a_small_team_count_reads_c_for_a_lead_and_its_number_for_the_administrator(browser, signed_in_app,
                                                                                     demo_store):
    # signed in through the provider here, not with a kept identity: with one, the CSV's download did not arrive
    # in whole-file runs (cause not found)
    team, column, count = _small_team_count(demo_store)
    sign_in(browser, signed_in_app, LEAD)
    assert _team_csv(browser, signed_in_app)[team][heading(column)] == "c"
    browser.context.clear_cookies()                     # a new visitor: the administrator (by group claim)
    sign_in(browser, signed_in_app, ADMIN)
    assert _team_csv(browser, signed_in_app)[team][heading(column)] == str(count)


def test_the_access_log_has_a_row_for_each_child_opened(browser, signed_in_app, demo_store, signed_in_log,
                                                        identities):
    con = store.connect(demo_store, read_only=True)
    children = [r[0] for r in con.execute("SELECT child_id FROM plans GROUP BY child_id HAVING bool_and(team = ?) "
                                          "ORDER BY child_id LIMIT 2", [MANAGER_TEAM]).fetchall()]
    con.close()
    as_signed_in(browser, signed_in_app, MANAGER, identities)
    for child in children:
        open_page(browser, f"{signed_in_app}/child_timeline?child={child}", timeout_s=60)
        browser.locator("h3", has_text=f"Child {child}").wait_for(timeout=60000)
    rows = access_log.read(path=signed_in_log).records
    opened = {(r.identity, r.role, r.child) for r in rows if r.action == "view" and r.child}
    assert {(MANAGER.email, "service_manager", c) for c in children} <= opened
