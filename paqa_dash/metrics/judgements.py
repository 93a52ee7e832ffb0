"""The audit group's recorded judgements, read back (issue 14, item 9): a child's latest form and its earlier
versions, the audit runs, the judgements per question across children, and the rows of the CSV export.

Why here: the metrics layer is the store's one reader; `record_judgement` writes (append-only).  Every reader
takes the user's scope and returns only children it holds (an administrator's: every child), so a list that
names children never reaches a role that may not see it.  A store made before the judgement tables existed has
none until the first save: every reader then answers "nothing recorded", never an error.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from .. import sql
from ..filters import Filters
from ..reference.codes import AGENCY_LABELS
from ..reference.judgements import GRADE_LABELS, GRADES, NOT_JUDGED, QUESTION_NUMBERS, question_label
from ..scope import AUDIT, CHILD_LEVEL, EVERYTHING, Scope
from ..settings import DEFAULTS
from .sqlrun import run

TABLES = ("judgement_versions", "judgement_answers", "judgement_presence")

EXPORT_COLUMNS = ["audit_run", "child_id", "version", "latest", "saved_at", "saved_by", "saved_role", "question",
                  "question_label", "grade", "grade_code", "notes", "present"]


@dataclass(frozen=True)
class Answer:
    """One question's judgement: a grade code (None: not yet judged) and notes."""

    question: int
    grade: str | None = None
    notes: str = ""


@dataclass(frozen=True)
class Form:
    """One child's form in one audit run, as saved (or about to be).  `present`: (agency code, who from it)."""

    audit_run: str
    child_id: str
    answers: tuple[Answer, ...] = ()
    present: tuple[tuple[str, str], ...] = ()

    def answer(self, question: int) -> Answer:
        return next((a for a in self.answers if a.question == question), Answer(question))

    def same_content(self, other: "Form") -> bool:
        """True when saving `other` over this would change nothing a reader sees."""
        return (all(self.answer(q) == other.answer(q) for q in QUESTION_NUMBERS)
                and dict(self.present) == dict(other.present))


@dataclass(frozen=True)
class Version:
    """Who saved one version of a form, when (UTC) and in which role."""

    version: int
    saved_at: pd.Timestamp
    saved_by: str
    saved_role: str


@dataclass(frozen=True)
class Saved:
    """A saved form and its version."""

    form: Form
    version: Version


@dataclass(frozen=True)
class History:
    """A child's versions in one audit run, newest first; empty when nothing was saved."""

    versions: tuple[Version, ...] = field(default_factory=tuple)

    @property
    def latest(self) -> Version | None:
        return self.versions[0] if self.versions else None


def _require(scope: Scope) -> None:
    """Judgements name children: the audit's capability and the child-level one (docs/governance.md)."""
    scope.require(AUDIT, "The audit's judgements")
    scope.require(CHILD_LEVEL, "A list naming children")


