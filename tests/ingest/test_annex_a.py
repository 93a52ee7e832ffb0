"""Ofsted Annex A reader: the shared fixture, variant workbooks, fatal errors, and imports."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from paqa_dash.ingest import annex_a
from paqa_dash.ingest.frames import COLUMNS, FatalImportError
from support.make_annex_a import (LIST3_HEADERS, LIST5_HEADERS, LIST7_HEADERS, LIST10_HEADERS, d, list7_row,
                                  small_annex_a, write_workbook)
from support.paths import FIXTURES

FIXTURE = FIXTURES / "samples" / "annex_a" / "Annex_A.xlsx"
WORKERS = {"Ezra Leigh", "Petra Wills", "Stevie Greenwood", "Rose Cunningham", "Dustin Hazlett",
           "Mathilde Cutsforth", "Verdell Arp", "Delta Arthur", "Reagan Mor", "Franciszek Hampton",
           "Oswaldo Gowin", "Janee Garwood",
           # Lists 4, 8 and 9
           "Lexie Defore", "Hallie Erwin", "Marty Gonsalves", "Eugene Swift", "Wyatt Hammond", "Fatimah Davison",
           "Isis Chandler", "Jae Vang", "Emir Dyer", "Stefan Rees", "Brandon-Lee Hampton", "Aayan Wormald",
           "Cassius Mccarthy"}


@pytest.fixture(scope="module")
def fixture_extract():
    return annex_a.read([FIXTURE])


def _rows(extract, table):
    return extract.tables[table].drop(columns=["_source"]).to_dict("records")


# ---------------------------------------------------------------- the shared fixture

def test_fixture_counts_and_columns(fixture_extract):
    t = fixture_extract.tables
    # every list of a child (1-10); 6537810 is in List 3 and 5, List 9's children in List 10 too, ...
    assert (len(t["children"]), t["children"]["child_id"].nunique()) == (54, 48)
    assert len(t["plans"]) == 7
    assert t["events"]["event_type"].value_counts().to_dict() == {
        "REFERRAL": 6, "S47_START": 5, "ICPC": 3, "VISIT": 7 + 5 + 5, "REVIEW_CONFERENCE": 5, "CONTACT": 5,
        "EARLY_HELP_START": 5, "ASSESSMENT": 5, "CIN_START": 5, "LOOKED_AFTER_START": 5 + 5, "LOOKED_AFTER_END": 1,
        "ADOPTION": 26}
    for table, frame in t.items():
        assert list(frame.columns) == [*COLUMNS[table], "_source", "_row"]
    assert fixture_extract.required["plans"] == ("plan_id", "child_id", "start_date", "initial_category")
    assert fixture_extract.merge_duplicates == {"children", "plans", "events"}


def test_fixture_unborn_plan_exact_row(fixture_extract):
    plans = fixture_extract.tables["plans"]
    row = plans[plans["child_id"] == "10721552"].iloc[0].to_dict()
    assert row == {"plan_id": "10721552|plan|2020-11-23", "child_id": "10721552", "start_date": "2020-11-23",
                   "end_date": "2021-02-16", "initial_category": "PHY", "latest_category": "PHY",
                   "team": "Locality 4 Unit 1", "end_reason": None, "previous_plans": "0",
                   "_source": "Annex_A.xlsx:List 7", "_row": 2}
    kids = fixture_extract.tables["children"]
    child = kids[kids["child_id"] == "10721552"].iloc[0]
    assert (child["birth_date"], child["sex"], child["ethnicity"], child["disability"]) == ("2021-01-04", "F", "NOBT", "N")
    assert child["birth_date"] > row["start_date"]  # unborn at plan start: kept as it is


def test_fixture_events_of_one_plan(fixture_extract):
    ev = fixture_extract.tables["events"]
    got = ev[ev["child_id"] == "16036763"][["event_id", "event_date", "event_type", "agency", "plan_id", "detail"]]
    assert got.to_dict("records") == [
        {"event_id": "16036763|VISIT|2020-12-30", "event_date": "2020-12-30", "event_type": "VISIT",
         "agency": "CSC", "plan_id": "16036763|plan|2020-04-27", "detail": "Child not seen alone"},
        {"event_id": "16036763|REVIEW_CONFERENCE|2021-01-04", "event_date": "2021-01-04",
         "event_type": "REVIEW_CONFERENCE", "agency": "CSC", "plan_id": "16036763|plan|2020-04-27", "detail": None},
    ]
    # a visit dated after the plan ended is chronology, not that plan's visit
    late = ev[ev["event_id"] == "11811692|VISIT|2020-09-25"].iloc[0]
    assert late["plan_id"] is None


def test_fixture_referral_agency_and_family(fixture_extract):
    ev = fixture_extract.tables["events"].set_index("event_id")
    assert ev.loc["4653765|REFERRAL|2020-09-16", "agency"] == "HEALTH"
    assert ev.loc["14007367|REFERRAL|2020-09-16", "agency"] == "EDUCATION"
    assert ev.loc["997679|REFERRAL|2020-09-16", "agency"] == "POLICE"
    assert ev.loc["10273003|S47_START|2020-09-16", "detail"] == "ICPC deemed unnecessary"
    kids = fixture_extract.tables["children"]
    assert kids.loc[kids["child_id"] == "13782635", "family_id"].dropna().tolist() == ["4836911"]  # List 10


def test_fixture_worker_names_collected_never_stored(fixture_extract):
    assert fixture_extract.names == WORKERS  # non-breaking spaces normalised
    for frame in fixture_extract.tables.values():
        cells = {str(v) for v in frame.to_numpy().ravel() if v is not None}
        assert not any(w in c or w.split()[-1] in c for c in cells for w in WORKERS)


# ---------------------------------------------------------------- sheet and header variants

@pytest.mark.parametrize("title, number", [
    ("List 7", 7), ("List_7", 7), ("list7", 7), ("Child Protection", 7), ("List 7 - Child Protection", 7),
    ("Annex A List 7", 7), ("LIST 10", 10), ("List 7 (2024)", 7), ("List 7 2023-24", 7), ("List 1 - 2024", 1), ("List 1", 1), ("List 5 S47", 5), ("Section 47s", 5),
    ("Referrals", 3), ("Children in care", 8), ("Notes", None), ("Contacts", 1), ("Early help", 2),
    ("Assessments", 4), ("Children in need", 6), ("CIN", 6), ("Looked after children", 8), ("Care leavers", 9),
    ("Adopters", 11), ("Adoption", 10), ("Vaccine", None),
])
def test_sheet_list_number(title, number):
    assert annex_a.sheet_list_number(title) == number


def test_list_number_sheet_wins_over_words():
    assert annex_a.find_sheets(["Child Protection", "List_7", "List 1", "List 10"]) == {7: "List_7", 1: "List 1", 10: "List 10"}


@pytest.mark.parametrize("title", ["List_7", "Child Protection", "List 7 - Child Protection"])
def test_sheet_name_variants_read(tmp_path, title):
    e = annex_a.read([small_annex_a(tmp_path / "a.xlsx", list7_title=title)])
    assert e.tables["plans"]["plan_id"].tolist() == ["A1|plan|2022-01-10", "A1|plan|2023-01-05", "A2|plan|2023-02-01"]
    assert set(e.tables["plans"]["_source"]) == {f"a.xlsx:{title}"}


def test_header_spellings_title_rows_and_labels(tmp_path):
    headers = ["child_unique_id", "GENDER", "ethnicity", "DOB", "CP Plan Start Date", "Initial category",
               "Latest Category Of Abuse", "Date of last statutory visit", "Date of latest review conference",
               "CP Plan End Date", "Number of previous CP plans", "Allocated team", "Social Worker Name",
               "Comments"]
    path = write_workbook(tmp_path / "v.xlsx", {"CHILD_PROTECTION": [
        ["Annex A - List 7: children subject to a child protection plan"], [],
        headers,
        ["X1", "a) Male", "WBRI - White British", "14/03/2016", "10/01/2022", "b) Neglect",
         "Multiple: Neglect, Emotional abuse", 44580, None, "2022-06-30 00:00:00", 2.0, " Team  A ", "Jo Bloggs",
         "seen with Jo Bloggs"],
        [None] * len(headers),
        ["X2", "Girl", "s) NOBT", None, d("2022-02-01"), "Sexual abuse", None, None, None, None, None, "Team B",
         "Unallocated", None],
    ]})
    e = annex_a.read([path])
    assert _rows(e, "plans") == [
        {"plan_id": "X1|plan|2022-01-10", "child_id": "X1", "start_date": "2022-01-10", "end_date": "2022-06-30",
         "initial_category": "NEG", "latest_category": "MUL", "team": "Team A", "end_reason": None,
         "previous_plans": "2", "_row": 4},
        {"plan_id": "X2|plan|2022-02-01", "child_id": "X2", "start_date": "2022-02-01", "end_date": None,
         "initial_category": "SAB", "latest_category": None, "team": "Team B", "end_reason": None,
         "previous_plans": None, "_row": 6},
    ]
    kids = _rows(e, "children")
    assert [(k["child_id"], k["sex"], k["ethnicity"], k["birth_date"]) for k in kids] == [
        ("X1", "M", "WBRI", "2016-03-14"), ("X2", "F", "NOBT", None)]
    assert e.tables["events"][["event_id", "plan_id"]].to_dict("records") == [
        {"event_id": "X1|VISIT|2022-01-19", "plan_id": "X1|plan|2022-01-10"}]  # Excel serial 44580
    assert e.names == {"Jo Bloggs"}  # "Unallocated" is not a name; free-text "Comments" is not read


def test_unknown_codes_pass_through_for_the_validator(tmp_path):
    path = write_workbook(tmp_path / "u.xlsx", {"List 7": [
        LIST7_HEADERS, list7_row("Q1", "2022-01-10", gender="z) Martian", initial="Bad luck")]})
    e = annex_a.read([path])
    assert e.tables["plans"].loc[0, "initial_category"] == "Bad luck"
    assert e.tables["children"].loc[0, "sex"] == "Martian"


def test_list10_family_and_several_workbooks_merge(tmp_path):
    y1 = write_workbook(tmp_path / "y1.xlsx", {
        "List 7": [LIST7_HEADERS, list7_row("F1", "2022-01-10", latest="Neglect")],
        "List 10": [LIST10_HEADERS, ["F1", 777, "b) Female", "a) WBRI", d("2015-01-01")]]})
    y2 = write_workbook(tmp_path / "y2.xlsx", {
        "List_7": [LIST7_HEADERS, list7_row("F1", "2022-01-10", latest="Emotional abuse", end="2023-01-01")]})
    e = annex_a.read([y1, y2])
    plans = e.tables["plans"]
    assert plans["plan_id"].tolist() == ["F1|plan|2022-01-10"] * 2  # one plan, merged by the loader
    assert plans["latest_category"].tolist() == ["NEG", "EMO"]
    assert e.tables["children"]["family_id"].tolist() == ["777", None, None]


# ---------------------------------------------------------------- fatal errors

def test_workbook_without_list7_is_fatal(tmp_path):
    path = write_workbook(tmp_path / "no7.xlsx", {"List 1": [["Child Unique ID"], ["A"]],
                                                  "List 5": [LIST5_HEADERS]})
    with pytest.raises(FatalImportError, match=r"no7\.xlsx: no List 7 \(child protection\) sheet"):
        annex_a.read([path])


def test_list7_without_start_date_column_is_fatal(tmp_path):
    headers = [h for h in LIST7_HEADERS if h != "Child Protection Plan Start Date"]
    path = write_workbook(tmp_path / "bad.xlsx", {"List 7": [headers, ["A"] * len(headers)]})
    with pytest.raises(FatalImportError, match="bad.xlsx: sheet 'List 7' .*'Child Protection Plan Start Date'"):
        annex_a.read([path])


def test_list7_without_child_id_is_fatal(tmp_path):
    path = write_workbook(tmp_path / "noid.xlsx", {"List 7": [LIST7_HEADERS[1:], ["x"] * 16]})
    with pytest.raises(FatalImportError, match="noid.xlsx.*'Child Unique ID'"):
        annex_a.read([path])


def test_empty_and_binary_files_are_fatal(tmp_path):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(FatalImportError, match="empty.xlsx: empty file"):
        annex_a.read([empty])
    binary = tmp_path / "junk.xlsx"
    binary.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(FatalImportError, match="junk.xlsx: not a readable .xlsx workbook"):
        annex_a.read([binary])


# ---------------------------------------------------------------- end to end (validator + loader)

def _count(db: Path, sql: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_fixture_imports_with_exact_counts(tmp_path, monkeypatch):
    from paqa_dash.pipeline import run_import
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")
    db = tmp_path / "s.duckdb"
    s = run_import([FIXTURE], db)
    assert {t: c for t, c in s.tables.items() if c["read"]} == {
        "children": {"read": 54, "loaded": 48, "rejected": 0, "duplicates": 6},
        "plans": {"read": 7, "loaded": 7, "rejected": 0, "duplicates": 0},
        "events": {"read": 93, "loaded": 93, "rejected": 0, "duplicates": 0},
    }
    assert s.rejects == []
    assert _count(db, "SELECT count(*) FROM plans WHERE team = 'Locality 4 Unit 1'") == 7
    con = duckdb.connect(str(db), read_only=True)
    text = " ".join(str(v) for t in ("children", "plans", "events")
                    for row in con.execute(f"SELECT * FROM {t}").fetchall() for v in row)
    con.close()
    assert not any(w.split()[-1] in text for w in WORKERS)
    assert "10721552" not in text  # child ids are pseudonyms in the store


CIN_XML = """<?xml version="1.0" encoding="UTF-8"?>
<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2023</Year>
<ReferenceDate>2023-03-31</ReferenceDate></CollectionDetails>
<Source><SourceLevel>L</SourceLevel><LEA>999</LEA></Source></Header><Children>
<Child><ChildIdentifiers><LAchildID>A1</LAchildID><UPNunknown>UN1</UPNunknown>
<PersonBirthDate>2015-01-01</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>
<ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
<CINdetails><CINreferralDate>2021-12-01</CINreferralDate><ReferralSource>6</ReferralSource>
<PrimaryNeedCode>N1</PrimaryNeedCode>
<ChildProtectionPlans><CPPstartDate>2022-01-10</CPPstartDate><CPPendDate>2022-03-20</CPPendDate>
<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
<NumberOfPreviousCPP>0</NumberOfPreviousCPP><Reviews><CPPreviewDate>2022-03-20</CPPreviewDate></Reviews>
</ChildProtectionPlans></CINdetails>
<CINdetails><CINreferralDate>2022-12-01</CINreferralDate><ReferralSource>6</ReferralSource>
<PrimaryNeedCode>N1</PrimaryNeedCode>
<ChildProtectionPlans><CPPstartDate>2023-01-05</CPPstartDate>
<InitialCategoryOfAbuse>MUL</InitialCategoryOfAbuse><LatestCategoryOfAbuse>MUL</LatestCategoryOfAbuse>
<NumberOfPreviousCPP>1</NumberOfPreviousCPP></ChildProtectionPlans></CINdetails>
</Child></Children></Message>
"""


@pytest.mark.parametrize("together", [True, False])
def test_one_child_several_sources(tmp_path, monkeypatch, together):
    """A CIN census file and an Annex A workbook of the same authority: one child A1 (one
    pseudonym), and its two real plans once each, whether imported together or one after the other."""
    from paqa_dash.pipeline import run_import
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")
    cin = tmp_path / "cin.xml"
    cin.write_text(CIN_XML, encoding="utf-8")
    workbook = small_annex_a(tmp_path / "annex.xlsx")
    db = tmp_path / "s.duckdb"
    if together:
        run_import([cin, workbook], db)
    else:
        run_import([cin], db)
        run_import([workbook], db)
    assert _count(db, "SELECT count(*) FROM children") == 2  # A1 and A2
    assert _count(db, "SELECT count(*) FROM plans") == 3      # A1's two plans + A2's
    assert _count(db, "SELECT count(DISTINCT child_id) FROM plans") == 2
    # the Annex A team reached the plans the CIN census also holds (CIN carries no team)
    assert _count(db, "SELECT count(*) FROM plans WHERE team IS NOT NULL") == 3
    assert _count(db, "SELECT count(*) FROM events WHERE event_type = 'REVIEW_CONFERENCE'") == 1


def test_a_sheet_whose_dimension_tag_is_wrong_loses_no_row(tmp_path):
    """Some writers record a sheet's size wrongly (`<dimension ref="A1:B3"/>` on a sheet of 40 rows); read-only
    openpyxl trusts it unless the reader resets it (annex_a.read calls ws.reset_dimensions())."""
    import re
    import zipfile

    rows = [list7_row(f"D{i}", "2022-01-10") for i in range(40)]
    path = write_workbook(tmp_path / "dim.xlsx", {"List 7": [LIST7_HEADERS, *rows]})
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    wrong = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B3"/>', parts[sheet])
    assert wrong != parts[sheet]
    parts[sheet] = wrong
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    plans = annex_a.read([path]).tables["plans"]
    assert sorted(plans["child_id"]) == sorted(f"D{i}" for i in range(40))


def test_a_category_naming_two_categories_loads_as_multiple_with_a_warning(tmp_path):
    path = write_workbook(tmp_path / "m.xlsx", {"List 7": [
        LIST7_HEADERS,
        list7_row("M1", "2023-01-05", initial="Neglect and emotional", latest="Neglect"),
        list7_row("M2", "2023-01-05", initial="Not neglect"),
    ]})
    e = annex_a.read([path])
    assert e.tables["plans"][["initial_category", "latest_category"]].values.tolist() == [
        ["MUL", "NEG"], ["Not neglect", "Not neglect"]]  # the second: rejected by the validator as an unknown code
    assert [(w.source, w.row, w.field, w.reason) for w in e.warnings] == [
        ("m.xlsx:List 7", 2, "initial_category",
         "initial_category names more than one category (neglect and emotional abuse): read as multiple (MUL)")]


def test_an_import_stores_the_multiple_category_warning_and_rejects_a_negated_category(tmp_path, monkeypatch):
    from paqa_dash.pipeline import run_import
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")
    path = write_workbook(tmp_path / "m.xlsx", {"List 7": [
        LIST7_HEADERS,
        list7_row("M1", "2023-01-05", initial="Neglect and emotional", latest="Neglect"),
        list7_row("M2", "2023-01-05", initial="Not neglect", latest="Neglect"),
    ]})
    s = run_import([path], tmp_path / "s.duckdb")
    assert [(r.row, r.field) for r in s.rejects] == [(3, "Initial Category of Abuse (initial_category)")]
    assert [(w.row, w.reason) for w in s.warnings] == [
        (2, "initial_category names more than one category (neglect and emotional abuse): read as multiple (MUL)")]
    assert _count(tmp_path / "s.duckdb", "SELECT count(*) FROM plans WHERE initial_category = 'MUL'") == 1
    assert _count(tmp_path / "s.duckdb", "SELECT count(*) FROM warnings WHERE field = 'initial_category'") == 1


# ---------------------------------------------------------------- workbooks as authorities keep them

def test_a_hidden_old_copy_of_list_7_is_not_read_over_the_visible_one(tmp_path, monkeypatch):
    """Authorities hide last year's sheet rather than delete it.  The hidden `List 7`, first in the workbook, was read
    and the visible `List 7 - CP 2024` passed over without a word: last year's plans loaded as this year's."""
    import openpyxl

    from paqa_dash.pipeline import run_import
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")
    path = write_workbook(tmp_path / "h.xlsx", {"List 7": [LIST7_HEADERS, list7_row("OLD1", "2019-01-10")],
                                                "List 7 - CP 2024": [LIST7_HEADERS, list7_row("NEW1", "2023-01-05")]})
    wb = openpyxl.load_workbook(path)
    wb["List 7"].sheet_state = "hidden"
    wb.save(path)
    e = annex_a.read([path])
    assert e.tables["plans"]["plan_id"].tolist() == ["NEW1|plan|2023-01-05"]
    assert [(w.table, w.source, w.reason) for w in e.warnings] == [
        ("plans", "h.xlsx:List 7", "sheet 'List 7' (hidden) also looks like List 7 (child protection): not read; "
         "sheet 'List 7 - CP 2024' was read (one sheet a list: a sheet named by its list number before one named in "
         "words, a visible sheet before a hidden one). Delete or rename the sheet that is not wanted")]
    s = run_import([path], tmp_path / "s.duckdb")
    assert s.tables["plans"]["loaded"] == 1
    assert _count(tmp_path / "s.duckdb", "SELECT count(*) FROM warnings WHERE message LIKE '%(hidden)%'") == 1


def test_only_a_hidden_list_is_still_read():
    assert annex_a.find_sheets(["List 7", "List 1"], hidden={"List 7"}) == {7: "List 7", 1: "List 1"}
    # a sheet named by its number still wins over one named in words, hidden or not (a summary sheet beside it)
    assert annex_a.find_sheets(["Child Protection", "List 7"], hidden={"List 7"}) == {7: "List 7"}
    assert annex_a.find_sheets(["List 7", "List 7 (2023)", "List 7 (2024)"], hidden={"List 7", "List 7 (2023)"}) == {
        7: "List 7 (2024)"}


@pytest.mark.parametrize("label", ["Total", "TOTALS", "Grand total", "Total: 2", "Sub-total", "Count: 2", "COUNT"])
def test_a_totals_row_under_the_data_is_not_a_child(tmp_path, label):
    """A totals row (`Total` in the child id column, a count beside it) was read as a child called `Total`: the
    child loaded (a child nobody has) and only its plan was rejected, for a blank start date."""
    total = [label, *[None] * (len(LIST7_HEADERS) - 1)]
    total[LIST7_HEADERS.index("Age")] = 2
    path = write_workbook(tmp_path / "t.xlsx", {"List 7": [
        LIST7_HEADERS, list7_row("T1", "2023-01-05"), list7_row("T2", "2023-02-05"), [None] * 3, total]})
    e = annex_a.read([path])
    assert sorted(e.tables["children"]["child_id"]) == ["T1", "T2"]
    assert e.tables["plans"]["child_id"].tolist() == ["T1", "T2"]
    assert [(w.source, w.row, w.field, w.reason) for w in e.warnings] == [
        ("t.xlsx:List 7", 5, "Child Unique ID", "a totals row (not a child): not read")]



@pytest.mark.parametrize("column, label", [("Gender", "Total"), ("Age", "Count: 2"), ("Allocated Team", "TOTAL"),
                                           ("Number of Previous Child Protection Plans", "Grand total 2")])
def test_a_totals_row_with_its_label_in_another_column_is_not_a_child(tmp_path, column, label):
    """A totals row whose label stands under another column, its child id blank (`Total` under Gender, `Count: 2`
    in a count column), was read as a child with no id: two rejects (`child_id is blank`) that were no child's."""
    total = [None] * len(LIST7_HEADERS)
    total[LIST7_HEADERS.index(column)] = label
    if column != "Age":
        total[LIST7_HEADERS.index("Age")] = 2
    path = write_workbook(tmp_path / "t.xlsx", {"List 7": [
        LIST7_HEADERS, list7_row("T1", "2023-01-05"), list7_row("T2", "2023-02-05"), total]})
    e = annex_a.read([path])
    assert sorted(e.tables["children"]["child_id"]) == ["T1", "T2"]
    assert e.tables["plans"]["child_id"].tolist() == ["T1", "T2"]
    assert [(w.source, w.row, w.field, w.reason) for w in e.warnings] == [
        ("t.xlsx:List 7", 4, "Child Unique ID", "a totals row (not a child): not read")]


