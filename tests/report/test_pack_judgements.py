"""The audit pack's findings form (issue 14, item 9): nine questions, 8 and 9 apart; blank with the four grades
to tick when nothing was recorded; the audit group's latest recorded judgements (grade ticked, notes escaped, who
was present, who saved it) when they were."""
from __future__ import annotations

import re

import pytest

from paqa_dash import store
from paqa_dash.metrics import record_judgement as rec
from paqa_dash.metrics.judgements import Answer, Form
from paqa_dash.reference.judgements import GRADE_LABELS, QUESTIONS
from paqa_dash.report import pack
from paqa_dash.scope import EVERYTHING
from support.audit_store import AS_OF, CA, CB, build_audit_store

RUN = "Neglect audit 2026"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = build_audit_store(tmp_path_factory.mktemp("packj") / "pack.duckdb")
    answers = [Answer(1, "INADEQUATE", "Ended after <b>3 months</b>; call Jane Smith on 07700 900123"),
               Answer(8, "GOOD", "Family group conference held."), Answer(9, "REQUIRES_IMPROVEMENT", "")]
    form = Form(RUN, CA, tuple(answers), (("HEALTH", "health visitor"), ("CSC", "team manager")))
    rec.save_to_store(path, form, EVERYTHING, "chair@example.org", log=path.with_name("log.jsonl"))
    return path


def _pack(db, child):
    con = store.connect(db, read_only=True)
    try:
        return pack.build_pack(con, child, as_of=AS_OF)
    finally:
        con.close()


def _findings(html: str) -> str:
    return html[html.index('<section id="findings"'):]


def test_the_blank_form_asks_nine_questions_with_the_four_grades(db):
    form = _findings(_pack(db, CB))
    assert re.findall(r"<h3>Question (\d)</h3>", form) == [str(n) for n in range(1, 10)]
    assert "Was the work with the family restorative?" in form
    assert "Were plans SMART, accessible and written with the family in mind?" in form
    assert form.count('<span class="box">') == 9 * len(GRADE_LABELS) and "ticked" not in form
    assert "Yes" not in form.split("Judgements:")[0]


def test_the_recorded_judgements_are_printed_with_who_saved_them(db):
    form = _findings(_pack(db, CA))
    assert len(re.findall(r"<h3>Question \d</h3>", form)) == 9
    assert form.count("ticked") == 3
    assert "Recorded judgement: Inadequate" in form and "Recorded judgement: Good" in form
    assert "Recorded judgement: Requires improvement" in form
    assert form.count("Recorded judgement: Not yet judged") == 6
    assert "&lt;b&gt;3 months&lt;/b&gt;" in form and "<b>3 months" not in form
    assert "Jane Smith" not in form and "07700 900123" not in form and "[phone]" in form
    assert "Health" in form and "health visitor" in form and "chair@example.org" in form and RUN in form


def test_pack_sections_name_questions_8_and_9_apart():
    informs = {a: q for a, _h, q in pack.SECTIONS}
    assert informs["quality"] == (8, 9) and informs["findings"] == tuple(q.number for q in QUESTIONS)
    assert len(pack.AUDIT_QUESTIONS) == 9
