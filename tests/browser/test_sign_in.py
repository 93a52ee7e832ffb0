"""Sign-in through a real OpenID Connect provider (oidc-provider-mock, tests/support/oidc.py), as each role.

The app runs with `[auth]` configured and an access file naming one user per role (the administrator
through a group claim); each test signs in through the provider's own page in headless Chromium.
"""
from __future__ import annotations

import pytest

from support.browser import wait_for_app
from support.oidc import (ADMIN, AUDITOR, LEAD, MANAGER, ROLE_OF, SIGN_IN, STRANGER, oidc_provider,  # noqa: F401
                          sign_in, signed_in_app, wait_for_sign_in)

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
def test_each_role_signs_in_and_sees_who_and_what_role(browser, signed_in_app, user):
    sign_in(browser, signed_in_app, user)
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