def has_tables(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the store holds the judgement tables (made by the first save, or any write connection)."""
    return int(sql.query(con, "judgements_tables", tables=list(TABLES))["n"].iloc[0]) == len(TABLES)


def children_in_scope(con: duckdb.DuckDBPyConnection, children: list[str], scope: Scope) -> set[str]:
    """Of `children`, those `scope` may read: with a plan in the user's teams (an auditor's: and a repeat plan),
    by the same filter CTE every measure applies (as `chronology.child_in_scope`, for many children at once)."""
    children = sorted({str(c) for c in children})
    if not children:
        return set()
    if scope.reads_every_child:
        return set(children)
    found = run(con, "judgements_children_in_scope", Filters(child_ids=tuple(children), scope=scope), DEFAULTS)
    return set(found["child_id"].astype(str))


def audit_runs(con: duckdb.DuckDBPyConnection, scope: Scope = EVERYTHING) -> pd.DataFrame:
    """audit_run, children (with a saved form), last_saved: the runs recorded, most recently saved first.  The
    names of runs are not about a child; the counts are over every child (a run's size, not a list)."""
    scope.require(AUDIT, "The audit's judgements")
    if not has_tables(con):
        return pd.DataFrame({"audit_run": pd.Series(dtype=object), "children": pd.Series(dtype="int64"),
                             "last_saved": pd.Series(dtype="datetime64[ns]")})
    return sql.query(con, "judgements_runs")


def history(con: duckdb.DuckDBPyConnection, audit_run: str, child_id: str, scope: Scope = EVERYTHING) -> History:
    """Every saved version of the child's form in the run, newest first (empty: none, or outside the scope)."""
    _require(scope)
    if not has_tables(con) or not children_in_scope(con, [child_id], scope):
        return History()
    frame = sql.query(con, "judgements_versions", audit_run=str(audit_run), child=str(child_id))
    return History(tuple(Version(int(r.version), pd.Timestamp(r.saved_at), str(r.saved_by), str(r.saved_role))
                         for r in frame.itertuples(index=False)))


def form_version(con: duckdb.DuckDBPyConnection, audit_run: str, child_id: str, version: int | None = None,
                 scope: Scope = EVERYTHING) -> Saved | None:
    """The child's form as saved in `version` (None: the latest), or None when nothing was saved."""
    found = history(con, audit_run, child_id, scope)
    chosen = found.latest if version is None else next((v for v in found.versions if v.version == int(version)),
                                                       None)
    if chosen is None:
        return None
    keys = {"audit_run": str(audit_run), "child": str(child_id), "version": chosen.version}
    answers = sql.query(con, "judgements_answers", **keys)
    present = sql.query(con, "judgements_presence", **keys)
    form = Form(str(audit_run), str(child_id),
                tuple(Answer(int(r.question), None if pd.isna(r.grade) else str(r.grade), str(r.notes))
                      for r in answers.itertuples(index=False)),
                tuple((str(r.agency), str(r.present)) for r in present.itertuples(index=False)))
    return Saved(form, chosen)


def judgement_rows(con: duckdb.DuckDBPyConnection, audit_run: str | None = None, history: bool = False,
                   children: tuple[str, ...] | None = None, scope: Scope = EVERYTHING) -> pd.DataFrame:
    """One row per question of each child's latest form (`history`: of every version), in one run or all
    (`audit_run` None), only children `scope` holds (and, given `children`, only those): EXPORT_COLUMNS, with
    grades and questions in words and their codes beside them (the CSV's columns)."""
    _require(scope)
    if not has_tables(con):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EXPORT_COLUMNS})
    rows = sql.query(con, "judgements_rows", audit_run=audit_run, history=bool(history))
    rows["child_id"] = rows["child_id"].astype(str)
    keep = children_in_scope(con, rows["child_id"].unique().tolist(), scope)
    if children is not None:
        keep &= {str(c) for c in children}
    rows = rows[rows["child_id"].isin(keep)].reset_index(drop=True)
    rows = rows.rename(columns={"grade": "grade_code", "is_latest": "latest"})
    rows["grade"] = [NOT_JUDGED if pd.isna(g) else GRADE_LABELS.get(str(g), str(g)) for g in rows["grade_code"]]
    rows["question_label"] = [question_label(int(q)) for q in rows["question"]]
    rows["present"] = [_present_words(p) for p in rows["present"]]
    return rows[EXPORT_COLUMNS]


def _present_words(present: str) -> str:
    """'CSC: social worker; HEALTH: health visitor' with the agencies named in words."""
    if not present:
        return ""
    parts = []
    for part in str(present).split("; "):
        agency, _, who = part.partition(": ")
        parts.append(f"{AGENCY_LABELS.get(agency, agency)}: {who}")
    return "; ".join(parts)


def judgements_by_question(con: duckdb.DuckDBPyConnection, audit_run: str, children: tuple[str, ...] | None = None,
                           scope: Scope = EVERYTHING) -> pd.DataFrame:
    """question, question_label, grade_code, grade, children: how many children's latest forms in the run gave
    each grade to each question (a row for every question and grade, 0 where none; "not yet judged" as its
    own grade).  Children outside `scope` (and, given `children`, not among them) are not counted."""
    rows = judgement_rows(con, audit_run, children=children, scope=scope)
    counted = rows.assign(grade_code=rows["grade_code"].fillna(NOT_JUDGED)).groupby(
        ["question", "grade_code"]).size()
    out = []
    for q in QUESTION_NUMBERS:
        for code in (*GRADES, NOT_JUDGED):
            out.append({"question": q, "question_label": question_label(q), "grade_code": code,
                        "grade": GRADE_LABELS.get(code, code), "children": int(counted.get((q, code), 0))})
    return pd.DataFrame(out)


def child_forms(con: duckdb.DuckDBPyConnection, child_id: str, scope: Scope = EVERYTHING) -> tuple[Saved, ...]:
    """The latest saved form of the child in each audit run, most recently saved first (the audit pack prints
    them); empty when none was saved or the child is outside `scope`."""
    _require(scope)
    if not has_tables(con) or not children_in_scope(con, [child_id], scope):
        return ()
    runs = sql.query(con, "judgements_child_runs", child=str(child_id))
    found = (form_version(con, str(r.audit_run), str(child_id), int(r.version), scope)
             for r in runs.itertuples(index=False))
    return tuple(s for s in found if s is not None)
