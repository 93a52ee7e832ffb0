"""SSD extract reader: the fixture folder, identifier dropping, team choice, fatal errors, import."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from paqa_dash.ingest import ssd
from paqa_dash.ingest.frames import COLUMNS, FatalImportError
from support.paths import FIXTURES

FOLDER = FIXTURES / "ssd"
# Identifying values in the fixture that must never reach a table or the store.
IDENTIFYING = ["Jade", "Okafor", "Liam", "Pemberton", "Tariq", "Hussain", "943 476 5919", "9434765870",
               "4010232137", "A123456789012", "Elm Road", "Mill Lane", "Quay Street", "TS1 4AB", "TS2 9ZZ",
               "Aisha Brennan", "Tom Lindqvist", "SW123456"]


@pytest.fixture(scope="module")
def extract():
    return ssd.read([FOLDER])


def _records(extract, table, cols):
    return extract.tables[table][list(cols)].to_dict("records")


def test_children_drop_identifiers(extract):
    assert _records(extract, "children", ("child_id", "family_id", "birth_date", "sex", "ethnicity", "_source", "_row")) == [
        {"child_id": "P001", "family_id": "F01", "birth_date": "2015-03-14", "sex": "F", "ethnicity": "WBRI",
         "_source": "ssd_person.csv", "_row": 2},
        {"child_id": "P002", "family_id": "F01", "birth_date": "2017-08-02", "sex": "M", "ethnicity": "WBRI",
         "_source": "ssd_person.csv", "_row": 3},
        {"child_id": "P003", "family_id": "F02", "birth_date": "2024-05-01", "sex": "U", "ethnicity": "NOBT",
         "_source": "ssd_person.csv", "_row": 4},  # expected date of birth: unborn at plan start
        {"child_id": "P004", "family_id": None, "birth_date": "2010-11-30", "sex": "M", "ethnicity": "APKN",
         "_source": "ssd_person.csv", "_row": 5},
    ]
    for table, frame in extract.tables.items():
        assert list(frame.columns) == [*COLUMNS[table], "_source", "_row"]
        cells = " ".join(str(v) for v in frame.to_numpy().ravel() if v is not None)
        assert not [v for v in IDENTIFYING if v in cells]


def test_names_collected_for_scrubbing(extract):
    assert extract.names == {"Jade", "Okafor", "Liam", "Pemberton", "Tariq", "Hussain",
                             "Aisha Brennan", "Tom Lindqvist"}  # "Baby" is a placeholder, not a name


def test_plans_keyed_like_cin_with_team_from_involvements(extract):
    assert _records(extract, "plans", ("plan_id", "start_date", "end_date", "initial_category",
                                       "latest_category", "team")) == [
        # involvement I1 (2021-12-01..2022-01-15) spans the start
        {"plan_id": "P001|plan|2022-01-10", "start_date": "2022-01-10", "end_date": "2022-03-20",
         "initial_category": "NEG", "latest_category": "NEG", "team": "Assessment Team 1"},
        # I2 (open from 2022-01-15) spans the start
        {"plan_id": "P001|plan|2023-01-05", "start_date": "2023-01-05", "end_date": None,
         "initial_category": "MUL", "latest_category": "NEG", "team": "Locality 2 Unit 1"},
        # I3 ended the day before: the ICPC's team
        {"plan_id": "P002|plan|2022-01-10", "start_date": "2022-01-10", "end_date": "2022-03-20",
         "initial_category": "NEG", "latest_category": "EMO", "team": "Locality 3 Unit 2"},
        # no involvement at all: the ICPC's team
        {"plan_id": "P003|plan|2024-02-01", "start_date": "2024-02-01", "end_date": None,
         "initial_category": "PHY", "latest_category": "PHY", "team": "Locality 1 Unit 1"},
    ]


def test_events_of_plans(extract):
    got = _records(extract, "events", ("event_id", "child_id", "event_date", "event_type", "plan_id"))
    assert got == [
        {"event_id": "P001|ICPC|2022-01-10", "child_id": "P001", "event_date": "2022-01-10", "event_type": "ICPC", "plan_id": "P001|plan|2022-01-10"},
        {"event_id": "P001|ICPC|2023-01-05", "child_id": "P001", "event_date": "2023-01-05", "event_type": "ICPC", "plan_id": "P001|plan|2023-01-05"},
        {"event_id": "P002|ICPC|2022-01-10", "child_id": "P002", "event_date": "2022-01-10", "event_type": "ICPC", "plan_id": "P002|plan|2022-01-10"},
        {"event_id": "P003|ICPC|2024-02-01", "child_id": "P003", "event_date": "2024-02-01", "event_type": "ICPC", "plan_id": "P003|plan|2024-02-01"},
        {"event_id": "P001|REVIEW_CONFERENCE|2023-04-01", "child_id": "P001", "event_date": "2023-04-01", "event_type": "REVIEW_CONFERENCE", "plan_id": "P001|plan|2023-01-05"},
        {"event_id": "P002|REVIEW_CONFERENCE|2022-03-20", "child_id": "P002", "event_date": "2022-03-20", "event_type": "REVIEW_CONFERENCE", "plan_id": "P002|plan|2022-01-10"},
        {"event_id": "P001|VISIT|2022-01-20", "child_id": "P001", "event_date": "2022-01-20", "event_type": "VISIT", "plan_id": "P001|plan|2022-01-10"},
        {"event_id": "P001|VISIT|2023-01-19", "child_id": "P001", "event_date": "2023-01-19", "event_type": "VISIT", "plan_id": "P001|plan|2023-01-05"},
        # V3 has no person id: the child comes from its plan
        {"event_id": "P003|VISIT|2024-02-10", "child_id": "P003", "event_date": "2024-02-10", "event_type": "VISIT", "plan_id": "P003|plan|2024-02-01"},
        {"event_id": "P001|ASSESSMENT|2021-12-01", "child_id": "P001", "event_date": "2021-12-01", "event_type": "ASSESSMENT", "plan_id": None},
        {"event_id": "P002|ASSESSMENT|2021-12-01", "child_id": "P002", "event_date": "2021-12-01", "event_type": "ASSESSMENT", "plan_id": None},
    ]


def test_needs_from_assessment_factors(extract):
    assert _records(extract, "needs", ("need_id", "child_id", "identified_date", "factor")) == [
        {"need_id": "P001|need|1B|2021-12-20", "child_id": "P001", "identified_date": "2021-12-20", "factor": "1B"},
        {"need_id": "P001|need|3A|2021-12-20", "child_id": "P001", "identified_date": "2021-12-20", "factor": "3A"},
        {"need_id": "P001|need|4B|2021-12-20", "child_id": "P001", "identified_date": "2021-12-20", "factor": "4B"},
        # not authorised: dated at the start; the dict form keeps only "Yes" factors
        {"need_id": "P002|need|2B|2021-12-01", "child_id": "P002", "identified_date": "2021-12-01", "factor": "2B"},
    ]


@pytest.mark.parametrize("value, codes", [
    ('["1A","2B"]', ["1A", "2B"]), ("['1a', '2b']", ["1A", "2B"]), ("1A, 2B", ["1A", "2B"]),
    ('{"1A": "Yes", "2B": "No"}', ["1A"]), ("[]", []), (None, []), ('["21"]', ["21"]),
])
def test_factor_json_forms(value, codes):
    assert ssd._factors(value) == codes


def test_single_files_and_extra_files_accepted(tmp_path):
    for name in ("ssd_person.csv", "ssd_cp_plans.csv"):
        shutil.copy(FOLDER / name, tmp_path / name)
    (tmp_path / "ssd_unknown_table.csv").write_text("a,b\n1,2\n")
    e = ssd.read([tmp_path / "ssd_person.csv", tmp_path / "ssd_cp_plans.csv"])
    assert len(e.tables["plans"]) == 4
    assert e.tables["plans"]["team"].isna().all()  # no involvements, no ICPCs: the validator rejects


# ---------------------------------------------------------------- fatal errors

def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "ssd"
    shutil.copytree(FOLDER, folder)
    return folder


def test_missing_required_file_names_the_folder(tmp_path):
    folder = _copy(tmp_path)
    (folder / "ssd_cp_plans.csv").unlink()
    with pytest.raises(FatalImportError, match=r"ssd: SSD extract folder has no ssd_cp_plans\.csv"):
        ssd.read([folder])


def test_missing_required_column_names_file_column_and_layout(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "ssd_cp_plans.csv"
    path.write_text(path.read_text().replace("cppl_cp_plan_start_date", "start_when"))
    with pytest.raises(FatalImportError, match=r"ssd_cp_plans.csv: required column 'cppl_cp_plan_start_date' is "
                                               r"missing \(columns as the D2I SystemC/Liquidlogic or Eclipse scripts"):
        ssd.read([folder])


def test_an_optional_table_missing_a_column_is_left_out_with_a_warning(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "ssd_cp_visits.csv"
    path.write_text(path.read_text().replace("cppv_cp_visit_date", "visit_when"))
    e = ssd.read([folder])
    assert not (e.tables["events"]["event_type"] == "VISIT").any()
    assert len(e.tables["plans"]) == 4 and (e.tables["events"]["event_type"] == "REVIEW_CONFERENCE").sum() == 2
    assert [(w.table, w.source, w.field) for w in e.warnings if "not read" in w.reason] == [
        ("ssd_cp_visits", "ssd_cp_visits.csv", "cppv_cp_visit_date")]


def test_empty_required_and_binary_files_are_fatal(tmp_path):
    folder = _copy(tmp_path)
    (folder / "ssd_person.csv").write_bytes(b"")
    with pytest.raises(FatalImportError, match="ssd_person.csv: empty"):
        ssd.read([folder])
    (folder / "ssd_person.csv").write_bytes((FOLDER / "ssd_person.csv").read_bytes())
    (folder / "ssd_family.csv").write_bytes(b"PK\x03\x04\x00\x00binary" * 20)
    with pytest.raises(FatalImportError, match="ssd_family.csv: binary file"):
        ssd.read([folder])


# ---------------------------------------------------------------- end to end

def test_import_stores_no_identifying_value(tmp_path, monkeypatch):
    from paqa_dash.pipeline import run_import
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")
    db = tmp_path / "s.duckdb"
    s = run_import([FOLDER], db)
    assert {t: (c["read"], c["loaded"], c["rejected"]) for t, c in s.tables.items() if c["read"]} == {
        "children": (4, 4, 0), "plans": (4, 4, 0), "events": (11, 11, 0), "needs": (4, 4, 0)}
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        text = " ".join(str(v) for t in tables for row in con.execute(f'SELECT * FROM "{t}"').fetchall()
                        for v in row if v is not None)
    finally:
        con.close()
    assert not [v for v in IDENTIFYING if v in text]
    assert "P001" not in text  # ids are pseudonyms


def _slashed(path: Path, order: str) -> None:
    """Rewrite the plans file's ISO dates as dd/mm/yyyy (`order` 'dmy') or mm/dd/yyyy ('mdy')."""
    import re

    def swap(m: re.Match) -> str:
        y, mo, d = m.groups()
        return f"{d}/{mo}/{y}" if order == "dmy" else f"{mo}/{d}/{y}"
    path.write_text(re.sub(r"(\d{4})-(\d{2})-(\d{2})", swap, path.read_text()))


