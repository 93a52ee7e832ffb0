"""Repeat plans page, fast tier: the metrics layer answers with small hand-made frames (see conftest.py)."""
from __future__ import annotations

import json
from datetime import date

import pandas as pd

from support.pages import open_page

CURVE = pd.DataFrame({"group": ["2023"] * 3, "months": [0, 12, 24], "followed_up": [40, 30, 20],
                      "replanned": [0, 3, 5], "share": [0.0, 0.1, 0.25], "cumulative": [0.0, 0.1, 0.25]})
GAPS = pd.DataFrame({"gap_month": [3, 14], "plans": [2, 1], "within_window": [True, True]})
COUNTS = {"plans_started": 40, "repeat_plans_started": 8, "repeat_within_window": 3, "repeat_plans_dated": 8,
          "median_gap_days": 200.0}
PATHS = pd.DataFrame({"band": ["Under 3 months"], "reason": ["Short plan"], "outcome": ["Re-planned within 24 months"],
                      "plans": [4]})


def by_team(filters, thresholds):
    """Answers like the metrics function: one row per team the filter selects."""
    rows = pd.DataFrame({"team": ["North", "South"], "plans_started": [30, 20], "repeat_plans": [6, 2],
                         "repeat_within_window": [2, 1], "repeat_share": [0.2, 0.1]})
    return rows[rows["team"].isin(filters.teams)] if filters.teams else rows


RESULTS = {"cohort_curve": CURVE, "gap_months": GAPS, "start_counts": COUNTS, "pathways": PATHS,
           "repeat_by_team": by_team}


def chart(at, key_part: str) -> dict:
    """The plotly spec of the chart whose title contains `key_part`."""
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    found = [s for s in specs if key_part in s["layout"]["meta"]["finding"]]
    assert found, [s["layout"]["meta"]["finding"] for s in specs]
    return found[0]


def test_a_team_in_the_url_reaches_the_by_team_chart(fake_metrics) -> None:
    fake_metrics(RESULTS)
    at = open_page("repeat_plans", {"team": "North"})
    spec = chart(at, "North")
    assert spec["layout"]["meta"]["finding"] == "20% of plans started in North were repeat plans"
    assert list(spec["data"][0]["y"]) == ["North"]
    assert spec["layout"]["xaxis"]["title"]["text"].startswith("Repeat plans, %")


def test_two_teams_title_states_the_range(fake_metrics) -> None:
    fake_metrics(RESULTS)
    at = open_page("repeat_plans")
    spec = chart(at, "ranged")
    assert "from 10% (South) to 20% (North)" in spec["layout"]["meta"]["finding"]


def test_no_ended_first_plans_says_so_instead_of_an_empty_chart(fake_metrics) -> None:
    asked = fake_metrics({**RESULTS, "cohort_curve": CURVE.iloc[0:0], "pathways": PATHS.iloc[0:0]})
    at = open_page("repeat_plans", {"from": "2023-04-01"})
    texts = " ".join(i.value for i in at.info)
    assert texts.count("No ended first plans match these filters") == 2, texts
    assert "repeat_by_team" in asked


def test_a_store_too_recent_to_follow_up_names_the_years_shown_and_where_its_plans_are(fake_metrics) -> None:
    """Plans from June 2019 to March 2021 (an Annex A return of 15 March 2021: its own year, 2020-21, is the year
    shown): with no period chosen the follow-up views show the five reporting years to March 2019, which hold none.  Say so, and where the plans are; "clear the team, category..."
    would send a user who set no filter looking for one."""
    fake_metrics({**RESULTS, "cohort_curve": CURVE.iloc[0:0], "pathways": PATHS.iloc[0:0], "gap_months": GAPS.iloc[0:0]},
                 info={"first_date": date(2019, 6, 3), "last_date": date(2021, 3, 15), "data_date": date(2021, 3, 15)})
    at = open_page("repeat_plans")
    said = [i.value for i in at.info]
    shown = [s for s in said if "No ended first plans from 1 April 2014 to 31 March 2019" in s]
    assert len(shown) == 2, said   # the cohort curve and the pathways
    # the gaps (repeat plans started in the year shown, 2020-21) name that year
    shown += [s for s in said if "No repeat plans with a known previous plan in 2020-21, the latest complete" in s]
    assert len(shown) == 3, said
    assert all("The store's plans start and end between Jun 2019 and Mar 2021" in s for s in shown), shown
    assert not any("clear the team" in s for s in said), said


def test_the_cohort_caption_explains_its_denominator_against_the_overview(fake_metrics) -> None:
    fake_metrics(RESULTS)
    at = open_page("repeat_plans")
    text = " ".join(c.value for c in at.caption) + " ".join(m.value for m in at.markdown)
    assert "re-planned first plans out of first plans ended and followed up that long" in text
    assert "differs from the Overview's 'Repeat within 24 months'" in text
    assert "No period chosen: the latest complete reporting year of the data" in text


def test_a_team_whose_earlier_plans_are_undated_is_said_not_recorded_not_zero(fake_metrics) -> None:
    def undated(filters, thresholds):
        rows = by_team(filters, thresholds)
        return rows.assign(repeat_within_window=pd.array([pd.NA, 1], dtype="Int64"))

    fake_metrics({**RESULTS, "repeat_by_team": undated})
    at = open_page("repeat_plans")
    captions = " ".join(c.value for c in at.caption)
    assert "Repeat plans within the window, for North: not recorded in this data: no dates" in captions
    table = next(d.value for d in at.dataframe if "Team" in d.value.columns and len(d.value) == 2)
    north = table[table["Team"] == "North"].iloc[0]
    assert [v for k, v in north.items() if "within" in k.lower()] == [""]   # blank, never 0


