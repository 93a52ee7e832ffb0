"""The small-base rule (reference/benchmarks.comparable; docs/definitions.md, "Small bases") in the figures that
compare groups WITHIN the data (teams, plans with and without something, first and last quarter): a group of fewer
than benchmarks.COMPARE_FROM cases is given as its count, set against no other group, and named where it is left
out of a range; on enough cases the title still states the finding."""
from __future__ import annotations

import pandas as pd
import pytest

from paqa_dash.figures import cohorts, duplicates, household, quality_text, refresh, works
from paqa_dash.reference import benchmarks

# the words of a comparison within the data: none may be in a title resting on too few cases
COMPARING = ("against", "ranged", "highest", "lowest", "more often", "less often", "more common", "% with", "% after")
WHY = f"needs at least {benchmarks.COMPARE_FROM}"


def _teams(started: list[int], repeats: list[int], names=("North", "South", "West")) -> pd.DataFrame:
    return pd.DataFrame({"team": list(names)[:len(started)], "plans_started": started, "repeat_plans": repeats,
                         "repeat_share": [r / s for r, s in zip(repeats, started)],
                         "repeat_within_window": repeats})


def _impact(followed: list[int], replanned: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame({"largely_repeated": [True, False], "plans": followed, "ended": followed,
                          "median_length_days": [200.0, 250.0], "followed_up": followed, "replanned": replanned,
                          "with_adult_need": followed, "adult_needs_addressed": replanned})
    for rate, (num, den) in duplicates.IMPACT_COUNTS.items():
        frame[rate] = frame[num] / frame[den]
    return duplicates.impact_table(frame)


def _household(children: list[int], replanned: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"bucket": list(household.BUCKETS), "children": children, "replanned_children": replanned,
                         "replanned_share": [r / c if c else None for r, c in zip(replanned, children)]})


def _paths(with_sign: tuple[int, int], without: tuple[int, int]) -> pd.DataFrame:
    """First plans ending with and without a warning sign: (re-planned, not re-planned) of each."""
    rows = [("1 to 2 years", reason, outcome, n) for reason, (yes, no) in (("Short plan", with_sign),
                                                                         ("No reason found", without))
            for outcome, n in (("Re-planned within 24 months", yes), ("Not re-planned within 24 months", no))]
    return pd.DataFrame(rows, columns=["band", "reason", "outcome", "plans"])


def _ending_work(known: list[int], replanned: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"ending_work": ["first_order_only", "underlying"], "endings": known, "outcome_known": known,
                         "replanned": replanned, "replan_rate": [r / k for r, k in zip(replanned, known)]})


def _curves(at_risk: int) -> pd.DataFrame:
    return pd.DataFrame([{"split": "adult_practitioner", "group": g, "time": t, "at_risk": at_risk, "events": 1,
                          "censored": 0, "survival": s, "lower": s, "upper": s}
                         for g, values in (("with", (1.0, 0.9, 0.8)), ("without", (1.0, 0.7, 0.6)))
                         for t, s in zip((0.0, 6.0, 30.0), values)])


