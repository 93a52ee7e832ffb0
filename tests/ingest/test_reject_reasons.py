"""Reject reasons speak the analyst's file: an Annex A reject names the column heading as the workbook writes
it beside the stored field, and an unreadable date says which formats that kind of file takes
(docs/data_contract.md, "Rejected rows")."""
from __future__ import annotations

from pathlib import Path

import pytest

from paqa_dash.pipeline import run_import
from support.make_annex_a import LIST7_HEADERS, list7_row, write_workbook


@pytest.fixture(autouse=True)
def fixed_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")


def test_annex_a_rejects_name_the_heading_and_the_workbook_date_formats(tmp_path: Path) -> None:
    headers = [h.replace("Child Protection Plan Start Date", "CP Plan  Start date") for h in LIST7_HEADERS]
    bad_start = list7_row("R1", "2022-01-10")
    bad_start[headers.index("CP Plan  Start date")] = "31/02/2021"
    bad_category = list7_row("R2", "2022-01-10", initial="RB")
    path = write_workbook(tmp_path / "a.xlsx", {"List 7": [headers, bad_start, bad_category]})
    summary = run_import([path], tmp_path / "s.duckdb", authority="202")
    assert [(r.source, r.row, r.field, r.reason) for r in summary.rejects if r.table == "plans"] == [
        ("a.xlsx:List 7", 2, "CP Plan Start date (start_date)",
         "start_date is not a valid date (expected a date cell, DD/MM/YYYY, YYYY-MM-DD, 3 Apr 2023 or Apr 3, 2023)"),
        ("a.xlsx:List 7", 3, "Initial Category of Abuse (initial_category)", "unknown initial_category code 'RB': write "
         "the category in words (neglect, emotional abuse, physical abuse, sexual abuse, multiple) or its code"),
    ]


def test_bundle_date_rejects_name_both_text_formats(tmp_path: Path) -> None:
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "children.csv").write_text("child_id,birth_date\nK1,2015-01-01\n")
    (folder / "plans.csv").write_text("plan_id,child_id,team,start_date,initial_category\nP1,K1,North,2022-13-01,NEG\n")
    summary = run_import([folder], tmp_path / "s.duckdb", authority="202")
    assert [(r.field, r.reason) for r in summary.rejects] == [
        ("start_date", "start_date is not a valid date (expected YYYY-MM-DD, DD/MM/YYYY, 3 Apr 2023 or Apr 3, 2023)")]


def test_annex_a_event_and_child_rejects_name_their_lists_headings(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "a.xlsx", {
        "List 1": [["Child Unique ID", "DOB", "Date of Contact"], ["R1", "1850-01-01", "2099-01-01"]],
        "List 7": [LIST7_HEADERS, list7_row("R2", "2022-01-10")]})
    summary = run_import([path], tmp_path / "s.duckdb", authority="202")
    assert sorted((r.source, r.field, r.reason) for r in summary.rejects) == [
        ("a.xlsx:List 1", "Date of Contact (event_date)", "event_date is after today, the day of the import"),
    ]
    # a wrong birth date is dropped with a warning (the child keeps its plans), named by its heading too
    assert ("a.xlsx:List 1", "DOB (birth_date)", "birth_date is before 1900: not stored; the row is loaded without it") in {
        (w.source, w.field, w.reason) for w in summary.warnings}


def test_a_month_first_word_date_loads_and_a_reject_lists_it(tmp_path: Path) -> None:
    """`Apr 3, 2023` (a US-locale Excel's text export) was rejected while `3 Apr 2023` loaded; an unreadable date's
    reject lists every form that is read, from one definition (dates.TEXT_DATES)."""
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "children.csv").write_text('child_id,birth_date\nK1,"Jan 5, 2015"\n')
    (folder / "plans.csv").write_text('plan_id,child_id,team,start_date,initial_category\nP1,K1,North,"Apr 3, 2023",NEG\n'
                                      'P2,K1,North,"Apr 31, 2024",NEG\n')
    summary = run_import([folder], tmp_path / "s.duckdb", authority="202")
    assert summary.tables["plans"]["loaded"] == 1
    assert [(r.row, r.field, r.reason) for r in summary.rejects] == [
        (3, "start_date", "start_date is not a valid date (expected YYYY-MM-DD, DD/MM/YYYY, 3 Apr 2023 or Apr 3, 2023)")]


def test_annex_a_rejects_found_by_the_loader_name_the_heading_too(tmp_path: Path) -> None:
    """Two plans of one child in List 7, the second starting before the first ended: its reject, made by the loader
    after the value checks, said "start_date"; it names the heading as the workbook writes it, as those do."""
    path = write_workbook(tmp_path / "a.xlsx", {"List 7": [
        LIST7_HEADERS, list7_row("R1", "2022-01-10", end="2022-08-01"), list7_row("R1", "2022-03-01")]})
    summary = run_import([path], tmp_path / "s.duckdb", authority="202")
    plans = [(r.source, r.row, r.field) for r in summary.rejects if r.table == "plans"]
    assert plans and all(f == "Child Protection Plan Start Date (start_date)" and s == "a.xlsx:List 7" and row
                         for s, row, f in plans), summary.rejects
