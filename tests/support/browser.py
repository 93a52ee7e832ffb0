"""Waiting for the app in a real browser (Playwright on Debian's chromium), for tests/browser/."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from paqa_dash.benchmark.browser import CHROMIUM, CHROMIUM_ARGS, wait_run_finished  # noqa: F401 (conftest launches with them)


def require_chromium() -> None:
    """Skip a browser test where there is no Chromium, but fail it where the run says browser tests must run
    (PAQA_REQUIRE_BROWSER, set by scripts/test.sh: in CI they never skip).  For the tests that start their own
    browser in a process of their own (the benchmark's commands), as for conftest's `_chromium`."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("PAQA_REQUIRE_BROWSER"):
            pytest.fail(f"no chromium at {CHROMIUM}; scripts/test.sh installs Debian's chromium")
        pytest.skip(f"no chromium at {CHROMIUM}")


def wait_for_app(page, timeout_ms: int = 60000) -> None:
    """Wait until Streamlit finished running the script and drew what it sent: the app's own script state is
    'notRunning', no skeleton is left and every chart is drawn (`wait_run_finished`, as the benchmark waits).  The
    'Running...' widget alone was not enough: with no widget shown a test once read a page with one of its charts
    drawn and the next still coming."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelectorAll('[data-testid=\"stSidebar\"]').length > 0",
        timeout=timeout_ms)
    wait_run_finished(page, timeout_ms / 1000, started_within_s=0.3)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)


def open_sidebar_box(page, label: str):
    """Open the sidebar's multiselect labelled `label`, scrolled to the sidebar's top first, as a user scrolls to it:
    below the period's date boxes the Team box sits at the foot of a 1000 px window, and its list would open below
    the window's edge (paqa_dash/benchmark/browser.choose_team does the same)."""
    box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").filter(has_text=label)
    box.first.evaluate("e => e.scrollIntoView({block: 'start'})")
    box.first.click()
    return box
