"""The small-base rule (docs/definitions.md, "Small bases") in titles that still gave a bare percentage of fewer than
benchmarks.COMPARE_FROM cases (plan endings' warning signs, the reading ease of plans, the gap before a repeat
plan), and a percentage that never says more than its counts: "0%" only when none, "100%" only when all."""
from __future__ import annotations

import pandas as pd
import pytest

from paqa_dash.figures import cohorts, endings, quality_text, style


def _title(fig) -> str:
    return fig.layout.title.text.replace("<br>", " ")


def _counts(short: int) -> pd.DataFrame:
    return pd.DataFrame([{"reason": "Short plan", "outcome": o, "plans": short if i == 0 else 0}
                         for i, o in enumerate(endings.OUTCOME_ORDER)])


@pytest.mark.parametrize("part, whole, text", [(0, 235, "0%"), (1, 235, "under 1%"), (234, 235, "over 99%"),
                                               (235, 235, "100%"), (1, 2350, "under 1%"), (47, 235, "20%")])
def test_a_share_rounding_to_0_or_100_percent_says_under_or_over(part, whole, text):
    assert style.share_text(part, whole) == text


def test_under_or_over_keeps_the_decimal_places_asked_for():
    assert style.share_text(1, 2350, 1) == "under 0.1%"
    assert style.share_text(2349, 2350, 1) == "over 99.9%"


@pytest.mark.parametrize("ended, signs, start", [
    (5, 1, "1 of 5 ended plans ended with"), (16, 6, "6 of 16 ended plans ended with"),
    (1, 1, "1 of 1 ended plan ended with"), (40, 4, "10% of ended plans (4 of 40) ended with")])
def test_ended_plans_with_a_warning_sign_under_20_are_a_count(ended, signs, start):
    assert _title(endings.reasons_bars(_counts(signs), ended, signs)).startswith(start)


def _reading(plans: int, below: int):
    bands = pd.DataFrame({"band": [50, 80], "plans": [below, plans - below]})
    return quality_text.reading_ease_figure(bands, {"plans": plans, "median_ease": 85.0, "share_below": below / plans})


def test_reading_ease_on_5_plans_is_a_count():
    assert "0 of 5 plans below plain English" in _title(_reading(5, 0))


def test_one_plan_of_235_below_plain_english_is_not_0_percent():
    title = _title(_reading(235, 1))
    assert "0% of plans" not in title
    assert "under 1% of plans below plain English" in title


def test_repeat_plans_within_the_window_under_20_are_a_count():
    gaps = pd.DataFrame({"gap_month": [3, 7, 12], "plans": [3, 3, 2]})
    title = _title(cohorts.gap_histogram(gaps, 213.0, 24))
    assert "8 of 8 within 24 months" in title
    assert "100%" not in title


def _agencies(invited: dict[str, tuple[int, int]]) -> pd.DataFrame:
    rows = [{"agency": a, "invited": n, "attended": k, "contributed": k, "rate": k / n, "contribution_rate": k / n}
            for a, (n, k) in invited.items()]
    return pd.DataFrame(rows)


def test_agencies_invited_fewer_than_20_times_are_not_the_fewest_attended():
    from paqa_dash.figures import agencies
    frame = _agencies({"POLICE": (7, 2), "HEALTH": (19, 5), "CSC": (40, 36), "EDUCATION": (30, 15)})
    title = agencies.attendance_bars(frame).layout.title.text
    assert title.startswith("Education attended the fewest core groups it was invited to: 50%")
    assert "too few invitations in Police and Health" in title or "too few invitations in Health and Police" in title


def test_agency_heatmap_ranks_only_agencies_invited_20_times():
    from paqa_dash.figures import agencies
    frame = _agencies({"POLICE": (7, 2), "CSC": (40, 36), "EDUCATION": (30, 15)}).assign(
        quarter=pd.Timestamp("2025-01-01"))
    title = agencies.attendance_heatmap(frame).layout.title.text
    assert title.startswith("Education attended 50% of the core groups it was invited to; children's social care 90%")
    assert "too few invitations in Police" in title


@pytest.mark.parametrize("first, later, text", [
    ((4, 1), (0, 0), "1 of 5 first core group deadlines that fell due was missed"),
    ((4, 1), (13, 1), "1 of 5 first core group deadlines that fell due was missed"),
    ((4, 1), (30, 10), "25% of later core group deadlines that fell due were missed")])
def test_missed_deadlines_of_fewer_than_20_due_are_a_count(first, later, text):
    from paqa_dash.figures import agencies
    core = {"first_on_time": first[0], "first_late": first[1], "intervals_on_time": later[0],
            "intervals_late": later[1]}
    frame = agencies.timeliness_frame(core, {})
    assert agencies.timeliness_bars(frame).layout.title.text == text


