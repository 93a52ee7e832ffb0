"""The same child or plan given twice in one file with different values: merged as the contract says (the
later row's values kept, blanks filled from the earlier), counted as a duplicate, and warned about with the
file, both rows and the fields that differ, never the values (docs/data_contract.md, "Duplicates and
re-imports").  Exact repeats are only counted; rows from different lists or returns are not compared."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from paqa_dash.pipeline import run_import
from paqa_dash.reference.words import date_text
from support.make_annex_a import LIST7_HEADERS, d, list7_row, write_workbook


@pytest.fixture(autouse=True)
def fixed_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")


def _stored(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _merge_warnings(summary) -> list[tuple]:
    return [(w.table, w.source, w.row, w.field, w.reason) for w in summary.warnings
            if "given again in this file" in w.reason]


def test_annex_a_plan_twice_with_another_category_warns_and_the_later_row_wins(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "a.xlsx", {"List 7": [
        LIST7_HEADERS,
        list7_row("P1", "2022-01-10", initial="Emotional abuse"),       # row 2
        list7_row("P2", "2022-02-01", initial="Physical abuse"),        # row 3
        list7_row("P1", "2022-01-10", initial="Neglect", latest="Emotional abuse")]})  # row 4
    summary = run_import([path], tmp_path / "s.duckdb", authority="202")
    assert summary.tables["plans"] == {"read": 3, "loaded": 2, "rejected": 0, "duplicates": 1}
    assert _merge_warnings(summary) == [(
        "plans", "a.xlsx:List 7", 4, "initial_category",
        "the same plan is given again in this file (also at row 2) with a different initial_category: the rows "
        "are merged, the later row's values kept and its blanks filled from the earlier")]
    assert "P1" not in str(summary.warnings)  # the ids the rows share are never quoted
    assert sorted(_stored(tmp_path / "s.duckdb", "SELECT initial_category FROM plans")) == [("NEG",), ("PHY",)]


def test_annex_a_exact_repeat_and_a_child_on_two_lists_are_not_warned_about(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "a.xlsx", {
        "List 1": [["Child Unique ID", "Gender", "Date of Contact"], ["P1", "a) Male", d("2021-12-01")]],
        "List 7": [LIST7_HEADERS, list7_row("P1", "2022-01-10"), list7_row("P1", "2022-01-10")]})
    summary = run_import([path], tmp_path / "s.duckdb", authority="202")
    assert summary.tables["plans"] == {"read": 2, "loaded": 1, "rejected": 0, "duplicates": 1}
    assert summary.tables["children"]["duplicates"] == 2  # List 1's male child and List 7's female: merged
    assert _merge_warnings(summary) == []


def test_annex_a_child_twice_on_one_list_with_another_sex_warns(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "a.xlsx", {"List 7": [
        LIST7_HEADERS, list7_row("P1", "2021-01-10", end="2021-06-01"),
        list7_row("P1", "2022-01-10", gender="a) Male", ethnicity="b) WIRI")]})
    summary = run_import([path], tmp_path / "s.duckdb", authority="202")
    assert _merge_warnings(summary) == [(
        "children", "a.xlsx:List 7", 3, "sex, ethnicity",
        "the same child is given again in this file (also at row 2) with a different sex and ethnicity: the "
        "rows are merged, the later row's values kept and its blanks filled from the earlier")]


_CHILD = """<Child><ChildIdentifiers><LAchildID>C1</LAchildID><UPNunknown>UN1</UPNunknown>
<PersonBirthDate>2015-01-01</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>
<CINdetails><CINreferralDate>2021-12-01</CINreferralDate>
<ChildProtectionPlans><CPPstartDate>2022-01-10</CPPstartDate>
<InitialCategoryOfAbuse>{category}</InitialCategoryOfAbuse><LatestCategoryOfAbuse>EMO</LatestCategoryOfAbuse>
</ChildProtectionPlans></CINdetails></Child>
"""
_CENSUS = """<?xml version="1.0" encoding="UTF-8"?>
<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2023</Year>
<ReferenceDate>2023-03-31</ReferenceDate></CollectionDetails>
<Source><SourceLevel>L</SourceLevel><LEA>999</LEA></Source></Header><Children>
{children}</Children></Message>
"""


def test_census_child_block_twice_with_another_category_warns_with_both_lines(tmp_path: Path) -> None:
    path = tmp_path / "c.xml"
    path.write_text(_CENSUS.format(children=_CHILD.format(category="EMO") + _CHILD.format(category="NEG")))
    summary = run_import([path], tmp_path / "s.duckdb")
    assert summary.tables["plans"] == {"read": 2, "loaded": 1, "rejected": 0, "duplicates": 1}
    # the first block's plan starts on line 8, the second's on line 14
    assert _merge_warnings(summary) == [(
        "plans", "c.xml", 14, "initial_category",
        "the same plan is given again in this file (also at line 8) with a different initial_category: the rows "
        "are merged, the later row's values kept and its blanks filled from the earlier")]
    assert _stored(tmp_path / "s.duckdb", "SELECT initial_category FROM plans") == [("NEG",)]


def test_census_exact_repeat_is_counted_not_warned(tmp_path: Path) -> None:
    path = tmp_path / "c.xml"
    path.write_text(_CENSUS.format(children=_CHILD.format(category="EMO") * 2))
    summary = run_import([path], tmp_path / "s.duckdb")
    assert summary.tables["plans"] == {"read": 2, "loaded": 1, "rejected": 0, "duplicates": 1}
    assert _merge_warnings(summary) == []


def _census(reference_date: str, category: str, end: str, produced: str = "") -> str:
    """A census of one child whose plan gives `category` and ends on `end`; `produced`: Header/Source/DateTime."""
    child = _CHILD.format(category=category).replace(
        "<InitialCategoryOfAbuse>", f"<CPPendDate>{end}</CPPendDate><InitialCategoryOfAbuse>")
    text = _CENSUS.format(children=child).replace("2023-03-31", reference_date)
    return text.replace("<LEA>999</LEA>", f"<LEA>999</LEA><DateTime>{produced}</DateTime>") if produced else text


def _same_year_warnings(summary) -> list[tuple]:
    return [(w.table, w.source, w.row, w.field, w.reason) for w in summary.warnings
            if "census returns of the same reference date" in w.reason]


@pytest.mark.parametrize("order", [("a", "b"), ("b", "a")])
def test_two_returns_of_one_year_that_disagree_warn_and_the_same_one_wins_in_any_order(tmp_path: Path,
                                                                                      order) -> None:
    (tmp_path / "a.xml").write_text(_census("2023-03-31", "NEG", "2023-01-31"))
    (tmp_path / "b.xml").write_text(_census("2023-03-31", "PHY", "2023-02-28"))
    summary = run_import([tmp_path / f"{n}.xml" for n in order], tmp_path / "s.duckdb")
    assert summary.tables["plans"] == {"read": 2, "loaded": 1, "rejected": 0, "duplicates": 1}
    assert _same_year_warnings(summary) == [(
        "plans", "b.xml", 8, "end_date, initial_category",
        "the same plan is given in two census returns of the same reference date (2023-03-31), a.xml line 8 and "
        "b.xml line 8, with a different end_date and initial_category: the rows are merged, b.xml's values kept "
        "(the return produced last by its Header/Source/DateTime, else the file name last in order) and its "
        "blanks filled from the other")]
    assert _stored(tmp_path / "s.duckdb", "SELECT initial_category, end_date::VARCHAR FROM plans") == [
        ("PHY", "2023-02-28")]


@pytest.mark.parametrize("order", [("a", "b"), ("b", "a")])
def test_of_two_returns_of_one_year_the_one_produced_last_wins(tmp_path: Path, order) -> None:
    (tmp_path / "a.xml").write_text(_census("2023-03-31", "NEG", "2023-01-31", produced="2023-05-02T09:00:00"))
    (tmp_path / "b.xml").write_text(_census("2023-03-31", "PHY", "2023-02-28", produced="2023-05-01T09:00:00"))
    summary = run_import([tmp_path / f"{n}.xml" for n in order], tmp_path / "s.duckdb")
    assert [w[1] for w in _same_year_warnings(summary)] == ["a.xml"]
    assert _stored(tmp_path / "s.duckdb", "SELECT initial_category FROM plans") == [("NEG",)]


def test_two_returns_of_one_year_are_named_as_their_files_are_named(tmp_path: Path) -> None:
    # A census file is named by authority and year ("cin_999_2023.xml"): read as free text, each name had the shape
    # of a record id and the warning said "[record id].xml line 8 and [record id].xml line 8 ... [record id].xml's
    # values kept", so nobody could tell which return's values were kept.  Named as the store keeps file names.
    (tmp_path / "cin_999_2023.xml").write_text(_census("2023-03-31", "NEG", "2023-01-31"))
    (tmp_path / "cin_999_2023_v2.xml").write_text(_census("2023-03-31", "PHY", "2023-02-28"))
    summary = run_import([tmp_path / "cin_999_2023.xml", tmp_path / "cin_999_2023_v2.xml"], tmp_path / "s.duckdb")
    [(_, source, _, _, reason)] = _same_year_warnings(summary)
    assert source == "cin_999_2023_v2.xml"
    assert "cin_999_2023.xml line 8 and cin_999_2023_v2.xml line 8" in reason, reason
    assert "cin_999_2023_v2.xml's values kept" in reason and "[record id]" not in reason, reason
    stored = _stored(tmp_path / "s.duckdb",
                     "SELECT message FROM warnings WHERE message LIKE '%census returns of the same%'")
    assert stored == [(reason,)]


def test_returns_of_different_years_are_merged_without_a_warning(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text(_census("2023-03-31", "NEG", "2023-01-31"))
    (tmp_path / "b.xml").write_text(_census("2024-03-31", "PHY", "2023-02-28"))
    summary = run_import([tmp_path / "b.xml", tmp_path / "a.xml"], tmp_path / "s.duckdb")
    assert _same_year_warnings(summary) == [] and _merge_warnings(summary) == []


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cin"


def _held_before_warnings(summary) -> list[tuple]:
    return [(w.table, w.source, w.field, w.reason) for w in summary.warnings if "from an earlier import" in w.reason]


def _corrected_2023(tmp_path: Path) -> Path:
    """The fixture's 2023 return sent again, corrected: its first child's disability changed."""
    text = (FIXTURES / "authority_2023.xml").read_text(encoding="utf-8")
    path = tmp_path / "authority_2023_corrected.xml"
    path.write_text(text.replace("<Disability>NONE</Disability>", "<Disability>HAND</Disability>", 1), encoding="utf-8")
    return path


def test_a_return_of_a_year_an_earlier_run_imported_warns_naming_both_files(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    first = run_import([FIXTURES / "authority_2022.xml", FIXTURES / "authority_2023.xml"], db)
    assert _held_before_warnings(first) == []
    disabled = "SELECT count(*) FROM children WHERE disability"
    before = _stored(db, disabled)[0][0]
    again = run_import([_corrected_2023(tmp_path)], db)
    [(table, source, field, reason)] = _held_before_warnings(again)
    assert (table, source, field) == ("children", "authority_2023_corrected.xml", "ReferenceDate")
    assert reason.startswith("LA 999's census return of reference date 31 Mar 2023 is already in the store from an "
                             "earlier import (authority_2023.xml, imported "), reason
    assert ("the records in both are merged, authority_2023_corrected.xml's values kept (of two returns of one "
            "reference date imported in different runs, the one imported last)") in reason
    assert _stored(db, disabled)[0][0] == before + 1   # the corrected return's values are the ones kept


def test_the_warning_says_both_its_dates_in_the_one_style_of_messages(tmp_path: Path) -> None:
    """The reference date and the earlier run's date in one style ("31 Mar 2023", "5 Dec 2026"), as every message
    says a date (reference/words.date_text), not "2023-03-31" beside "5 Dec 2026" (a newcomer's review)."""
    db = tmp_path / "s.duckdb"
    run_import([FIXTURES / "authority_2023.xml"], db)
    [(_, _, _, reason)] = _held_before_warnings(run_import([_corrected_2023(tmp_path)], db))
    imported = _stored(db, "SELECT min(started_at) FROM import_runs")[0][0]
    assert f"reference date {date_text('2023-03-31')} is already" in reason, reason
    assert f"imported {date_text(imported)})" in reason, reason
    assert not re.search(r"\d{4}-\d{2}-\d{2}", reason), reason


def test_a_later_year_in_a_later_run_is_not_warned_about(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    run_import([FIXTURES / "authority_2023.xml"], db)
    assert _held_before_warnings(run_import([FIXTURES / "authority_2024.xml"], db)) == []


def test_a_year_held_from_a_run_recorded_before_census_files_were_still_warns(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    run_import([FIXTURES / "authority_2023.xml"], db)
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE IF EXISTS census_returns")   # as a store whose first run was imported before it
    con.close()
    [(_, source, _, reason)] = _held_before_warnings(run_import([_corrected_2023(tmp_path)], db))
    assert source == "authority_2023_corrected.xml"
    assert "from an earlier import (its file not recorded: imported before the store recorded census files)" in reason
