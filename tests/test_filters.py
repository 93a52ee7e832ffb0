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


def test_a_return_taken_weeks_before_31_march_defaults_to_its_own_year():
    """An Annex A return with data to 15 Mar 2021 (the 2020-21 return) opened on 2019-20, a year of two plans; a
    year ending within a few weeks of the data date is the data's latest year, for the period and the years the
    views that follow plans up show (one definition)."""
    from datetime import date

    from paqa_dash.filters import default_period, followed_up_period

    shown = default_period(Filters(as_of=date(2021, 3, 15)))
    assert (shown.date_from, shown.date_to) == (date(2020, 4, 1), date(2021, 3, 31))
    early = default_period(Filters(as_of=date(2021, 1, 31)))   # two months short: the year before
    assert (early.date_from, early.date_to) == (date(2019, 4, 1), date(2020, 3, 31))
    assert default_period(Filters(as_of=date(2026, 3, 31))).date_to == date(2026, 3, 31)
    assert followed_up_period(shown, 24).date_to == date(2019, 3, 31)


def test_whole_histories_only_when_no_filter_keeps_part_of_a_childs_plans():
    """A table of facts over each child's whole history (derive registry `whole_history`) is read only when the filter
    keeps every plan of each child it chooses: the children and the as-of date may be named, nothing else."""
    from datetime import date as _date

    from paqa_dash.scope import Scope

    assert Filters().whole_histories
    assert Filters(as_of=_date(2023, 12, 31), child_ids=("a", "b")).whole_histories
    for narrowed in (Filters(teams=("North",)), Filters(date_from=_date(2023, 4, 1)), Filters(date_to=_date(2024, 3, 31)),
                     Filters(categories=("NEG",)), Filters(plan_number="repeat"), Filters(age_bands=("0-4",)),
                     Filters(authorities=("202",)), Filters(scope=Scope(role="auditor", teams=("North",)))):
        assert not narrowed.whole_histories, narrowed
