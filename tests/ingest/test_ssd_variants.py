"""SSD extracts as each D2I script family writes them (tests/fixtures/ssd/README.md): the same story reads
the same way whatever the system, scheduled reviews are kept as scheduled, rejects name the rule broken."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from paqa_dash.ingest import ssd
from paqa_dash.ingest.frames import FatalImportError
from support.paths import FIXTURES

VARIANTS = FIXTURES / "ssd"
IDENTIFYING = ["Jade", "Okafor", "Liam", "A123456789012", "9434765919", "9434765870", "Aisha Brennan",
               "Tom Lindqvist", "SW123456"]

# The story every variant's fixture tells, as the canonical tables see it.
PLANS = [{"plan_id": "1001|plan|2023-01-05", "team": "Locality North Unit 1", "initial_category": "NEG"},
         {"plan_id": "1002|plan|2022-01-10", "team": "Locality South Unit 2", "initial_category": "EMO"}]
REVIEWS = [  # held, scheduled (due, no date), held
    {"event_id": "1001|REVIEW_CONFERENCE|2023-04-01", "event_date": "2023-04-01", "due_date": "2023-04-05"},
    {"event_id": "1001|REVIEW_CONFERENCE|due:2023-10-01", "event_date": None, "due_date": "2023-10-01"},
    {"event_id": "1002|REVIEW_CONFERENCE|2022-04-08", "event_date": "2022-04-08", "due_date": "2022-04-10"},
]
REJECTS = [
    ("events", "ssd_cp_reviews.csv", 5, "cppr_cp_review_date",
     "neither cppr_cp_review_date nor cppr_cp_review_due is given: neither held nor scheduled"),
    ("events", "ssd_cp_visits.csv", 3, "cppv_cp_plan_id",
     "unknown plan: cppv_cp_plan_id names no plan in ssd_cp_plans and cppv_person_id is blank"),
    ("needs", "ssd_assessment_factors.csv", 3, "cinf_assessment_id",
     "unknown assessment: cinf_assessment_id names no assessment in ssd_cin_assessments"),
]


def _records(extract, table, cols):
    return extract.tables[table][list(cols)].to_dict("records")


@pytest.mark.parametrize("variant", ["systemc", "eclipse", "mosaic"])
def test_each_variant_reads_the_same_story(variant):
    e = ssd.read([VARIANTS / variant])
    assert _records(e, "plans", ("plan_id", "team", "initial_category")) == PLANS
    reviews = e.tables["events"][e.tables["events"]["event_type"] == "REVIEW_CONFERENCE"]
    assert reviews[["event_id", "event_date", "due_date"]].to_dict("records") == REVIEWS
    assert e.tables["events"]["event_type"].tolist().count("VISIT") == 1
    assert _records(e, "needs", ("need_id",)) == [{"need_id": "1001|need|1B|2022-12-20"},
                                                 {"need_id": "1001|need|3A|2022-12-20"}]
    assert [(r.table, r.source, r.row, r.field, r.reason) for r in e.rejects] == REJECTS
    assert _records(e, "children", ("child_id", "family_id", "birth_date")) == [
        {"child_id": "1001", "family_id": "F01" if variant != "mosaic" else "501", "birth_date": "2015-03-14"},
        {"child_id": "1002", "family_id": "F01" if variant != "mosaic" else "501", "birth_date": "2017-08-02"}]


@pytest.mark.parametrize("variant", ["systemc", "eclipse"])
def test_systemc_and_eclipse_need_no_warning(variant):
    assert ssd.read([VARIANTS / variant]).warnings == []


def test_mosaic_is_named_and_each_gap_explained():
    e = ssd.read([VARIANTS / "mosaic"])
    assert [(w.source, w.field) for w in e.warnings] == [
        ("ssd_person.csv", None), ("ssd_cp_reviews.csv", "cppr_person_id"), ("ssd_cp_visits.csv", "cppv_cp_visit_id"),
        ("ssd_cp_visits.csv", "cppv_person_id"), ("ssd_involvements.csv", "invo_person_id")]
    assert e.warnings[0].reason == "SSD extract read as written by the D2I Mosaic scripts"
    assert "matched to plans by referral" in e.warnings[-1].reason
    # the visit id the script writes second is read, the first (always NULL) is not
    assert "the first non-blank value is read" in e.warnings[2].reason


def _mosaic(tmp_path: Path) -> Path:
    folder = tmp_path / "mosaic"
    shutil.copytree(VARIANTS / "mosaic", folder, ignore=shutil.ignore_patterns("dw"))
    return folder


def test_mosaic_data_warehouse_involvements_person_id_alias(tmp_path):
    folder = _mosaic(tmp_path)
    shutil.copy(VARIANTS / "mosaic" / "dw" / "ssd_involvements.csv", folder / "ssd_involvements.csv")
    e = ssd.read([folder])
    assert _records(e, "plans", ("plan_id", "team", "initial_category")) == PLANS  # teams given as names
    assert not [w for w in e.warnings if w.field == "invo_person_id"]  # PersonID is invo_person_id


def test_an_optional_column_renamed_degrades_that_table_only(tmp_path):
    """The issue's case: involvements with neither a person nor a referral column no longer stop the import."""
    folder = _mosaic(tmp_path)
    path = folder / "ssd_involvements.csv"
    path.write_bytes(path.read_bytes().replace(b"invo_referral_id", b"invo_ref"))
    e = ssd.read([folder])
    assert [w.reason for w in e.warnings if w.table == "ssd_involvements"] == [
        "required column 'invo_person_id' is missing (columns as the D2I Mosaic scripts write them): "
        "ssd_involvements not read, the import goes on without it"]
    assert _records(e, "plans", ("plan_id", "team", "initial_category")) == PLANS  # the ICPC's team instead


