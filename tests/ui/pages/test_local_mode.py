"""The app's own check, fast tier: the local notice on every page, the refusal, the request to sign in."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from support.overview_data import HELD
from support.pages import open_page
import pandas as pd

HEADLINE = {"plans_started": 10, "repeat_plans_started": 2, "repeat_rate": 0.2, "repeat_within_window": 1,
            "repeat_plans_dated": 2,
            "repeat_within_window_rate": 0.1, "median_gap_days": 600.0, "plans_ended": 8, "ended_le_3m": 1,
            "ended_le_3m_rate": 0.125, "premature_endings": 1, "endings_at_risk": 0}
QUARTERLY = pd.DataFrame({"quarter": pd.to_datetime(["2024-04-01"]), "label": ["2024 Q2"], "plans_started": [10],
                          "repeat_plans_started": [2], "repeat_rate": [0.2], "plans_ended": [8], "ended_le_3m": [1]})
ROOT = Path(__file__).resolve().parents[3]
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s" * 32, "client_id": "id",
        "client_secret": "secret", "server_metadata_url": "https://login.example/.well-known/openid-configuration"}


def _sidebar_text(at: AppTest) -> str:
    return " ".join(c.value for c in at.sidebar.caption)


def test_local_mode_says_so_in_the_sidebar(fake_metrics) -> None:
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD})
    at = open_page("overview")
    assert "Local mode: only this computer can open the dashboard" in _sidebar_text(at)
    assert not at.error


def test_reachable_from_elsewhere_without_sign_in_shows_only_the_refusal(fake_metrics, monkeypatch) -> None:
    from paqa_dash.ui import access

    asked = fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD})
    monkeypatch.setattr(access, "listening_address", lambda: "0.0.0.0")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert len(at.error) == 1 and "server.address" in at.error[0].value and "0.0.0.0" in at.error[0].value
    assert asked == [] and not at.metric and not at.sidebar.caption


def test_with_sign_in_configured_a_visitor_must_sign_in_first(fake_metrics) -> None:
    asked = fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD})
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.secrets["auth"] = AUTH
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert asked == [] and not at.metric and "Local mode" not in _sidebar_text(at)
