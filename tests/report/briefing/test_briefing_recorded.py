"""The briefing's Core groups & agencies slides on a store of core group meetings that records no challenge or
escalation (hand-built: child a, plan A1 2022-01-01..2022-06-01 with a core group on 2022-02-01): the challenge
slide says "not recorded", as the page does, not "No agency raised a challenge"; with a challenge of 2022-05-15 and no
core group, it is drawn."""
from __future__ import annotations

from datetime import date

from support.briefing_slides import slide

from paqa_dash.filters import Filters
from paqa_dash.report.briefing.sections import agencies

PLAN = {"plan_id": "A1", "child_id": "a", "start_date": "2022-01-01", "end_date": "2022-06-01",
        "end_reason": "STEP_DOWN_CIN", "initial_category": "NEG", "team": "North"}
CORE_GROUP = {"event_id": "g1", "child_id": "a", "event_date": "2022-02-01", "event_type": "CORE_GROUP",
              "agency": "CSC", "plan_id": "A1", "detail": "Core group"}
CHALLENGE = {"event_id": "c1", "child_id": "a", "event_date": "2022-05-15", "event_type": "CHALLENGE",
             "agency": "HEALTH", "plan_id": "A1", "detail": "Challenged the step down"}


def _challenge_slide(tmp_path, events: list[dict]):
    return slide(tmp_path / "b.duckdb", agencies, "agency_challenges", Filters(as_of=date(2026, 1, 1)),
                 plans=[PLAN], events=events)


def test_the_challenge_slide_is_not_recorded_exactly_where_no_challenge_is(tmp_path):
    """Meetings only: not recorded.  A challenge without any core group (a bundle of challenges alone): drawn."""
    slide = _challenge_slide(tmp_path / "meetings", [CORE_GROUP])
    assert slide.message == "Challenges or escalations by agencies: not recorded in this data"
    slide = _challenge_slide(tmp_path / "challenges", [CHALLENGE])
    assert slide.message == "" and int(slide.table["events"].sum()) == 1


def test_the_audit_summary_of_a_plans_only_store_says_which_concerns_it_could_assess(tmp_path):
    """A store of plans alone (an Annex A return): "None of these concerns applies to any of the 2 children in scope"
    while eight concerns were not assessed; the finding now says so (metrics.audit.not_assessed)."""
    from paqa_dash.report.briefing.sections import audit_summary

    plans = [{"plan_id": f"{c}{n}", "child_id": c, "start_date": start, "end_date": end,
              "initial_category": "NEG", "end_reason": "STEP_DOWN_CIN" if end else None}
             for c in "ab" for n, start, end in ((1, "2017-01-01", "2017-09-01"), (2, "2020-06-01", None))]
    chart = slide(tmp_path / "annex.duckdb", audit_summary, "audit_concerns",
                  Filters(date_from=date(2020, 4, 1), date_to=date(2021, 3, 31), as_of=date(2021, 3, 15)), plans=plans)
    assert "None of these concerns applies" not in chart.title
    assert "this data can assess" in chart.title and "not assessed, not recorded in this data" in chart.title
