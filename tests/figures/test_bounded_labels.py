"""Shares a reader sees as a label, a finding or a table value say "0%" only when none and "100%" only when all
(docs/definitions.md, "Small bases"): 1 of 300 is "under 1%", never "0%"; 299 of 300 "over 99%"."""
from __future__ import annotations

import pandas as pd

from paqa_dash.figures import quality_text
from paqa_dash.figures.style import pct_text


def test_a_share_rounding_to_0_or_100_is_bounded() -> None:
    assert pct_text(1 / 300) == "under 1%"
    assert pct_text(299 / 300) == "over 99%"
    assert pct_text(1 / 3000, 1) == "under 0.1%"
    assert pct_text(0.0) == "0%" and pct_text(1.0) == "100%"
    assert pct_text(0.42) == "42%" and pct_text(0.004, 1) == "0.4%"


def test_a_bar_label_and_title_never_read_0_percent_for_1_of_300() -> None:
    failed = pd.DataFrame({"criterion": ["Specific", "Timed"], "actions_failing": [1, 0]})
    failed["share"] = failed["actions_failing"] / 300
    fig = quality_text.failed_criteria_figure(failed)
    assert "(under 1% of actions)" in fig.layout.title.text
    labels = list(fig.data[0].text)
    assert "under 1%" in labels and labels.count("0%") == 1


def test_a_theme_title_never_reads_100_percent_for_299_of_300() -> None:
    mix = pd.DataFrame({"team": ["North", "North"], "theme": ["practical/compliance", "relational"],
                        "actions": [299, 1]})
    mix["share"] = mix["actions"] / 300
    assert quality_text.theme_figure(mix).layout.title.text.startswith("over 99% of actions")


def test_a_heatmap_cell_and_its_hover_never_read_0_percent_for_1_of_300() -> None:
    from paqa_dash.figures import agencies

    table = pd.DataFrame({"quarter": pd.to_datetime(["2021-01-01"]), "agency": ["HEALTH"], "invited": [300],
                          "attended": [1], "contributed": [299], "rate": [1 / 300], "contribution_rate": [299 / 300]})
    cell = agencies.attendance_heatmap(table).data[0]
    assert cell.text[0][0] == "under 1%"
    assert cell.customdata[0][0][2] == " (under 1%)"
