"""The Regional view and the authority filter on a real (synthetic) store whose children were given three
authorities by team (Camden 202, Greenwich 203, Darlington 841), through the URL."""
from __future__ import annotations


import pytest

from support.authorities import demo_of_three
from support.pages import findings, open_page


@pytest.fixture(scope="module")
def three_authorities(demo_store, tmp_path_factory):
    return demo_of_three(demo_store, tmp_path_factory.mktemp("regional"))


def test_region_and_authority_in_the_url(three_authorities, use_store):
    use_store(three_authorities)
    at = open_page("regional", {"region": "London"}, timeout=90)
    first = findings(at)[0]
    assert "Camden" in first and "Greenwich" in first and "Darlington" not in first
    # this store's few plans an authority are set against England's in no words (benchmarks.comparable): it is named
    assert "England" in first
    teams = next(w for w in at.sidebar.multiselect if w.label == "Team").options
    assert {t.split(" (")[0] for t in teams} == {"North", "Central", "South", "East"}   # West is Darlington's
    # a child keeps one authority when it moved team, so some names are used by both London authorities here
    assert all(t.endswith("(Camden, Greenwich)") for t in teams if " (" in t)


def test_an_authority_limits_another_page(three_authorities, use_store):
    use_store(three_authorities)
    everyone = open_page("repeat_plans", timeout=90)
    darlington = open_page("repeat_plans", {"authority": "841"}, timeout=90)
    by_team = [f for f in findings(darlington) if "West" in f]
    assert by_team and by_team[0].endswith("in West were repeat plans")   # only Darlington's one team
    assert findings(everyone) != findings(darlington)
