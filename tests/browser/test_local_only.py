"""The real app, started to listen on every interface with no sign-in configured, shows only the refusal."""
from __future__ import annotations

from pathlib import Path

from paqa_dash.benchmark.browser import start_app, stop_app


def test_listening_on_every_interface_without_sign_in_is_refused(browser, tmp_path: Path) -> None:
    # HOME elsewhere, so a secrets file in the tester's own ~/.streamlit cannot configure sign-in
    proc, base = start_app(tmp_path / "never_opened.duckdb", timeout=90, address="0.0.0.0",
                           env={"HOME": str(tmp_path)})
    try:
        browser.goto(base + "/")
        error = browser.locator("[data-testid='stAlertContentError']")
        error.first.wait_for(timeout=60000)
        text = error.first.inner_text()
        assert "server.address" in text and "0.0.0.0" in text and "sign-in" in text
        assert browser.locator("[data-testid='stException']").count() == 0
        assert browser.locator("[data-testid='stSidebarNav']").count() == 0
        assert browser.locator("[data-testid='stPlotlyChart']").count() == 0
        assert not (tmp_path / "never_opened.duckdb").exists()
    finally:
        stop_app(proc)
