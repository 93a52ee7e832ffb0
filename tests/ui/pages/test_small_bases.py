"""The small-base rule on the pages, fast tier (metrics replaced; see conftest.py): on a filter of few plans no
chart, tile or finding of the Overview, Plan endings or Regional view sets a share against England's
or another authority's, and each says why (docs/definitions.md, "Small bases"); compared shares are given to the
same decimal places; a share of few plans is given as its count."""
from __future__ import annotations

import re

import pandas as pd

from paqa_dash.reference.codes import BAND_LABELS, DURATION_BANDS

from support.overview_data import HEADLINE, HELD, QUARTERLY
from support.pages import findings, open_page

# the words of a comparison with England or another authority
COMPARING = re.compile(r"above|below|against|about the same|ranged|differ|Lowest|points|England \d")
FEW = {**HEADLINE, "plans_started": 5, "repeat_plans_started": 1, "repeat_rate": 0.2, "repeat_within_window": 1,
       "repeat_within_window_rate": 0.2, "plans_ended": 16, "ended_le_3m": 1, "ended_le_3m_rate": 1 / 16,
       "premature_endings": 1, "endings_at_risk": 5}
FEW_QUARTERS = QUARTERLY.iloc[:1].assign(plans_started=5, repeat_plans_started=1, repeat_rate=0.2, plans_ended=16,
                                         ended_le_3m=1)


def _bands(plans: list[int]) -> pd.DataFrame:
    total = sum(plans)
    return pd.DataFrame({"band": list(DURATION_BANDS), "label": [BAND_LABELS[b] for b in DURATION_BANDS],
                         "plans": plans, "share": [p / total for p in plans]})


NO_SIGNS = pd.DataFrame({"premature": [False], "at_risk": [False], "plans": [0], "short": [0], "open_actions": [0],
                         "unaddressed_adult_need": [0], "any_reason": [0]})


def test_the_overview_on_few_plans_compares_nowhere_and_says_why(fake_metrics) -> None:
    """The review found "too few to compare with England" over one chart while the next still set the share beside
    England's: now no chart or tile on the page does."""
    fake_metrics({"headline": FEW, "quarterly": FEW_QUARTERS, "coverage": HELD})
    at = open_page("overview")
    said = findings(at)
    assert said[0].startswith("Repeat plans: 1 of 5 plans started here: too few plans to compare with England")
    assert said[1].startswith("Repeat plans by quarter: 1 of 5 plans started in the period: too few plans to compare")
    assert said[2] == "5 plans started and 16 ended; 1 of 16 endings came within 3 months"
    assert not [f for f in said if COMPARING.search(f)], said
    tiles = {m.label: m for m in at.metric}
    assert not tiles["Repeat plans (DfE)"].delta
    # shares of 5 and 16 plans are given as their counts, not as "20.0%" and "6%"
    assert tiles["Repeat plans (DfE)"].value == "1 of 5" and tiles["Ended within 3 months"].value == "1 of 16"


def test_the_overview_on_enough_plans_compares_at_one_precision(fake_metrics) -> None:
    fake_metrics({"headline": HEADLINE, "quarterly": QUARTERLY, "coverage": HELD})
    said = findings(open_page("overview"))
    assert said[1] == "20.0% of plans started in the period were repeat plans (England 24.5% in 2024-25)", said


def test_plan_endings_compares_with_england_at_one_precision_or_says_too_few(fake_metrics) -> None:
    """The review's title: "16% of plans ended within 3 months, against 15.9% in England", both 15.9%."""
    fake_metrics({"ended_bands": _bands([159, 200, 300, 241, 100]), "ending_outcomes": NO_SIGNS, "coverage": HELD})
    assert findings(open_page("endings", {"from": "2024-04-01", "to": "2025-03-31"}))[0] == (
        "15.9% of plans ended within 3 months, against 15.9% in England")
    fake_metrics({"ended_bands": _bands([1, 1, 8, 6, 0]), "ending_outcomes": NO_SIGNS, "coverage": HELD})
    first = findings(open_page("endings", {"from": "2024-04-01", "to": "2025-03-31"}))[0]
    assert first == ("1 of 16 plans ended within 3 months: too few plans to compare with England (a comparison needs "
                     "at least 20)")


def test_the_regional_view_leaves_an_authority_of_few_plans_out_of_its_comparisons(fake_metrics) -> None:
    from ui.pages.test_regional import THREE, row
    frame = pd.DataFrame([row("202", "Camden", 40, 12), row("203", "Greenwich", 50, 10),
                          row("841", "Darlington", 8, 3, region="North East")])
    fake_metrics({"by_authority": lambda *args, **kwargs: frame}, THREE)
    first = findings(open_page("regional"))[0]
    assert first == ("Repeat plans ranged from 20.0% (Greenwich) to 30.0% (Camden) of plans started; England 24.5% "
                     "(DfE 2024-25); too few plans started in Darlington to compare (a comparison needs at least 20)")


def test_the_overview_tile_of_plans_ended_within_3_months_has_the_endings_pages_precision(fake_metrics) -> None:
    """The review: the tile read "16%" where Plan endings read "15.9% ... against 15.9% in England"."""
    fake_metrics({"headline": {**HEADLINE, "plans_ended": 1000, "ended_le_3m": 159, "ended_le_3m_rate": 0.159},
                  "quarterly": QUARTERLY, "coverage": HELD})
    tiles = {m.label: m for m in open_page("overview").metric}
    assert tiles["Ended within 3 months"].value == "15.9%"
