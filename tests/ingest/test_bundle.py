"""The native bundle through the shared pipeline: counts, reasons, atomicity, idempotence, de-identification."""
from __future__ import annotations

from paqa_dash.ingest.validate import FACTOR_HINT

import hashlib
import hmac
import json
import shutil
import stat
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from paqa_dash.cli import main
from paqa_dash.ingest import load as load_module
from paqa_dash.ingest.frames import TABLES, FatalImportError
from paqa_dash.pipeline import run_import
from support.bundles import bundle_workbook, write_bundle
from support.snapshot import snapshot
from support.paths import FIXTURES

MESSY = FIXTURES / "bundle_messy"
PLAN_COLUMNS = ["plan_id", "child_id", "start_date", "initial_category", "team"]


KEY = "test-key-not-secret"


@pytest.fixture(autouse=True)
def fixed_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_PSEUDO_KEY", KEY)


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory):
    """The messy bundle imported once into a new store: (its summary, the store).  Read it only; a test that
    imports more takes `messy_copy` (an import costs about a second, most of it the derived tables)."""
    db = tmp_path_factory.mktemp("messy") / "s.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PAQA_PSEUDO_KEY", KEY)
        summary = run_import([MESSY], db)
    return summary, db


@pytest.fixture
def messy_copy(messy, tmp_path: Path) -> Path:
    """A writable copy of `messy`'s store, as `run_import([MESSY], tmp_path / "s.duckdb")` leaves it."""
    db = tmp_path / "s.duckdb"
    shutil.copy(messy[1], db)
    return db


def test_messy_bundle_exact_counts(messy) -> None:
    summary, _ = messy
    counts = {t: (c["read"], c["loaded"], c["rejected"], c["duplicates"]) for t, c in summary.tables.items()}
    assert counts == {
        "children": (6, 3, 2, 1),
        "plans": (10, 3, 7, 0),
        "events": (7, 4, 3, 0),
        "attendance": (6, 3, 3, 0),
        "family_changes": (4, 2, 2, 0),
        "needs": (4, 2, 2, 0),
        "actions": (5, 3, 2, 0),
    }
    for c in summary.tables.values():
        assert c["read"] == c["loaded"] + c["rejected"] + c["duplicates"]


def test_reject_reasons_name_file_row_and_field(messy) -> None:
    summary, _ = messy
    got = {(r.source, r.row, r.field, r.reason) for r in summary.rejects}
    assert ("plans.csv", 4, "end_date", "plan starts and ends on the same day (CIN rule 8840)") in got
    assert ("plans.csv", 5, "end_date", "end_date is before start_date") in got
    assert ("plans.csv", 8, "start_date", "plan overlaps an earlier plan of the same child, from 2021-03-01, still "
            "open (CIN rule 8940)") in got   # P7 starts inside C1's open P2
    assert ("plans.csv", 7, "child_id", "child_id refers to no child in this import or the store") in got
    assert ("plans.csv", 10, "child_id", "child_id refers to a child whose row was rejected") in got
    assert ("plans.csv", 11, "plan_id", "duplicate plan_id with different content (first seen at row 2)") in got
    assert ("actions.csv", 5, "plan_id", "plan_id refers to a plan whose row was rejected") in got
    assert ("needs.csv", 4, "factor", "unknown factor code 'RB'" + FACTOR_HINT) in got
    assert ("events.csv", 8, "agency", "unknown agency code (text of 4 characters): write one of ADULT_DA, ADULT_MH, "
            "ADULT_SUBSTANCE, CSC, EDUCATION, FAMILY, HEALTH, HOUSING, OTHER, POLICE, PROBATION") in got
    warnings = {w.reason for w in summary.warnings}
    assert "unknown column 'first_name' ignored" in warnings
    # C3's birth date (2019-02-30) is optional: the child and its plan P5 load, without it, and a warning says so
    assert not [r for r in summary.rejects if r.table == "children" and r.row == 4]
    assert ("children.csv", 4, "birth_date", "birth_date is not a valid date (expected YYYY-MM-DD, DD/MM/YYYY, 3 Apr 2023 or Apr 3, 2023): not stored; the "
            "row is loaded without it") in {(w.source, w.row, w.field, w.reason) for w in summary.warnings}


def test_rejects_are_stored_with_the_run(messy) -> None:
    summary, db = messy
    con = duckdb.connect(str(db), read_only=True)
    stored = con.execute("SELECT count(*) FROM rejects").fetchone()[0]
    runs = con.execute("SELECT rows_read, rows_loaded, rows_rejected, rows_duplicate FROM import_runs").fetchall()
    con.close()
    assert stored == len(summary.rejects) == 21
    assert runs == [(42, 20, 21, 1)]


def test_reimport_changes_nothing(messy_copy: Path) -> None:
    db = messy_copy
    before = snapshot(db)
    again = run_import([MESSY], db)
    assert again.unchanged
    assert all(c["loaded"] == 0 for c in again.tables.values())
    assert snapshot(db) == before


def test_cli_json_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(MESSY), "--db", str(tmp_path / "s.duckdb"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"tables", "rejects"}
    assert out["tables"]["plans"] == {"read": 10, "loaded": 3, "rejected": 7, "duplicates": 0}
    assert {"table", "source", "row", "reason"} <= set(out["rejects"][0])


