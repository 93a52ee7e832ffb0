"""Between plans and Plan refresh pages, fast tier: the metrics layer answers with small hand-made frames."""
from __future__ import annotations


import pandas as pd

from paqa_dash.metrics.coverage import Coverage
from paqa_dash.reference.recorded import DATA_KINDS
from support.pages import charts, findings as titles, open_page
from support.refresh_grid import refresh_grid


def held(**missing: bool) -> Coverage:
    """Every kind recorded on 10 plans, except those named."""
    row = {"year": 2024, "team": "North", "plans": 10, **{k: (0 if missing.get(k) else 10) for k in DATA_KINDS}}
    return Coverage(pd.DataFrame([row]), {})


BANDS = pd.DataFrame({"band": ["none", "one", "few", "many"], "plans": [0, 6, 8, 12], "with_impact": [0, 2, 5, 9],
                      "median_days_to_plan": [None, 20.0, 90.0, 400.0]})
MONTHS = pd.DataFrame({"months_before": [0, 0, 1, 12], "agency": ["POLICE", "HEALTH", "EDUCATION", "HEALTH"],
                       "concerns": [10, 6, 4, 4]})
GROUPS = pd.DataFrame({"grp": ["police_callout", "missed_health", "referral"], "agency": ["POLICE", "HEALTH", "EDUCATION"],
                       "concerns": [10, 10, 4], "plans": [8, 7, 4]})
TOTALS = {"repeat_plans_with_gap": 26, "with_concerns": 26, "concerns": 24, "with_impact_before_decision": 16,
          "median_days_to_strategy": 70.0, "median_days_to_icpc": 85.0, "median_days_to_plan": 90.0,
          "median_gap_days": 300.0}
BETWEEN = {"coverage": held(), "totals": TOTALS, "bands": BANDS, "months_before": MONTHS, "by_group": GROUPS}

TEAMS = pd.DataFrame({"team": ["North", "North", "South", "South"], "kind": ["meeting", "concern"] * 2,
                      "on_time": [30, 12, 20, 4], "late": [10, 8, 20, 16]})   # 20 concerns a team: enough to compare
TEAMS = TEAMS.assign(due=TEAMS["on_time"] + TEAMS["late"], rate=TEAMS["on_time"] / (TEAMS["on_time"] + TEAMS["late"]))
QUARTERS = pd.DataFrame({"quarter": pd.to_datetime(["2024-04-01", "2024-07-01"] * 2), "kind": ["concern"] * 2 + ["meeting"] * 2,
                         "on_time": [10, 6, 25, 25], "late": [10, 14, 15, 15]})
QUARTERS = QUARTERS.assign(due=QUARTERS["on_time"] + QUARTERS["late"], rate=QUARTERS["on_time"] / (QUARTERS["on_time"] + QUARTERS["late"]))
LATE = pd.DataFrame({"plan_id": ["p1"], "child_id": ["abc"], "team": ["South"], "late_concerns": [2],
                     "first_late": pd.to_datetime(["2024-05-01"]), "last_late": pd.to_datetime(["2024-08-01"]),
                     "triggers": ["household_change,incident"], "plans_listed": [1]})
REFRESH = {"coverage": held(), "team_quarters": refresh_grid(TEAMS, QUARTERS), "late_plans": LATE}



def test_between_plans_states_its_findings(fake_metrics) -> None:
    fake_metrics(BETWEEN)
    at = open_page("between_plans")
    got = titles(at)
    assert got[0] == "12 of 26 repeat plans (46%) followed 5 or more recorded concerns; 6 followed one or none"
    assert got[1] == "83% of the concerns before repeat plans came in the last 3 months before the plan"
    assert got[2].startswith("Police call-out was the concern most recorded between plans; 83% of concerns")
    captions = " ".join(c.value for c in at.caption)
    assert "(/definitions#between-plans)" in captions
    assert [m.value for m in at.metric][:2] == ["26", "16"]


def test_between_plans_says_not_recorded_instead_of_zero(fake_metrics) -> None:
    asked = fake_metrics({**BETWEEN, "coverage": held(concern_events=True)})
    at = open_page("between_plans")
    assert "This store records no referrals, contacts, incidents or missed appointments" in " ".join(i.value for i in at.info)
    assert not at.get("plotly_chart") and "totals" not in asked


