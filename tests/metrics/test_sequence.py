"""7.1 plan number / repeat / within 2 years / gap, 7.2 duration bands, age bands and filters,
on hand-worked chronologies."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from support.store_builder import build_store

from paqa_dash.metrics import sequence
from paqa_dash.filters import Filters
from paqa_dash.settings import Thresholds

AS_OF = date(2025, 6, 30)


def plan(pid, child, start, end=None, prev=None, team="North", cat="NEG"):
    return {"plan_id": pid, "child_id": child, "start_date": start, "end_date": end, "initial_category": cat,
            "team": team, "previous_plans": prev}


@pytest.fixture
def con(tmp_path):
    con = build_store(
        tmp_path / "s.duckdb",
        children=[{"child_id": "A", "birth_month": "2015-03-01"}, {"child_id": "U", "birth_month": "2024-05-01"}],
        plans=[
            # Child A: earliest plan says 1 previous plan (before the store); a later plan's own
            # previous_plans (5) must be ignored.
            plan("A1", "A", "2021-08-01", "2021-08-31", prev=1),
            plan("A2", "A", "2023-08-31", "2024-02-01", prev=5, team="South"),   # exactly 24 months after A1 ended
            plan("A3", "A", "2024-03-01", None, cat="EMO"),                       # open
            # Child B: first and only plan records 2 earlier plans: DfE repeat, not within 2 years.
            plan("B1", "B", "2022-01-10", "2022-06-10", prev=2),
            # Child C: re-planned one day too late for the 24-month window.
            plan("C1", "C", "2020-01-31", "2021-01-31"),
            plan("C2", "C", "2023-02-01", "2025-07-15"),   # ends after as-of: still open at as-of
            plan("C3", "C", "2025-09-01", None),           # starts after as-of: not yet in the store's view
            # Child U: unborn at plan start.
            plan("U1", "U", "2024-04-15", None),
        ])
    yield con
    con.close()


def frame(con, **kw):
    return sequence.plan_sequence(con, Thresholds(**kw), as_of=AS_OF).set_index("plan_id")


def test_plan_numbers_use_previous_plans_of_earliest_plan_only(con):
    seq = frame(con)
    assert seq.loc[["A1", "A2", "A3"], "plan_number"].tolist() == [2, 3, 4]
    assert seq.loc["C1", "plan_number"] == 1 and seq.loc["C2", "plan_number"] == 2
    assert bool(seq.loc["A1", "is_repeat"]) and not bool(seq.loc["C1", "is_repeat"])


def test_repeat_whose_earlier_plan_predates_the_store(con):
    b = frame(con).loc["B1"]
    assert b["plan_number"] == 3 and bool(b["is_repeat"])
    assert not bool(b["repeat_within_window"])
    assert pd.isna(b["gap_days"]) and pd.isna(b["previous_plan_id"])


def test_repeat_within_two_years_edges(con):
    seq = frame(con)
    assert bool(seq.loc["A2", "repeat_within_window"])        # 2021-08-31 + 24m = 2023-08-31: inside
    assert seq.loc["A2", "gap_days"] == (date(2023, 8, 31) - date(2021, 8, 31)).days
    assert not bool(seq.loc["C2", "repeat_within_window"])    # 2021-01-31 + 24m = 2023-01-31 < 2023-02-01
    assert bool(seq.loc["A3", "repeat_within_window"]) and seq.loc["A3", "gap_days"] == 29
    # the window is a threshold: 25 months brings C2 in
    assert bool(frame(con, replan_window_months=25).loc["C2", "repeat_within_window"])


def test_plans_open_at_as_of(con):
    seq = frame(con)
    assert "C3" not in seq.index                        # started after as-of
    assert pd.isna(seq.loc["C2", "end_date"]) and pd.isna(seq.loc["C2", "duration_band"])
    assert pd.isna(seq.loc["A3", "duration_band"])
    later = sequence.plan_sequence(con, as_of=date(2025, 12, 31)).set_index("plan_id")
    assert later.loc["C2", "duration_band"] == "ge_2y" and later.loc["C3", "plan_number"] == 3


@pytest.mark.parametrize("start,end,band", [
    ("2023-01-31", "2023-04-30", "le_3m"),   # exactly 3 calendar months after a 31st (clamped)
    ("2023-01-31", "2023-05-01", "3_6m"),
    ("2023-01-31", "2023-07-31", "3_6m"),    # exactly 6 months: still 3-6
    ("2023-01-31", "2023-08-01", "6_12m"),
    ("2023-01-31", "2024-01-30", "6_12m"),
    ("2023-01-31", "2024-01-31", "1_2y"),    # exactly 12 months starts 1-2 years (DfE D7)
    ("2023-01-31", "2025-01-30", "1_2y"),
    ("2023-01-31", "2025-01-31", "ge_2y"),
    ("2023-11-30", "2024-02-29", "le_3m"),   # 30 Nov + 3m = 29 Feb (leap year)
])
def test_duration_bands(tmp_path, start, end, band):
    con = build_store(tmp_path / "b.duckdb", plans=[plan("X", "X", start, end)])
    assert sequence.plan_sequence(con, as_of=AS_OF).loc[0, "duration_band"] == band


def test_age_bands(con):
    seq = frame(con)
    assert seq.loc["U1", "age_band"] == "unborn"
    assert seq.loc["A1", "age_band"] == "5-9"       # born Mar 2015, plan Aug 2021: 6
    assert pd.isna(seq.loc["B1", "age_band"])        # no birth month known


def test_filters_select_started_plans(con):
    f = Filters(date_from=date(2022, 1, 1), date_to=date(2023, 12, 31), as_of=AS_OF)
    got = set(sequence.started_plans(con, f)["plan_id"])
    assert got == {"B1", "A2", "C2"}
    assert set(sequence.started_plans(con, f.with_(teams=("South",)))["plan_id"]) == {"A2"}
    assert set(sequence.started_plans(con, Filters(categories=("EMO",), as_of=AS_OF))["plan_id"]) == {"A3"}
    assert set(sequence.started_plans(con, Filters(plan_number="first", as_of=AS_OF))["plan_id"]) == {"C1", "U1"}
    assert set(sequence.started_plans(con, Filters(age_bands=("unborn",), as_of=AS_OF))["plan_id"]) == {"U1"}


def test_counts(con):
    f = Filters(date_from=date(2022, 1, 1), date_to=date(2023, 12, 31), as_of=AS_OF)
    counts = sequence.start_counts(con, f)
    # B1's earlier plans are only a count: 2 of the 3 repeat plans have a dated previous plan
    assert counts == {"plans_started": 3, "repeat_plans_started": 3, "repeat_within_window": 1, "repeat_plans_dated": 2,
                      "median_gap_days": float((date(2023, 2, 1) - date(2021, 1, 31)).days + 730) / 2}
    ends = sequence.end_counts(con, Filters(date_from=date(2021, 1, 1), date_to=date(2022, 12, 31), as_of=AS_OF))
    # ended in 2021-2022: C1 (2021-01-31, 1_2y), A1 (2021-08-31, le_3m), B1 (2022-06-10, 3_6m)
    assert ends == {"plans_ended": 3, "ended_duration_bands": {"le_3m": 1, "3_6m": 1, "6_12m": 0, "1_2y": 1, "ge_2y": 0}}


@pytest.mark.parametrize("birth,start,band", [
    ("2019-03-01", "2024-02-29", "0-4"), ("2019-03-01", "2024-03-01", "5-9"),
    ("2008-02-01", "2024-01-31", "10-15"), ("2008-02-01", "2024-02-01", "16+"),
    ("2024-03-01", "2024-02-20", "unborn"), ("2024-02-01", "2024-02-20", "0-4"),
])
def test_age_band_birthdays(tmp_path, birth, start, band):
    con = build_store(tmp_path / "a.duckdb", children=[{"child_id": "X", "birth_month": birth}],
                      plans=[plan("X1", "X", start)])
    assert sequence.plan_sequence(con, as_of=AS_OF).loc[0, "age_band"] == band


def test_child_filter_keeps_the_numbering(con):
    got = sequence.started_plans(con, Filters(child_ids=("A",), as_of=AS_OF))
    assert got["plan_id"].tolist() == ["A1", "A2", "A3"] and got["plan_number"].tolist() == [2, 3, 4]


def test_a_team_whose_repeat_plans_have_no_dated_earlier_plan_has_no_count_within_the_window(tmp_path):
    """By team, as on the Overview (`window_known`): East's repeat plan knows its earlier plans only as a count (as
    an Annex A return gives them), so how many came within the window is not known: missing, never 0."""
    from paqa_dash.metrics import cohorts

    con = build_store(tmp_path / "t.duckdb", plans=[
        plan("E1", "E", "2024-05-01", prev=2, team="East"),          # repeat, earlier plans only counted
        plan("F1", "F", "2024-06-01", team="East"),                  # first plan
        plan("W1", "W", "2023-01-01", "2023-06-01", team="West"),    # before the period
        plan("W2", "W", "2024-07-01", team="West"),                  # repeat, 13 months after W1 ended
        plan("X1", "X", "2024-08-01", team="North"),                 # first plan; no repeat plan: none within
    ])
    try:
        by_team = cohorts.repeat_by_team(con, Filters(date_from=date(2024, 4, 1), date_to=date(2025, 3, 31),
                                                      as_of=AS_OF), Thresholds()).set_index("team")
        assert by_team.loc["East", ["plans_started", "repeat_plans"]].tolist() == [2, 1]
        assert pd.isna(by_team.loc["East", "repeat_within_window"])
        assert by_team.loc["West", ["plans_started", "repeat_plans", "repeat_within_window"]].tolist() == [1, 1, 1]
        assert by_team.loc["North", "repeat_within_window"] == 0
        assert "dated_repeats" not in by_team.columns
    finally:
        con.close()


@pytest.mark.parametrize("repeats, dated, known", [(0, False, True), (3, False, False), (3, True, True)])
def test_known_window(repeats, dated, known):
    assert sequence.known_window(repeats, dated) is known



def test_a_question_naming_no_child_tests_no_plans_child(con):
    """With no child named and no auditor's scope, the queries read every plan without testing its child against the
    empty list (metrics_sequence_cte_every_child and derive_sequence_cte_seq_rows_every_child stand for the children
    chosen): DuckDB cannot tell from a parameter that the test keeps every plan, so each query read every plan's child
    and semi-joined it, 0.02 to 0.1 CPU s a query at a million plans.  Named children, and an auditor's (children
    with a repeat plan), are still chosen, and each question gives what it gave, from the plans numbered inline or
    from the stored sequence."""
    from paqa_dash.derive import registry
    from paqa_dash.derive.sequence import SCOPE, SEQ, STORED_SEQ_AS_OF
    from paqa_dash.metrics import sqlrun
    from paqa_dash.scope import AUDITOR, Scope

    registry.refresh(con, registry.Change(reviews="keep"))   # plan_sequence written, read below as a store reads it
    every = ["C1", "A1", "B1", "C2", "A2", "A3", "U1"]
    for f, want, chosen in ((Filters(as_of=AS_OF), every, False),
                            (Filters(as_of=AS_OF, child_ids=("A",)), ["A1", "A2", "A3"], True),
                            (Filters(as_of=AS_OF, scope=Scope(role=AUDITOR)), every[:-1], True)):
        for swaps in ({}, {SEQ: (STORED_SEQ_AS_OF, SCOPE)}):
            text, params = sqlrun.text_and_params(con, "metrics_sequence_started_plans", f, Thresholds(), swaps=swaps)
            assert con.execute(text, params).df()["plan_id"].tolist() == want, (f, swaps)
            # the children chosen are tested only where a child is named or the scope is an auditor's (the inline
            # numbering picks the named children's plans itself, before numbering them)
            assert ("scope_repeat_only" in params) == chosen, (f, swaps)
            if swaps:
                assert ("child_ids" in params) == chosen, f
