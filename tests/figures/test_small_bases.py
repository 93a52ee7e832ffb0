"""The small-base rule (reference/benchmarks.comparable; docs/definitions.md, "Small bases") in every figure that
sets a local share against England's, a region's or another authority's: on fewer than benchmarks.COMPARE_FROM
cases no title claims a difference, it says why; and shares set against each other in one title are given to the
same decimal places."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from paqa_dash.figures import endings, regional, trends
from paqa_dash.reference import benchmarks
from paqa_dash.reference.codes import BAND_LABELS, DURATION_BANDS

# the words of a comparison: none may be in a title resting on too few cases
COMPARING = ("above", "below", "against", "about the same", "ranged", "differ", "Lowest", "points", "England 2")
QUARTERS = pd.DataFrame({"quarter": pd.to_datetime(["2025-01-01"]), "label": ["Jan-Mar 2025"], "plans_started": [5],
                         "repeat_plans_started": [1], "repeat_rate": [0.2], "plans_ended": [16], "ended_le_3m": [1]})
PUBLISHED = pd.DataFrame({"name": ["Camden", "Darlington", "Greenwich"], "comparator": "england", "label": "England",
                          "year": 2025, "percent": 24.5})


def _bands(plans: list[int]) -> pd.DataFrame:
    total = sum(plans)
    return pd.DataFrame({"band": list(DURATION_BANDS), "label": [BAND_LABELS[b] for b in DURATION_BANDS],
                         "plans": plans, "share": [p / total for p in plans]})


def _rates(denominators: list[int], names=("Camden", "Darlington")) -> pd.DataFrame:
    numerators = [d // 2 if i else d // 4 for i, d in enumerate(denominators)]
    return pd.DataFrame({"name": list(names)[:len(denominators)], "numerator": numerators, "denominator": denominators,
                         "percent": [100 * n / d for n, d in zip(numerators, denominators)],
                         "measure": "Repeat within 24 months"})


def _authority_bands(ended: dict[str, int]) -> pd.DataFrame:
    rows = [{"name": name, "band": b, "plans": n if b == "6_12m" else 1} for name, n in ended.items()
            for b in DURATION_BANDS]
    frame = pd.DataFrame(rows)
    return frame.assign(share=frame["plans"] / frame.groupby("name")["plans"].transform("sum"))


FEW = {
    "Overview: repeat share beside England": lambda: trends.benchmark_bars(
        "Here", 0.2, benchmarks.comparators(2025), base=5),
    "Overview: repeat share by quarter": lambda: trends.repeat_share_trend(QUARTERS, 0.2, base=5),
    "Plan endings: duration bands beside England": lambda: endings.bands_vs_england(
        _bands([1, 1, 8, 6, 0]), benchmarks.duration_shares(2025), base=16),
    "Regional: one authority's repeat share beside England": lambda: regional.repeat_vs_published(
        _rates([8]), PUBLISHED),
    "Regional: two authorities' repeat shares": lambda: regional.repeat_vs_published(_rates([8, 12]), PUBLISHED),
    "Regional: one authority's endings beside England": lambda: regional.bands_by_authority(
        _authority_bands({"Camden": 6}), benchmarks.duration_shares(2025)),
    "Regional: two authorities' endings": lambda: regional.bands_by_authority(
        _authority_bands({"Camden": 6, "Darlington": 10}), benchmarks.duration_shares(2025)),
    "Regional: a rate of two authorities": lambda: regional.rate_bars(_rates([8, 12]), "Share, %"),
    "Regional: rates of two authorities on two measures": lambda: regional.rate_bars(pd.concat(
        [_rates([8, 12]), _rates([3, 19]).assign(measure="Reviews on time")]), "Share, %"),
    "Regional: the gap of two authorities": lambda: regional.gap_bars(pd.DataFrame(
        {"name": ["Camden", "Darlington"], "gaps": [3, 12], "median_gap_days": [200.0, 500.0]})),
}


@pytest.mark.parametrize("name", list(FEW))
def test_no_title_compares_a_share_of_too_few_and_it_says_why(name: str) -> None:
    title = FEW[name]().layout.title.text
    assert not [w for w in COMPARING if w in title], title
    assert "too few" in title and f"needs at least {benchmarks.COMPARE_FROM}" in title, title


def test_an_authority_of_too_few_plans_is_left_out_of_the_range_and_named() -> None:
    rates = _rates([40, 8, 30], names=("Camden", "Darlington", "Greenwich"))
    title = regional.repeat_vs_published(rates, PUBLISHED).layout.title.text
    assert title == ("Repeat plans ranged from 25.0% (Camden) to 50.0% (Greenwich) of plans started; England 24.5% "
                     "(DfE 2024-25); too few plans started in Darlington to compare (a comparison needs at least 20)")


def test_a_share_on_too_few_is_given_as_its_count() -> None:
    """"100%" of one plan reads as a finding: a title gives the count instead (figures/style.share_text)."""
    title = trends.benchmark_bars("Here", 1.0, benchmarks.comparators(2025), base=1).layout.title.text
    assert "1 of 1 plan started here" in title and "%" not in title, title
    title = endings.bands_vs_england(_bands([1, 0, 0, 0, 0]), benchmarks.duration_shares(2025), base=1).layout.title.text
    assert title.startswith("1 of 1 plan ended within 3 months: too few"), title


def _decimals(title: str) -> set[int]:
    return {len(d) for d in re.findall(r"\d+(?:\.(\d+))?%", title)}


def test_shares_set_against_each_other_are_given_to_the_same_decimal_places() -> None:
    """The review's sentence: "16% of plans ended within 3 months, against 15.9% in England", both 15.9%."""
    bands = _bands([159, 200, 300, 241, 100])   # 15.9% of 1,000 ended within 3 months, as in England (D7, 2025)
    title = endings.bands_vs_england(bands, benchmarks.duration_shares(2025), base=1000).layout.title.text
    assert title == "15.9% of plans ended within 3 months, against 15.9% in England"
    many = _authority_bands({"Camden": 40, "Darlington": 60})
    for fig in (regional.bands_by_authority(many, benchmarks.duration_shares(2025)),
                regional.bands_by_authority(many[many["name"] == "Camden"], benchmarks.duration_shares(2025)),
                regional.repeat_vs_published(_rates([40, 60]), PUBLISHED),
                regional.repeat_vs_published(_rates([40]), PUBLISHED),
                trends.repeat_share_trend(QUARTERS, 0.2, base=100),
                trends.benchmark_bars("Here", 0.2, benchmarks.comparators(2025), base=100)):
        title = fig.layout.title.text
        assert len(_decimals(title)) == 1 and "England" in title, title