def test_repeat_plans_whose_earlier_plans_are_undated_are_said_not_recorded_not_filtered_out(fake_metrics) -> None:
    """Annex A: 2 repeat plans started, their earlier plans known only as a count, so none has a gap.  The page
    says the dates are not in the data, not "widen the period"; with no repeat plan at all it says none started."""
    none = {**TOTALS, "repeat_plans_with_gap": 0}
    starts = {"plans_started": 7, "repeat_plans_started": 2, "repeat_within_window": 0, "median_gap_days": None}
    fake_metrics({**BETWEEN, "totals": none, "start_counts": starts})
    at = open_page("between_plans")
    infos = " ".join(i.value for i in at.info)
    assert "The time between plans: not recorded in this data: no dates of the repeat plans' earlier plans" in infos
    assert "Widen the period" not in infos
    fake_metrics({**BETWEEN, "totals": none, "start_counts": {**starts, "repeat_plans_started": 0}})
    infos = " ".join(i.value for i in open_page("between_plans").info)
    assert "No repeat plan started in the period after an earlier plan had ended" in infos


def test_impact_before_the_decision_is_not_recorded_without_incidents_or_missed_appointments(fake_metrics) -> None:
    """Referrals and contacts recorded (a census), but no incident or missed appointment: the impact tile reads "–"
    and why, not 0; where such events are recorded a 0 stays 0."""
    none = {**BETWEEN["totals"], "with_impact_before_decision": 0}
    fake_metrics({**BETWEEN, "totals": none, "coverage": held(impact_events=True)})
    at = open_page("between_plans")
    tiles = {m.label: m for m in at.metric}
    assert tiles["Repeat plans after a gap"].value == "26" and tiles["Impact before the decision"].value == "–"
    assert "no incidents, police call-outs or missed appointments" in tiles["Impact before the decision"].help
    assert "Impact before the decision: not recorded in this data" in " ".join(c.value for c in at.caption)
    fake_metrics({**BETWEEN, "totals": none})
    assert {m.label: m.value for m in open_page("between_plans").metric}["Impact before the decision"] == "0"


def test_no_chart_states_a_share_of_impact_where_impact_is_not_recorded(fake_metrics) -> None:
    """Referrals only (a census): the charts' titles and captions do not give "0% of concerns recorded impact on the
    child" or define a "With impact" column of zeros; they say impact is not recorded, as the tile does."""
    census = pd.DataFrame({"grp": ["referral"], "agency": ["CSC"], "concerns": [40], "plans": [30]})
    bands = BANDS.assign(with_impact=0)
    fake_metrics({**BETWEEN, "bands": bands, "by_group": census, "coverage": held(impact_events=True)})
    at = open_page("between_plans")
    got = titles(at)
    assert got[2].startswith("Referral was the concern most recorded between plans")
    assert not any("% of concerns recorded impact" in t for t in got)
    assert "impact on the child: not recorded in this data" in got[2]
    captions = " ".join(c.value for c in at.caption)
    assert "*With impact*" not in captions and "(red: evidence of impact" not in captions
    assert "Impact on the child (incidents, police call-outs, missed appointments): not recorded in this data" in captions


def test_how_much_concern_came_before_a_plan_is_not_recorded_from_referrals_alone(fake_metrics) -> None:
    """Referrals the only concerns recorded (a CIN census: the referral of each episode, no contact, incident or missed
    appointment): no "0 of 20 repeat plans followed 5 or more recorded concerns" and no "100% of the concerns came in
    the last 3 months": the page says how much concern came before a plan, and when, is not recorded; the kinds it
    does record are still counted, with the kinds missing said; the plan list has no band column.  Where contacts or
    incidents are recorded the bands and months are drawn (test_between_plans_states_its_findings)."""
    census = pd.DataFrame({"grp": ["referral"], "agency": ["CSC"], "concerns": [20], "plans": [20]})
    bands = BANDS.assign(plans=[0, 20, 0, 0], with_impact=0)
    asked = fake_metrics({**BETWEEN, "bands": bands, "by_group": census,
                          "coverage": held(impact_events=True, other_concerns=True)})
    at = open_page("between_plans")
    got = titles(at)
    assert len(got) == 1 and got[0].startswith("Referral was the concern most recorded between plans"), got
    assert not any("5 or more" in t or "last 3 months" in t for t in got)
    assert "bands" not in asked and "months_before" not in asked
    infos = " ".join(i.value for i in at.info)
    assert "This store records no contacts, incidents or missed appointments" in infos
    assert "how much concern came before a repeat plan, and when, cannot be told from it" in infos
    captions = " ".join(c.value for c in at.caption)
    assert "Not recorded in this data: no contacts, incidents or missed appointments" in captions
    rows = pd.DataFrame([{"plan_id": "p1", "child_id": "c1", "team": "North", "plan_number": 2,
                          "previous_plan_id": "p0", "previous_end": pd.Timestamp("2024-01-01"),
                          "start_date": pd.Timestamp("2024-06-01"), "gap_days": 152, "concerns": 1, "agencies": 1,
                          "first_concern": pd.Timestamp("2024-04-01"), "last_concern": pd.Timestamp("2024-04-01"),
                          "strategy_date": None, "icpc_date": pd.Timestamp("2024-05-20"), "days_to_strategy": None,
                          "days_to_icpc": 49, "days_to_plan": 61, "impact_events": 0, "band": "one"}])
    fake_metrics({**BETWEEN, "bands": bands, "by_group": census, "plan_rows": rows,
                  "coverage": held(impact_events=True, other_concerns=True, strategy_discussions=True)})
    at.toggle(key="between_list_on").set_value(True).run()
    listed = [d.value for d in at.dataframe if "Child" in d.value.columns]
    assert listed and "Concerns" in listed[0].columns, [d.value.columns.tolist() for d in at.dataframe]
    assert "Concern before the plan" not in listed[0].columns
    assert "Impact before the decision" not in listed[0].columns
    # no strategy discussion recorded (a census): no blank strategy column, as in the child timeline and the pack
    assert "Days: first concern to strategy" not in listed[0].columns
    assert "Days: first concern to ICPC" in listed[0].columns


