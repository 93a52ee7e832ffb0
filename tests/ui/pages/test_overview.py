"""Overview page, fast tier: headline tiles from a hand-made headline (see conftest.py)."""
from __future__ import annotations

import pandas as pd

from support.pages import open_page

HEADLINE = {"plans_started": 1234, "repeat_plans_started": 247, "repeat_rate": 0.2, "repeat_within_window": 100,
            "repeat_within_window_rate": 0.081, "median_gap_days": 609.0, "plans_ended": 1100, "ended_le_3m": 110,
            "ended_le_3m_rate": 0.1, "premature_endings": 37, "endings_at_risk": 12}
QUARTERLY = pd.DataFrame({"quarter": pd.to_datetime(["2024-04-01", "2024-07-01"]), "label": ["2024 Q2", "2024 Q3"],
                          "plans_started": [600, 634], "repeat_plans_started": [120, 127], "repeat_rate": [0.2, 0.2],
                          "plans_ended": [500, 600], "ended_le_3m": [50, 60]})


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_headline_tiles_show_the_figures_given(fake_metrics) -> None:
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY})
    at = open_page("overview")
    shown = tiles(at)
    assert shown["Plans started"] == "1,234"
    assert shown["Repeat plans (DfE)"] == "20.0%"
    assert shown["Premature endings"] == "37"
    assert len(at.get("plotly_chart")) == 3


def test_no_plans_in_the_filter_shows_the_empty_state_and_no_chart(fake_metrics) -> None:
    empty = {**HEADLINE, "plans_started": 0, "plans_ended": 0}
    asked = fake_metrics({"headline": empty, "quarterly": QUARTERLY.iloc[0:0]})
    at = open_page("overview", {"team": "South"})
    assert at.get("plotly_chart") == []
    assert at.info or at.warning
    assert set(asked) == {"headline"}