def _sustained(followed: tuple[int, int]) -> pd.DataFrame:
    return pd.DataFrame({"split": ["adult_practitioner"] * 2, "by": ["team"] * 2, "value": ["North"] * 2,
                         "group": ["with", "without"], "followed": list(followed),
                         "sustained": [followed[0] * 4 // 5, followed[1] // 2],
                         "share": [0.8, 0.5]})


def _quarters(actions: list[int]) -> pd.DataFrame:   # each action on a plan of its own: as many plans as actions
    return pd.DataFrame({"quarter": pd.to_datetime(["2025-01-01", "2025-04-01"]), "plans": actions,
                         "actions": actions, "duplicated": [a // 2 for a in actions],
                         "share": [(a // 2) / a for a in actions]})


def _dup_teams(actions: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"team": ["North", "South"], "plans": actions, "plans_with_duplicates": [1, 1],
                         "actions": actions, "duplicated": [actions[0] // 2, actions[1] // 5],
                         "share": [(actions[0] // 2) / actions[0], (actions[1] // 5) / actions[1]]})


def _smart(actions: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"team": ["North", "South"], "period": ["Jan-Mar 2025"] * 2,
                         "period_start": pd.to_datetime(["2025-01-01"] * 2), "actions": actions,
                         "smart_actions": [a // 2 for a in actions], "smart_share": [(a // 2) / a for a in actions]})


def _refresh(due: list[int], by: str = "team", values=("North", "South")) -> pd.DataFrame:
    return pd.DataFrame({by: list(values), "kind": ["concern"] * 2, "on_time": [d // 2 + i for i, d in enumerate(due)],
                         "late": [d - d // 2 - i for i, d in enumerate(due)], "due": due,
                         "rate": [(d // 2 + i) / d for i, d in enumerate(due)]})


FEW = {
    "Plan quality: the team with fewest SMART actions": lambda: quality_text.smart_share_figure(_smart([6, 40])),
    "Plan refresh: the team lowest": lambda: refresh.team_rates(_refresh([6, 40]), 10),
    "Plan refresh: first and last quarter": lambda: refresh.quarter_rates(
        _refresh([6, 8], "quarter", pd.to_datetime(["2025-01-01", "2025-04-01"])), 10),
    "Repeat plans: repeat share by team": lambda: cohorts.team_bars(_teams([4, 2], [2, 0]), 0.245),
    "Repeat plans: re-planning after a warning sign": lambda: cohorts.pathway_sankey(_paths((1, 1), (0, 1))),
    "Duplicates: impact of largely repeating (2 and 10 followed up)": lambda: duplicates.impact_bars(
        _impact([2, 10], [1, 2])),
    "Duplicates: first and last quarter": lambda: duplicates.quarter_trend(_quarters([6, 8])),
    "Duplicates: highest team": lambda: duplicates.team_share_bars(_dup_teams([6, 10])),
    "Household change: re-planned by changes": lambda: household.replanned_share_bars(
        _household([10, 5, 0, 4], [1, 2, 0, 3]), 24),
    "What works: re-planned by the work completed": lambda: works.ending_work_bars(_ending_work([10, 15], [4, 2]), 24),
    "What works: no other plan with and without": lambda: works.survival_figure(_curves(10), "adult_practitioner", 24),
    "What works: sustained by team and year": lambda: works.sustained_dots(_sustained((5, 4)), "adult_practitioner"),
}


def _read(fig) -> str:
    return " ".join(fig.layout.title.text.replace("<br>", " ").replace("<sup>", " ").replace("</sup>", " ").split())


@pytest.mark.parametrize("name", list(FEW))
def test_no_title_compares_groups_of_too_few_and_it_says_why(name: str) -> None:
    title = _read(FEW[name]())
    assert not [w for w in COMPARING if w in title], title
    assert "too few" in title.lower() and WHY in title, title


def test_a_team_of_too_few_plans_is_left_out_of_the_range_and_named() -> None:
    """The review's "ranged from 0% (South) to 50% (North)" on a handful of plans."""
    teams = _teams([40, 2, 30], [10, 0, 15])
    assert _read(cohorts.team_bars(teams, 0.245)) == (
        "Repeat share ranged from 25% (North) to 50% (West); too few plans started in South to compare "
        "(a comparison needs at least 20)")
    bars = cohorts.team_bars(teams, 0.245).data[0]
    assert dict(zip(bars.y, bars.text)) == {"North": "25%", "South": "0 of 2", "West": "50%"}


def test_the_impact_of_duplication_on_2_and_10_plans_is_given_as_counts() -> None:
    """The review's "50% against 20%" on 2 and 10 plans followed up."""
    fig = duplicates.impact_bars(_impact([2, 10], [1, 2]))
    assert "re-planned again: largely repeat the last plan 1 of 2, the rest 2 of 10" in _read(fig)
    assert "50%" not in [t for bar in fig.data for t in bar.text]
    assert _read(duplicates.impact_bars(_impact([20, 50], [10, 10]))).endswith("50% against 20% of those followed up")


def test_a_household_bucket_of_too_few_children_is_named_and_left_out() -> None:
    """The review's "79% of children with 3+ household changes re-planned" against others, on a handful."""
    fig = household.replanned_share_bars(_household([40, 30, 0, 14], [4, 6, 0, 11]), 24)
    assert _read(fig) == ("24 months after a first plan: 20% of children with 1 household change re-planned, against "
                          "10% with 0 changes; too few children with 3+ household changes to compare (a comparison "
                          "needs at least 20)")
    assert fig.data[0].text[3] == "11 of 14"


@pytest.mark.parametrize("build, finding", [
    (lambda: cohorts.pathway_sankey(_paths((20, 20), (5, 20))), "50% of first plans that ended with a warning sign"),
    (lambda: works.ending_work_bars(_ending_work([20, 40], [8, 4]), 24), "40% after first-order change only"),
    (lambda: works.survival_figure(_curves(20), "adult_practitioner", 24), "90% with an adult-facing practitioner"),
    (lambda: works.sustained_dots(_sustained((25, 24)), "adult_practitioner"), "more common with than without in 1"),
    (lambda: duplicates.quarter_trend(_quarters([20, 40])), "50% of actions in Jan-Mar 2025, 50% in Apr-Jun 2025"),
    (lambda: duplicates.team_share_bars(_dup_teams([20, 40])), "North highest at 50%"),
    (lambda: quality_text.smart_share_figure(_smart([20, 40])), "50% of plan actions are SMART; lowest: North"),
    (lambda: refresh.team_rates(_refresh([20, 40]), 10), "of 52% of new concerns; lowest in North (50%)"),
    (lambda: refresh.quarter_rates(_refresh([20, 40], "quarter", pd.to_datetime(["2025-01-01", "2025-04-01"])), 10),
     "rose from 50%"),
])
def test_on_enough_cases_the_title_still_states_the_finding(build, finding: str) -> None:
    title = _read(build())
    assert finding in title and "too few" not in title.lower(), title
