"""Challenge, written-agreement and duplication-impact figures: titles state the finding from the data."""
from __future__ import annotations

import pandas as pd

from paqa_dash.figures import challenge as figs
from paqa_dash.figures import duplicates


def flat(fig) -> str:
    """A two-line title read as one: the finding | its numbers."""
    text = fig.layout.title.text
    head, _, tail = text.partition("<br><sup>")
    return head.replace("<br>", " ") + (" | " + tail.removesuffix("</sup>") if tail else "")


def counts(rows):
    return pd.DataFrame(rows, columns=["agency", "event_type", "topic", "resolution", "followed", "events"])


def test_topic_and_followed_titles():
    frame = counts([("HEALTH", "CHALLENGE", "ENDING", "UPHELD", "ENDING_REVERSED", 3),
                    ("HEALTH", "CHALLENGE", "STEP_DOWN", "NOT_RECORDED", "NO_REPLAN", 1),
                    ("POLICE", "ESCALATION", "NOT_STATED", "NOT_RECORDED", "TOO_SOON", 9)])
    assert flat(figs.topic_bars(frame)) == "Most often challenged: ending the plan | 3 of 13 challenges and escalations"
    assert flat(figs.followed_bars(frame)) == ("The ending was reversed after 3 of 4 challenges to an ending or "
                                               "step-down | those old enough to follow up; too few for a percentage: "
                                               "fewer than 20")
    # a challenged ending whose plan ended with its re-plan window still running did not run on: it counts
    waiting = counts([("HEALTH", "CHALLENGE", "ENDING", "UPHELD", "ENDING_REVERSED", 3),
                      ("HEALTH", "CHALLENGE", "ENDING", "UPHELD", "ENDED_WAITING", 3)])
    assert flat(figs.followed_bars(waiting)).startswith("The ending was reversed after 3 of 6 challenges")
    assert flat(figs.resolution_bars(frame)) == \
        "The resolution is recorded for 3 of 13 challenges and escalations | too few for a percentage: fewer than 20"
    # on 20 or more (benchmarks.COMPARE_FROM) a percentage
    many = frame.assign(events=[15, 5, 9])
    assert flat(figs.followed_bars(many)).startswith("The ending was reversed after 75% of challenges to an ending")
    assert flat(figs.resolution_bars(many)).startswith("The resolution is recorded for 52% of challenges")


def test_rate_pair_compares_or_says_it_cannot():
    pair = pd.DataFrame({"replan_rate": [0.1, 0.3], "replanned": [2, 6], "followed_up": [20, 20]})
    fig = figs.rate_pair(pair, ("Step-downs with a written agreement", "Step-downs without"), "step-downs", "x")
    assert flat(fig) == "Step-downs with a written agreement were re-planned less often | 10% against 30% of those followed up"
    # one group with none followed up: the other's bar is drawn, so the title says whose it is, not "not enough"
    one = pair.assign(replan_rate=[float("nan"), 0.3], replanned=[0, 6], followed_up=[0, 20])
    assert flat(figs.rate_pair(one, ("A", "B"), "endings", "x")) == (
        "B: 30% re-planned of those followed up | A: none followed up through the window yet, so no comparison")
    # a count hidden by the small-numbers rule (ui/components.suppressed) is not "none": it is too few to show
    hidden = one.assign(followed_up=[float("nan"), 20], replanned=[float("nan"), 6])
    assert flat(figs.rate_pair(hidden, ("A", "B"), "endings", "x")).endswith(
        "A: too few followed up to show, so no comparison")
    none = pair.assign(replan_rate=[float("nan")] * 2)
    assert figs.rate_pair(none, ("A", "B"), "endings", "x").layout.title.text.startswith("Not enough endings")


def test_impact_bars_title():
    compare = pd.DataFrame({"largely_repeated": [True, False], "plans": [40, 60], "ended": [20, 50],
                            "median_length_days": [200.0, 250.0], "followed_up": [20, 50], "replanned": [10, 10],
                            "with_adult_need": [20, 40], "adult_needs_addressed": [0, 20],
                            "ended_rate": [0.5, 50 / 60], "replan_rate": [0.5, 0.2], "addressed_rate": [0.0, 0.5]})
    fig = duplicates.impact_bars(duplicates.impact_table(compare))
    assert flat(fig) == ("Repeat plans that largely repeated the last were re-planned again more often | "
                         "50% against 20% of those followed up")
    # one group's re-planned bar alone: whose it is, and why the other has none (not "too few ... to compare")
    none_yet = compare.assign(followed_up=[0, 20], replanned=[0, 4], replan_rate=[float("nan"), 0.2])
    assert flat(duplicates.impact_bars(duplicates.impact_table(none_yet))) == (
        "The rest: 20% re-planned again of those followed up | Largely repeat the last plan: none followed up "
        "through the window yet, so no comparison")


def test_a_share_of_too_few_is_given_as_its_count_and_not_compared() -> None:
    """"100%" of one written agreement, "100% against 0%" of 1 and 3 followed up: on fewer than
    benchmarks.COMPARE_FROM a title gives the count and compares nothing (figures/style.share_text)."""
    one = pd.DataFrame({"agency": ["CSC"], "timing": ["DURING_PLAN"], "agreements": [1], "children": [1],
                        "unfinished": [0]})
    title = figs.agreement_bars(one).layout.title.text.replace("<br>", " ")
    assert title == "1 of 1 written agreement was made during a plan <sup>too few for a percentage: fewer than 20</sup>"
    pair = pd.DataFrame({"replan_rate": [1.0, 0.0], "replanned": [1, 0], "followed_up": [1, 3]})
    fig = figs.rate_pair(pair, ("Endings with a challenge", "Endings without"), "endings", "x")
    assert list(fig.data[0].text) == ["1 of 1", "0 of 3"]
    assert fig.layout.title.text.replace("<br>", " ") == (
        "Too few endings followed up to compare their re-plan rates <sup>re-planned: endings with a challenge 1 of 1, "
        "endings without 0 of 3; a comparison needs at least 20 in each</sup>")
    alone = pair.assign(replan_rate=[1.0, float("nan")], followed_up=[1, 0])
    assert figs.rate_pair(alone, ("A", "B"), "endings", "x").layout.title.text.startswith(
        "A: 1 of 1 followed up re-planned")


def test_impact_bars_say_none_followed_up_yet_not_too_few_when_no_repeat_plan_is_followed_up():
    """The demo's default year: no repeat plan has been followed up the window after ending, so "too few repeat
    plans followed up" would blame small counts; the title says none is followed up yet."""
    compare = pd.DataFrame({"largely_repeated": [True, False], "plans": [7, 46], "ended": [1, 14],
                            "median_length_days": [197.0, 135.5], "followed_up": [0, 0], "replanned": [0, 0],
                            "with_adult_need": [3, 37], "adult_needs_addressed": [0, 6],
                            "ended_rate": [1 / 7, 14 / 46], "replan_rate": [float("nan")] * 2,
                            "addressed_rate": [0.0, 6 / 37]})
    title = flat(duplicates.impact_bars(duplicates.impact_table(compare)))
    assert not title.startswith("Too few"), title
    assert "none followed up through the window yet" in title, title