def test_a_blank_id_beside_a_word_that_begins_like_a_total_is_still_a_blank_id(tmp_path):
    path = write_workbook(tmp_path / "t.xlsx", {"List 7": [
        LIST7_HEADERS, list7_row("T1", "2023-01-05"), list7_row(None, "2023-02-05", team="Total Care Team")]})
    e = annex_a.read([path])
    assert e.tables["plans"]["child_id"].tolist() == ["T1", None] and not e.warnings



def test_a_workbook_in_the_1904_date_system_reads_its_day_numbers_from_1904(tmp_path):
    """Mac Excel's 1904 date system counts days from 1 Jan 1904.  openpyxl dates a cell formatted as a date by the
    workbook's system, but a day number in a cell formatted General (45024, a date typed as a number) was read
    from 1900: four years and a day early, and a plan's visits fell before its start."""
    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "List 7"
    ws.append(LIST7_HEADERS)
    row = list7_row("M1", "2023-01-05")
    row[LIST7_HEADERS.index("Date of the Last Statutory Visit")] = 43474   # 10 Jan 2023 in the 1904 system
    ws.append(row)
    wb.save(tmp_path / "mac.xlsx")
    e = annex_a.read([tmp_path / "mac.xlsx"])
    assert e.tables["plans"]["start_date"].tolist() == ["2023-01-05"]
    assert e.tables["events"]["event_date"].tolist() == ["2023-01-10"]
    assert e.tables["events"]["plan_id"].tolist() == ["M1|plan|2023-01-05"]



