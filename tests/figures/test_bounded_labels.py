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


def test_the_concern_bands_title_never_reads_0_percent_for_1_of_300() -> None:
    from paqa_dash.figures import between

    bands = pd.DataFrame({"band": ["none", "one", "few", "many"], "plans": [150, 149, 0, 1], "with_impact": [0, 0, 0, 0],
                          "median_days_to_plan": [None, 15.0, None, 300.0]})
    assert "(under 1%) followed 5 or more" in between.bands_bars(bands).layout.title.text


def test_the_refresh_quarters_title_never_reads_0_or_100_percent() -> None:
    from paqa_dash.figures import refresh

    quarters = pd.DataFrame({"quarter": pd.to_datetime(["2024-01-01", "2024-04-01"]), "kind": ["concern", "concern"],
                             "on_time": [1, 299], "late": [299, 1], "due": [300, 300], "rate": [1 / 300, 299 / 300]})
    title = refresh.quarter_rates(quarters, 10).layout.title.text
    assert "from under 1% " in title and "to over 99% " in title


def test_the_challenges_title_never_reads_100_percent_for_299_of_300() -> None:
    from paqa_dash.figures import agencies

    events = pd.DataFrame({"agency": ["HEALTH", "POLICE"], "event_type": ["CHALLENGE", "CHALLENGE"],
                           "events": [299, 1], "plans": [200, 1]})
    assert agencies.challenges_bars(events).layout.title.text.startswith("Health raised over 99% of")


def test_the_import_title_never_reads_0_percent_rejected_for_1_of_5000() -> None:
    from paqa_dash.figures import quality

    runs = pd.DataFrame({"run_id": [1], "started_at": pd.to_datetime(["2025-01-01"]), "kind": ["bundle"],
                         "source": ["bundle"], "rows_read": [5000], "rows_loaded": [4999], "rows_rejected": [1],
                         "rows_duplicate": [0]})
    assert quality.import_history_bars(runs).layout.title.text.endswith("rejected (under 0.1%)")


def test_hovers_give_the_share_as_the_label_does() -> None:
    """plotly's own "%{x:.0%}" read "0%" for 1 of 300 in the hover beside a bar labelled "under 1%"."""
    from paqa_dash.figures import cohorts

    teams = pd.DataFrame({"team": ["North", "South"], "plans_started": [300, 300], "repeat_plans": [1, 299],
                          "repeat_within_window": [0, 0]})
    teams["repeat_share"] = teams["repeat_plans"] / teams["plans_started"]
    bar = cohorts.team_bars(teams).data[0]
    assert "%{hovertext}" in bar.hovertemplate and ".0%" not in bar.hovertemplate
    assert list(bar.hovertext) == ["under 1%", "over 99%"]
