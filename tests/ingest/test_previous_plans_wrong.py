"""A count of previous plans that is not a whole number ("1+", "two", as typed into Annex A's column) costs the plan
only that value: rejecting the plan lost it, and every visit and review of it with it."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from paqa_dash.pipeline import run_import


@pytest.fixture(autouse=True)
def fixed_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")


def test_a_wrong_count_of_previous_plans_is_a_warning_and_the_plan_loads(tmp_path: Path) -> None:
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "children.csv").write_text("child_id,birth_month\nC1,2015-01\nC2,2015-02\nC3,2015-03\n")
    (folder / "plans.csv").write_text(
        "plan_id,child_id,start_date,end_date,initial_category,latest_category,team,previous_plans\n"
        "P1,C1,2022-01-10,,NEG,NEG,North,1+\n"
        "P2,C2,2022-01-10,,NEG,NEG,North,2\n"
        "P3,C3,2022-01-10,,NEG,NEG,North,-1\n")
    (folder / "events.csv").write_text("event_id,child_id,event_date,event_type,agency,plan_id\n"
                                       "E1,C1,2022-02-01,VISIT,CSC,P1\n")
    db = tmp_path / "s.duckdb"
    summary = run_import([folder], db)
    assert summary.tables["plans"]["loaded"] == 3 and summary.tables["events"]["loaded"] == 1
    assert not summary.rejects
    said = sorted((w.row, w.field, w.reason) for w in summary.warnings if w.field and "previous_plans" in w.field)
    assert [(row, reason) for row, _, reason in said] == [
        (2, "previous_plans is not a whole number of 0 or more: not stored; the row is loaded without it"),
        (4, "previous_plans is not a whole number of 0 or more: not stored; the row is loaded without it")]
    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = sorted(r[0] for r in con.execute("SELECT previous_plans FROM plans").fetchall() if r[0] is not None)
    finally:
        con.close()
    assert counts == [2]