def test_the_heading_row_again_under_the_data_is_not_a_child(tmp_path):
    """Two extracts pasted one under the other repeat the heading row among the data: it was read as a child called
    'Child Unique ID', rejected four times (its sex 'Gender', its start date 'Child Protection Plan Start Date', ...),
    each reject no child's.  It is left out with one warning naming its row."""
    rows = [list7_row(f"R{i}", f"2023-01-{i + 1:02d}") for i in range(5)]
    path = write_workbook(tmp_path / "h.xlsx", {"List 7": [LIST7_HEADERS, *rows, LIST7_HEADERS,
                                                           list7_row("S1", "2023-02-05")]})
    e = annex_a.read([path])
    assert e.tables["plans"]["child_id"].tolist() == ["R0", "R1", "R2", "R3", "R4", "S1"]
    assert [(w.source, w.row, w.field, w.reason) for w in e.warnings] == [
        ("h.xlsx:List 7", 7, "Child Unique ID", "the heading row again (not a child): not read")]


def test_a_team_merged_down_a_group_of_children_is_every_childs_team(tmp_path):
    """A hand-kept List 7 merges the Allocated Team cell down the rows of one team's children.  openpyxl gives the
    value to the first row only, so the others loaded with no team and no word (a plan needs no team)."""
    import openpyxl

    team = LIST7_HEADERS.index("Allocated Team")  # column P
    rows = [list7_row(f"G{i}", f"2023-01-0{i + 1}", team="North Team" if i == 0 else None) for i in range(3)]
    path = write_workbook(tmp_path / "m.xlsx", {"List 7": [LIST7_HEADERS, *rows, list7_row("H1", "2023-02-01")]})
    wb = openpyxl.load_workbook(path)
    wb["List 7"].merge_cells(start_row=2, end_row=4, start_column=team + 1, end_column=team + 1)
    wb["List 7"].merge_cells("E5:F5")  # merged across one row: nothing to fill down
    wb.save(path)
    e = annex_a.read([path])
    plans = e.tables["plans"]
    assert plans.set_index("child_id")["team"].to_dict() == {
        "G0": "North Team", "G1": "North Team", "G2": "North Team", "H1": "Locality 1 Unit 1"}
    assert [(w.source, w.row, w.field, w.reason) for w in e.warnings] == [
        ("m.xlsx:List 7", 3, "Allocated Team", "1 merged cell spans rows (P2:P4, 'Allocated Team'): each of its "
         "rows is read with the value Excel shows across it")]