def test_plan_refresh_by_team_and_the_late_list(fake_metrics) -> None:
    fake_metrics(REFRESH)
    at = open_page("plan_refresh", {"update_days": "21"})
    got = titles(at)
    assert got[0] == "The plan was updated within 21 days of 40% of new concerns; lowest in South (20%)"
    assert got[1].startswith("Timely updates after new concerns fell from 50%")
    frames = [d.value for d in at.dataframe]
    late = next(f for f in frames if "New concerns not followed in time" in f.columns)
    assert late["Kinds of concern"].iloc[0] == "Household change; Incident or police call-out"


def test_plan_refresh_with_nothing_due_says_why_not_that_it_is_still_to_come(fake_metrics) -> None:
    """Nothing due: every deadline falls after its plan ended or the data's date ("yet" was false for ended plans)."""
    nothing = {"on_time": 0, "late": 0}
    fake_metrics({**REFRESH, "team_quarters": refresh_grid(TEAMS.assign(**nothing), QUARTERS.assign(**nothing))})
    at = open_page("plan_refresh")
    said = " ".join(i.value for i in at.info)
    assert "had its deadline before its plan ended or before the data's date" in said and "yet" not in said, said
    assert not at.get("plotly_chart")


def test_plan_refresh_with_no_plan_in_the_period_says_no_plan_matches(fake_metrics) -> None:
    """No plan in the period (the store records plan updates, in other years): the page says no plan matches, with
    advice naming the filters set, as the other pages do (state.no_plans), not "No review, core group or new concern
    of these plans had its deadline..." (there are no plans for one to be of)."""
    store = {"plans": 10, **{k: 10 for k in DATA_KINDS}}
    nothing = {"on_time": 0, "late": 0}
    fake_metrics({**REFRESH, "coverage": Coverage(held().by_year_team.iloc[0:0], store),
                  "team_quarters": refresh_grid(TEAMS.assign(**nothing), QUARTERS.assign(**nothing)).iloc[0:0]})
    at = open_page("plan_refresh", {"from": "2030-01-01", "team": "North"})
    said = [i.value for i in at.info]
    assert len(said) == 1, said
    assert said[0].startswith("**No plans match these filters.**"), said
    assert "Widen the period, or clear the team filter in the sidebar." in said[0], said
    assert "No review, core group or new concern" not in said[0], said
    assert not at.get("plotly_chart")


def test_plan_refresh_says_not_recorded_without_plan_updates(fake_metrics) -> None:
    fake_metrics({**REFRESH, "coverage": held(plan_updates=True)})
    at = open_page("plan_refresh")
    assert "This store records no plan updates" in " ".join(i.value for i in at.info)
    assert not at.get("plotly_chart")


def _no_gap_after_a_plan(fake_metrics, params: dict) -> str:
    starts = {"plans_started": 7, "repeat_plans_started": 0, "repeat_within_window": 0, "median_gap_days": None}
    fake_metrics({**BETWEEN, "totals": {**TOTALS, "repeat_plans_with_gap": 0}, "start_counts": starts})
    return " ".join(i.value for i in open_page("between_plans", params).info)