@pytest.mark.parametrize("breakage, message", [
    ("missing_column", "plans.csv: missing required column 'start_date'"),
    ("empty", "plans.csv: empty (no heading row, no rows), and plans is needed"),
    ("binary", "events.csv: this is a binary file"),
])
def test_fatal_error_leaves_store_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            breakage: str, message: str, messy_copy: Path) -> None:
    db = messy_copy
    before = snapshot(db)
    bad = tmp_path / "bad"
    shutil.copytree(MESSY, bad)
    if breakage == "missing_column":
        text = (bad / "plans.csv").read_text().replace("start_date", "starting")
        (bad / "plans.csv").write_text(text)
    elif breakage == "empty":  # an empty events.csv loads nothing for events, with a warning: plans are needed
        (bad / "plans.csv").write_text("")
    else:
        (bad / "events.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (bad / "children.csv").write_text("child_id\nNEW1\n")
    assert main(["import", str(bad), "--db", str(db)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    assert snapshot(db) == before


def test_error_while_writing_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, messy_copy: Path) -> None:
    db = messy_copy
    before = snapshot(db)
    other = tmp_path / "other"
    other.mkdir()
    (other / "children.csv").write_text("child_id,sex\nNEWCHILD,F\n")

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(load_module, "_record_run", boom)
    with pytest.raises(RuntimeError):
        run_import([other], db)
    assert snapshot(db) == before


def test_plan_overlapping_a_stored_plan_is_rejected(tmp_path: Path, messy_copy: Path) -> None:
    db = messy_copy
    more = tmp_path / "more"
    more.mkdir()
    (more / "plans.csv").write_text(
        "plan_id,child_id,start_date,end_date,initial_category,team\n"
        "PX,C1,2021-05-01,,NEG,North\n"      # C1's P2 is open from 2021-03-01
        "PY,C2,2019-01-01,2019-06-01,EMO,South\n")
    summary = run_import([more], db)
    assert summary.tables["plans"]["loaded"] == 1
    assert [r.reason for r in summary.rejects] == ["plan overlaps an earlier plan of the same child, from 2021-03-01, "
                                                   "still open (CIN rule 8940)"]


def test_an_overlap_names_the_earlier_plan_by_its_dates_when_it_began_on_the_birthday(tmp_path: Path) -> None:
    """A plan made at birth (a pre-birth plan carried on) starts on the child's birthday; the reason is the product's
    own sentence about a plan's dates, which the store holds anyway, so it is not scrubbed: it read "from [date of
    birth]", and the reader could not find the plan it names."""
    src = tmp_path / "born"
    src.mkdir()
    (src / "children.csv").write_text("child_id,birth_date,sex\nC9,2020-06-01,F\n")
    (src / "plans.csv").write_text("plan_id,child_id,start_date,end_date,initial_category,team\n"
                                   "PA,C9,2020-06-01,,NEG,North\n"
                                   "PB,C9,2021-01-04,,NEG,North\n")
    summary = run_import([src], tmp_path / "s.duckdb")
    assert [(r.where(), r.field, r.reason) for r in summary.rejects] == [
        ("plans.csv row 3", "start_date",
         "plan overlaps an earlier plan of the same child, from 2020-06-01, still open (CIN rule 8940)")]


def test_xlsx_bundle_matches_csv(tmp_path: Path, messy) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for csv_file in sorted(MESSY.glob("*.csv")):
        ws = wb.create_sheet(csv_file.stem)
        for line in csv_file.read_text(encoding="utf-8-sig").splitlines():
            ws.append(line.split(","))
    xlsx = tmp_path / "bundle.xlsx"
    wb.save(xlsx)
    from_xlsx = run_import([xlsx], tmp_path / "x.duckdb")
    from_csv, _ = messy
    assert from_xlsx.tables == from_csv.tables


def test_pseudonyms_are_keyed_hmacs(messy) -> None:
    _, db = messy
    expected = hmac.new(b"test-key-not-secret", b"C1", hashlib.sha256).hexdigest()[:16]
    con = duckdb.connect(str(db), read_only=True)
    ids = {r[0] for r in con.execute("SELECT child_id FROM children").fetchall()}
    con.close()
    assert expected in ids


def test_key_file_created_once_with_mode_0600(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAQA_PSEUDO_KEY")
    db = tmp_path / "s.duckdb"
    run_import([MESSY], db)
    key_file = tmp_path / "s.duckdb.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_bytes()
    run_import([MESSY], db)
    assert key_file.read_bytes() == key
    con = duckdb.connect(str(db), read_only=True)
    assert key.decode() not in str(con.execute("SELECT * FROM meta").fetchall())
    con.close()


def test_every_table_is_created(messy) -> None:
    _, db = messy
    con = duckdb.connect(str(db), read_only=True)
    tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    con.close()
    assert set(TABLES) | {"import_runs", "rejects"} <= tables


def test_semicolon_csv_and_loose_headers(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "Children.CSV").write_text('Child_ID , SEX\n" C1 ",male\nC2,f\n')
    (folder / "plans.csv").write_text("plan_id;child_id;start_date;initial_category;team\nP1;C1;2020-01-01;neglect;North\n")
    summary = run_import([folder], tmp_path / "s.duckdb")
    assert summary.tables["children"]["loaded"] == 2
    assert summary.tables["plans"]["loaded"] == 1
    assert any("semicolons" in w.reason for w in summary.warnings)


def test_a_windows_1252_file_is_named_so_in_its_stored_warning(tmp_path: Path) -> None:
    """The product's own note about a file is not scrubbed ("Windows-1252" has a record id's shape); a note
    in the same file quoting an id still is."""
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "children.csv").write_text("child_id,sex\nC1,F\n")
    (folder / "plans.csv").write_bytes("plan_id,child_id,start_date,initial_category,team\n"
                                       "P1,C1,2020-01-01,NEG,Caf\xe9 Team\n".encode("cp1252"))
    (folder / "events.csv").write_text("event_id,child_id,plan_id,event_date,event_type,agency,detail\n"
                                       "E1,C1,P1,2020-02-01,CORE_GROUP,CSC,see case AB-12345\n")
    db = tmp_path / "s.duckdb"
    summary = run_import([folder], db)
    assert [(w.source, w.reason) for w in summary.warnings] == [("plans.csv", "file is not UTF-8; read as Windows-1252")]
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT message FROM warnings").fetchall() == [("file is not UTF-8; read as Windows-1252",)]
        assert con.execute("SELECT team FROM plans").fetchall() == [("Caf\xe9 Team",)]
        assert con.execute("SELECT detail FROM events").fetchall() == [("see case [record id]",)]
    finally:
        con.close()


def test_header_only_files_load_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "children.csv").write_text("child_id,sex\n")
    summary = run_import([folder], tmp_path / "s.duckdb")
    assert summary.tables["children"] == {"read": 0, "loaded": 0, "rejected": 0, "duplicates": 0}


def test_utf16_tab_separated_export_and_stray_files(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "children.csv").write_bytes("child_id\tsex\nC1\tF\n".encode("utf-16"))
    (folder / "readme.txt").write_text("notes")
    summary = run_import([folder], tmp_path / "s.duckdb")
    assert summary.tables["children"]["loaded"] == 1
    reasons = {w.reason for w in summary.warnings}
    assert "file 'readme.txt' is not a bundle table; ignored" in reasons


def test_a_scheduled_meeting_has_a_due_date_and_no_date(tmp_path: Path) -> None:
    """events.csv `due_date`: a review not yet held loads as scheduled; a row with neither date is rejected."""
    bundle = write_bundle(tmp_path / "b", children="child_id\nC1\n",
                          plans="plan_id,child_id,start_date,initial_category,team\nP1,C1,2023-01-05,NEG,North\n",
                          events="event_id,child_id,event_date,event_type,agency,plan_id,due_date\n"
                                 "E1,C1,2023-04-01,REVIEW_CONFERENCE,CSC,P1,2023-04-05\n"
                                 "E2,C1,,REVIEW_CONFERENCE,CSC,P1,2099-10-01\n"   # scheduled: due may be in the future
                                 "E3,C1,,REVIEW_CONFERENCE,CSC,P1,\n")
    db = tmp_path / "s.duckdb"
    summary = run_import([bundle], db)
    assert [(r.row, r.field, r.reason) for r in summary.rejects] == [(4, "event_date", "required value event_date is blank")]
    con = duckdb.connect(str(db), read_only=True)
    try:
        got = con.execute("SELECT CAST(event_date AS VARCHAR), CAST(due_date AS VARCHAR) FROM events "
                          "ORDER BY due_date DESC").fetchall()
    finally:
        con.close()
    assert got == [(None, "2099-10-01"), ("2023-04-01", "2023-04-05")]


def test_headings_written_as_a_spreadsheet_writes_them_are_the_bundles_columns(tmp_path: Path) -> None:
    """`Child ID`, `Start Date`, `initial-category`: capitals, spaces and hyphens are read as the bundle's names,
    as file names are (`Family Changes.csv`)."""
    folder = write_bundle(tmp_path / "b", children="Child ID,Birth Month\nC1,2015-03\n",
                          plans="Plan ID,Child ID,Start Date,End  Date,initial-category,Team\n"
                                "P1,C1,2023-01-01,2023-06-01,NEG,North\n")
    summary = run_import([folder], tmp_path / "s.duckdb")
    assert (summary.tables["children"]["loaded"], summary.tables["plans"]["loaded"]) == (1, 1)
    assert not summary.rejects and not [w for w in summary.warnings if "unknown column" in w.reason]
    con = duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True)
    assert con.execute("SELECT end_date FROM plans").fetchone()[0].isoformat() == "2023-06-01"
    con.close()


