"""paqa_dash.metrics.record_judgement and paqa_dash.metrics.judgements on the tiny hand-built store of
test_chronology: C1 (North, a repeat plan) and C2 (South, one plan)."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest

from paqa_dash import access_log, sql, store
from paqa_dash.metrics import judgements as jm
from paqa_dash.metrics import record_judgement as rec
from paqa_dash.metrics.judgements import Answer, Form
from paqa_dash.scope import ADMINISTRATOR, AUDITOR, SERVICE_MANAGER, STRATEGIC_LEAD, OutOfScope, Scope

from tests.metrics.test_chronology import C1, C2, build_tiny_store

ADMIN = Scope(ADMINISTRATOR)
NORTH_AUDITOR = Scope(AUDITOR, teams=("North",))
SOUTH_AUDITOR = Scope(AUDITOR, teams=("South",))
RUN = "Neglect audit December 2026"

# Planted identifiers: none of them may reach the store.
PLANTED = ("Jane Smith", "07700 900123", "12 Acacia Avenue", "LS1 4AB", "jane.smith@example.com", "943 476 5919")
PLANTED_NOTE = ("Mum Jane Smith said to call her on 07700 900123; she has moved to 12 Acacia Avenue, Leeds LS1 4AB "
                "(e-mail jane.smith@example.com, NHS 943 476 5919). Plan ended too early.")


def _form(child: str = C1, grade: str | None = "GOOD", note: str = "First plan ended after 3 months.",
          present: tuple[tuple[str, str], ...] = (("CSC", "social worker"), ("HEALTH", "health visitor"))) -> Form:
    answers = tuple(Answer(q, grade if q == 1 else None, note if q == 1 else "") for q in range(1, 10))
    return Form(RUN, child, answers, present)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build_tiny_store(tmp_path / "tiny.duckdb")


def _save(db: Path, form: Form, scope: Scope = ADMIN, who: str = "auditor@example.org") -> rec.Result:
    return rec.save_to_store(db, form, scope, who, log=db.with_name("log.jsonl"))


def _read(db: Path):
    return store.connect(db, read_only=True)


def test_a_save_is_read_back_as_the_latest_version_with_who_and_when(db):
    before = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    result = _save(db, _form())
    assert result.changed and result.saved.version.version == 1
    con = _read(db)
    try:
        saved = jm.form_version(con, RUN, C1)
    finally:
        con.close()
    assert saved.version.version == 1 and saved.version.saved_by == "auditor@example.org"
    assert saved.version.saved_role == ADMINISTRATOR and saved.version.saved_at >= before
    assert saved.form.answer(1) == Answer(1, "GOOD", "First plan ended after 3 months.")
    assert saved.form.answer(9) == Answer(9, None, "")
    assert dict(saved.form.present) == {"CSC": "social worker", "HEALTH": "health visitor"}


def test_each_change_appends_a_version_and_earlier_versions_stay(db):
    _save(db, _form(grade="GOOD"))
    second = _save(db, _form(grade="INADEQUATE"), who="other@example.org")
    assert second.saved.version.version == 2
    con = _read(db)
    try:
        found = jm.history(con, RUN, C1)
        first = jm.form_version(con, RUN, C1, version=1)
        latest = jm.form_version(con, RUN, C1)
        rows = jm.judgement_rows(con, RUN, history=True)
    finally:
        con.close()
    assert [v.version for v in found.versions] == [2, 1]
    assert [v.saved_by for v in found.versions] == ["other@example.org", "auditor@example.org"]
    assert first.form.answer(1).grade == "GOOD" and latest.form.answer(1).grade == "INADEQUATE"
    assert len(rows) == 18 and rows["latest"].sum() == 9


def test_saving_the_same_form_again_adds_no_version(db):
    _save(db, _form())
    again = _save(db, _form())
    assert not again.changed and again.saved.version.version == 1
    log = access_log.read(path=db.with_name("log.jsonl")).records
    assert [r.action for r in log] == [access_log.RECORD]


def test_planted_identifiers_in_notes_and_presence_never_reach_the_store(db):
    _save(db, _form(note=PLANTED_NOTE, present=(("CSC", "Jane Smith, social worker, 07700 900123"),)))
    con = _read(db)
    try:
        stored = [sql.query(con, f"record_judgement_read_{t}") for t in ("versions", "answers", "presence")]
        saved = jm.form_version(con, RUN, C1)
    finally:
        con.close()
    text = json.dumps([f.astype(str).values.tolist() for f in stored])
    for value in PLANTED:
        assert value not in text, value
    assert "Plan ended too early." in saved.form.answer(1).notes   # the practice words stay
    assert "[phone]" in saved.form.answer(1).notes and "[name]" in dict(saved.form.present)["CSC"]
    # nor the whole store file
    raw = db.read_bytes() + (Path(str(db) + ".wal").read_bytes() if Path(str(db) + ".wal").exists() else b"")
    for value in PLANTED:
        assert value.encode() not in raw, value


@pytest.mark.parametrize("scope", [Scope(SERVICE_MANAGER), Scope(STRATEGIC_LEAD)])
def test_roles_that_do_not_sit_on_the_audit_group_are_refused_and_logged(db, scope):
    with pytest.raises(OutOfScope, match="auditors and administrators"):
        _save(db, _form(), scope=scope)
    con = _read(db)
    try:
        assert jm.history(con, RUN, C1).latest is None
    finally:
        con.close()
    log = access_log.read(path=db.with_name("log.jsonl")).records
    assert [r.action for r in log] == [access_log.REFUSED] and log[0].child == C1


def test_an_auditor_records_only_children_in_their_scope(db):
    assert _save(db, _form(C1), scope=NORTH_AUDITOR).changed
    with pytest.raises(OutOfScope):
        _save(db, _form(C1), scope=SOUTH_AUDITOR)
    with pytest.raises(OutOfScope):            # C2 is in South but not a repeat: outside an auditor's scope
        _save(db, _form(C2), scope=SOUTH_AUDITOR)
    with pytest.raises(OutOfScope):
        _save(db, _form("0000000000000zzz"))   # not in the store


def test_readers_return_only_children_in_the_users_scope(db):
    _save(db, _form(C1))
    _save(db, _form(C2, grade="INADEQUATE"))
    con = _read(db)
    try:
        assert set(jm.judgement_rows(con, RUN)["child_id"]) == {C1, C2}
        assert set(jm.judgement_rows(con, RUN, scope=NORTH_AUDITOR)["child_id"]) == {C1}
        assert jm.judgement_rows(con, RUN, scope=SOUTH_AUDITOR).empty
        assert jm.history(con, RUN, C1, scope=SOUTH_AUDITOR).latest is None
        counts = jm.judgements_by_question(con, RUN).set_index(["question", "grade_code"])["children"]
        with pytest.raises(OutOfScope):
            jm.judgement_rows(con, RUN, scope=Scope(STRATEGIC_LEAD))
    finally:
        con.close()
    assert counts[(1, "GOOD")] == 1 and counts[(1, "INADEQUATE")] == 1
    assert counts[(2, "Not yet judged")] == 2 and counts[(2, "GOOD")] == 0
    assert len(counts) == 9 * 5


@pytest.mark.parametrize("form, message", [
    (Form(RUN, C1, (Answer(1, "EXCELLENT"),)), "Question 1: 'EXCELLENT' is not a grade"),
    (Form(RUN, C1, (Answer(10, "GOOD"),)), "Unknown question number"),
    (Form("  ", C1), "Name the audit run"),
    (Form(RUN, C1, (Answer(1, None, "x" * 5000),)), "notes of question 1 is 5,000 characters"),
    (Form(RUN, C1, present=(("NHS", "someone"),)), "'NHS' is not an agency"),
])
def test_bad_forms_are_refused_with_the_field_named_and_nothing_written(db, form, message):
    with pytest.raises(rec.JudgementError, match=message):
        _save(db, form)
    con = _read(db)
    try:
        assert jm.judgement_rows(con).empty
    finally:
        con.close()


def test_a_store_without_the_tables_reads_as_nothing_recorded(tmp_path):
    path = tmp_path / "old.duckdb"
    duckdb.connect(str(path)).close()   # a store made before the judgement tables existed
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert jm.audit_runs(con).empty and jm.judgement_rows(con).empty
        assert jm.history(con, RUN, C1).latest is None
    finally:
        con.close()


def test_a_new_store_carries_the_judgements_over(db, tmp_path):
    _save(db, _form())
    _save(db, _form(grade="INADEQUATE"))
    new = build_tiny_store(tmp_path / "new.duckdb")
    assert rec.carry_over(db, new) == 2
    con = _read(new)
    try:
        assert [v.version for v in jm.history(con, RUN, C1).versions] == [2, 1]
        assert jm.form_version(con, RUN, C1).form.answer(1).grade == "INADEQUATE"
    finally:
        con.close()


def test_no_query_updates_or_deletes_a_judgement_except_replacing_the_demo():
    """Append-only by construction: the only blocks that delete judgements are those that clear the synthetic
    demo's when real data replaces it; none updates one."""
    blocks = sql._library()[0]
    code = {name: "\n".join(line for line in text.splitlines() if not line.strip().startswith("--")).upper()
            for name, text in blocks.items()}
    touching = {name for name, text in code.items() for statement in text.split(";") if "JUDGEMENT_" in statement
                and any(word in statement for word in ("UPDATE ", "DELETE ", "DROP ", "TRUNCATE "))}
    assert touching == {f"load_clear_judgement_{t}" for t in ("versions", "answers", "presence")}
    assert any("INSERT INTO JUDGEMENT_VERSIONS" in text for text in code.values())