def test_department_ids_without_ssd_department_are_kept_with_a_warning(tmp_path):
    folder = tmp_path / "systemc"
    shutil.copytree(VARIANTS / "systemc", folder)
    (folder / "ssd_department.csv").unlink()
    e = ssd.read([folder])
    assert e.tables["plans"]["team"].tolist() == ["3120", "3121"]
    assert [w.reason for w in e.warnings] == [
        "2 team(s) are department ids with no name in ssd_department: add ssd_department.csv to show team names"]


def test_department_names_are_not_taken_for_person_names():
    e = ssd.read([VARIANTS / "systemc"])
    assert e.names == {"Jade", "Okafor", "Liam", "Aisha Brennan", "Tom Lindqvist"}
    assert not ssd.is_name_column("dept_team_name") and ssd.is_name_column("prof_professional_name")


def test_azeus_person_only_extract_says_what_is_missing():
    with pytest.raises(FatalImportError, match=r"no ssd_cp_plans\.csv \(the D2I Azeus scripts write ssd_person only"):
        ssd.read([VARIANTS / "azeus"])


def test_azeus_person_file_reads_beside_plans(tmp_path):
    folder = tmp_path / "azeus"
    shutil.copytree(VARIANTS / "azeus", folder)
    shutil.copy(VARIANTS / "systemc" / "ssd_cp_plans.csv", folder)
    e = ssd.read([folder])
    assert _records(e, "children", ("child_id", "birth_date", "sex")) == [
        {"child_id": "1001", "birth_date": "2015-03-14", "sex": "F"}]


@pytest.mark.parametrize("variant", ["systemc", "mosaic"])
def test_import_keeps_scheduled_reviews_and_stores_no_identifier(tmp_path, monkeypatch, variant):
    from paqa_dash.pipeline import run_import
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret")
    db = tmp_path / "s.duckdb"
    s = run_import([VARIANTS / variant], db)
    assert {t: (c["read"], c["loaded"], c["rejected"]) for t, c in s.tables.items() if c["read"]} == {
        "children": (2, 2, 0), "plans": (2, 2, 0), "events": (9, 7, 2), "needs": (3, 2, 1)}
    assert sorted(r.reason for r in s.rejects) == sorted(r[4] for r in REJECTS)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM events WHERE event_date IS NULL AND due_date = DATE '2023-10-01' "
                           "AND event_type = 'REVIEW_CONFERENCE'").fetchone() == (1,)
        assert sorted(con.execute("SELECT DISTINCT team FROM plans").fetchall()) == [
            ("Locality North Unit 1",), ("Locality South Unit 2",)]
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        text = " ".join(str(v) for t in tables for row in con.execute(f'SELECT * FROM "{t}"').fetchall()
                        for v in row if v is not None)
    finally:
        con.close()
    assert not [v for v in IDENTIFYING if v in text]