def test_a_category_in_words_is_read_as_annex_a_reads_it_and_an_unknown_code_says_what_to_write(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", children="child_id\nC1\nC2\nC3\n",
                          plans="plan_id,child_id,start_date,initial_category,team\n"
                                "P1,C1,2023-01-01,Neglect and emotional abuse,North\n"
                                "P2,C2,2023-01-01,Emotional abuse,North\n"
                                "P3,C3,2023-01-01,XX,North\n")
    db = tmp_path / "s.duckdb"
    summary = run_import([folder], db)
    [warning] = [w for w in summary.warnings if w.field == "initial_category"]
    assert (warning.row, warning.reason) == (
        2, "initial_category names more than one category (neglect and emotional abuse): read as multiple (MUL)")
    [reject] = summary.rejects
    assert (reject.row, reject.reason) == (4, "unknown initial_category code 'XX': write the category in words "
                                              "(neglect, emotional abuse, physical abuse, sexual abuse, multiple) or its code")
    con = duckdb.connect(str(db), read_only=True)
    assert sorted(r[0] for r in con.execute("SELECT initial_category FROM plans").fetchall()) == ["EMO", "MUL"]
    con.close()


def test_a_placeholder_category_is_a_reject_not_a_failed_import(tmp_path: Path) -> None:
    """'#N/A' (Excel's placeholder) is no category: each plan is rejected naming its field, as before categories
    in words were read (it failed the whole import on the store's NOT NULL initial_category)."""
    folder = write_bundle(tmp_path / "b", children="child_id\nC1\nC2\n",
                          plans="plan_id,child_id,start_date,initial_category,latest_category,team\n"
                                "P1,C1,2024-01-01,#N/A,,North\nP2,C2,2024-01-01,NEG,N/A,North\n")
    summary = run_import([folder], tmp_path / "s.duckdb")
    assert summary.tables["plans"]["loaded"] == 0
    assert sorted((r.row, r.field, r.reason.split(":")[0]) for r in summary.rejects) == [
        (2, "initial_category", "unknown initial_category code (text of 4 characters)"),
        (3, "latest_category", "unknown latest_category code (text of 3 characters)")]


