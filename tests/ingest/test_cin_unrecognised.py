"""Elements the CIN census reader does not recognise: never ignored silently (docs/data_contract.md, "CIN census
XML", *Element names*).  A name that differs from an element of its block only in case or by a trailing 's' is read
as that element, with a warning saying so; any other is warned about as not read.  One warning per element name
and block per file, with a count; every element of a real-shaped census file stays silent."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from paqa_dash.ingest import cin_xml
from paqa_dash.pipeline import run_import
from support.make_cin import write_census
from support.paths import TESTS

_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2024</Year>
<ReferenceDate>2024-03-31</ReferenceDate></CollectionDetails>
<Source><SourceLevel>L</SourceLevel><LEA>999</LEA></Source></Header><Children>
"""
_TAIL = "</Children></Message>\n"


def _child(child_id: str, plans: str, extra: str = "") -> str:
    return (f"<Child><ChildIdentifiers><LAchildID>{child_id}</LAchildID>\n"
            "<PersonBirthDate>2015-01-01</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>\n"
            f"<CINdetails><CINreferralDate>2021-10-01</CINreferralDate>{extra}\n{plans}</CINdetails></Child>\n")


def _plan(start: str, end_element: str = "", wrapper: str = "ChildProtectionPlans") -> str:
    return (f"<{wrapper}><CPPstartDate>{start}</CPPstartDate>\n{end_element}"
            "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>\n"
            + ("<Reviews><CPPreviewDate>2022-01-19</CPPreviewDate></Reviews>\n" if start == "2021-10-20" else "")
            + f"</{wrapper}>\n")


def _write(path: Path, children: str) -> Path:
    path.write_text(_HEAD + children + _TAIL, encoding="utf-8")
    return path


def _unrecognised(issues) -> list[tuple]:
    return [(w.table, w.source, w.row, w.field, w.reason) for w in issues if "not a CIN census element" in w.reason]


@pytest.fixture(autouse=True)
def fixed_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")


def test_end_date_in_another_case_is_read_and_warned_about(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.xml", _child("C1", _plan("2021-10-20", "<CPPEndDate>2023-05-31</CPPEndDate>\n")
                                             + _plan("2023-11-17")))
    extract = cin_xml.read([path])
    # line 9: the first plan's <CPPEndDate>
    assert _unrecognised(extract.warnings) == [(
        "plans", "c.xml", 9, "CPPEndDate",
        "<CPPEndDate> is not a CIN census element of <ChildProtectionPlans>: did you mean <CPPendDate>? "
        "Read as <CPPendDate>; correct the name in the file")]
    summary = run_import([path], tmp_path / "s.duckdb")
    assert summary.rejects == []  # the plan is ended, so the next one does not overlap it
    con = duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True)
    try:
        ends = con.execute("SELECT start_date::VARCHAR, end_date::VARCHAR FROM plans ORDER BY 1").fetchall()
    finally:
        con.close()
    assert ends == [("2021-10-20", "2023-05-31"), ("2023-11-17", None)]
    assert len(_unrecognised(summary.warnings)) == 1


def test_plan_block_without_its_s_is_read_as_a_plan(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.xml", _child("C1", _plan("2021-10-20", "<CPPendDate>2023-05-31</CPPendDate>\n",
                                                         wrapper="ChildProtectionPlan")))
    extract = cin_xml.read([path])
    assert len(extract.tables["plans"]) == 1
    assert (extract.tables["events"]["event_type"] == "REVIEW_CONFERENCE").sum() == 1
    assert _unrecognised(extract.warnings) == [(
        "events", "c.xml", 8, "ChildProtectionPlan",
        "<ChildProtectionPlan> is not a CIN census element of <CINdetails>: did you mean <ChildProtectionPlans>? "
        "Read as <ChildProtectionPlans>; correct the name in the file")]


def test_unknown_element_is_warned_once_per_file_with_a_count(tmp_path: Path) -> None:
    children = "".join(_child(f"C{n}", "", extra="<CaseNote>x</CaseNote>") for n in range(3))
    extract = cin_xml.read([_write(tmp_path / "c.xml", children)])
    # each child is four lines: the first child's CINdetails (and its <CaseNote>) on line 7
    assert _unrecognised(extract.warnings) == [(
        "events", "c.xml", 7, "CaseNote",
        "<CaseNote> is not a CIN census element of <CINdetails>: its value was not read "
        "(3 times in this file, the first at line 7)")]


