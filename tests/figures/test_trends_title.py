"""The Overview's starts-and-endings title reads as a sentence whatever the counts: no "–" inside it when no plan
ended (one authority with two plans, both open)."""
from __future__ import annotations

import pandas as pd

from paqa_dash.figures import trends


def _quarters(started: list[int], ended: list[int], short: list[int]) -> pd.DataFrame:
    n = len(started)
    return pd.DataFrame({"quarter": pd.date_range("2020-04-01", periods=n, freq="QS"),
                         "label": [f"q{i}" for i in range(n)], "plans_started": started,
                         "repeat_plans_started": [0] * n, "repeat_rate": [0.0] * n,
                         "plans_ended": ended, "ended_le_3m": short})


def title(frame: pd.DataFrame) -> str:
    return trends.starts_endings_trend(frame).layout.title.text.replace("<br>", " ")


def test_nothing_ended_is_said_in_words():
    got = title(_quarters([1, 1], [0, 0], [0, 0]))
    assert got == "2 plans started and none ended"
    assert "–" not in got


def test_endings_give_the_share_within_3_months():
    assert title(_quarters([3, 1], [2, 2], [1, 0])) == "4 plans started and 4 ended; 1 of 4 endings came within 3 months"
    assert title(_quarters([0, 0], [1, 0], [1, 0])) == "No plan started and 1 ended; 1 of 1 ending came within 3 months"


def test_the_share_within_3_months_has_the_tiles_one_decimal():
    """The Overview read "16% of endings came within 3 months" under its tile's "15.9%"."""
    assert title(_quarters([200, 35], [150, 108], [20, 21])) == (
        "235 plans started and 258 ended; 15.9% of endings came within 3 months")
