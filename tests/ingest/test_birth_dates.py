"""A wrong birth date (optional in the data contract) loads the child without it, with a warning, whatever the
source: rejecting the child would lose every plan of the child."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from paqa_dash.pipeline import run_import
from support.make_annex_a import LIST7_HEADERS, list7_row, write_workbook

TAIL = ": not stored; the row is loaded without it"


@pytest.fixture(autouse=True)
def fixed_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")


def _stored(db: Path) -> tuple[list[tuple], int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT birth_month FROM children").fetchall(), con.execute(
            "SELECT count(*) FROM plans").fetchone()[0]
    finally:
        con.close()


def _bundle(folder: Path, children: str) -> Path:
    folder.mkdir()
    (folder / "children.csv").write_text(children)
    (folder / "plans.csv").write_text("plan_id,child_id,start_date,initial_category,team\nP1,K1,2020-01-01,NEG,North\n")
    return folder


@pytest.mark.parametrize("column, value, reason", [
    ("birth_date", "2019-13-01", "birth_date is not a valid date (expected YYYY-MM-DD, DD/MM/YYYY, 3 Apr 2023 or Apr 3, 2023)"),
    ("birth_date", "1899-12-31", "birth_date is before 1900"),
    ("birth_date", "2999-01-01", "birth_date is more than 10 months ahead"),
    ("birth_month", "2019-13", "birth_month is not YYYY-MM"),
])
def test_a_bundle_child_with_a_wrong_birth_date_loads_without_it(tmp_path, column, value, reason):
    folder = _bundle(tmp_path / "b", f"child_id,{column},sex\nK1,{value},F\n")
    summary = run_import([folder], tmp_path / "s.duckdb")
    assert summary.rejects == []
    assert [(w.source, w.row, w.field, w.reason) for w in summary.warnings] == [
        ("children.csv", 2, column, reason + TAIL)]
    assert _stored(tmp_path / "s.duckdb") == ([(None,)], 1)


def test_a_child_rejected_for_another_reason_gets_its_reject_alone(tmp_path):
    """No warning says a rejected row's birth date or ethnicity was left out of a row that was not loaded."""
    folder = _bundle(tmp_path / "b", "child_id,birth_date,sex,ethnicity\nK1,2019-13-01,X,ZZZZ\n")
    summary = run_import([folder], tmp_path / "s.duckdb")
    assert [(r.table, r.row, r.field) for r in summary.rejects] == [("children", 2, "sex"), ("plans", 2, "child_id")]
    assert summary.warnings == []


def test_a_census_child_with_an_impossible_birth_date_loads_with_its_plan(tmp_path):
    f = tmp_path / "c.xml"
    f.write_text(
        "<Message><Header><CollectionDetails><ReferenceDate>2023-03-31</ReferenceDate></CollectionDetails>"
        "</Header><Children>\n<Child><ChildIdentifiers><LAchildID>D1</LAchildID>\n"
        "<PersonBirthDate>2019-13-01</PersonBirthDate></ChildIdentifiers>\n"
        "<CINdetails><CINreferralDate>2021-10-01</CINreferralDate>\n"
        "<ChildProtectionPlans><CPPstartDate>2021-10-20</CPPstartDate>"
        "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse></ChildProtectionPlans>\n"
        "</CINdetails></Child></Children></Message>\n")
    summary = run_import([f], tmp_path / "s.duckdb")
    assert summary.rejects == []
    assert [(w.row, w.field, w.reason) for w in summary.warnings] == [
        (2, "PersonBirthDate (birth_date)", "birth_date is not a valid date (expected YYYY-MM-DD, DD/MM/YYYY, 3 Apr 2023 or Apr 3, 2023)" + TAIL)]
    assert _stored(tmp_path / "s.duckdb") == ([(None,)], 1)


def test_an_annex_a_child_with_an_impossible_birth_date_loads_with_its_plan(tmp_path):
    wb_row = list7_row("A1", "2022-01-10", dob=None)
    wb_row[3] = "31/02/2016"
    path = write_workbook(tmp_path / "a.xlsx", {"List 7": [LIST7_HEADERS, wb_row]})
    summary = run_import([path], tmp_path / "s.duckdb")
    assert summary.rejects == []
    assert [(w.source, w.row, w.field, w.reason) for w in summary.warnings] == [
        ("a.xlsx:List 7", 2, "Date of Birth (birth_date)",
         "birth_date is not a valid date (expected a date cell, DD/MM/YYYY, YYYY-MM-DD, 3 Apr 2023 or Apr 3, 2023)" + TAIL)]
    assert _stored(tmp_path / "s.duckdb") == ([(None,)], 1)


def test_an_unknown_ethnicity_of_a_rejected_child_is_not_warned_about(tmp_path):
    """The ethnicity check ran before the sex check, so a child rejected for its sex was also warned about as
    loaded without its ethnicity."""
    folder = _bundle(tmp_path / "b", "child_id,sex,ethnicity\nK1,X,ZZZZ\nK2,F,ZZZZ\n")
    summary = run_import([folder], tmp_path / "s.duckdb")
    assert [(r.table, r.row, r.field) for r in summary.rejects] == [("children", 2, "sex"), ("plans", 2, "child_id")]
    assert [(w.row, w.field, w.reason) for w in summary.warnings] == [
        (3, "ethnicity", "unknown ethnicity code (text of 4 characters) not stored")]