def test_unknown_element_is_warned_once_per_file_across_batches(tmp_path: Path) -> None:
    children = "".join(_child(f"C{n}", "", extra="<CaseNote>x</CaseNote>") for n in range(3))
    path = _write(tmp_path / "c.xml", children)
    warnings = [w for batch in cin_xml.batches([path], batch_children=2) for w in batch.warnings]
    assert [(w.row, w.field) for w in warnings if "not a CIN census element" in w.reason] == [(7, "CaseNote")]
    assert "3 times" in _unrecognised(warnings)[0][4]


def test_misspelt_element_beside_the_right_one_is_not_read(tmp_path: Path) -> None:
    both = "<CPPendDate>2023-05-31</CPPendDate>\n<CPPEndDate>2023-06-30</CPPEndDate>\n"
    extract = cin_xml.read([_write(tmp_path / "c.xml", _child("C1", _plan("2021-10-20", both)))])
    assert extract.tables["plans"]["end_date"].tolist() == ["2023-05-31"]
    assert _unrecognised(extract.warnings) == [(
        "plans", "c.xml", 10, "CPPEndDate",
        "<CPPEndDate> is not a CIN census element of <ChildProtectionPlans>: did you mean <CPPendDate>? "
        "Its value was not read: the block also gives <CPPendDate>")]


def test_every_element_of_real_shaped_census_files_is_recognised(tmp_path: Path) -> None:
    paths = [p for p in sorted((TESTS / "fixtures").rglob("*.xml"))
             if p.name not in {"bomb.xml", "truncated.xml", "not_census.xml", "empty.xml", "mismatched_tag.xml",
                               "external_entity.xml", "binary.xml"}]
    paths.append(write_census(tmp_path / "synthetic.xml", 300))
    paths.append(write_census(tmp_path / "synthetic_gender.xml", 50, reference_date="2019-03-31",
                              sex_element="GenderCurrent"))
    assert len(paths) >= 8
    for path in paths:
        assert _unrecognised(cin_xml.read([path]).warnings) == [], path.name


def _twice(first_id: str, second_id: str, second_birth: str) -> str:
    return (f"<Child><ChildIdentifiers><LAchildID>{first_id}</LAchildID>\n"
            "<PersonBirthDate>2015-01-01</PersonBirthDate></ChildIdentifiers>\n"
            f"<ChildIdentifiers><LAchildID>{second_id}</LAchildID>\n"
            f"<PersonBirthDate>{second_birth}</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>\n"
            "<CINdetails><CINreferralDate>2021-10-01</CINreferralDate>\n"
            f"{_plan('2021-10-20')}</CINdetails></Child>\n")


def test_a_second_child_identifiers_block_is_read_as_the_child_given_twice(tmp_path: Path) -> None:
    """A <Child> holding two <ChildIdentifiers> blocks: the second was never read and never said (a corrected birth
    date or the sex in it lost).  It is read by the rule of a child given twice in one file: one child, the later
    block winning, its blanks filled from the earlier, with a warning naming its line and the items that differ."""
    path = _write(tmp_path / "c.xml", _twice("C1", "C1", "2015-02-01"))
    extract = cin_xml.read([path])
    children = extract.tables["children"]
    assert children[["child_id", "birth_date", "sex"]].values.tolist() == [["C1", "2015-02-01", "F"]]
    assert extract.tables["plans"]["child_id"].tolist() == ["C1"]
    assert [(w.table, w.source, w.row, w.field, w.reason) for w in extract.warnings] == [(
        "children", "c.xml", 7, "ChildIdentifiers",
        "<ChildIdentifiers> is given again in this <Child> (also at line 5), with a different PersonBirthDate: read "
        "as one child, the later block's values kept and its blanks filled from the earlier; keep one "
        "<ChildIdentifiers> a <Child>")]
    summary = run_import([path], tmp_path / "s.duckdb")
    assert summary.tables["children"]["loaded"] == 1 and not summary.rejects
    con = duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True)
    assert con.execute("SELECT source, row_number FROM warnings WHERE field = 'ChildIdentifiers'").fetchall() == [("c.xml", 7)]
    con.close()


def test_two_child_identifiers_naming_two_children_reject_the_child(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.xml", _twice("C1", "C2", "2015-01-01") + _child("C3", _plan("2022-01-05")))
    extract = cin_xml.read([path])
    assert extract.tables["children"]["child_id"].tolist() == ["C3"]
    assert extract.tables["plans"]["child_id"].tolist() == ["C3"]
    assert [(r.table, r.row, r.field) for r in extract.rejects] == [("children", 7, "LAchildID")]
    assert extract.rejects[0].reason.startswith(
        "a second <ChildIdentifiers> in this <Child> gives another LAchildID than the one at line 5: two children in "
        "one <Child>; skipped with its 1 CINdetails block(s)")