def test_dates_as_excel_and_other_systems_write_them_are_read_as_the_workbook_readers_read_them(tmp_path: Path) -> None:
    """A CSV saved from Excel writes a date-time cell as `01/04/2023 00:00`; other exports write `01-04-2023`,
    `01.04.2023` or a two-digit year. All were rejected row by row in a bundle while Annex A and SSD read them."""
    folder = write_bundle(tmp_path / "b", children="child_id\nC1\nC2\nC3\nC4\nC5\nC6\n",
                          plans="plan_id,child_id,start_date,end_date,initial_category,team\n"
                                "P1,C1,01/04/2023 00:00,30/09/2023 00:00,NEG,North\n"
                                "P2,C2,01-04-2023,,NEG,North\n"
                                "P3,C3,01.04.2023,,NEG,North\n"
                                "P4,C4,1/4/23,,NEG,North\n"
                                "P5,C5,31/02/2023,,NEG,North\n"
                                "P6,C6,23-04-01,,NEG,North\n")
    db = tmp_path / "s.duckdb"
    summary = run_import([folder], db)
    assert summary.tables["plans"]["loaded"] == 4
    # a day that does not exist is still a reject, naming what was expected; so is a two-digit year with dashes,
    # which may be written year first (2023-04-01, or 23 April 2001?)
    assert [(r.row, r.field, r.reason.split(" (")[0]) for r in summary.rejects] == [
        (6, "start_date", "start_date is not a valid date"), (7, "start_date", "start_date is not a valid date")]
    con = duckdb.connect(str(db), read_only=True)
    got = con.execute("SELECT start_date::VARCHAR, end_date::VARCHAR FROM plans ORDER BY 1, 2 NULLS FIRST").fetchall()
    con.close()
    assert got == [("2023-04-01", None)] * 3 + [("2023-04-01", "2023-09-30")]


def test_a_us_style_file_with_dashes_is_turned_round_and_read(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", children="child_id\nC1\nC2\n",
                          plans="plan_id,child_id,start_date,initial_category,team\n"
                                "P1,C1,01-13-2023,NEG,North\nP2,C2,02-14-2023,NEG,North\n")
    db = tmp_path / "s.duckdb"
    summary = run_import([folder], db)
    assert summary.tables["plans"]["loaded"] == 2 and not summary.rejects
    assert any("month-first" in w.reason for w in summary.warnings)
    con = duckdb.connect(str(db), read_only=True)
    assert [r[0] for r in con.execute("SELECT start_date::VARCHAR FROM plans ORDER BY 1").fetchall()] == [
        "2023-01-13", "2023-02-14"]
    con.close()


# ---------------------------------------------------------------- rows the CSV reading must not cut, shift or lose

_PLANS = "plan_id,child_id,start_date,initial_category,team\nP1,C1,2023-01-05,NEG,North\n"
_EVENTS = "event_id,child_id,event_date,event_type,agency,plan_id,detail\n"


def test_a_row_with_more_values_than_the_header_is_rejected_not_cut(tmp_path: Path) -> None:
    """An unquoted comma in a value gives the row a value too many: which value belongs to which column cannot
    be known, so the row is a reject saying so, not loaded with its last values dropped (or shifted)."""
    folder = write_bundle(tmp_path / "b", children="child_id\nC1\nC2\n",
                          plans=_PLANS + "P2,C2,2023-01-05,NEG,Locality North, Unit 1\n",
                          events=_EVENTS + "E1,C1,2023-02-01,VISIT,CSC,P1,Home visit, no answer\n"
                                           "E2,C1,2023-02-02,VISIT,CSC,P1,Seen\n")
    db = tmp_path / "s.duckdb"
    summary = run_import([folder], db)
    assert sorted((r.source, r.row, r.field, r.reason) for r in summary.rejects) == [
        ("events.csv", 2, None, "row has 8 values, the header has 7 (a comma inside a value that is not in quotes?)"),
        ("plans.csv", 3, None, "row has 6 values, the header has 5 (a comma inside a value that is not in quotes?)")]
    assert {t: (c["read"], c["loaded"], c["rejected"]) for t, c in summary.tables.items() if c["read"]} == {
        "children": (2, 2, 0), "plans": (2, 1, 1), "events": (2, 1, 1)}
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT detail FROM events").fetchall() == [("Seen",)]
        assert con.execute("SELECT count(*) FROM rejects").fetchone() == (2,)
    finally:
        con.close()