def test_a_heading_over_two_rows_is_read_as_one(tmp_path):
    """A hand-built List 7 groups its plan's columns under one heading merged across them, `Child Protection Plan`,
    with `Start Date` and `End Date` under it, and merges the other headings down both rows.  The top row alone has
    no start date, and the import stopped: `has no 'Child Protection Plan Start Date' column`."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "List 7"
    ws.append(["Annex A: List 7"])
    ws.append(["Child Unique ID", "Gender", "Child Protection Plan", None, None, "Allocated Team", "Allocated Worker"])
    ws.append([None, None, "Start Date", "Initial Category of Abuse", "End Date", None, None])
    for merged in ("A2:A3", "B2:B3", "C2:E2", "F2:F3", "G2:G3"):
        ws.merge_cells(merged)
    ws.append(["G1", "Male", d("2023-01-05"), "Neglect", d("2023-06-01"), "Team A", "Jo Bloggs"])
    ws.append(["G2", "Female", d("2023-02-05"), "Emotional abuse", None, "Team B", "Jo Bloggs"])
    wb.save(tmp_path / "g.xlsx")
    e = annex_a.read([tmp_path / "g.xlsx"])
    assert _rows(e, "plans") == [
        {"plan_id": "G1|plan|2023-01-05", "child_id": "G1", "start_date": "2023-01-05", "end_date": "2023-06-01",
         "initial_category": "NEG", "latest_category": None, "team": "Team A", "end_reason": None,
         "previous_plans": None, "_row": 4},
        {"plan_id": "G2|plan|2023-02-05", "child_id": "G2", "start_date": "2023-02-05", "end_date": None,
         "initial_category": "EMO", "latest_category": None, "team": "Team B", "end_reason": None,
         "previous_plans": None, "_row": 5}]
    assert e.names == {"Jo Bloggs"} and not e.warnings
    assert e.source_fields["plans"]["g.xlsx:List 7|start_date"] == "Child Protection Plan Start Date"


def test_a_sheet_title_that_may_name_a_person_is_stored_by_its_place(tmp_path, monkeypatch):
    """Sheet titles are typed by hand ('List 8 - Smith family', 'List 7 Pemberton'): each reject and warning of the
    sheet was stored with the title as its source, and a passed-over sheet's warning quoted it; the scrubber knows
    Smith but not Pemberton, and 'Green' is a word too.  Such a title is now given by its place and list, in the
    store, the command's messages and the access log; a title of list words is given as written."""
    from paqa_dash.cli import main

    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")
    path = write_workbook(tmp_path / "a.xlsx", {
        "List 7 Pemberton": [LIST7_HEADERS, list7_row("S1", "2023-01-05"), list7_row("S2", "2099-01-05")],
        "List 7 - Green family": [LIST7_HEADERS, list7_row("S3", "2023-01-05")],
        "List 8 - Smith family": [["Child Unique ID", "Gender"], ["S1", "b) Female"]],
        "List 3 Referrals (2024)": [LIST3_HEADERS, ["S1", "b) Female", "a) WBRI", d("2015-01-01"), 5, None,
                                                    "q) 6: Police", "No", 1, "Duty Team", "Petra Wills"]]})
    db = tmp_path / "s.duckdb"
    assert main(["import", str(path), "--db", str(db), "--authority", "202"]) == 0
    con = duckdb.connect(str(db), read_only=True)
    stored = con.execute("SELECT source, field, reason FROM rejects UNION ALL "
                         "SELECT source, field, message FROM warnings").fetchall()
    runs = con.execute("SELECT source FROM import_runs").fetchall()
    con.close()
    assert {source for source, _, _ in stored} >= {"a.xlsx:sheet 1 (List 7)", "a.xlsx:sheet 2 (List 7)",
                                                   "a.xlsx:sheet 3 (List 8)", "a.xlsx:List 3 Referrals (2024)"}
    log = (tmp_path / "s.duckdb.access.jsonl").read_text()
    for name in ("Pemberton", "Green", "Smith"):
        assert name not in str(stored) and name not in str(runs) and name not in log
    with pytest.raises(FatalImportError, match=r"sheets found: sheet 1, sheet 2 \(List 8\)$"):
        annex_a.read([write_workbook(tmp_path / "b.xlsx", {"Pemberton notes": [["x"]],
                                                           "List 8 - Smith family": [["Child Unique ID"]]})])


