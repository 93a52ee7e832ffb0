"""Saving the audit group's judgements of a child (issue 14, item 9): the one place that writes them.

Why a function of its own, and why every check is here rather than on the page: the page only collects the form;
whoever calls this (the page, a test, a later command) gets the same rules.

- Who: the roles of `scope.RECORDS_JUDGEMENTS` (auditor, administrator) with the AUDIT capability, for a child
  their scope holds; anyone else is refused with `OutOfScope`, and the refusal is logged.
- What: grades from `reference/judgements.GRADES` (or none), agencies from `reference/codes.AGENCY_LABELS`;
  every free text (notes, who was present, the audit run's name) goes through `ingest/scrub.py` before it is
  written, so names, phone numbers and addresses typed into a note never reach the store.
- How: append-only.  A save adds a version (who, when, in which role) with its nine answers and who was present;
  nothing is updated or deleted.  A save that changes nothing adds nothing.
- Trail: each saved version is written to the access log (`access_log.RECORD`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from .. import access_log, sql, store
from ..ingest.scrub import scrub
from ..reference.codes import AGENCY_LABELS
from ..reference.judgements import (AUDIT_RUN_MAX_CHARS, GRADE_LABELS, NOTES_MAX_CHARS, PRESENT_MAX_CHARS,
                                    QUESTION_NUMBERS)
from ..scope import AUDIT, RECORDS_JUDGEMENTS, ROLE_LABELS, OutOfScope, Scope
from . import chronology
from .judgements import Answer, Form, Saved, Version, children_in_scope, form_version

PAGE = "audit_sample"   # the page the access log names for a save (where the form is)


class JudgementError(ValueError):
    """A form that cannot be saved as it is; the message names the question or field."""


@dataclass(frozen=True)
class Result:
    """What a save did: the form as stored (scrubbed) with its version, and whether a new version was added."""

    saved: Saved
    changed: bool


def may_record(scope: Scope) -> bool:
    """True when this scope's role may record judgements (what the page says before the user types anything)."""
    return scope.can(AUDIT) and scope.role in RECORDS_JUDGEMENTS


def require_recorder(scope: Scope) -> None:
    """Raise OutOfScope unless the scope's role may record judgements."""
    if not may_record(scope):
        who = " and ".join(ROLE_LABELS[r].lower() + "s" for r in RECORDS_JUDGEMENTS)
        raise OutOfScope(f"Recording the audit's judgements is open to {who} only, not to your role "
                         f"({ROLE_LABELS[scope.role]}).")


def _text(value: object, limit: int, what: str) -> str:
    text = "" if value is None else str(value).replace("\r\n", "\n").strip()
    if len(text) > limit:
        raise JudgementError(f"{what} is {len(text):,} characters long; at most {limit:,} are kept.")
    return scrub(text)


def clean(form: Form) -> Form:
    """The form as it will be stored: checked (JudgementError names what is wrong) and every text scrubbed."""
    run = _text(form.audit_run, AUDIT_RUN_MAX_CHARS, "The audit run's name").replace("\n", " ")
    if not run:
        raise JudgementError("Name the audit run (for example 'Neglect audit December 2026').")
    child = str(form.child_id or "").strip()
    if not child:
        raise JudgementError("No child: choose the child whose judgements these are.")
    unknown = sorted({a.question for a in form.answers} - set(QUESTION_NUMBERS))
    if unknown:
        raise JudgementError(f"Unknown question number(s) {unknown}; the audit has questions 1 to "
                             f"{len(QUESTION_NUMBERS)}.")
    answers = []
    for q in QUESTION_NUMBERS:
        given = form.answer(q)
        if given.grade is not None and given.grade not in GRADE_LABELS:
            raise JudgementError(f"Question {q}: {given.grade!r} is not a grade; use one of "
                                 f"{', '.join(GRADE_LABELS.values())}.")
        answers.append(Answer(q, given.grade, _text(given.notes, NOTES_MAX_CHARS, f"The notes of question {q}")))
    present = []
    for agency, who in dict(form.present).items():
        if agency not in AGENCY_LABELS:
            raise JudgementError(f"Who was present: {agency!r} is not an agency; use one of "
                                 f"{', '.join(AGENCY_LABELS)}.")
        text = _text(who, PRESENT_MAX_CHARS, f"Who was present from {AGENCY_LABELS[agency]}").replace("\n", "; ")
        if text:
            present.append((agency, text))
    return Form(run, child, tuple(answers), tuple(sorted(present)))


