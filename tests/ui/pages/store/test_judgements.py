"""AppTest runs of the audit group's judgements on the Audit sample page, on a writable copy of the demo store:
submit the form, reload the page, see the saved version, its history and the summary chart; a role that may not
record sees the form with its button disabled (the writer refuses it anyway: tests/metrics/test_record_judgement)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from paqa_dash import access_log, store
from paqa_dash.metrics import judgements as jm
from paqa_dash.scope import SERVICE_MANAGER, Scope
from paqa_dash.ui import access

from support.pages import open_file

PAGE = "paqa_dash/ui/pages/audit_sample.py"
WHOLE_STORE = {"from": "2000-01-01", "to": "2100-12-31"}
PLANTED = ("Jane Smith", "07700 900123")


@pytest.fixture
def writable(demo_store: Path, tmp_path: Path, use_store, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the session's demo store the test may write to, with its own access log."""
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_store, db)
    use_store(db)
    monkeypatch.setenv("PAQA_ACCESS_LOG", str(tmp_path / "log.jsonl"))
    return db


def open_page() -> AppTest:
    return open_file(PAGE, WHOLE_STORE, timeout=180)


def stamp(at: AppTest, version: int) -> str:
    return f"{at.text_input(key='jd_new_run').value if version == 0 else at.selectbox(key='jd_run').value}|" \
           f"{at.selectbox(key='jd_child').value}|{version}"


def fill_and_save(at: AppTest, version: int, grade: str, note: str) -> AppTest:
    s = stamp(at, version)
    at.radio(key=f"jd_grade_1_{s}").set_value(grade)
    at.text_area(key=f"jd_notes_1_{s}").input(note)
    at.text_input(key=f"jd_present_HEALTH_{s}").input("health visitor")
    at.button(key="FormSubmitter:jd_form-Save judgements").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_saved_form_is_shown_after_a_reload_with_its_history_and_the_summary(writable: Path):
    at = open_page()
    child = at.selectbox(key="jd_child").value
    assert child and "Nothing saved yet" in " ".join(c.value for c in at.caption)
    fill_and_save(at, 0, "INADEQUATE", "Mum Jane Smith (07700 900123) was not told the plan had ended.")
    assert any("Saved version 1" in s.value and "replaced by tags" in s.value for s in at.success)

    again = open_page()                       # a reload: everything read back from the store
    assert again.selectbox(key="jd_child").value == child
    run = again.selectbox(key="jd_run").value
    s = stamp(again, 1)
    assert again.radio(key=f"jd_grade_1_{s}").value == "INADEQUATE"
    note = again.text_area(key=f"jd_notes_1_{s}").value
    assert "was not told the plan had ended" in note and not any(p in note for p in PLANTED)
    assert again.text_input(key=f"jd_present_HEALTH_{s}").value == "health visitor"
    assert any("version 1" in c.value and "local analyst" in c.value for c in again.caption)
    spec = [json.loads(c.proto.spec) for c in again.get("plotly_chart")][-1]
    inadequate = next(t for t in spec["data"] if t["name"] == "Inadequate")
    assert dict(zip(inadequate["y"], inadequate["x"]))["Q1 First plan ended prematurely"] == 1
    assert spec["layout"]["meta"]["finding"].startswith("Most often judged inadequate: Q1")

    fill_and_save(again, 1, "GOOD", "On reflection the ending was planned with the family.")
    third = open_page()
    s = stamp(third, 2)
    assert third.radio(key=f"jd_grade_1_{s}").value == "GOOD"
    third.selectbox(key="jd_open_version").set_value(1).run()
    old = [d.value for d in third.dataframe if "Judgement" in d.value.columns][0]
    assert old.iloc[0]["Judgement"] == "Inadequate"
    versions = [d.value for d in third.dataframe if "saved_by" in d.value.columns][0]
    assert versions["version"].tolist() == [2, 1]

    con = store.connect(writable, read_only=True)
    try:
        assert [v.version for v in jm.history(con, run, child).versions] == [2, 1]
    finally:
        con.close()
    log = access_log.read(path=Path(writable).with_name("log.jsonl")).records
    assert [r.child for r in log if r.action == access_log.RECORD] == [child, child]


def test_a_service_manager_sees_the_form_but_cannot_save(writable: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(access, "current_scope", lambda: Scope(SERVICE_MANAGER))
    at = open_page()
    assert any("Auditors and administrators record" in i.value for i in at.info)
    assert at.button(key="FormSubmitter:jd_form-Save judgements").disabled


def test_an_auditor_records_and_sees_small_counts_suppressed(writable: Path, monkeypatch: pytest.MonkeyPatch):
    from paqa_dash.scope import AUDITOR

    monkeypatch.setattr(access, "current_scope", lambda: Scope(AUDITOR, suppress_below=5))
    at = open_page()
    fill_and_save(at, 0, "GOOD", "Ended with the family's agreement.")
    assert any("Saved version 1" in s.value and "replaced" not in s.value for s in at.success)
    again = open_page()
    table = [d.value for d in again.dataframe if "Children" in d.value.columns and "Question label" in d.value.columns][0]
    q1 = table[(table["Question"] == 1)].set_index("Grade")["Children"].astype(str).to_dict()
    assert q1["Good"] == "c" and q1["Inadequate"] == "0"   # one child: suppressed, never shown as 1
    log = access_log.read(path=Path(writable).with_name("log.jsonl")).records
    assert [r.role for r in log if r.action == access_log.RECORD] == [AUDITOR]


def test_a_new_audit_run_is_chosen_once_saved(writable: Path):
    at = open_page()
    fill_and_save(at, 0, "GOOD", "First run.")
    first = at.selectbox(key="jd_run").value
    at.selectbox(key="jd_run").set_value("Start a new audit run…").run()
    at.text_input(key="jd_new_run").input("Second audit 2027").run()
    fill_and_save(at, 0, "INADEQUATE", "Second run.")
    assert at.selectbox(key="jd_run").value == "Second audit 2027"
    assert set(at.selectbox(key="jd_run").options) == {first, "Second audit 2027", "Start a new audit run…"}
