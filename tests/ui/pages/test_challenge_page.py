"""The Challenge & written agreements page, fast tier (metrics replaced): small numbers read "c" for a reader
with a threshold, in the step-down table and its chart; a section is drawn exactly where the data records its own
kind of record (challenges and escalations; written agreements), whatever core groups it holds."""
from __future__ import annotations


import pandas as pd

from paqa_dash.metrics.coverage import Coverage
from paqa_dash.reference.recorded import DATA_KINDS

from support.overview_data import HEADLINE, QUARTERLY
from support.pages import charts, findings, open_page


def held(*lacking: str) -> Coverage:
    """Fifty plans of 2024 holding every kind of record but `lacking`."""
    kinds = {k: 0 if k in lacking else 50 for k in DATA_KINDS}
    return Coverage(pd.DataFrame({"year": [2024], "team": ["North"], "plans": [50], **{k: [n] for k, n in kinds.items()}}),
                    {"plans": 50, **kinds})


HELD = held()
NONE_HELD = held(*DATA_KINDS)
SUMMARY = pd.DataFrame({"agency": ["HEALTH", "HEALTH", "POLICE"], "event_type": ["CHALLENGE"] * 3,
                        "topic": ["ENDING", "STEP_DOWN", "PLAN_CONTENT"], "resolution": ["UPHELD", "CHANGED", "NOT_RECORDED"],
                        "followed": ["NO_REPLAN", "ENDING_REVERSED", "PLAN_KEPT"], "events": [12, 6, 9]})
ENDINGS = pd.DataFrame({"challenged": [True, False], "endings": [22, 80], "followed_up": [20, 70],
                        "replanned": [6, 7], "replan_rate": [6 / 20, 0.1]})
COUNTS = pd.DataFrame({"agency": ["CSC", "HEALTH"], "timing": ["AFTER_STEP_DOWN", "DURING_PLAN"],
                       "agreements": [30, 8], "children": [29, 8], "unfinished": [7, 0]})
STEPS = pd.DataFrame({"with_agreement": [True, False], "step_downs": [30, 40], "followed_up": [25, 30],
                      "replanned": [3, 9], "replan_rate": [3 / 25, 0.3]})
RESULTS = {"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD, "summary": SUMMARY, "endings": ENDINGS, "counts": COUNTS, "step_downs": STEPS}


def test_every_section_draws_with_its_finding(fake_metrics, threshold):
    threshold(0)
    fake_metrics(RESULTS)
    at = open_page("challenge")
    titles = [c["layout"]["meta"]["finding"].replace("<br>", " ") for c in charts(at)]
    assert titles[0].startswith("Most often challenged: ending the plan")
    assert titles[3].startswith("Endings with a challenge were re-planned more often")
    assert titles[5].startswith("Step-downs with a written agreement were re-planned less often")


def test_a_small_re_plan_count_reads_c(fake_metrics, threshold):
    threshold(5)
    fake_metrics(RESULTS)
    at = open_page("challenge")
    steps = next(d.value for d in at.dataframe if "Step-downs" in d.value.columns).set_index("Group")
    assert steps.loc["Step-downs with a written agreement", ["Re-planned", "Re-planned (%)"]].tolist() == ["c", "c"]
    assert steps.loc["Step-downs without", "Re-planned"] in (9, "9")
    chart = charts(at)[5]
    assert chart["data"][0]["x"][0] is None or pd.isna(chart["data"][0]["x"][0])   # not drawn
    assert chart["layout"]["meta"]["finding"] == ("Re-planned within 24 months (%): some values suppressed "
                                                "(c, suppressed: fewer than 5)")   # no finding to give it away


def test_no_chronology_no_chart(fake_metrics, threshold):
    threshold(0)
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": NONE_HELD})
    at = open_page("challenge")
    assert at.get("plotly_chart") == []
    said = [i.value for i in at.info]
    assert sum("This store records no challenges or escalations by agencies" in i for i in said) == 1, said
    assert sum("This store records no written agreements" in i for i in said) == 1, said
    assert not any("core group" in i for i in said), said   # not read from the meetings beside them


def test_meetings_without_challenges_or_agreements_are_not_zeros(fake_metrics, threshold):
    """Core groups recorded, no challenge, escalation or written agreement: each section says not recorded and
    asks for no count (none would be "No agency raised a challenge")."""
    threshold(0)
    asked = fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": held("challenges",
                                                                                      "written_agreements")})
    at = open_page("challenge")
    assert at.get("plotly_chart") == [] and len(at.info) == 2
    assert not {"summary", "endings", "counts", "step_downs"} & set(asked)


def test_challenges_without_core_groups_are_shown(fake_metrics, threshold):
    threshold(0)
    fake_metrics({**RESULTS, "coverage": held("core_groups", "attendance")})
    at = open_page("challenge")
    assert len(charts(at)) == 6 and not at.info