def test_a_month_first_file_is_read_month_first_with_a_warning(tmp_path):
    folder = _copy(tmp_path)
    plans = folder / "ssd_cp_plans.csv"
    plans.write_text(plans.read_text().replace("2024-02-01", "2024-02-15"))   # a second date only month-first fits
    iso = ssd.read([folder]).tables["plans"].set_index("plan_id")["start_date"].tolist()
    _slashed(plans, "mdy")          # 01/10/2022 ... 03/20/2022, 02/15/2024: only month-first fits
    read = ssd.read([folder])
    assert read.tables["plans"].set_index("plan_id")["start_date"].tolist() == iso
    assert any(w.source == "ssd_cp_plans.csv" and "month-first" in w.reason for w in read.warnings)


def test_a_file_written_both_ways_is_refused(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "ssd_cp_plans.csv"
    _slashed(path, "mdy")
    path.write_text(path.read_text() + "CP9,RF9,IC9,P001,25/12/2023,,N,Neglect,Neglect\n")
    with pytest.raises(FatalImportError, match="ssd_cp_plans.csv: dates are written both day-first"):
        ssd.read([folder])


def test_a_nul_byte_anywhere_is_refused(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "ssd_cp_plans.csv"
    path.write_bytes(path.read_bytes() + b"CP9,RF9,IC9,P001,2023-01-01" + b" " * 5000 + b"\x00,,N,Neglect,Neglect\n")
    with pytest.raises(FatalImportError, match="ssd_cp_plans.csv: binary file"):
        ssd.read([folder])


def test_a_category_naming_two_categories_loads_as_multiple_with_a_warning(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "ssd_cp_plans.csv"
    path.write_text(path.read_text().replace("N,Neglect,Emotional abuse", 'N,"Emotional abuse, Neglect",Emotional abuse'))
    e = ssd.read([folder])
    assert e.tables["plans"]["initial_category"].tolist() == ["NEG", "MUL", "MUL", "PHY"]
    assert [(w.source, w.row, w.field) for w in e.warnings if "more than one category" in w.reason] == [
        ("ssd_cp_plans.csv", 4, "initial_category")]


# ---------------------------------------------------------------- rows the CSV reading must not cut, shift or lose

def test_a_row_with_more_values_than_the_header_is_rejected_not_cut(tmp_path):
    """An unquoted comma ("Multiple: Neglect, Emotional abuse") shifts every later value one column on: the row
    is a reject naming the counts, not a plan stored with the wrong category.  A row of a file that only adds
    to other rows (a child's family) is not loaded either, and a warning says so."""
    folder = _copy(tmp_path)
    plans = folder / "ssd_cp_plans.csv"
    plans.write_text(plans.read_text().replace('"Multiple: Neglect, Emotional abuse"', "Multiple: Neglect, Emotional abuse"))
    family = folder / "ssd_family.csv"
    family.write_text(family.read_text() + "4,F03,P004,extra\n")
    e = ssd.read([folder])
    assert [(r.table, r.source, r.row, r.field, r.reason) for r in e.rejects] == [
        ("plans", "ssd_cp_plans.csv", 3, None,
         "row has 10 values, the header has 9 (a comma inside a value that is not in quotes?)"),
        ("events", "ssd_cp_reviews.csv", 2, "cppr_cp_plan_id",   # the review of that plan: its child is unknown
         "unknown plan: cppr_cp_plan_id names no plan in ssd_cp_plans and cppr_person_id is blank")]
    assert e.tables["plans"]["start_date"].tolist() == ["2022-01-10", "2022-01-10", "2024-02-01"]
    assert [(w.source, w.row, w.reason) for w in e.warnings if w.row == 5] == [
        ("ssd_family.csv", 5, "row has 4 values, the header has 3 (a comma inside a value that is not in quotes?): "
                              "the row was not read")]
    assert e.tables["children"].set_index("child_id")["family_id"].to_dict()["P004"] is None


def test_a_row_with_fewer_values_than_the_header_reads_the_missing_ones_as_blank(tmp_path):
    folder = _copy(tmp_path)
    visits = folder / "ssd_cp_visits.csv"
    visits.write_text(visits.read_text() + "V4,P001,CP1,2022-02-20\n")
    e = ssd.read([folder])
    assert not e.rejects
    assert "P001|VISIT|2022-02-20" in set(e.tables["events"]["event_id"])


def test_a_record_over_several_lines_is_numbered_by_the_line_it_starts_on(tmp_path):
    folder = _copy(tmp_path)
    visits = folder / "ssd_cp_visits.csv"
    visits.write_text(visits.read_text() + 'V4,P001,CP1,,"seen\nat the door",N,N\n')
    e = ssd.read([folder])
    assert [(r.source, r.row, r.field) for r in e.rejects] == [("ssd_cp_visits.csv", 5, "cppv_cp_visit_date")]


def test_a_long_value_is_read(tmp_path):
    """A value past Python csv's default field limit (131,072 characters) does not stop the import."""
    folder = _copy(tmp_path)
    visits = folder / "ssd_cp_visits.csv"
    visits.write_text(visits.read_text() + f'V4,P001,CP1,2022-02-20,"{"seen " * 40_000}",N,N\n')
    e = ssd.read([folder])
    assert "P001|VISIT|2022-02-20" in set(e.tables["events"]["event_id"])


def test_a_windows_1252_extract_with_a_byte_order_mark_is_read(tmp_path):
    """As for a bundle: the mark was read as Windows-1252 text into the first heading, `ï»¿pers_person_id`, and the
    extract refused for a missing `pers_person_id`."""
    folder = _copy(tmp_path)
    person = folder / "ssd_person.csv"
    text = person.read_text(encoding="utf-8-sig").replace("Jade,Okafor", "Jade,O\u2019Kafor")  # a curly quote
    person.write_bytes(b"\xef\xbb\xbf" + text.encode("cp1252"))
    e = ssd.read([folder])
    assert len(e.tables["children"]) == len(ssd.read([FIXTURES / "ssd"]).tables["children"])


def test_a_reject_names_the_extracts_own_column(tmp_path, monkeypatch):
    """A reject named only the stored field (`start_date`), where a census reject names its item and an Annex A reject
    its column heading: the analyst looks in ssd_cp_plans.csv for `cppl_cp_plan_start_date`."""
    from paqa_dash.pipeline import run_import

    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")
    folder = _copy(tmp_path)
    plans = folder / "ssd_cp_plans.csv"
    plans.write_text(plans.read_text(encoding="utf-8-sig").replace("2022-01-10", "2022-13-10", 1), encoding="utf-8")
    person = folder / "ssd_person.csv"
    person.write_text(person.read_text(encoding="utf-8-sig").replace(",F,02,", ",Q,02,", 1), encoding="utf-8")
    visits = folder / "ssd_cp_visits.csv"
    lines = visits.read_text(encoding="utf-8-sig").splitlines()
    date_at = lines[0].split(",").index("cppv_cp_visit_date")
    cells = lines[1].split(",")
    cells[date_at] = "2099-01-01"
    visits.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    s = run_import([folder], tmp_path / "s.duckdb")
    fields = {(r.source, r.row): r.field for r in s.rejects}
    assert fields[("ssd_cp_plans.csv", 2)] == "cppl_cp_plan_start_date (start_date)"
    assert fields[("ssd_person.csv", 2)] == "pers_sex/pers_gender (sex)"
    assert fields[("ssd_cp_visits.csv", 2)] == "cppv_cp_visit_date (event_date)"


def test_the_rows_are_built_from_the_columns_the_rejects_name(tmp_path, monkeypatch):
    """One list of the columns each stored field is read from (`ssd._READ_FROM`): the rows are built from it and a
    reject's field is named by it.  The row builders named the columns again, so a column added for one system (a
    script writing `pers_gender_identity` for sex, `cppl_start` for the start date) would have been named in rejects
    and not read, or read and not named.  Here the list is changed alone, and the reader follows it."""
    folder = tmp_path / "ssd"
    shutil.copytree(FOLDER, folder)
    for name, old, new in (("ssd_person.csv", "pers_sex", "pers_gender_identity"),
                           ("ssd_cp_plans.csv", "cppl_cp_plan_start_date", "cppl_start"),
                           ("ssd_cp_visits.csv", "cppv_cp_visit_date", "cppv_visit_on")):
        path = folder / name
        path.write_text(path.read_text().replace(old, new, 1))
    base = ssd.read([FOLDER])
    read_from = {table: dict(fields) for table, fields in ssd._READ_FROM.items()}
    read_from["children"]["sex"] = ("pers_gender_identity",)
    read_from["plans"]["start_date"] = ("cppl_start",)
    read_from["events"]["event_date:VISIT"] = ("cppv_visit_on",)
    monkeypatch.setattr(ssd, "_READ_FROM", read_from)
    monkeypatch.setitem(ssd.REQUIRED_COLUMNS, "ssd_cp_plans", ("cppl_cp_plan_id", "cppl_person_id", "cppl_start"))
    monkeypatch.setitem(ssd.REQUIRED_COLUMNS, "ssd_cp_visits", ("cppv_cp_plan_id", "cppv_visit_on"))
    got = ssd.read([folder])
    for table, cols in (("children", ["child_id", "sex"]), ("plans", ["plan_id", "start_date"]),
                        ("events", ["event_id", "event_date"])):
        assert got.tables[table][cols].to_dict("records") == base.tables[table][cols].to_dict("records")
    assert got.source_fields["plans"]["start_date"] == "cppl_start"
    assert got.source_fields["children"]["sex"] == "pers_gender_identity"


def test_an_empty_optional_extract_file_loads_nothing_for_it_with_a_warning(tmp_path):
    """A 0-byte ssd_cp_visits.csv (an extract that wrote nothing) stopped the import ('empty file'); the rest of the
    extract is read as it is without the file, and the file is said."""
    without = tmp_path / "without"
    shutil.copytree(FOLDER, without)
    (without / "ssd_cp_visits.csv").unlink()
    empty = tmp_path / "empty"
    shutil.copytree(FOLDER, empty)
    (empty / "ssd_cp_visits.csv").write_bytes(b"")
    got, base = ssd.read([empty]), ssd.read([without])
    for table in base.tables:
        assert got.tables[table].to_dict("records") == base.tables[table].to_dict("records")
    assert [(w.table, w.source, w.reason) for w in got.warnings if w not in base.warnings] == [
        ("ssd_cp_visits", "ssd_cp_visits.csv",
         "empty (no heading row, no rows): nothing was loaded from it; the import goes on without it")]
    (empty / "ssd_cp_plans.csv").write_bytes(b"\r\n")
    with pytest.raises(FatalImportError, match=r"^ssd_cp_plans\.csv: empty \(no heading row, no rows\), "
                                               r"and ssd_cp_plans is required"):
        ssd.read([empty])
