"""The filter's authorities (issue 15): normalised like teams, a SQL parameter, described by name."""
from __future__ import annotations

from paqa_dash.filters import Filters


def test_authorities_are_sorted_and_deduplicated():
    f = Filters(authorities=["203", "202", "202"])
    assert f.authorities == ("202", "203") and f == Filters(authorities=("203", "202"))
    assert f.params()["authorities"] == ["202", "203"] and Filters().params()["authorities"] == []


def test_described_by_name_and_number():
    assert Filters(authorities=("202", "999")).describe().startswith("authorities: Camden (202), LA 999;")
    assert "authorities" not in Filters().describe()
