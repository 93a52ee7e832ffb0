"""The shipped DfE benchmark rows and the functions that read them."""
from __future__ import annotations

from datetime import date

import pytest

from paqa_dash.reference import benchmarks as b


def test_england_2025_matches_the_published_row():
    e = b.england_share(2025)
    assert (e.percent, e.starts, e.subsequent) == (24.5, 61840, 15130)
    assert e.source == "DfE, Characteristics of children in need, table D3, OGL v3.0"


def test_reporting_year_runs_april_to_march():
    assert b.reporting_year(date(2024, 3, 31)) == 2024
    assert b.reporting_year(date(2024, 4, 1)) == 2025


def test_nearest_year_clamps_to_published():
    assert b.nearest_year(2030) == 2025
    assert b.nearest_year(2001) == 2013
    assert b.england_share(2030).year == 2025


def test_region_and_authority():
    ne = b.region_share("North East", 2025)
    assert ne.percent == 27.2
    assert b.region_share("Atlantis", 2025).percent is None
    assert "North East" in b.regions() and "England" not in b.regions()
    assert len(b.authorities()) > 140


def test_statistical_neighbours_pooled():
    names = b.statistical_neighbours("Camden")
    assert len(names) == 10 and "Islington" in names and "Camden" not in names
    sn = b.neighbours_share("Camden", 2025)
    d3 = b.load_d3()
    rows = d3[(d3.time_period == 2025) & d3.la_name.isin(names)].dropna(subset=["starts", "subsequent"])
    assert sn.percent == round(100 * rows.subsequent.sum() / rows.starts.sum(), 1)
    assert b.statistical_neighbours("Nowhere") == []
    assert b.neighbours_share("Nowhere", 2025).percent is None


def test_comparators_rows():
    t = b.comparators(2025, region="London", authority="Camden")
    assert t["label"].tolist() == ["England", "London", "Camden", "Statistical neighbours of Camden"]
    assert b.comparators(2025)["label"].tolist() == ["England"]


def test_duration_shares_d7():
    d = b.duration_shares(2025)
    assert d["share"].tolist() == pytest.approx([0.159, 0.110, 0.435, 0.252, 0.044])
    assert d["share"].sum() == pytest.approx(1.0, abs=0.002)
    assert b.duration_shares(2019)["year"].iloc[0] == 2020


def test_a_pooled_share_adds_up_the_published_counts_of_the_codes_given():
    """The neighbours' pooled share (subsequent plans over starts of those D3 publishes both for), against the table
    filtered by hand: every published year's full set of authorities, and the awkward lists (a code given twice, an
    unknown code, a code with a suppressed cell, none at all)."""
    d3 = b.load_d3()
    las = d3[d3.geographic_level == "Local authority"]

    def by_hand(codes: list[str], year: int) -> float | None:
        rows = las[(las.time_period == year) & las.old_la_code.isin(codes)].dropna(subset=["starts", "subsequent"])
        if rows.empty or rows.starts.sum() == 0:
            return None
        return round(100 * rows.subsequent.sum() / rows.starts.sum(), 1)

    suppressed = las[las.subsequent.isna()]
    assert not suppressed.empty   # the table withholds some cells: the case below is real
    gap_code, gap_year = str(suppressed.old_la_code.iloc[0]), int(suppressed.time_period.iloc[0])
    cases = [(sorted(las[las.time_period == y].old_la_code.unique()), y) for y in b.years()]
    cases += [(["202", "202", "206"], 2025), (["202", "999"], 2025), (["999"], 2025), ([], 2025),
              ([gap_code], gap_year), ([gap_code, "202"], gap_year)]
    for codes, year in cases:
        pooled = b.pooled_share(codes, "label", year)
        assert pooled.percent == by_hand(codes, year), (codes[:3], year)
        assert pooled.source.startswith(b.SOURCE_D3)
    assert b.pooled_share(["999"], "label", 2025).starts is None
