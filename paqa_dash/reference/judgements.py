"""The audit group's judgements: the nine questions of the PAQA audit and the grades a judgement takes.

Why one module: the form on the Audit sample page, the store's checks, the summary chart, the CSV export and the
audit pack's printed form all ask the same nine questions and offer the same grades; each reads them here, so
questions 8 (restorative work) and 9 (SMART, written with the family in mind) stay two questions everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    """One audit question: its number, a short label for charts and tables, and its wording on the form."""

    number: int
    label: str
    wording: str


QUESTIONS: tuple[Question, ...] = (
    Question(1, "First plan ended prematurely",
             "Did the first plan end prematurely, and did that contribute to the next plan?"),
    Question(2, "Re-planning proportionate",
             "Was the decision for a second or subsequent plan proportionate to the impact of neglect on the child "
             "to date?"),
    Question(3, "Network challenge",
             "Did the multi-agency network challenge decisions, and with what effect?"),
    Question(4, "Actions relevant",
             "Were plan actions relevant to the current concerns and to the adults' own needs (domestic abuse, "
             "parental mental health, substance and alcohol misuse)?"),
    Question(5, "New plan duplicated the old",
             "Did the new plan duplicate the earlier plan, and did that hurt progress?"),
    Question(6, "Core group engaged",
             "How far did core group members (each agency) engage and contribute?"),
    Question(7, "Plan refreshed in time",
             "Did the core group refresh the plan in a timely way?"),
    Question(8, "Work restorative",
             "Was the work with the family restorative?"),
    Question(9, "Plans SMART, family in mind",
             "Were plans SMART, accessible and written with the family in mind?"),
)
QUESTION_NUMBERS: tuple[int, ...] = tuple(q.number for q in QUESTIONS)
QUESTION_BY_NUMBER: dict[int, Question] = {q.number: q for q in QUESTIONS}


def question_label(number: int) -> str:
    """'Q8 Work restorative': how a chart axis, a table and the CSV name a question."""
    return f"Q{number} {QUESTION_BY_NUMBER[number].label}"


# Grade code -> label, best first (the order of the form's options and the chart's stacks).  The codes are what
# the store and the CSV's code column hold; the labels are what people read.
GRADE_LABELS: dict[str, str] = {
    "GOOD": "Good",
    "REQUIRES_IMPROVEMENT": "Requires improvement",
    "INADEQUATE": "Inadequate",
    "NOT_ENOUGH_INFORMATION": "Not enough information",
}
GRADES: tuple[str, ...] = tuple(GRADE_LABELS)
NOT_JUDGED = "Not yet judged"   # a question of a saved form with no grade chosen

# What each grade means, said once: the form's help, the Definitions page and the pack's printed form.
GRADE_MEANINGS: dict[str, str] = {
    "GOOD": "the practice the question asks about was done well and made a difference for the child",
    "REQUIRES_IMPROVEMENT": "it was done in part, late or without effect; the child was not harmed by it",
    "INADEQUATE": "it was not done, or done so poorly that the child was left at risk or progress was lost",
    "NOT_ENOUGH_INFORMATION": "the file and the people present could not say; not the same as a poor grade",
}

# Limits of what one form holds (checked before anything is written).
NOTES_MAX_CHARS = 4000
PRESENT_MAX_CHARS = 300
AUDIT_RUN_MAX_CHARS = 60
