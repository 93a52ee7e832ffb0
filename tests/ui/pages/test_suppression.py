"""Small-number suppression on the pages, fast tier: a reader with a threshold sees "c" in the table, in
the CSV and on the chart; the administrator and the local analyst (threshold 0) see every number.

The threshold is set through the one seam every component asks, `paqa_dash.ui.access.current_scope` (the
`threshold` fixture of conftest.py).  AppTest runs without a media server, so a download button's bytes are read
where the card makes them (`components.csv_bytes`, the safe CSV writer, wrapped to keep what it wrote)."""
from __future__ import annotations

import json

import pandas as pd

from support.overview_data import HEADLINE, HELD, QUARTERLY
from support.pages import open_page

CURVE = pd.DataFrame({"group": ["2023"] * 3, "months": [0, 12, 24], "followed_up": [40, 30, 20],
                      "replanned": [0, 3, 5], "share": [0.0, 0.1, 0.25], "cumulative": [0.0, 0.1, 0.25]})
REPEAT_RESULTS = {
    "cohort_curve": CURVE, "gap_months": pd.DataFrame({"gap_month": [3, 14], "plans": [20, 10], "within_window": [True, True]}),
    "start_counts": {"plans_started": 90, "repeat_plans_started": 19, "repeat_within_window": 11, "repeat_plans_dated": 19,
                     "median_gap_days": 200.0},
    "pathways": pd.DataFrame({"band": ["Under 3 months"], "reason": ["Short plan"],
                              "outcome": ["Re-planned within 24 months"], "plans": [40]})}

# South's single repeat plan is primary; the teams add up to the headline, so North's 6 goes too (the next
# smallest); East's 12 repeat plans less its 8 within the window leaves 4, so the 8 goes as well.
BY_TEAM = pd.DataFrame({"team": ["North", "South", "East"], "plans_started": [30, 10, 50],
                        "repeat_plans": [6, 1, 12], "repeat_within_window": [2, 1, 8],
                        "repeat_share": [0.2, 0.1, 0.24]})


def team_table(at) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if "Repeat plans (%)" in d.value.columns]
    assert len(found) == 1
    return found[0]


def team_csv(csvs: list[str]) -> str:
    found = {c for c in csvs if c.startswith("Team,Plans started,Repeat plans")}
    assert len(found) == 1
    return found.pop()


def team_chart(at) -> dict:
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return next(s for s in specs if s["data"] and s["data"][0].get("orientation") == "h")


def test_a_small_team_count_reads_c_in_the_table_the_csv_and_the_chart(fake_metrics, threshold, csvs) -> None:
    threshold(5)
    fake_metrics({**REPEAT_RESULTS, "repeat_by_team": BY_TEAM})
    at = open_page("repeat_plans")
    table = team_table(at).set_index("Team")
    assert table.loc["South"].astype(str).tolist() == ["10", "c", "c", "c"]
    assert table.loc["North"].astype(str).tolist() == ["30", "c", "c", "c"]
    assert table.loc["East"].astype(str).tolist() == ["50", "12", "c", "24.0"]   # a share, as a percentage
    lines = team_csv(csvs).splitlines()
    assert lines[0] == "Team,Plans started,Repeat plans,Repeat plans within the window,Repeat plans (%)"
    assert lines[1:] == ["North,30,c,c,c", "South,10,c,c,c", "East,50,12,c,24.0"]
    chart = team_chart(at)
    assert "suppressed" in chart["layout"]["meta"]["finding"]
    marks = [a for a in chart["layout"].get("annotations", []) if a.get("text") == "c"]
    assert {a["y"] for a in marks} == {"North", "South"}
    assert all(a["hovertext"] == "suppressed: fewer than 5" for a in marks)


def test_without_a_threshold_every_number_is_shown(fake_metrics, threshold, csvs) -> None:
    threshold(0)
    fake_metrics({**REPEAT_RESULTS, "repeat_by_team": BY_TEAM})
    at = open_page("repeat_plans")
    shown = BY_TEAM.assign(repeat_share=BY_TEAM["repeat_share"] * 100).set_axis(
        ["Team", "Plans started", "Repeat plans", "Repeat plans within the window", "Repeat plans (%)"], axis=1)
    pd.testing.assert_frame_equal(team_table(at).reset_index(drop=True), shown)
    assert team_csv(csvs).splitlines()[2] == "South,10,1,1,10.0"
    chart = team_chart(at)
    assert "suppressed" not in chart["layout"]["meta"]["finding"]
    assert not [a for a in chart["layout"].get("annotations", []) if a.get("text") == "c"]


def test_a_headline_resting_on_a_small_count_reads_c(fake_metrics, threshold) -> None:
    threshold(5)
    small = {**HEADLINE, "premature_endings": 3, "endings_at_risk": 0}
    fake_metrics({"headline": small, "quarterly": QUARTERLY, "coverage": HELD})
    at = open_page("overview")
    shown = {m.label: m.value for m in at.metric}
    assert shown["Premature endings"] == "c"
    assert shown["Endings at risk"] == "0"      # zero is shown as zero
    assert shown["Plans started"] == "1,234"


def test_the_overviews_charts_keep_findings_that_rest_only_on_the_tiles(fake_metrics, threshold) -> None:
    # A lead at threshold 5: one quarter's 3 short endings are withheld, so the starts-and-endings chart and the
    # repeat share chart lose cells.  Their findings are the tiles' totals (235 started, 258 ended, 16% within 3
    # months; the period's repeat share), true whatever a quarter withholds: they stay, with the note under them,
    # and say the tiles' figures, not sums over the quarters left.
    head = {**HEADLINE, "plans_started": 235, "repeat_plans_started": 50, "repeat_rate": 50 / 235, "plans_ended": 258,
            "ended_le_3m": 41, "ended_le_3m_rate": 41 / 258}
    quarterly = pd.DataFrame({"quarter": pd.to_datetime(["2024-04-01", "2024-07-01"]), "label": ["2024 Q2", "2024 Q3"],
                              "plans_started": [100, 135], "repeat_plans_started": [3, 47], "repeat_rate": [0.03, 47 / 135],
                              "plans_ended": [120, 138], "ended_le_3m": [38, 3]})
    fake_metrics({"headline": head, "quarterly": quarterly, "coverage": HELD})
    threshold(5)
    at = open_page("overview")
    found = [json.loads(x.proto.spec)["layout"]["meta"]["finding"] for x in at.get("plotly_chart")]
    assert ("235 plans started and 258 ended; 15.9% of endings came within 3 months (some values suppressed: c, "
            "suppressed: fewer than 5)") in found, found
    # the repeat share by quarter: its Q2's 3 repeat plans are withheld, the period's share (the tile's) is not
    assert any(f.startswith("21.3% of plans started in the period were repeat plans") and
               f.endswith("(some values suppressed: c, suppressed: fewer than 5)") for f in found), found
    # a tile the finding rests on withheld: the finding goes, as before
    fake_metrics({"headline": {**head, "ended_le_3m": 3, "ended_le_3m_rate": 3 / 258},
                  "quarterly": quarterly.assign(ended_le_3m=[0, 3]), "coverage": HELD})
    at = open_page("overview")
    findings_now = [json.loads(x.proto.spec)["layout"]["meta"]["finding"] for x in at.get("plotly_chart")]
    assert not any(f.startswith("235 plans started") for f in findings_now), findings_now
    assert any(f.startswith("Plans (count): some values suppressed") for f in findings_now), findings_now