def test_rows_read_into_one_value_after_a_quote_left_open_are_said_not_loaded_as_a_note(tmp_path: Path) -> None:
    """A quote opened and never closed: the csv module reads every later line into that value, to the end of the
    file, and the rows after it would have loaded as one event's note, unseen."""
    folder = write_bundle(tmp_path / "b", children="child_id\nC1\n", plans=_PLANS,
                          events=_EVENTS + 'E1,C1,2023-02-01,VISIT,CSC,P1,"Seen at home\n'
                                           "E2,C1,2023-02-02,VISIT,CSC,P1,Seen\n"
                                           "E3,C1,2023-02-03,VISIT,CSC,P1,Seen\n")
    summary = run_import([folder], tmp_path / "s.duckdb")
    assert [(r.source, r.row, r.reason) for r in summary.rejects] == [(
        "events.csv", 2, "a value of this row runs over 3 lines, 2 of them shaped like rows of their own (a quote "
                         'opened and not closed?): the row and those lines are not read; close the quote, or write '
                         'a quote inside a value as ""')]
    assert summary.tables["events"]["loaded"] == 0


def test_a_note_over_several_lines_is_read(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", children="child_id\nC1\n", plans=_PLANS,
                          events=_EVENTS + 'E1,C1,2023-02-01,VISIT,CSC,P1,"Seen at home.\nMum, dad and nan there."\n')
    summary = run_import([folder], tmp_path / "s.duckdb")
    assert summary.tables["events"]["loaded"] == 1 and not summary.rejects


