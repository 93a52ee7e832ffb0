"""Relevance of plan actions to open adult needs, on a tiny hand-built store."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from paqa_dash import sql, store
from paqa_dash.metrics import relevance
from support.reviews import review_store

AS_OF = date(2025, 1, 1)


@pytest.fixture
def con(tmp_path):
    con = store.connect(tmp_path / "t.duckdb")
    con.execute("""INSERT INTO plans (plan_id, child_id, start_date, end_date, initial_category, team) VALUES
        ('p1', 'c1', DATE '2024-01-01', DATE '2024-06-30', 'NEG', 'North'),
        ('p2', 'c2', DATE '2024-02-01', NULL, 'NEG', 'South'),
        ('p3', 'c3', DATE '2024-03-01', DATE '2024-09-30', 'NEG', 'North')""")
    con.execute("""INSERT INTO needs (need_id, child_id, plan_id, identified_date, factor, resolved_date) VALUES
        ('n1', 'c1', 'p1', DATE '2023-12-01', '4B', NULL),             -- open: practical action only
        ('n2', 'c1', 'p1', DATE '2023-10-01', '1b', DATE '2023-12-15'), -- resolved before start: not open
        ('n3', 'c1', NULL, DATE '2024-03-01', '3B', NULL),              -- identified during: open, addressed by '3'
        ('n4', 'c1', NULL, DATE '2024-08-01', '2B', NULL),              -- identified after the end: not listed
        ('n5', 'c1', NULL, DATE '2024-01-01', '16A', NULL),             -- child factor: not an adult need
        ('n6', 'c2', NULL, DATE '2024-01-01', '2B', NULL),              -- open, no action
        ('n7', 'c3', NULL, DATE '2024-01-01', '3A', DATE '2024-06-30'), -- open part of the plan
        ('n8', 'c3', NULL, DATE '2024-02-01', '3A', NULL)               -- same factor twice: one row
        """)
    con.execute("""INSERT INTO actions (action_id, plan_id, action_text, addresses_factor, status) VALUES
        ('a1', 'p1', 'Mum to make sure the children attend school every day', '4B', 'DONE'),
        ('a2', 'p1', 'Mum to attend the Freedom Programme', '3', 'OPEN'),
        ('a3', 'p2', 'Parents to keep the home clean and tidy', NULL, 'OPEN'),
        ('a4', 'p3', 'IDVA to meet mum weekly to plan her safety', '3A', 'OPEN'),
        ('a5', 'p3', 'Social worker to refer mum to the domestic abuse support service', '3B', 'OPEN')""")
    review_store(con)  # themes are read from the reviews an import stores
    yield con
    con.close()


def rows(frame: pd.DataFrame) -> dict[tuple[str, str], dict]:
    return {(r["plan_id"], r["factor"]): r for r in frame.to_dict("records")}


def test_columns(con):
    out = relevance.plan_relevance(con, as_of=AS_OF)
    assert out.columns.tolist()[:8] == relevance.RELEVANCE_COLUMNS


def test_needs_known_by_the_plan_end_with_open_flag(con):
    r = rows(relevance.plan_relevance(con, as_of=AS_OF))
    assert set(r) == {("p1", "1B"), ("p1", "3B"), ("p1", "4B"), ("p2", "2B"), ("p3", "3A")}
    assert r[("p1", "1B")]["open_during_plan"] is False
    assert r[("p1", "3B")]["open_during_plan"] is True
    assert r[("p3", "3A")]["open_during_plan"] is True
    assert r[("p1", "4B")]["factor_label"] == "Mental health: parent/carer"
    assert r[("p1", "4B")]["factor_number"] == "4"


def test_actions_addressing_by_code_or_number_but_not_another_letter(con):
    r = rows(relevance.plan_relevance(con, as_of=AS_OF))
    assert r[("p1", "3B")]["actions_addressing"] == 1   # tagged '3'
    assert r[("p1", "4B")]["actions_addressing"] == 1   # tagged '4B'
    assert r[("p3", "3A")]["actions_addressing"] == 1   # '3A' yes, '3B' no
    assert r[("p1", "1B")]["actions_addressing"] == 0


def test_flags(con):
    r = rows(relevance.plan_relevance(con, as_of=AS_OF))
    assert r[("p2", "2B")]["unaddressed"] is True and r[("p2", "2B")]["practical_only"] is False
    assert r[("p1", "4B")]["practical_only"] is True and r[("p1", "4B")]["unaddressed"] is False
    assert r[("p1", "3B")]["practical_only"] is False
    assert r[("p1", "1B")]["unaddressed"] is False  # resolved before the plan: nothing to address


def test_plan_filter(con):
    out = relevance.plan_relevance(con, ["p2"], as_of=AS_OF)
    assert out["plan_id"].tolist() == ["p2"]
    assert relevance.plan_relevance(con, ["nope"], as_of=AS_OF).empty


def test_open_plan_uses_as_of(con):
    assert relevance.plan_relevance(con, ["p2"], as_of=date(2023, 12, 31)).empty


def test_plan_flags_sentence(con):
    rel = relevance.plan_relevance(con, as_of=AS_OF)
    acts = sql.query(con, "quality_plan_actions", plan_ids=[])
    flags = relevance.plan_flags(rel, acts).set_index("plan_id")
    assert flags.loc["p2", "flag"] == "no action for Drug misuse: parent/carer; every action is practical/compliance"
    assert flags.loc["p1", "practical_only_needs"] == 1 and not flags.loc["p1", "all_actions_practical"]
    assert flags.loc["p3", "flag"] == ""


@pytest.mark.parametrize("tag, factor, expected", [
    ("4B", "4B", True), ("4", "4B", True), ("4b", "4B", True), ("4C", "4B", False),
    ("3B; 4B", "4B", True), (None, "4B", False), ("", "4B", False), ("14", "4B", False),
])
def test_addresses(tag, factor, expected):
    assert relevance.addresses(tag, factor) is expected


def test_quality_actions_filters_team_and_period(con):
    out = sql.query(con, "quality_actions", teams=["North"], date_from=date(2024, 2, 1), date_to=None, as_of=AS_OF)
    assert out["action_id"].tolist() == ["a4", "a5"]
    assert out["period"].unique().tolist() == ["2024-Q1"]