def test_no_rate_to_compare_is_said_in_words_not_drawn_as_an_empty_axis(fake_metrics, threshold):
    """Endings and step-downs none of which is followed up through the re-plan window yet (a recent period): no chart
    of two empty bars on an axis read as 0%, but a sentence saying why, and the counts still in a table."""
    threshold(0)
    unfollowed = {"followed_up": [0, 0], "replanned": [0, 0], "replan_rate": [float("nan")] * 2}
    fake_metrics({**RESULTS, "endings": ENDINGS.assign(**unfollowed), "step_downs": STEPS.assign(**unfollowed)})
    at = open_page("challenge")
    assert len(charts(at)) == 4   # the three challenge charts and the agreements' timing
    said = [i.value for i in at.info]
    # none followed up: said as not known yet, not blamed on counts too small to publish
    assert [s.split(", so")[0] for s in said] == ["**No ending in the period has been followed up 24 months yet",
                                                  "**No step-down in the period has been followed up 24 months yet"], said
    assert not any("too small" in s for s in said), said
    tables = [d.value for d in at.dataframe]
    # the counts of endings and step-downs stay; whether they were re-planned is not known yet, not 0
    assert any("Step-downs" in t.columns and t["Followed up"].tolist() == [0, 0]
               and t["Re-planned"].astype(str).tolist() == ["", ""] for t in tables), \
        [t.to_dict("list") for t in tables]
    # what the counts are of is still said (the card's caption)
    assert any(c.value.startswith("Plans ended in the period by stepping down") for c in at.caption)


def test_rates_hidden_as_too_small_are_said_in_words_too(fake_metrics, threshold):
    """A small authority: every re-planned count under the threshold, so neither rate may be shown."""
    threshold(5)
    small = {"followed_up": [4, 3], "replanned": [1, 2], "replan_rate": [0.25, 2 / 3]}
    fake_metrics({**RESULTS, "endings": ENDINGS.assign(**small), "step_downs": STEPS.assign(**small)})
    at = open_page("challenge")
    said = [i.value for i in at.info]
    assert sum(s.startswith("Not enough endings followed up") for s in said) == 1, said
    assert all("A longer or earlier period" in s for s in said if s.startswith("Not enough")), said


def test_no_plan_in_the_period_says_so_naming_only_the_filters_set(fake_metrics, threshold):
    """A period with no plan (the store records challenges and agreements, in other years): the page says no plan
    matches, with advice naming the filters set, not "No agency raised a challenge during these plans" (no plan
    to raise one during) nor "No written agreement is recorded"."""
    threshold(0)
    none = Coverage(HELD.by_year_team.iloc[0:0], HELD.store)
    empty = {"summary": SUMMARY.iloc[0:0], "endings": ENDINGS.iloc[0:0], "counts": COUNTS.iloc[0:0],
             "step_downs": STEPS.iloc[0:0]}
    fake_metrics({**RESULTS, **empty, "coverage": none})
    at = open_page("challenge", {"from": "2030-01-01", "team": "North"})
    said = [i.value for i in at.info]
    assert len(said) == 1, said
    assert said[0].startswith("**No plans match these filters.**"), said
    assert "Widen the period, or clear the team filter in the sidebar." in said[0], said
    assert "category" not in said[0] and "age" not in said[0], said
    assert not at.get("plotly_chart")


def test_the_challenge_page_gives_a_share_of_one_as_its_count(fake_metrics, threshold) -> None:
    """A reader who sees every number (no threshold) saw "100%" of one written agreement and "100% against 0%" of
    step-downs followed up: the small-base rule (docs/definitions.md, "Small bases") gives counts and no comparison."""
    threshold(0)
    one = pd.DataFrame({"agency": ["CSC"], "timing": ["AFTER_STEP_DOWN"], "agreements": [1], "children": [1],
                        "unfinished": [0]})
    steps = pd.DataFrame({"with_agreement": [True, False], "step_downs": [1, 2], "followed_up": [1, 2],
                          "replanned": [1, 0], "replan_rate": [1.0, 0.0]})
    fake_metrics({"coverage": HELD, "summary": pd.DataFrame(), "counts": one, "step_downs": steps})
    said = findings(open_page("challenge"))
    assert not [f for f in said if "%" in f], said
    assert said[0].startswith("1 of 1 written agreement was made after a step-down ending"), said
    assert said[1].startswith("Too few step-downs followed up to compare their re-plan rates"), said


def test_with_no_period_chosen_the_re_plan_comparisons_use_the_years_that_could_be_followed_up(fake_metrics, threshold):
    """The demo's default year, 2025-26, cannot have been followed up 24 months: the endings and step-downs compared by
    what followed are those of the five years that could (as Repeat plans, Household change and What works show),
    and the caption says so; what was challenged stays the latest year's."""
    from datetime import date

    threshold(0)
    seen: dict[str, object] = {}

    def keep(name, value):
        def reader(filters, thresholds):
            seen[name] = filters
            return value
        return reader

    fake_metrics({**RESULTS, "summary": keep("summary", SUMMARY), "endings": keep("endings", ENDINGS),
                  "step_downs": keep("step_downs", STEPS)})
    at = open_page("challenge")
    assert (seen["summary"].date_from, seen["summary"].date_to) == (date(2024, 4, 1), date(2025, 3, 31))
    for name in ("endings", "step_downs"):
        assert (seen[name].date_from, seen[name].date_to) == (date(2018, 4, 1), date(2023, 3, 31)), name
    captions = " ".join(c.value for c in at.caption)
    assert "1 April 2018 to 31 March 2023, the 5 reporting years whose plans could have been followed up" in captions