def save(con: duckdb.DuckDBPyConnection, form: Form, scope: Scope, identity: str,
         now: datetime | None = None) -> Result:
    """Check, scrub and append one version of the child's form on a read-write connection, in one transaction.

    Raises OutOfScope (a role that may not record, a child outside the scope or not in the store) and
    JudgementError (a bad form) before anything is written."""
    require_recorder(scope)
    form = clean(form)
    if chronology.child_record(con, form.child_id).empty or not children_in_scope(con, [form.child_id], scope):
        raise OutOfScope(f"No child with pseudonym {form.child_id!r} within your scope ({scope.label}): "
                         "judgements are recorded only for children you may read.")
    with store.transaction(con):
        latest = form_version(con, form.audit_run, form.child_id)
        if latest is not None and latest.form.same_content(form):
            return Result(latest, changed=False)
        number = int(sql.query(con, "record_judgement_next_version", audit_run=form.audit_run,
                               child=form.child_id)["version"].iloc[0])
        when = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(tzinfo=None, microsecond=0)
        keys = {"audit_run": form.audit_run, "child": form.child_id, "version": number}
        sql.execute(con, "record_judgement_insert_version", saved_at=when, saved_by=str(identity),
                    saved_role=scope.role, **keys)
        for a in form.answers:
            sql.execute(con, "record_judgement_insert_answer", question=a.question, grade=a.grade, notes=a.notes,
                        **keys)
        for agency, who in form.present:
            sql.execute(con, "record_judgement_insert_presence", agency=agency, present=who, **keys)
    return Result(Saved(form, Version(number, pd.Timestamp(when), str(identity), scope.role)), changed=True)


def save_to_store(db: Path, form: Form, scope: Scope, identity: str, log: Path | None = None) -> Result:
    """`save` on its own read-write connection to the store at `db` (closed after), with the access-log line:
    RECORD for a new version, REFUSED (and the error raised again) for a role or child the scope refuses."""
    log = log or access_log.log_path(Path(db))
    child = str(form.child_id or "").strip() or None
    try:
        with store.private_files():
            con = store.connect(db)
        try:
            result = save(con, form, scope, identity)
        finally:
            con.close()
    except OutOfScope as refused:
        access_log.append(access_log.Record(identity=identity, role=scope.role, action=access_log.REFUSED,
                                            page=PAGE, child=child, detail=f"record judgements: {refused}"), log)
        raise
    if result.changed:
        access_log.append(access_log.Record(
            identity=identity, role=scope.role, action=access_log.RECORD, page=PAGE, child=child,
            detail=f"judgements saved: audit run {result.saved.form.audit_run!r}, version "
                   f"{result.saved.version.version}"), log)
    return result


def carry_over(old_db: Path, new_db: Path) -> int:
    """Copy every judgement version from the store at `old_db` into the new store at `new_db` (which holds none):
    an import that starts a new store replaces the data, never the audit group's work.  Returns the versions
    copied (0 when there is no old store, or it has no judgement tables)."""
    if not Path(old_db).exists():
        return 0
    old = store.connect(old_db, read_only=True)
    try:
        from .judgements import has_tables

        if not has_tables(old):
            return 0
        frames = {name: sql.query(old, f"record_judgement_read_{name}") for name in ("versions", "answers", "presence")}
    finally:
        old.close()
    new = store.connect(new_db)
    try:
        with store.transaction(new):
            for name, frame in frames.items():
                new.register(f"carried_{name}", frame)
                sql.execute(new, f"record_judgement_carry_{name}")
                new.unregister(f"carried_{name}")
    finally:
        new.close()
    return len(frames["versions"])
