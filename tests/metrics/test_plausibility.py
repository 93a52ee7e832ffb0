"""Implausible plans (docs/data_contract.md, "Implausible plans"): each rule, on hand-worked stores.
Such a plan counts toward the child's plan number and is left out of every measure: no start, no
ending, and no gap or re-plan measured from its dates."""
from __future__ import annotations

from datetime import date

import pytest
from support.store_builder import build_store

from paqa_dash.filters import Filters
from paqa_dash.metrics import data_quality, sequence, store_info, summary

AS_OF = date(2025, 6, 30)
F = Filters(as_of=AS_OF)


def plan(pid, child, start, end=None, previous=None):
    return {"plan_id": pid, "child_id": child, "start_date": start, "end_date": end, "initial_category": "NEG",
            "team": "North", "previous_plans": previous}


def test_a_plan_before_1990_is_no_previous_plan_and_no_start(tmp_path):
    # the CIN sample's case: a 1970 plan, then one in 2022 (611 months later)
    con = build_store(tmp_path / "s.duckdb", plans=[plan("A1", "A", "1970-02-17", "1971-03-14", previous=10),
                                                    plan("A2", "A", "2022-02-17", "2023-03-14")])
    seq = sequence.plan_sequence(con, as_of=AS_OF).set_index("plan_id")
    assert list(seq.index) == ["A2"]
    assert seq.loc["A2", "plan_number"] == 12 and bool(seq.loc["A2", "is_repeat"])   # still a repeat plan
    assert pd_isna(seq.loc["A2", "previous_plan_id"]) and pd_isna(seq.loc["A2", "gap_days"])
    out = summary.compute(con, F)
    assert (out["plans_started"], out["repeat_plans_started"], out["plans_ended"]) == (1, 1, 1)
    assert out["median_gap_days"] is None                                              # no 611-month gap
    found = data_quality.implausible_plans(con)
    assert list(found["plan_id"]) == ["A1"] and found["reason"].iloc[0].startswith("plan starts before 1990")
    # the span the empty state names holds the plans the measures count: not "from Feb 1970"
    info = store_info.store_info(con)
    assert (info["plans"], info["first_date"], info["last_date"]) == (2, date(2022, 2, 17), date(2023, 3, 14))


@pytest.mark.parametrize("start, implausible", [("2023-03-01", False),   # 17 (born 2005-03): fine
                                                ("2023-04-01", True),    # certainly 18
                                                ("2024-01-01", True)])
def test_a_child_of_18_or_over_at_the_start(tmp_path, start, implausible):
    con = build_store(tmp_path / "s.duckdb", children=[{"child_id": "A", "birth_month": "2005-03-01"}],
                      plans=[plan("A1", "A", start, None)])
    assert summary.compute(con, F)["plans_started"] == (0 if implausible else 1)
    found = data_quality.implausible_plans(con)
    assert list(found["plan_id"]) == (["A1"] if implausible else [])
    if implausible:
        assert found["reason"].iloc[0] == "child aged 18 or over at plan start"


def test_an_ended_plan_over_five_years_is_no_ending_and_no_previous_plan(tmp_path):
    con = build_store(tmp_path / "s.duckdb", plans=[
        plan("A1", "A", "2015-01-01", "2020-01-02"),   # 5 years and a day: implausible
        plan("A2", "A", "2020-06-01", "2021-01-01"),
        plan("B1", "B", "2015-01-01", "2020-01-01"),   # exactly 5 years: kept
        plan("C1", "C", "2015-01-01", None),           # open: judged when it ends
    ])
    seq = sequence.plan_sequence(con, as_of=AS_OF).set_index("plan_id")
    assert sorted(seq.index) == ["A2", "B1", "C1"]
    assert seq.loc["A2", "plan_number"] == 2 and pd_isna(seq.loc["A2", "gap_days"])
    assert not bool(seq.loc["A2", "repeat_within_window"])
    out = summary.compute(con, F)
    assert out["plans_ended"] == 2 and out["ended_duration_bands"]["ge_2y"] == 1
    found = data_quality.implausible_plans(con)
    assert list(found["plan_id"]) == ["A1"]
    assert found["reason"].iloc[0] == "plan lasts over 5 years (2015-01-01 to 2020-01-02)"


def pd_isna(value) -> bool:
    import pandas as pd
    return bool(pd.isna(value))
