"""Every Annex A list into the chronology: a workbook laid out as the DfE template (title and guidance rows
above each header, a guidance row under one), in two template years' headings; odd rows and sheets become
rejects naming the file, sheet, row and field; the child timeline and the audit pack show the new events."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from paqa_dash import store
from paqa_dash.figures import timeline as tl
from paqa_dash.ingest import annex_a
from paqa_dash.ingest.deidentify import pseudonymise
from paqa_dash.metrics import chronology
from paqa_dash.report import pack
from support.make_annex_a import (LIST3_HEADERS, LIST7_HEADERS, TEMPLATE_HEADERS, d, list7_row, template_annex_a,
                                  write_workbook)

KEY = "test-key-not-secret-annex-a-lists"

# C1's chronology as the template workbook gives it: (event id, agency, detail).
C1_EVENTS = {
    "C1|CONTACT|2020-01-06": ("POLICE", "Contact source: 6: Police"),
    "C1|EARLY_HELP_START|2020-01-20": ("EDUCATION", "Organisation: Top Town Academy; assessment completed 2020-02-10"),
    "C1|ASSESSMENT|2020-03-02": ("CSC", "authorised 2020-04-01; child seen; outcome: Yes"),
    "C1|CIN_START|2020-03-02": ("CSC", "Primary need: N1 - Abuse or Neglect; case status: Closed"),
    "C1|CIN_END|2020-09-30": ("CSC", "Reason for closure: RC8"),
    "C1|VISIT|2020-06-15": ("CSC", "Child last seen (child in need)"),
    "C1|LOOKED_AFTER_START|2020-10-01": ("CSC", "Category of need: N1 - Abuse or Neglect; legal status: C2: FCO; "
                                                "placement: U6: Foster placement"),
    "C1|LOOKED_AFTER_END|2021-06-30": ("CSC", "Reason: E11: Adopted"),
    "C1|VISIT|2020-11-20": ("CSC", "Social work visit (looked after)"),
    "C1|ADOPTION|2020-12-15|decision": ("CSC", "Decision that the child should be placed for adoption"),
    "C1|ADOPTION|2021-02-01|placement_order": ("CSC", "Placement order"),
    "C1|ADOPTION|2021-03-01|matched": ("CSC", "Matched with prospective adopters"),
    "C1|ADOPTION|2021-04-01|placed": ("CSC", "Placed for adoption"),
    "C1|ADOPTION|2021-06-30|order": ("CSC", "Adoption order"),
    # List 7 (as before)
    "C1|VISIT|2020-06-20": ("CSC", "Child seen alone"),
    "C1|REVIEW_CONFERENCE|2020-07-15": ("CSC", None),
}


def _events(extract) -> dict[str, tuple]:
    ev = extract.tables["events"]
    # List 10 repeats the care start without List 8's detail: the loader merges the two, blanks filled
    ev = ev[ev["child_id"] == "C1"].drop_duplicates("event_id", keep="first")
    return {i: (a, det) for i, a, det in zip(ev["event_id"], ev["agency"], ev["detail"]) if i}


@pytest.mark.parametrize("year", ["2020", "2023"])
def test_every_list_read_under_the_template_title_rows(tmp_path, year):
    e = annex_a.read([template_annex_a(tmp_path / f"annex_{year}.xlsx", year)])
    got = _events(e)
    # the contact without a date is read as it is, for the validator to reject (see below)
    assert got == C1_EVENTS | {"C1|CONTACT|": ("EDUCATION", "Contact source: 2A: Schools")}
    ev = e.tables["events"]
    leaver = ev[ev["child_id"] == "C2"]
    if year == "2023":  # the later template dates the care leaver's latest contact
        assert leaver[["event_id", "event_type", "detail"]].values.tolist() == [[
            "C2|CARE_LEAVER|2021-01-15", "CARE_LEAVER", "Eligibility: Former relevant child; in touch; accommodation: "
            "U: Independent living; suitability: Suitable; activity: F1: Full time in higher education"]]
    else:  # the public sample's List 9 has no date: the child is read, no event, and a warning says why
        assert leaver.empty
        assert any(w.source.endswith(":List 9") and "no date column" in w.reason for w in e.warnings)
    assert "C2" in set(e.tables["children"]["child_id"])
    # the guidance row under List 1's header is no child, and is said to be skipped
    assert not (e.tables["children"]["child_id"] == "The child's unique identifier").any()
    assert [(w.source, w.row) for w in e.warnings if "guidance row" in w.reason] == [
        (f"annex_{year}.xlsx:List 1", 5)]
    # List 11 (adopters) is named, not read
    assert any(w.source.endswith(":List 11") and "adopters" in w.reason for w in e.warnings)
    assert "9001" not in set(e.tables["children"]["child_id"])
    assert e.tables["children"].loc[e.tables["children"]["child_id"] == "C1", "family_id"].dropna().tolist() == ["555"]
    # the placement postcode is never read; worker names are collected for scrubbing, never stored
    cells = " ".join(str(v) for f in e.tables.values() for v in f.to_numpy().ravel() if v is not None)
    assert "AB1 2CD" not in cells and "Petra" not in cells and "Jae Vang" not in cells
    assert {"Ezra Leigh", "Petra Wills", "Jae Vang"} <= e.names


def test_odd_rows_and_sheets_are_rejects_naming_file_sheet_row_and_field(tmp_path, monkeypatch):
    """A contact without a date, and a List 8 without its start column: rejects; the rest is imported."""
    from paqa_dash.pipeline import run_import
    monkeypatch.setenv("PAQA_PSEUDO_KEY", KEY)
    headers8 = [h for h in TEMPLATE_HEADERS["2020"][8] if h != "Date Started to be Looked After"]
    path = write_workbook(tmp_path / "odd.xlsx", {
        "List 1": [["List 1: contacts"], TEMPLATE_HEADERS["2020"][1],
                   ["K1", "a) Male", "a) WBRI", d("2015-01-01"), 5, "not a date", "q) 6: Police"]],
        "List 8": [headers8, ["K1"] + [None] * (len(headers8) - 1)],
        "List 7": [LIST7_HEADERS, *[["K1", "a) Male", "a) WBRI", d("2015-01-01"), 5, "b) No", d("2021-01-04"),
                                     "Neglect", "Neglect", None, None, None, None, "b) No", 0, "T1", None]]],
    })
    s = run_import([path], tmp_path / "odd.duckdb")
    rejects = {(r.source, r.row, r.field): r.reason for r in s.rejects}
    assert ("odd.xlsx:List 1", 3, "Date of Contact (event_date)") in rejects  # the heading, then the field
    assert "not a valid date" in rejects[("odd.xlsx:List 1", 3, "Date of Contact (event_date)")]
    assert rejects[("odd.xlsx:List 8", 1, "Date Started to be Looked After")].startswith(
        "List 8 (children looked after) has no 'Date Started to be Looked After' column")
    assert s.tables["plans"]["loaded"] == 1


@pytest.fixture(scope="module")
def template_store(tmp_path_factory):
    import os
    from paqa_dash.pipeline import run_import
    tmp = tmp_path_factory.mktemp("lists")
    old = os.environ.get("PAQA_PSEUDO_KEY")
    os.environ["PAQA_PSEUDO_KEY"] = KEY
    try:
        db = tmp / "t.duckdb"
        run_import([template_annex_a(tmp / "annex.xlsx")], db)
    finally:
        if old is None:
            os.environ.pop("PAQA_PSEUDO_KEY", None)
        else:
            os.environ["PAQA_PSEUDO_KEY"] = old
    child = pseudonymise(pd.Series(["C1"]), KEY.encode()).iloc[0]
    return db, child


def test_the_store_holds_every_list_on_the_childs_chronology(template_store):
    db, child = template_store
    con = store.connect(db, read_only=True)
    try:
        events = chronology.child_events(con, child)
    finally:
        con.close()
    assert events["event_type"].value_counts().to_dict() == {
        "ADOPTION": 5, "VISIT": 3, "CONTACT": 1, "EARLY_HELP_START": 1, "ASSESSMENT": 1, "CIN_START": 1, "CIN_END": 1,
        "LOOKED_AFTER_START": 1, "LOOKED_AFTER_END": 1, "REVIEW_CONFERENCE": 1}


def test_the_child_timeline_draws_the_care_and_early_help_events(template_store):
    db, child = template_store
    con = store.connect(db, read_only=True)
    try:
        plans, events = chronology.child_plans(con, child), chronology.child_events(con, child)
        needs, changes = chronology.child_needs(con, child), chronology.child_family_changes(con, child)
    finally:
        con.close()
    fig = tl.timeline_figure(plans, events, changes, needs, as_of=date(2021, 12, 31))
    care = [t for t in fig.data if t.name == "Early help / CIN / care"]
    assert sum(len(t.x) for t in care) == 10  # early help, CIN start/end, care start/end, five adoption steps
    words = {c[0] for t in care for c in t.customdata}
    assert {"Early help started", "Child in need episode started", "Started to be looked after",
            "Ceased to be looked after", "Adoption step"} <= words
    contact = [t for t in fig.data if t.name == "Visit / other contact"]
    assert any("Contact" in c[0] for t in contact for c in t.customdata)


def test_the_audit_pack_lists_them(template_store):
    db, child = template_store
    con = store.connect(db, read_only=True)
    try:
        html = pack.build_pack(con, child, as_of=date(2021, 12, 31))
    finally:
        con.close()
    for words in ("Contact", "Early help started", "Child in need episode started", "Child in need episode closed",
                  "Started to be looked after", "Ceased to be looked after", "Adoption step", "Placement order"):
        assert words in html, words


def test_a_list_7_header_below_the_rows_looked_at_says_where_it_was_looked_for(tmp_path):
    """The heading exists, lower down: "has no 'Child Unique ID' column" alone sent the analyst looking for a column
    that is there."""
    from paqa_dash.ingest.frames import FatalImportError

    rows = [["Notes"]] * 34 + [LIST7_HEADERS]
    path = write_workbook(tmp_path / "annex.xlsx", {"List 7": rows})
    with pytest.raises(FatalImportError) as refused:
        annex_a.read([path])
    assert str(refused.value) == ("annex.xlsx: sheet 'List 7' (List 7) has no 'Child Unique ID' column heading in its "
                                  "first 30 rows (the header row is looked for there: delete the rows above it)")



def _referral(child: object) -> list[object]:
    return [child, "b) Female", "a) WBRI", d("2015-01-01"), 5, d("2022-12-01"), "q) 6: Police", "No", 1, "Duty Team",
            "Petra Wills"]


def test_ids_excel_turned_into_numbers_meet_their_zero_padded_text(tmp_path):
    """One list writes the child's id as text, `00123`; another as the number 123 (a cell formatted General: Excel
    drops the zeros).  The child's referral and plan did not meet, without a word.  Every id written as text in
    digits has five digits, some with zeros in front: 123 can only be 00123, so the zeros are restored, with a
    warning naming the sheet, its first such row and the ids' forms (never an id)."""
    path = write_workbook(tmp_path / "z.xlsx", {
        "List 3": [LIST3_HEADERS, _referral(123), _referral(4567.0), _referral(98765)],
        "List 7": [LIST7_HEADERS, list7_row("00123", "2023-01-05"), list7_row("04567", "2023-01-06"),
                   list7_row("12345", "2023-01-07")]})
    e = annex_a.read([path])
    assert sorted(set(e.tables["children"]["child_id"])) == ["00123", "04567", "12345", "98765"]
    assert set(e.tables["events"]["child_id"]) == {"00123", "04567", "98765"}
    assert [(w.table, w.source, w.row, w.field, w.reason) for w in e.warnings] == [(
        "children", "z.xlsx:List 3", None, "Child Unique ID",
        "3 child ids are numbers (of up to 5 digits; the first at row 2), where ids written as text in this workbook "
        "begin with zeros (text of 5 digits): Excel drops a number's leading zeros; read with the zeros restored, as "
        "5-digit ids, so the child meets its rows in the other lists")]


