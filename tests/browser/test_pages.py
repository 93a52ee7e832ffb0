"""Every page of the navigation is listed, and opens in a real browser at 800 px without an error, drawing its
charts with their findings whole."""
from __future__ import annotations

import importlib
import pkgutil

import pytest

from support.browser import wait_for_app
from paqa_dash.ui import pages as pages_pkg

PAGES = []
for info in pkgutil.iter_modules(pages_pkg.__path__):
    module = importlib.import_module(f"{pages_pkg.__name__}.{info.name}")
    if hasattr(module, "URL_PATH"):
        PAGES.append((module.ORDER, module.URL_PATH, module.TITLE))
PAGES.sort()
CHARTLESS = {"import", "definitions", "access_log"}  # no chart: the upload page until an import; text; the log


def test_every_page_is_listed_in_the_navigation(browser, app_server):
    browser.goto(app_server + "/")
    wait_for_app(browser)
    nav = browser.locator("[data-testid='stSidebarNav']").inner_text()
    for _, _, title in PAGES:
        assert title in nav
    # the app listens on 127.0.0.1 with no sign-in configured: it says so (paqa_dash/ui/access.py)
    assert "Local mode" in browser.locator("[data-testid='stSidebar']").inner_text()
    # no developer's "Deploy" button (to Streamlit's cloud) for a user of OFFICIAL-SENSITIVE data (.streamlit/config.toml)
    assert browser.locator("[data-testid='stToolbar']").count() == 1
    assert browser.locator("[data-testid='stAppDeployButton']").count() == 0


# Text that overflows its box (a headline number, a finding, a tile label cut with "…") in the main area.  A tile's
# label is cut by its markdown box (class stMarkdownEllipsis), the paragraph inside it reports no width.
_OVERFLOWING = """() => [...document.querySelectorAll(
    "[data-testid='stMain'] [data-testid='stMetricValue'], [data-testid='stMain'] [data-testid='stMarkdownContainer'] p, "
    + "[data-testid='stMain'] [data-testid='stMetricLabel'] [data-testid='stMarkdownContainer']")]
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)"""


@pytest.mark.parametrize("url_path", [p for _, p, _ in PAGES if p not in CHARTLESS])
def test_at_800_px_the_page_opens_without_error_and_its_findings_and_numbers_are_whole(browser, app_server, url_path):
    """A laptop window of 800 px, the page as it opens (no filter): no error, at least one chart drawn, every
    chart's finding shown whole as text above it (plotly would cut a title at the chart's edge) and no headline
    number or finding overflowing its box.  (The pages without a chart open, with a filter, in test_links.py.)"""
    browser.set_viewport_size({"width": 800, "height": 1000})
    browser.goto(f"{app_server}/{url_path}")
    wait_for_app(browser)
    errors = "[data-testid='stException'], [data-testid='stAlertContentError']"
    assert browser.locator(errors).all_inner_texts() == []   # before waiting for a chart: a failed page says why
    browser.locator("[data-testid='stPlotlyChart'] .main-svg").first.wait_for(timeout=30000)
    assert browser.locator(errors).all_inner_texts() == []
    assert [t for t in browser.locator("[data-testid='stPlotlyChart'] .gtitle").all_text_contents() if t.strip()] == []
    assert browser.evaluate(_OVERFLOWING) == []


# A date box whose date does not fit: its fields scroll inside it, so only "2019·" of 2019-04-01 shows.
_DATES_CUT = """() => [...document.querySelectorAll("[data-testid='stSidebar'] [data-testid='stDateInputFieldsScroller']")]
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1).length"""


def test_at_800_px_the_sidebar_s_dates_are_whole(browser, app_server):
    """The period's two date boxes side by side had about 45 px for their dates at 800 px: "2019·" and "2021·" were
    all a user saw of the period chosen (and "yyyy-mm-" of the empty boxes).  Every date box, the as-of date's
    too, shows its whole date."""
    browser.set_viewport_size({"width": 800, "height": 1000})
    browser.goto(f"{app_server}/repeat_plans?from=2019-04-01&to=2021-03-31&as_of=2021-03-15")
    wait_for_app(browser)
    browser.locator("[data-testid='stSidebar'] [data-testid='stExpander'] summary").first.click()
    browser.locator("[data-testid='stSidebar'] [data-testid='stDateInputFieldsScroller']").nth(2).wait_for()
    assert browser.locator("[data-testid='stSidebar'] [data-testid='stDateInputFieldsScroller']").count() == 3
    assert browser.evaluate(_DATES_CUT) == 0


def test_a_table_offers_no_download_of_its_own_only_the_logged_one(browser, app_server):
    """Streamlit's table toolbar offers 'Download as CSV' unless told not to (.streamlit/config.toml
    `client.disableDataExport`): that download would bypass the access log every export is recorded in
    (docs/governance.md).  The page's own download buttons stay."""
    browser.set_viewport_size({"width": 1400, "height": 1000})
    browser.goto(f"{app_server}/audit_sample")
    wait_for_app(browser)
    browser.locator("[data-testid='stDataFrame']").first.wait_for(state="attached", timeout=30000)
    box = browser.locator("[data-testid='stExpander']", has=browser.locator("[data-testid='stDataFrame']")).first
    box.locator("summary").click()
    table = box.locator("[data-testid='stDataFrame']").first
    table.wait_for(timeout=30000)
    table.hover()
    tools = box.locator("[data-testid='stElementToolbarButton'] button")
    tools.first.wait_for(timeout=10000)
    labels = [b.get_attribute("aria-label") for b in tools.all()]
    assert "Fullscreen" in labels and "Download as CSV" not in labels
    assert box.locator("[data-testid='stDownloadButton']").count() >= 1
