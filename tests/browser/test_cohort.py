"""The cohort pages in a real browser: they draw, a filter changed in the sidebar lands in the URL,
and opening that URL again shows the same view."""
from __future__ import annotations

import duckdb
import pytest

from support.browser import open_sidebar_box, wait_for_app


def charts(page) -> int:
    return page.locator("[data-testid='stPlotlyChart']").count()


def errors(page) -> list[str]:
    return page.locator("[data-testid='stException'], [data-testid='stAlertContentError']").all_inner_texts()


@pytest.mark.parametrize("path,heading", [("/", "overview"), ("/repeat_plans", "Repeat plans"),
                                          ("/endings", "Plan endings"), ("/duplicates", "Duplicated actions")])
def test_page_draws(browser, app_server, path, heading):
    browser.goto(app_server + path)
    wait_for_app(browser)
    browser.get_by_role("heading", name=heading).first.wait_for(timeout=30000)
    browser.locator("[data-testid='stPlotlyChart'] .main-svg").first.wait_for(timeout=30000)
    assert charts(browser) >= 2
    assert errors(browser) == []


def test_filter_goes_into_the_url_and_the_url_reproduces_the_view(browser, app_server, demo_store):
    con = duckdb.connect(str(demo_store), read_only=True)
    team = con.execute("SELECT team FROM plans GROUP BY team ORDER BY count(*) LIMIT 1").fetchone()[0]
    con.close()
    browser.goto(app_server + "/repeat_plans")
    wait_for_app(browser)
    open_sidebar_box(browser, "Team")
    browser.get_by_role("option", name=team, exact=True).click()
    browser.keyboard.press("Escape")
    browser.wait_for_url(f"**/repeat_plans?*team={team}*", timeout=30000)
    wait_for_app(browser)
    title = f"plans started in {team}"   # "were repeat plans", or on a small base "1 of 5 ... was a repeat plan"
    browser.get_by_text(title, exact=False).first.wait_for(timeout=30000)
    shared = browser.url

    browser.goto("about:blank")
    browser.goto(shared)
    wait_for_app(browser)
    browser.get_by_text(title, exact=False).first.wait_for(timeout=30000)
    chip = browser.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").filter(has_text="Team")
    assert team in chip.inner_text()
    assert errors(browser) == []

    # the filter follows the user to another page
    browser.locator("[data-testid='stSidebarNav'] a").filter(has_text="Plan endings").click()
    browser.wait_for_url(f"**/endings?*team={team}*", timeout=30000)
    wait_for_app(browser)
    browser.get_by_text(f"teams: {team}", exact=False).first.wait_for(timeout=30000)


def test_watch_list_csv_is_made_when_asked_for(browser, app_server):
    """The endings lists draw the most recent rows; the CSV is built on the click (deferred download)."""
    browser.goto(app_server + "/endings")
    wait_for_app(browser)
    button = browser.get_by_role("button", name="Download watch list", exact=False)
    button.wait_for(timeout=30000)
    with browser.expect_download(timeout=30000) as info:
        button.click()
    lines = open(info.value.path(), encoding="utf-8").read().splitlines()
    # the page's headings in words, each worded column followed by its codes (no link column in a file)
    header = lines[0].split(",")
    assert header[:9] == ["Child", "Plan no.", "Team", "Started", "Ended", "Lasted", "Lasted (code)",
                          "Warning signs", "Warning signs (code)"]
    assert "Why it ended (recorded) (code)" in header and header[-2:] == ["Weeks since it ended", "Became looked after"]
    assert len(lines) > 1
    label = button.inner_text()
    assert f"{len(lines) - 1:,} rows" in label
    assert errors(browser) == []