def test_a_semicolon_file_names_the_semicolon_in_the_reason(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", children="child_id;sex\nC1;F;x\n")
    [reject] = run_import([folder], tmp_path / "s.duckdb").rejects
    assert reject.reason == "row has 3 values, the header has 2 (a semicolon inside a value that is not in quotes?)"


def test_a_row_with_fewer_values_than_the_header_reads_the_missing_ones_as_blank(tmp_path: Path) -> None:
    """An export may leave off a row's empty cells at its end: they are blank, nothing moves; a required one
    blank rejects the row as any blank required value does."""
    folder = write_bundle(tmp_path / "b", children="child_id,sex,ethnicity\nC1,F\nC2\n",
                          plans="plan_id,child_id,start_date,initial_category,team,end_date\n"
                                "P1,C1,2023-01-05,NEG,North\nP2,C2,2023-01-05,NEG\n")
    summary = run_import([folder], tmp_path / "s.duckdb")
    assert (summary.tables["children"]["loaded"], summary.tables["plans"]["loaded"]) == (2, 1)
    assert [(r.source, r.row, r.field, r.reason) for r in summary.rejects] == [
        ("plans.csv", 3, "team", "required value team is blank")]


def test_a_long_free_text_value_is_read_and_scrubbed(tmp_path: Path) -> None:
    """A case note can run past Python csv's default field limit (131,072 characters): it is read, and scrubbed
    as any free text is."""
    note = "Visit went well. " * 10_000 + "Call 07700 900123."
    folder = write_bundle(tmp_path / "b", children="child_id\nC1\n", plans=_PLANS,
                          events=_EVENTS + f'E1,C1,2023-02-01,VISIT,CSC,P1,"{note}"\n')
    db = tmp_path / "s.duckdb"
    summary = run_import([folder], db)
    assert summary.tables["events"]["loaded"] == 1 and not summary.rejects
    con = duckdb.connect(str(db), read_only=True)
    try:
        [(detail,)] = con.execute("SELECT detail FROM events").fetchall()
    finally:
        con.close()
    assert len(detail) > 170_000 and detail.endswith("Call [phone].")


def test_a_value_past_the_csv_limit_stops_the_import_naming_file_line_and_limit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from paqa_dash.ingest import limits
    from paqa_dash.ingest.frames import FatalImportError

    monkeypatch.setattr(limits, "MAX_CSV_FIELD_CHARS", 1000)
    folder = write_bundle(tmp_path / "b", children="child_id\nC1\n", plans=_PLANS,
                          events=_EVENTS + "E1,C1,2023-02-01,VISIT,CSC,P1,short\n"
                                           f'E2,C1,2023-02-01,VISIT,CSC,P1,"{"x" * 900}\n{"y" * 200}"\n')
    with pytest.raises(FatalImportError, match=r"^events\.csv: line 3: a value longer than 1,000 characters"):
        run_import([folder], tmp_path / "s.duckdb")


def test_a_record_over_several_lines_is_numbered_by_the_line_it_starts_on(tmp_path: Path) -> None:
    """A quoted value holding a newline spans lines; the row is named by its first line, as an editor shows it."""
    folder = write_bundle(tmp_path / "b", children="child_id\nC1\n", plans=_PLANS,
                          events=_EVENTS + 'E1,C1,2023-02-01,VISIT,XX,P1,"first line\nsecond line\nthird"\n'
                                           "E2,C1,2023-02-02,VISIT,YY,P1,one line\n")
    summary = run_import([folder], tmp_path / "s.duckdb")
    assert [(r.row, r.field) for r in summary.rejects] == [(2, "agency"), (5, "agency")]


def test_a_bundle_of_headings_only_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Files holding only their heading row (or blank lines below it) load nothing: each file gets a warning
    saying so, and the command line says plainly that nothing was loaded."""
    folder = write_bundle(tmp_path / "b", children="child_id,sex\n",
                          plans="plan_id,child_id,start_date,initial_category,team\n,,,,\n\"\",,, ,\n")
    db = tmp_path / "s.duckdb"
    summary = run_import([folder], db)
    assert [(w.source, w.row, w.reason) for w in summary.warnings] == [
        ("children.csv", None, "no rows to load: there is nothing below the heading row but blank lines"),
        ("plans.csv", None, "no rows to load: there is nothing below the heading row but blank lines")]
    assert main(["import", str(folder), "--db", str(tmp_path / "cli.duckdb")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Nothing was loaded: these files hold no rows to load.\n")
    assert "warning: plans.csv: no rows to load" in out


def test_dates_with_the_month_in_words_load(tmp_path: Path) -> None:
    """`03-APR-23` (Oracle's default date) and `3 April 2023` were rejected as not dates; a day that does not
    exist still is."""
    folder = write_bundle(tmp_path / "b", children="child_id\nC1\nC2\nC3\n",
                          plans="plan_id,child_id,start_date,end_date,initial_category,team\n"
                                "P1,C1,03-APR-23,01-OCT-23,NEG,North\nP2,C2,3 April 2023,,NEG,North\n"
                                "P3,C3,30-FEB-23,,NEG,North\n")
    db = tmp_path / "s.duckdb"
    summary = run_import([folder], db)
    assert summary.tables["plans"]["loaded"] == 2
    assert [(r.row, r.field) for r in summary.rejects] == [(4, "start_date")]
    con = duckdb.connect(str(db), read_only=True)
    got = con.execute("SELECT start_date::VARCHAR, end_date::VARCHAR FROM plans ORDER BY 1, 2 NULLS FIRST").fetchall()
    con.close()
    assert got == [("2023-04-03", None), ("2023-04-03", "2023-10-01")]


def test_a_windows_1252_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """A file begun with UTF-8's byte-order mark and written in Windows-1252 (a curly apostrophe, a pound sign) is
    not UTF-8, so it was read as Windows-1252 mark and all: its first heading became `ï»¿plan_id`, and the import
    stopped for a missing column `plan_id`."""
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "children.csv").write_bytes(b"\xef\xbb\xbfchild_id,sex\r\nC1,F\r\n")
    (folder / "plans.csv").write_bytes(b"\xef\xbb\xbf" + "plan_id,child_id,start_date,initial_category,team\r\n"
                                       "P1,C1,2023-01-05,NEG,O\u2019Neill Court Team\r\n".encode("cp1252"))
    db = tmp_path / "s.duckdb"
    summary = run_import([folder], db)
    assert summary.tables["plans"]["loaded"] == 1
    assert [(w.source, w.reason) for w in summary.warnings] == [("plans.csv", "file is not UTF-8; read as Windows-1252")]
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT team FROM plans").fetchall() == [("O\u2019Neill Court Team",)]
    con.close()


@pytest.mark.parametrize("authority", [None, "202"])
def test_an_id_excel_shortened_to_scientific_notation_is_rejected_saying_so(tmp_path: Path, authority) -> None:
    """Opened in Excel and saved again, a CSV's 12-digit ids are written as Excel shows them, `1.23457E+11`: two
    children's ids become one, and the second was rejected as a `duplicate child_id with different content` (one
    with the same values only counted as a duplicate of the first), which says nothing of the cause."""
    folder = write_bundle(tmp_path / "b", children="child_id,sex\n1.23457E+11,F\n1.23457E+11,M\n123456789014,M\n",
                          plans="plan_id,child_id,start_date,initial_category,team\n"
                                "P1,1.23457e+11,2023-01-05,NEG,North\nP2,123456789014,2023-03-05,NEG,North\n")
    summary = run_import([folder], tmp_path / "s.duckdb", authority=authority)  # named: ids scoped, 202:...
    assert (summary.tables["children"]["loaded"], summary.tables["plans"]["loaded"]) == (1, 1)
    said = ("is a number Excel shortened to scientific notation: its last digits are lost, so the row cannot be "
            "linked to its record. Format the column as Text in Excel before saving, or export the file again")
    assert [(r.source, r.row, r.field, r.reason) for r in summary.rejects] == [
        ("children.csv", 2, "child_id", f"child_id {said}"), ("children.csv", 3, "child_id", f"child_id {said}"),
        ("plans.csv", 2, "child_id", f"child_id {said}")]


def test_a_team_merged_down_in_a_bundle_workbook_is_every_plans_team(tmp_path: Path) -> None:
    """As in an Annex A list: a team merged down two plans' rows is stored in the first row only, so the second plan
    was rejected as `required value team is blank` while Excel shows the team on its row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "children"
    for row in (["child_id"], ["C1"], ["C2"]):
        ws.append(row)
    plans = wb.create_sheet("plans")
    for row in (["plan_id", "child_id", "start_date", "initial_category", "team"],
                ["P1", "C1", "2023-01-05", "NEG", "North"], ["P2", "C2", "2023-02-05", "NEG", None]):
        plans.append(row)
    plans.merge_cells("E2:E3")
    wb.save(tmp_path / "bundle.xlsx")
    db = tmp_path / "s.duckdb"
    summary = run_import([tmp_path / "bundle.xlsx"], db)
    assert summary.tables["plans"]["loaded"] == 2 and not summary.rejects
    assert [(w.source, w.row, w.field, w.reason) for w in summary.warnings] == [
        ("bundle.xlsx:plans", 3, "team", "1 merged cell spans rows (E2:E3, 'team'): each of its rows is read with "
         "the value Excel shows across it")]
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT team FROM plans").fetchall() == [("North",), ("North",)]
    con.close()


def test_a_csv_file_beginning_with_excels_separator_line_is_read(tmp_path: Path) -> None:
    """Some exports write `sep=;` as the first line so that Excel splits the file in any locale.  It was read as the
    header, and the import stopped for a missing column `child_id`."""
    folder = write_bundle(tmp_path / "b", children="sep=;\nchild_id;sex\nC1;F\nC2;M\n",
                          plans="sep=,\nplan_id,child_id,start_date,initial_category,team\nP1,C1,2023-01-05,NEG,North\n")
    summary = run_import([folder], tmp_path / "s.duckdb")
    assert (summary.tables["children"]["loaded"], summary.tables["plans"]["loaded"]) == (2, 1)
    assert not summary.rejects
    assert [(w.source, w.reason) for w in summary.warnings] == [("children.csv", "values separated by semicolons")]


def test_a_totals_row_under_a_bundles_rows_is_not_a_child(tmp_path: Path) -> None:
    """A children.csv kept in Excel with a count under its rows (`Total,2`) stored a child called Total, without a
    word (a child needs only its id): the Annex A reader leaves such a row out with a warning, and so does the bundle
    reader now, by the same rule (ingest/codes.py, `totals_row`)."""
    folder = write_bundle(tmp_path / "b", children="child_id,sex\nK1,F\nK2,M\nTotal,2\n",
                          plans="plan_id,child_id,start_date,initial_category,team\n"
                                "Q1,K1,2023-04-03,NEG,North\nQ2,K2,2023-05-03,NEG,North\nGrand total: 2,,,,\n")
    db = tmp_path / "s.duckdb"
    summary = run_import([folder], db)
    assert summary.tables["children"]["loaded"] == 2 and summary.tables["plans"]["loaded"] == 2
    assert summary.rejects == []
    said = sorted((w.source, w.row, w.field, w.reason) for w in summary.warnings if "totals" in w.reason)
    assert said == [("children.csv", 4, "child_id", "a totals row (not a child): not read"),
                    ("plans.csv", 4, "plan_id", "a totals row (not a child): not read")]
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM children").fetchone() == (2,)
    con.close()


def test_a_totals_row_with_its_label_beside_a_blank_id_is_not_a_record(tmp_path: Path) -> None:
    """A total written under the column it counts (`,Total,2`: the id blank) was rejected as a child with a blank
    child_id, a reject that is no record's; it is a totals row, said as one (codes.totals_row, Annex A's rule too).
    A blank id beside a team that only begins with the word (`Total Care Team`) is still a blank id."""
    folder = write_bundle(tmp_path / "b", children="child_id,sex,count\nK1,F,1\n,Total,1\n,,Count: 1\n",
                          plans="plan_id,child_id,start_date,initial_category,team\n"
                                "Q1,K1,2023-04-03,NEG,North\n,K1,2023-05-03,NEG,Total Care Team\n")
    summary = run_import([folder], tmp_path / "s.duckdb")
    assert summary.tables["children"]["loaded"] == 1 and summary.tables["plans"]["loaded"] == 1
    assert [(r.source, r.row, r.field) for r in summary.rejects] == [("plans.csv", 3, "plan_id")]
    said = sorted((w.source, w.row, w.field, w.reason) for w in summary.warnings if "totals" in w.reason)
    assert said == [("children.csv", 3, "child_id", "a totals row (not a child): not read"),
                    ("children.csv", 4, "child_id", "a totals row (not a child): not read")]



def test_a_bundle_workbook_in_the_1904_date_system_reads_its_day_numbers_from_1904(tmp_path: Path) -> None:
    """A bundle workbook saved by Mac Excel in the 1904 date system: a start date typed as a number (43557, a cell
    formatted General) is 3 Apr 2023 counted from 1904, the workbook's own system; it was read from 1900, as
    2 Apr 2019 (four years and a day early)."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = bundle_workbook(children=[["child_id", "sex"], ["K1", "F"]],
                         plans=[PLAN_COLUMNS, ["Q1", "K1", 43557, "NEG", "North"]])
    wb.epoch = CALENDAR_MAC_1904
    wb.save(tmp_path / "bundle.xlsx")
    db = tmp_path / "s.duckdb"
    summary = run_import([tmp_path / "bundle.xlsx"], db)
    assert summary.rejects == [] and summary.tables["plans"]["loaded"] == 1
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT strftime(start_date, '%Y-%m-%d') FROM plans").fetchall() == [("2023-04-03",)]
    con.close()


def test_an_empty_optional_file_loads_nothing_for_its_table_with_a_warning(tmp_path: Path) -> None:
    """An export that wrote nothing (a 0-byte events.csv, an empty `events` sheet) stopped the whole import ('the file
    is empty'); the children and plans beside it are what the measures need, so they load and the file is said."""
    folder = write_bundle(tmp_path / "b", children="child_id,sex\nK1,F\n", events="",
                          plans="plan_id,child_id,start_date,initial_category,team\nQ1,K1,2023-04-03,NEG,North\n")
    summary = run_import([folder], tmp_path / "s.duckdb")
    assert (summary.tables["children"]["loaded"], summary.tables["plans"]["loaded"]) == (1, 1)
    assert [(w.table, w.source, w.row, w.field, w.reason) for w in summary.warnings] == [
        ("events", "events.csv", None, None,
         "empty (no heading row, no rows): nothing was loaded from it; the import goes on without it")]
    wb = bundle_workbook(children=[["child_id", "sex"], ["K2", "M"]],
                         plans=[PLAN_COLUMNS, ["Q2", "K2", "2023-04-03", "NEG", "North"]], events=[])
    wb.save(tmp_path / "bundle.xlsx")
    summary = run_import([tmp_path / "bundle.xlsx"], tmp_path / "w.duckdb")
    assert summary.tables["plans"]["loaded"] == 1
    assert [(w.source, w.reason) for w in summary.warnings] == [
        ("bundle.xlsx:events",
         "empty (no heading row, no rows): nothing was loaded from it; the import goes on without it")]


@pytest.mark.parametrize("empty", ["children", "plans"])
def test_an_empty_needed_file_stops_the_import_naming_it_and_leaves_the_store(tmp_path: Path, empty: str) -> None:
    db = tmp_path / "s.duckdb"
    run_import([write_bundle(tmp_path / "first", children="child_id,sex\nK1,F\n",
                             plans="plan_id,child_id,start_date,initial_category,team\nQ1,K1,2023-04-03,NEG,North\n")], db)
    before = snapshot(db)
    tables = {"children": "child_id,sex\nK2,F\n",
              "plans": "plan_id,child_id,start_date,initial_category,team\nQ2,K2,2023-05-03,NEG,North\n", empty: ""}
    with pytest.raises(FatalImportError) as failed:
        run_import([write_bundle(tmp_path / "second", **tables)], db)
    assert str(failed.value).startswith(f"{empty}.csv: empty (no heading row, no rows), and {empty} is needed")
    assert snapshot(db) == before



def test_the_heading_row_again_under_a_tables_rows_is_not_a_record(tmp_path: Path) -> None:
    """Two exports pasted one under the other: the heading row again among the rows was read as a child called
    child_id (a children.csv of ids alone) or a plan rejected for its start date 'start_date'."""
    folder = write_bundle(tmp_path / "b", children="child_id\nK1\nchild_id\nK2\n",
                          plans="plan_id,child_id,start_date,initial_category,team\nQ1,K1,2023-04-03,NEG,North\n"
                                "plan_id,child_id,start_date,initial_category,team\nQ2,K2,2023-05-03,NEG,North\n")
    summary = run_import([folder], tmp_path / "s.duckdb")
    assert (summary.tables["children"]["loaded"], summary.tables["plans"]["loaded"]) == (2, 2)
    assert summary.rejects == []
    assert sorted((w.source, w.row, w.field, w.reason) for w in summary.warnings) == [
        ("children.csv", 3, "child_id", "the heading row again (not a child): not read"),
        ("plans.csv", 3, "plan_id", "the heading row again (not a child): not read")]


def test_a_bundle_workbooks_child_ids_turned_into_numbers_are_said(tmp_path: Path) -> None:
    """A bundle workbook whose children sheet writes the id as text, `00123`, and whose plans sheet holds the number
    123 (Excel dropped the zeros): the plan was rejected as naming no child, with nothing about why.  The bundle
    reads ids as written (its rows go to the store before its last sheet is read), and the sheet is warned about."""
    wb = bundle_workbook(children=[["child_id", "sex"], ["00123", "F"]],
                         plans=[PLAN_COLUMNS, ["Q1", 123, "2023-04-03", "NEG", "North"]])
    wb.save(tmp_path / "bundle.xlsx")
    summary = run_import([tmp_path / "bundle.xlsx"], tmp_path / "s.duckdb")
    assert [(r.source, r.row, r.field) for r in summary.rejects] == [("bundle.xlsx:plans", 2, "child_id")]
    assert [(w.table, w.source, w.row, w.field, w.reason) for w in summary.warnings] == [(
        "plans", "bundle.xlsx:plans", None, "child_id",
        "1 child id is a number (of up to 3 digits; the first at row 2), where ids written as text in this workbook "
        "begin with zeros (text of 5 digits): Excel drops a number's leading zeros; read as written, so a child "
        "written both ways is read as two (a row naming it by the number refers to no child). Format the id column "
        "as Text and write the ids in full")]
