"""Titles and hovers that say a count in words: the number they take ("1 household change", "1 time"), and no 0
where a team's repeats within the window are not recorded or suppressed (plotly's number format shows a blank as 0,
so those hovers are words made per point)."""
from __future__ import annotations

import pandas as pd

from paqa_dash.figures import cohorts, household, quality_text


def test_the_household_title_says_one_household_change_in_the_singular():
    fig = household.replanned_share_bars(pd.DataFrame(
        {"bucket": ["0", "1", "2", "3+"], "children": [20, 20, 0, 0], "replanned_children": [4, 10, 0, 0],
         "replanned_share": [0.2, 0.5, None, None]}), 24)
    title = fig.layout.title.text
    assert "with 1 household change re-planned" in title and "changes" not in title.split("against")[0]


def test_the_language_title_says_one_time_in_the_singular():
    fig = quality_text.language_figure(pd.DataFrame(
        {"phrase": ["non-compliant"], "kind": ["deficit"], "findings": [1], "suggestion": ["did not"]}))
    assert "(1 time)" in fig.layout.title.text


def test_a_team_without_its_repeats_within_the_window_reads_a_dash_not_zero():
    frame = pd.DataFrame({"team": ["North", "South"], "repeat_share": [0.5, 0.25], "repeat_plans": [10, 5],
                          "plans_started": [20, 20],
                          "repeat_within_window": pd.array([7, pd.NA], dtype="Int64")})
    fig = cohorts.team_bars(frame, 0.245)
    template = fig.data[0].hovertemplate
    assert ":,}" not in template.split("<br>")[-1]   # the window's line is words, never a number format
    within = {team: row[2] for team, row in zip(fig.data[0].y, fig.data[0].customdata)}
    assert within["North"] == "7 within the re-plan window"
    assert within["South"].startswith("Within the re-plan window: –") and "0" not in within["South"]