def test_every_planted_identifier_of_the_import_suite_is_scrubbed_from_judgements(db):
    """The import's planted-identifier list (tests/ingest/test_deidentify.py), typed into every note and every
    agency's "who was present".  Not FAM-77: a source's own short record id is caught at import because the
    import knows the source's ids; a form does not (docs/definitions.md, "Audit judgements")."""
    from tests.ingest.test_deidentify import PLANTED_TEXT, assert_absent

    planted = [p for p in PLANTED_TEXT if p != "FAM-77"]
    chunks = [planted[i::9] for i in range(9)]
    answers = tuple(Answer(q, "GOOD", "Discussed: " + "; ".join(chunks[q - 1]) + ". Ended well.") for q in range(1, 10))
    present = tuple((agency, "worker " + p) for agency, p in zip(("CSC", "HEALTH", "EDUCATION", "POLICE", "HOUSING"),
                                                                  ("Mum Sarah Jones", "07700 900123", "LS1 4AB",
                                                                   "12 Acacia Avenue", "kayleigh.smithson@example.com")))
    _save(db, Form(RUN + " " + "Mr Okonkwo", C1, answers, present), who="chair@audit.test")
    con = _read(db)
    try:
        cells = [str(v) for t in ("versions", "answers", "presence")
                 for row in sql.query(con, f"record_judgement_read_{t}").itertuples(index=False) for v in row]
    finally:
        con.close()
    assert_absent("the judgement tables", "\n".join(cells), planted)
    assert any("Ended well." in c for c in cells)
