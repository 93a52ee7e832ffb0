"""In a real browser: every page opens at its own path with filters in the URL, and the default page at "/"
too (a shared `/overview?team=North` used to open "Page not found")."""
from __future__ import annotations

import importlib
import pkgutil
from urllib.parse import parse_qs, urlparse

import pytest

from support.browser import wait_for_app
from paqa_dash.ui import pages as pages_pkg

PAGES = sorted((m.ORDER, m.URL_PATH, m.TITLE) for m in
               (importlib.import_module(f"{pages_pkg.__name__}.{i.name}") for i in pkgutil.iter_modules(pages_pkg.__path__))
               if hasattr(m, "URL_PATH"))


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def _no_error(page) -> None:
    body = page.locator("body").inner_text()
    assert "Page not found" not in body
    assert not page.locator("[data-testid='stException'], [data-testid='stAlertContentError']").count()


def _sidebar_choices(page, label: str) -> str:
    """The text a sidebar select box or multiselect shows (its chosen words)."""
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox'], "
                       "[data-testid='stSidebar'] [data-testid='stMultiSelect']").filter(has_text=label).first
    inputs = box.locator("input")
    return " ".join([box.inner_text()] + [inputs.nth(i).input_value() for i in range(inputs.count())])


@pytest.mark.parametrize("url_path,title", [(p, t) for _, p, t in PAGES], ids=[p for _, p, _ in PAGES])
def test_every_page_opens_at_its_own_path_with_a_filter(browser, app_server, url_path, title):
    browser.goto(f"{app_server}/{url_path}?team=North")
    wait_for_app(browser)
    _no_error(browser)
    assert _query(browser).get("team") == ["North"]
    assert "North" in _sidebar_choices(browser, "Team")


def test_the_default_page_opens_at_the_root_and_its_own_path(browser, app_server):
    _, path, title = PAGES[0]
    browser.goto(f"{app_server}/?team=North")
    wait_for_app(browser)
    _no_error(browser)
    root_heading = browser.locator("h1").first.inner_text()
    browser.goto(f"{app_server}/{path}?team=North")
    wait_for_app(browser)
    _no_error(browser)
    assert browser.locator("h1").first.inner_text() == root_heading


def test_coded_choices_travel_as_codes_and_survive_a_page_switch(browser, app_server):
    """Codes, not the words shown, are in the URL; a link with older words still opens; the choice stays on
    the next page."""
    browser.goto(f"{app_server}/repeat_plans?plan=Repeat&category=NEG")
    wait_for_app(browser)
    _no_error(browser)
    assert "Repeat" in _sidebar_choices(browser, "Plan number")
    assert "Neglect" in _sidebar_choices(browser, "Initial category")
    browser.wait_for_function("() => location.search.includes('plan=repeat')", timeout=30_000)
    assert _query(browser)["plan"] == ["repeat"] and _query(browser)["category"] == ["NEG"]
    browser.locator("[data-testid='stSidebarNav'] a").filter(has_text="Endings").first.click()
    browser.wait_for_function("() => location.pathname.endsWith('/endings')", timeout=30_000)
    wait_for_app(browser)
    browser.wait_for_function("() => location.search.includes('plan=repeat')", timeout=30_000)
    assert _query(browser)["category"] == ["NEG"]
    assert "Repeat" in _sidebar_choices(browser, "Plan number")
