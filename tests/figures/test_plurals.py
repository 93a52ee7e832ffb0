"""A count of one is said in the singular wherever a chart, a filter or an import names it: "1 child", not
"1 children" (reference/words.py `counted`, the one rule)."""
from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest

from paqa_dash.figures import audit, challenge, household, judgements, refresh, trends, works
from paqa_dash.filters import Filters
from paqa_dash.ingest.scrub import value_shape
from paqa_dash.reference.judgements import GRADES, NOT_JUDGED, QUESTION_NUMBERS, question_label

ONE_INADEQUATE = pd.DataFrame([{"question": q, "question_label": question_label(q), "grade_code": g,
                                "children": 1 if (q, g) == (4, "INADEQUATE") else 0}
                               for q in QUESTION_NUMBERS for g in (*GRADES, NOT_JUDGED)])
ONE_GOOD = ONE_INADEQUATE.assign(children=[1 if (q, g) == (1, "GOOD") else 0 for q, g in
                                           zip(ONE_INADEQUATE["question"], ONE_INADEQUATE["grade_code"])])
ONE_EACH = pd.DataFrame({"label": ["Apr-Jun 2025"], "plans_started": [1], "plans_ended": [1], "ended_le_3m": [0]})
ONE_CHALLENGE = pd.DataFrame([("HEALTH", "CHALLENGE", "ENDING", "UPHELD", "ENDING_REVERSED", 1)],
                             columns=["agency", "event_type", "topic", "resolution", "followed", "events"])
SUSTAINED = pd.DataFrame({"split": ["adult_practitioner"] * 2, "by": ["team"] * 2, "value": ["North"] * 2,
                          "group": ["with", "without"],
                          "share": [0.8, 0.5], "followed": [25, 24], "sustained": [20, 12]})

TITLES = {
    "household change of one child": (lambda: household.changes_distribution(
        pd.DataFrame({"bucket": ["0", "1"], "has_repeat_plan": [False, False], "children": [0, 1]})),
        "1 of 1 child saw their household change"),
    "the question judged inadequate for the one child": (lambda: judgements.judgement_bars(ONE_INADEQUATE, 1),
                                                        "Most often judged inadequate: Q4 Actions relevant (1 of 1 child)"),
    "no question inadequate for the one child": (lambda: judgements.judgement_bars(ONE_GOOD, 1),
                                                "No question judged inadequate or requiring improvement for the 1 child "
                                                "recorded"),
    "the concern of the one child in scope": (lambda: audit.concern_bars(pd.DataFrame(
        {"concern": ["Neglect"], "children": [1], "share": [1.0]}), 1), "Most common concern: neglect (1 of 1 child)"),
    "one plan started and one ended": (lambda: trends.starts_endings_trend(ONE_EACH),
                                       "1 plan started and 1 ended; 0 of 1 ending came within 3 months"),
    "sustained endings in one team and year": (lambda: works.sustained_dots(SUSTAINED, "adult_practitioner"),
                                               "Sustained endings were more common with than without in 1 of 1 team or "
                                               "year"),
    "the one challenge's topic": (lambda: challenge.topic_bars(ONE_CHALLENGE),
                                  "Most often challenged: ending the plan 1 of 1 challenge or escalation"),
    "the one challenge's resolution": (lambda: challenge.resolution_bars(ONE_CHALLENGE),
                                       "The resolution is recorded for 1 of 1 challenge or escalation too few for "
                                       "a percentage: fewer than 20"),
}


@pytest.mark.parametrize("name", list(TITLES))
def test_a_chart_title_says_one_in_the_singular(name: str) -> None:
    build, expected = TITLES[name]
    assert " ".join(re.sub(r"<[^>]+>", " ", build().layout.title.text).split()) == expected   # as read, tags aside


def test_the_household_buckets_and_a_filter_of_one_child_say_one() -> None:
    names = household.changes_distribution(
        pd.DataFrame({"bucket": ["0"], "has_repeat_plan": [False], "children": [3]})).data[0].x
    assert list(names) == ["0 changes", "1 change", "2 changes", "3+ changes"]
    described = Filters(child_ids=("A",), as_of=date(2025, 3, 31)).describe()
    assert "1 selected child" in described and "1 selected children" not in described, described
    assert value_shape("x") == "text of 1 character"


def test_a_threshold_of_one_is_said_in_the_singular() -> None:
    """Thresholds a user may set to 1 (the re-plan window, the plan-update deadline) read "1 month", "1 day"."""
    table = pd.DataFrame({"ending_work": ["first_order_only", "underlying"], "endings": [20, 40],
                          "outcome_known": [20, 40], "replanned": [8, 4], "replan_rate": [0.4, 0.1]})
    assert works.ending_work_bars(table, 1).layout.title.text.startswith("Re-planned within 1 month:<br>40%")
    by_team = pd.DataFrame({"team": ["North"], "kind": ["concern"], "on_time": [20], "late": [20], "due": [40],
                            "rate": [0.5]})
    assert refresh.team_rates(by_team, 1).layout.title.text.startswith("The plan was updated within 1 day of 50%")