def test_a_page_s_empty_view_names_the_filters_set_and_no_other(fake_metrics) -> None:
    said = _no_gap_after_a_plan(fake_metrics, {"from": "2023-04-01"})
    assert "No repeat plan started in the period after an earlier plan had ended" in said
    assert "Widen the period in the sidebar." in said and "clear" not in said, said
    said = _no_gap_after_a_plan(fake_metrics, {"from": "2023-04-01", "team": "North", "age": "10-15"})
    assert "Widen the period, or clear the team and age filters in the sidebar." in said, said
    said = _no_gap_after_a_plan(fake_metrics, {})
    assert "No period is chosen, so the page shows the latest complete reporting year" in said, said
    assert "Widen" not in said and "clear" not in said


def test_each_bar_s_median_is_on_two_lines_and_whole_in_its_hover(fake_metrics) -> None:
    """On one line plotly shrank "median 261 days" to its bar's width: a 7 px font at 800 px (a newcomer's
    screenshot of Between plans)."""
    fake_metrics(BETWEEN)
    bars = charts(open_page("between_plans"))[0]["data"][0]
    labels = [t for t in bars["text"] if t]
    assert labels and all(t.startswith("median<br>") and t.endswith(" days") for t in labels), labels
    assert [t.replace("<br>", " ") for t in bars["text"]] == list(bars["hovertext"])


def test_first_concern_to_strategy_says_why_where_no_strategy_discussion_is_recorded(fake_metrics) -> None:
    """A census or an Annex A return dates no strategy discussion: the tile's "–" says why, in its help and in the
    caption under the tiles; where they are recorded a blank median stays a plain "–"."""
    fake_metrics({**BETWEEN, "totals": {**TOTALS, "median_days_to_strategy": None},
                  "coverage": held(strategy_discussions=True)})
    at = open_page("between_plans")
    tile = {m.label: m for m in at.metric}["First concern to strategy"]
    assert tile.value == "–" and "no strategy discussions (STRATEGY_DISCUSSION rows in events.csv)" in tile.help
    assert "First concern to strategy: not recorded in this data" in " ".join(c.value for c in at.caption)
    fake_metrics({**BETWEEN, "totals": {**TOTALS, "median_days_to_strategy": None}})
    at = open_page("between_plans")
    assert "First concern to strategy" not in " ".join(c.value for c in at.caption)


def test_no_concerns_at_all_points_to_the_sources_that_bring_them(fake_metrics) -> None:
    """An SSD extract (no referral, contact, incident or missed appointment): the page does not say both that "CIN
    census, Annex A and SSD extracts do not carry them" and that a CIN census or Annex A list brings them."""
    fake_metrics({**BETWEEN, "coverage": held(concern_events=True, other_concerns=True, impact_events=True)})
    infos = " ".join(i.value for i in open_page("between_plans").info)
    assert "This store records no referrals, contacts, incidents or missed appointments" in infos
    assert "CIN census, Annex A and SSD extracts do not carry them" not in infos
    assert "An SSD extract as read here carries none of them; import REFERRAL" in infos


def test_a_plan_refresh_chart_whose_every_count_is_withheld_says_why_instead_of_drawing_nothing(fake_metrics,
                                                                                                threshold) -> None:
    """A team and a short period: plans started and deadlines passed, but each count under the reader's threshold.
    The charts would be bare axes with "c" marks; each says in words why there is nothing to draw, and its table
    (of "c"s) stays.  Where some counts are shown the chart is drawn (test_plan_refresh_by_team_and_the_late_list)."""
    few = TEAMS.assign(on_time=[3, 2, 1, 1], late=[1, 1, 2, 1]).query("team == 'North'")
    few = few.assign(due=few["on_time"] + few["late"], rate=few["on_time"] / (few["on_time"] + few["late"]))
    quarters = QUARTERS.assign(on_time=[1, 2, 2, 1], late=[1, 0, 1, 2])
    quarters = quarters.assign(due=quarters["on_time"] + quarters["late"],
                               rate=quarters["on_time"] / (quarters["on_time"] + quarters["late"]))
    fake_metrics({**REFRESH, "team_quarters": refresh_grid(few, quarters)})
    threshold(10)
    at = open_page("plan_refresh", {"team": "North"})
    assert not at.get("plotly_chart"), "a chart of withheld values only"
    said = [i.value for i in at.info if "withheld" in i.value]
    assert len(said) == 2, [i.value for i in at.info]
    assert all("every count behind this chart is fewer than 10 and withheld" in s and "<br>" not in s for s in said)
    assert [d for d in at.dataframe if "On time (%)" in d.value.columns]   # the tables stay, their cells "c"
