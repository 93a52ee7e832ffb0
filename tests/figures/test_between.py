"""Between plans and plan refresh figures: titles state the finding, and say so when there is nothing."""
from __future__ import annotations

import pandas as pd

from paqa_dash.figures import between, refresh


def test_bands_title_and_an_empty_cohort():
    bands = pd.DataFrame({"band": ["none", "one", "few", "many"], "plans": [1, 3, 4, 2], "with_impact": [0, 1, 2, 2],
                          "median_days_to_plan": [None, 15.0, 80.0, 300.0]})
    fig = between.bands_bars(bands)
    assert fig.layout.title.text == "2 of 10 repeat plans (20%) followed 5 or more recorded concerns;<br>4 followed one or none"
    assert list(fig.data[0].hovertext) == ["", "median 15 days", "median 80 days", "median 300 days"]
    # on two lines above the bar: on one, plotly shrank it to the bar's width (a 7 px font at 800 px)
    assert list(fig.data[0].text) == ["", "median<br>15 days", "median<br>80 days", "median<br>300 days"]
    assert "%{hovertext} from the first concern" in fig.data[0].hovertemplate
    empty = between.bands_bars(bands.assign(plans=0))
    assert empty.layout.title.text == "No repeat plan with a gap before it"


def test_child_strip_marks_impact_apart():
    gaps = pd.DataFrame({"plan_id": ["p2"], "plan_number": [2], "previous_end": pd.to_datetime(["2022-06-30"]),
                         "start_date": pd.to_datetime(["2023-01-10"]), "gap_days": [194], "concerns": [2],
                         "impact_events": [1], "strategy_date": pd.to_datetime(["2022-12-20"]),
                         "icpc_date": pd.to_datetime(["2023-01-10"])})
    concerns = pd.DataFrame({"plan_id": ["p2", "p2"], "event_date": pd.to_datetime(["2022-09-01", "2022-12-01"]),
                             "grp": ["police_callout", "referral"], "agency": ["POLICE", "HEALTH"], "impact": [True, False]})
    fig = between.child_strip(gaps, concerns)
    names = {t.name: len(t.x) for t in fig.data if t.name}
    assert names == {"Impact on the child": 1, "Other concern": 1, "Strategy discussion": 1, "ICPC": 1}
    assert fig.layout.title.text.startswith("2 concerns recorded between this child's plans,<br>1 of them")


def test_refresh_titles_with_nothing_due():
    teams = pd.DataFrame({"team": ["North"], "kind": ["concern"], "on_time": [0], "late": [0], "due": [0], "rate": [None]})
    assert refresh.team_rates(teams, 28).layout.title.text == "No new concern during a plan had reached its 28-day deadline"
    quarters = teams.drop(columns="team").assign(quarter=pd.to_datetime(["2024-01-01"]))
    assert refresh.quarter_rates(quarters, 28).layout.title.text == "Plan updates within 28 days, by quarter"


def test_every_agency_in_the_stack_is_told_apart():
    """Nine agencies stacked: past the palette's seven colours a series had the first one's colour (Education and
    Children's social care both blue); each now differs in colour or fill pattern."""
    from paqa_dash.reference.codes import AGENCY_LABELS
    agencies = list(AGENCY_LABELS)[:9]
    months = pd.DataFrame({"months_before": [m % 3 for m in range(9)], "agency": agencies,
                           "concerns": [20 - i for i in range(9)]})
    fig = between.months_before_bars(months)
    looks = {(t.marker.color, t.marker.pattern.shape or "") for t in fig.data}
    assert len(fig.data) == 9 and len(looks) == 9


def test_a_line_past_the_seventh_is_dashed():
    from paqa_dash.figures import style
    looks = {(style.line_of(i)["color"], style.line_of(i)["dash"]) for i in range(12)}
    assert len(looks) == 12


def test_without_impact_events_no_title_states_a_share_of_impact():
    """A census records referrals but no incidents or missed appointments: "0% of concerns recorded impact on the
    child" and "0 of them impact on the child" would be findings the data cannot make; the titles say not recorded."""
    groups = pd.DataFrame({"grp": ["referral", "contact"], "agency": ["CSC", "CSC"], "concerns": [30, 6],
                           "plans": [20, 5]})
    title = between.groups_bars(groups, impact_recorded=False).layout.title.text.replace("<br>", " ")
    assert title.startswith("Referral was the concern most recorded between plans")
    assert "0%" not in title and "impact on the child: not recorded in this data" in title
    assert "0% of concerns recorded impact" in between.groups_bars(groups).layout.title.text.replace("<br>", " ")

    gaps = pd.DataFrame({"plan_id": ["p2"], "plan_number": [2], "previous_end": pd.to_datetime(["2022-06-30"]),
                         "start_date": pd.to_datetime(["2023-01-10"]), "gap_days": [194], "concerns": [1],
                         "impact_events": [0], "strategy_date": pd.to_datetime([None]),
                         "icpc_date": pd.to_datetime([None])})
    concerns = pd.DataFrame({"plan_id": ["p2"], "event_date": pd.to_datetime(["2022-09-01"]), "grp": ["referral"],
                             "agency": ["CSC"], "impact": [False]})
    strip = between.child_strip(gaps, concerns, impact_recorded=False).layout.title.text.replace("<br>", " ")
    assert strip.startswith("1 concern recorded between this child's plans")
    assert "0 of them" not in strip and "impact on the child: not recorded in this data" in strip
    assert "Impact on the child" not in {t.name for t in between.child_strip(gaps, concerns, impact_recorded=False).data}


def test_a_group_with_a_withheld_agency_count_is_drawn_as_at_least_its_shown_sum():
    """A reader with a threshold: police's 3 referrals withheld, the referral bar drew the other agencies' 40 as if
    it were the whole (no mark); it is "40+", "at least 40 concerns" in its hover."""
    groups = pd.DataFrame({"grp": ["referral", "referral", "incident"], "agency": ["HEALTH", "POLICE", "POLICE"],
                           "concerns": [40, None, 12], "plans": [10, None, 5]})
    bar = between.groups_bars(groups).data[0]
    at = list(bar.y).index(between.CONCERN_GROUP_LABELS["referral"])
    assert bar.text[at] == "40+"
    assert bar.customdata[at].startswith("at least 40 concerns"), bar.customdata[at]
    other = list(bar.y).index(between.CONCERN_GROUP_LABELS["incident"])
    assert bar.text[other] == "" and bar.customdata[other] == "12 concerns"
