"""The audit group's judgements on the Audit sample page: a form per child (nine questions, a grade and notes each,
who was present from each agency), its saved versions, and the judgements per question across children.

Why a module of its own beside the page: the page lists the sample; this draws the form and hands what was typed
to `metrics.record_judgement.save_to_store`, which decides who may save, scrubs the text and writes.  Nothing
here checks a role or touches the store: a role that may not record sees the form with its button disabled, and
the writer refuses it anyway.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from ..figures import judgements as figs
from ..metrics import judgements as jm
from ..metrics import record_judgement as rec
from ..reference.codes import AGENCY_LABELS
from ..reference.judgements import (GRADE_LABELS, GRADE_MEANINGS, GRADES, NOT_JUDGED, NOTES_MAX_CHARS,
                                    PRESENT_MAX_CHARS, QUESTIONS)
from ..report.suppression import Rule
from ..scope import OutOfScope
from . import access, anchors, components, data, readers
from ..reference.words import counted

NEW_RUN = "Start a new audit run…"
SAVED_KEY = "jd_saved"      # session state: the message of the last save, shown once after the rerun
NEXT_RUN_KEY = "jd_run_next"  # session state: the run just saved, chosen in the run box on the next run
# Per question, the children of each grade add up to the children with a saved form (shown in the title).
SUMMARY_RULE = Rule(counts=("children",), rows_add_up=("children",), within=("question",))
GRADE_WORDS = {**GRADE_LABELS, NOT_JUDGED: NOT_JUDGED}
GRADE_HELP = "; ".join(f"**{GRADE_LABELS[g]}**: {GRADE_MEANINGS[g]}" for g in GRADES)


def _default_run() -> str:
    return f"Audit {date.today():%B %Y}"


def _audit_run() -> str:
    """The audit run chosen (an existing one, most recent first, or a new name typed)."""
    runs = data.cached(jm.audit_runs)["audit_run"].astype(str).tolist()
    if not runs:
        return st.text_input("Audit run", value=_default_run(), key="jd_new_run", max_chars=60,
                             help="The round of the audit these judgements belong to; each child's form is kept "
                                  "per audit run.").strip()
    pending = st.session_state.pop(NEXT_RUN_KEY, None)
    if pending in runs:   # a new run was just saved: show it, not the "new run" box again
        st.session_state["jd_run"] = pending
    chosen = st.selectbox("Audit run", [*runs, NEW_RUN], key="jd_run",
                          help="The round of the audit; each child's form is kept per audit run.")
    if chosen != NEW_RUN:
        return str(chosen)
    return st.text_input("Name of the new audit run", value=_default_run(), key="jd_new_run", max_chars=60).strip()


def _saved_caption(saved: jm.Saved | None) -> str:
    if saved is None:
        return "Nothing saved yet for this child in this audit run."
    v = saved.version
    return (f"Showing the latest version, **version {v.version}**, saved by {v.saved_by} on "
            f"{v.saved_at:%d %b %Y at %H:%M} UTC.")


def _form(run: str, child: str, saved: jm.Saved | None, may: bool) -> None:
    """The nine questions and who was present; on submit, hand them to the writer."""
    base = saved.form if saved is not None else jm.Form(run, child)
    stamp = f"{run}|{child}|{saved.version.version if saved else 0}"   # new widgets (prefilled) per version
    with st.form(key="jd_form", border=True):
        st.caption(f"{GRADE_HELP}. Leave a question without a grade to judge it later "
                   f"({components.definition_link(anchors.JUDGEMENTS)}).")
        answers = []
        for q in QUESTIONS:
            given = base.answer(q.number)
            st.markdown(f"**Question {q.number}.** {q.wording}")
            grade = st.radio(f"Judgement on question {q.number}", GRADES, format_func=GRADE_LABELS.get,
                             index=GRADES.index(given.grade) if given.grade in GRADES else None, horizontal=True,
                             key=f"jd_grade_{q.number}_{stamp}", help=GRADE_HELP, label_visibility="collapsed")
            notes = st.text_area(f"Notes on question {q.number}", value=given.notes, max_chars=NOTES_MAX_CHARS,
                                 key=f"jd_notes_{q.number}_{stamp}", height=68, label_visibility="collapsed",
                                 placeholder=f"Notes on question {q.number}: the evidence and the learning; no names, "
                                             "phone numbers or addresses")
            answers.append(jm.Answer(q.number, grade, notes))
        st.markdown("**Who was present from each agency** (roles, not names)")
        present = dict(base.present)
        cols = st.columns(3)
        typed = []
        for i, (code, label) in enumerate(AGENCY_LABELS.items()):
            who = cols[i % 3].text_input(label, value=present.get(code, ""), max_chars=PRESENT_MAX_CHARS,
                                         key=f"jd_present_{code}_{stamp}", placeholder="roles, e.g. team manager")
            typed.append((code, who))
        submitted = st.form_submit_button("Save judgements", type="primary", icon=":material/save:", disabled=not may)
    if not submitted:
        return
    form = jm.Form(run, child, tuple(answers), tuple((c, w) for c, w in typed if w.strip()))
    try:
        with data.writing():
            result = rec.save_to_store(data.store_path(), form, access.current_scope(), access.identity())
    except (OutOfScope, rec.JudgementError, readers.Busy) as refused:
        st.error(components.plain(refused), icon=":material/block:")
        return
    if not result.changed:
        st.info(f"Nothing changed since version {result.saved.version.version}; no new version saved.",
                icon=":material/info:")
        return
    st.session_state[NEXT_RUN_KEY] = result.saved.form.audit_run
    stored = result.saved.form
    scrubbed = (any(stored.answer(a.question).notes != a.notes.strip() for a in form.answers)
                or set(stored.present) != {(c, w.strip()) for c, w in form.present})
    st.session_state[SAVED_KEY] = (f"Saved version {result.saved.version.version} for child {child}."
                                   + (" Names, phone numbers or addresses typed in the text were replaced by tags "
                                      "such as [name] and [phone]." if scrubbed else ""))
    st.rerun()


def _history(run: str, child: str, found: jm.History) -> None:
    """Every saved version, and any earlier one opened."""
    if len(found.versions) < 2:
        return
    with st.expander(f"Earlier versions ({len(found.versions) - 1})", icon=":material/history:"):
        st.dataframe(pd.DataFrame([{"version": v.version, "saved_at": v.saved_at, "saved_by": v.saved_by,
                                    "role": v.saved_role} for v in found.versions]),
                     hide_index=True, key="jd_versions", column_config={
                         "saved_at": st.column_config.DatetimeColumn("Saved (UTC)", format="YYYY-MM-DD HH:mm"),
                         "saved_by": "Saved by", "role": "Role", "version": "Version"})
        number = st.selectbox("Open version", [v.version for v in found.versions[1:]], key="jd_open_version")
        old = data.cached(jm.form_version, run, child, int(number))
        if old is None:
            return
        st.caption(f"Version {old.version.version}, saved by {old.version.saved_by} on "
                   f"{old.version.saved_at:%d %b %Y at %H:%M} UTC.")
        components.data_table(pd.DataFrame([{"question": f"Q{a.question}", "judgement": GRADE_LABELS.get(a.grade, NOT_JUDGED)
                                             if a.grade else NOT_JUDGED, "notes": a.notes} for a in old.form.answers]),
                              "jd_old_answers")
        if old.form.present:
            st.caption("Present: " + "; ".join(f"{AGENCY_LABELS.get(a, a)}: {w}" for a, w in old.form.present))


def _summary(run: str) -> None:
    """Judgements per question across the children with a saved form in the run, with table and CSVs."""
    rows = data.cached(jm.judgement_rows, run)
    children = rows["child_id"].nunique()
    if children == 0:
        st.caption("No judgements recorded in this audit run yet.")
        return
    table = data.cached(jm.judgements_by_question, run)
    table = table[["question", "question_label", "grade_code", "children"]].rename(columns={"grade_code": "grade"})
    shown = components.suppressed(table, SUMMARY_RULE)
    components.chart_card(
        figs.judgement_bars(shown.assign(grade_code=shown["grade"]), children),
        f"The latest saved judgement of each of the {counted(children, 'child')} with a form in this audit run, per question "
        f"of the audit. {GRADE_HELP}. '{NOT_JUDGED}': saved without a grade. "
        f"({components.definition_link(anchors.JUDGEMENTS)}) Source: the judgements the audit group recorded here.",
        table, key="jd_summary", rule=SUMMARY_RULE, words={"grade": GRADE_WORDS})
    components.csv_download(f"Download every judgement of this audit run as CSV ({counted(children, 'child')})",
                            lambda: components.table_csv(rows), "audit_judgements.csv", "jd_csv")


def render(children: list[str]) -> None:
    """The judgements section: `children` are the sample's pseudonyms, the ones picked for the deep dive first."""
    st.subheader("The audit group's judgements")
    st.markdown("Record the group's judgement on each of the audit's nine questions for a child of the sample; "
                "each save is kept as a version, with who saved it and when.")
    message = st.session_state.pop(SAVED_KEY, None)
    if message:
        st.success(message, icon=":material/check_circle:")
    may = rec.may_record(access.current_scope())
    if not may:
        st.info("Auditors and administrators record the audit group's judgements; your role can read them.",
                icon=":material/lock:")
    c1, c2 = st.columns(2)
    with c1:
        run = _audit_run()
    with c2:
        child = st.selectbox("Child (pseudonym)", children, key="jd_child", index=0 if children else None,
                             placeholder="No child in the sample")
    one, across = st.tabs(["One child's judgements", "Across children"])
    with one:
        if not run or not child:
            st.caption("Choose an audit run and a child to record judgements.")
        else:
            found = data.cached(jm.history, run, child)
            saved = data.cached(jm.form_version, run, child) if found.latest is not None else None
            st.caption(_saved_caption(saved))
            _form(run, child, saved, may)
            _history(run, child, found)
    with across:
        if run:
            _summary(run)