def _challenges(rows):
    return pd.DataFrame(rows, columns=["agency", "event_type", "topic", "resolution", "followed", "events"])


def _flat(fig) -> str:
    head, _, tail = fig.layout.title.text.partition("<br><sup>")
    return head.replace("<br>", " ") + (" | " + tail.removesuffix("</sup>") if tail else "")


def test_a_challenge_finding_under_20_does_not_say_its_count_twice():
    from paqa_dash.figures import challenge
    frame = _challenges([("HEALTH", "CHALLENGE", "ENDING", "UPHELD", "PLAN_KEPT", 10)])
    title = _flat(challenge.followed_bars(frame))
    assert title.startswith("The ending was reversed after 0 of 10 challenges to an ending or step-down | ")
    assert "0 of the 10" not in title and title.count("0 of 10") == 1


def test_the_share_of_resolutions_recorded_and_its_count_are_of_the_same_things():
    from paqa_dash.figures import challenge
    frame = _challenges([("HEALTH", "CHALLENGE", "ENDING", "UPHELD", "PLAN_KEPT", 19),
                         ("POLICE", "ESCALATION", "ENDING", "NOT_RECORDED", "PLAN_KEPT", 30)])
    assert _flat(challenge.resolution_bars(frame)) == ("The resolution is recorded for 39% of challenges and "
                                                       "escalations | 19 of 49 challenges and escalations")


@pytest.mark.parametrize("repeats, text", [(1, "1 of 5 plans started in West was a repeat plan"),
                                           (2, "2 of 5 plans started in West were repeat plans")])
def test_the_verb_agrees_with_a_count_of_one(repeats, text):
    by_team = pd.DataFrame({"team": ["West"], "plans_started": [5], "repeat_plans": [repeats],
                            "repeat_share": [repeats / 5], "repeat_within_window": [0]})
    assert cohorts.team_bars(by_team).layout.title.text == text


def test_duplicated_actions_compare_teams_on_their_repeat_plans_not_their_actions():
    from paqa_dash.figures import duplicates
    # East's 60 actions sit on 9 repeat plans: too few plans to rank, however many actions
    by_team = pd.DataFrame({"team": ["East", "West", "North"], "plans": [9, 30, 25], "plans_with_duplicates": [5, 9, 6],
                            "actions": [60, 150, 120], "duplicated": [19, 30, 18]})
    by_team["share"] = by_team["duplicated"] / by_team["actions"]
    fig = duplicates.team_share_bars(by_team)
    title = fig.layout.title.text
    assert "East highest" not in title and "West highest at 20%" in title
    assert "too few repeat plans in East to compare" in title
    assert dict(zip(fig.data[0].y, fig.data[0].text))["East"] == "19 of 60"


def test_duplicated_actions_quarters_on_few_repeat_plans_are_not_compared():
    from paqa_dash.figures import duplicates
    by_quarter = pd.DataFrame({"quarter": pd.to_datetime(["2025-04-01", "2026-01-01"]), "plans": [7, 9],
                               "actions": [43, 52], "duplicated": [10, 10]})
    by_quarter["share"] = by_quarter["duplicated"] / by_quarter["actions"]
    title = _flat(duplicates.quarter_trend(by_quarter))
    assert title.startswith("Too few repeat plans to compare the first quarter with the last")
    assert "Apr-Jun 2025 (7 repeat plans) 10 of 43" in title


def _withheld_paths() -> pd.DataFrame:
    return pd.DataFrame({"band": ["3 months or less", "1 to under 2 years"], "reason": ["No reason found"] * 2,
                         "outcome": ["Re-planned within 24 months", "Not re-planned within 24 months"],
                         "plans": [float("nan"), 30.0]})


def test_the_pathways_chart_is_named_on_the_page_when_a_flow_is_withheld():
    """The page's chart card marks a figure with style.mark_suppressed alone (no `what=`, as the briefing had): the
    Sankey names itself, not "This chart"."""
    import plotly.graph_objects as go
    marked = style.mark_suppressed(go.Figure(cohorts.pathway_sankey(_withheld_paths())), "c", "suppressed")
    assert marked.layout.title.text.startswith("Pathways from a first plan: some values suppressed")


def test_the_briefing_names_the_pathways_chart_from_the_figure_itself():
    from paqa_dash.report.briefing.charts import Card
    from paqa_dash.report.suppression import Rule
    table = pd.DataFrame({"band": ["3 months or less", "1 to under 2 years"], "reason": ["No reason found"] * 2,
                          "outcome": ["Re-planned within 24 months", "Not re-planned within 24 months"],
                          "plans": [3, 30]})
    card = Card(threshold=5)
    rule = Rule(counts=("plans",))
    card.add("paths", "Repeat plans", lambda: cohorts.pathway_sankey(card.hidden(table, rule)), "notes", table, rule)
    assert card.charts[0].title.startswith("Pathways from a first plan: some values suppressed")