def test_ids_of_different_lengths_are_not_padded_but_said(tmp_path):
    """Where ids written as text have different lengths (`0123` and `00456`), a number 123 could be either: padding
    it could join two children, so it is read as written, and the sheet is warned about."""
    path = write_workbook(tmp_path / "z.xlsx", {
        "List 3": [LIST3_HEADERS, _referral(123)],
        "List 7": [LIST7_HEADERS, list7_row("0123", "2023-01-05"), list7_row("00456", "2023-01-06")]})
    e = annex_a.read([path])
    assert set(e.tables["events"]["child_id"]) == {"123"}
    assert [(w.source, w.row, w.reason) for w in e.warnings] == [(
        "z.xlsx:List 3", None,
        "1 child id is a number (of up to 3 digits; the first at row 2), where ids written as text in this workbook "
        "begin with zeros (text of 4 to 5 digits): Excel drops a number's leading zeros, and ids of different lengths "
        "cannot be restored safely: a child written both ways is read as two. Format the id column as Text and write "
        "the ids in full")]
    # numbers alone, or text without zeros in front, say nothing: no zero was lost
    plain = write_workbook(tmp_path / "p.xlsx", {"List 3": [LIST3_HEADERS, _referral(123)],
                                                 "List 7": [LIST7_HEADERS, list7_row("456", "2023-01-05")]})
    assert not annex_a.read([plain]).warnings