def test_no_caption_when_every_team_is_dated(fake_metrics) -> None:
    fake_metrics(RESULTS)
    at = open_page("repeat_plans")
    assert "Repeat plans within the window, for" not in " ".join(c.value for c in at.caption)


def test_no_team_recorded_says_so_instead_of_a_one_bar_chart(fake_metrics) -> None:
    """A CIN census names no team: a chart of one "(no team)" bar ("26% of plans started in (no team) were repeat
    plans") is no comparison of teams; the page says teams are not recorded.  Some teams named: the chart stays."""
    none = pd.DataFrame({"team": ["(no team)"], "plans_started": [40], "repeat_plans": [10],
                         "repeat_within_window": [3], "repeat_share": [0.25]})
    fake_metrics({**RESULTS, "repeat_by_team": none})
    at = open_page("repeat_plans")
    specs = [json.loads(c.proto.spec)["layout"]["meta"]["finding"] for c in at.get("plotly_chart")]
    assert not any("(no team)" in s for s in specs), specs
    said = " ".join(i.value for i in at.info) + " ".join(c.value for c in at.caption)
    assert "Teams are not recorded in this data" in said

    some = pd.concat([none, pd.DataFrame({"team": ["North"], "plans_started": [20], "repeat_plans": [4],
                                          "repeat_within_window": [1], "repeat_share": [0.2]})])
    fake_metrics({**RESULTS, "repeat_by_team": some})
    assert "ranged" in chart(open_page("repeat_plans"), "ranged")["layout"]["meta"]["finding"]


UNDATED = {"plans_started": 40, "repeat_plans_started": 8, "repeat_within_window": 0, "repeat_plans_dated": 0,
           "median_gap_days": None}


def test_gaps_of_repeat_plans_whose_earlier_plans_are_only_counted_are_said_not_recorded(fake_metrics) -> None:
    """An Annex A return gives a repeat plan's earlier plans only as a count, so no gap can be measured: the section
    says the earlier plans' dates are not recorded, as Between plans and the Overview do, not "no repeat plans ...
    match these filters", which sends the user to widen a filter that cannot help."""
    fake_metrics({**RESULTS, "gap_months": GAPS.iloc[0:0], "start_counts": UNDATED})
    for query in ({"from": "2019-04-01", "to": "2021-03-31"}, None):
        at = open_page("repeat_plans", query)
        said = [i.value for i in at.info]
        gaps = [s for s in said if s.startswith("The gaps between plans: not recorded in this data: no dates of the "
                                                "repeat plans' earlier plans")]
        assert len(gaps) == 1, said
        assert not any("repeat plans with a known previous plan" in s for s in said), said


def test_the_sidebar_names_the_years_of_the_follow_up_views_beside_the_latest_year(fake_metrics) -> None:
    """The gaps and the teams show the latest complete reporting year; the cohort curves and pathways the five
    years whose plans could have been followed up: the sidebar's note names both, each for what shows it."""
    fake_metrics(RESULTS)
    at = open_page("repeat_plans")
    notes = " ".join(c.value for c in at.sidebar.caption)
    assert "No period chosen: the latest complete reporting year of the data, 1 April 2024 to 31 March 2025" in notes
    assert ("The cohort and pathway views: 1 April 2018 to 31 March 2023, the 5 reporting years whose plans could "
            "have been followed up for 24 months.") in notes, notes
    at = open_page("repeat_plans", {"from": "2020-04-01"})   # a period chosen: no note at all
    assert "No period chosen" not in " ".join(c.value for c in at.sidebar.caption)


def test_the_by_team_labels_sit_in_their_bars_under_no_england_line(fake_metrics) -> None:
    """Beside the bars, England's dashed line ran through the labels of the teams near England's share ("23%",
    "3 of 13" at 800 px, a newcomer's screenshot): the labels go inside the bars where they fit, and the line is
    drawn under the bars."""
    fake_metrics(RESULTS)
    spec = chart(open_page("repeat_plans"), "ranged")
    bars = spec["data"][0]
    assert bars["textposition"] in ("auto", "inside") and bars.get("insidetextanchor") == "end"
    lines = [s for s in spec["layout"]["shapes"] if s.get("line", {}).get("dash") == "dash"]
    assert len(lines) == 1 and lines[0].get("layer") == "below", lines


def test_repeat_plans_partly_dated_say_each_teams_count_within_the_window_is_a_floor(fake_metrics) -> None:
    """5 of the 8 repeat plans are dated: the teams' counts within the window count only those, and the page says so
    under the chart (a team's 2 within the window is at least 2)."""
    fake_metrics({**RESULTS, "start_counts": {**COUNTS, "repeat_plans_dated": 5}})
    at = open_page("repeat_plans")
    captions = " ".join(c.value for c in at.caption)
    assert "Repeat plans within the window: 3 of the 8 repeat plans have no dated earlier plan" in captions
    fake_metrics(RESULTS)
    assert "no dated earlier plan" not in " ".join(c.value for c in open_page("repeat_plans").caption)