def test_an_empty_list_sheet_is_said_and_an_empty_list_7_stops_the_import(tmp_path):
    """A list exported with nothing in it (an empty List 8 sheet) was a reject saying the sheet has no 'Child Unique
    ID' column, and an empty List 7 stopped the import asking to delete the rows above a header it has not got.  An
    empty list loads nothing, with the empty file's warning (as a bundle's or an SSD extract's optional file); an
    empty List 7, the list the workbook is read for, stops the import saying it is empty."""
    path = write_workbook(tmp_path / "e.xlsx", {"List 7": [LIST7_HEADERS, list7_row("E1", "2023-01-05")],
                                                "List 8": [], "List 3": [[None], [None, None]]})
    e = annex_a.read([path])
    assert e.tables["plans"]["child_id"].tolist() == ["E1"] and not e.rejects
    assert sorted((w.source, w.row, w.field, w.reason) for w in e.warnings) == [
        ("e.xlsx:List 3", None, None, "empty (no heading row, no rows): nothing was loaded from it; the import goes on "
                                      "without it"),
        ("e.xlsx:List 8", None, None, "empty (no heading row, no rows): nothing was loaded from it; the import goes on "
                                      "without it")]
    with pytest.raises(FatalImportError, match=r"^f\.xlsx: sheet 'List 7' \(List 7\) is empty \(no heading row, no "
                                               r"rows\), and List 7 \(child protection\) is needed"):
        annex_a.read([write_workbook(tmp_path / "f.xlsx", {"List 7": [], "List 8": [["Child Unique ID"]]})])
