"""The two lists of the Plan endings page (premature endings; endings at risk, the watch list) as every reader gets
them: the columns, their headings, the coded columns in words, and the codes beside them for a download.

Why here, in the base: the page (ui) and the briefing workbook's "Endings at risk" sheet (report) show the same
list, and the report layer may not import a page.  The workbook once wrote the query's own columns ("Duration
band": le_3m, "Reasons": SHORT,OPEN_ACTIONS, "Open adult factors": 3B) where the page's download said "Lasted: 3
months or less"; one definition here keeps the two the same.
"""
from __future__ import annotations

import pandas as pd

from . import words as coded
from .authorities import NAME_COLUMN
from .codes import BAND_LABELS, END_REASON_LABELS, REASON_LABELS, factor_label

KINDS = ("premature", "at_risk")
LINK = "timeline"            # the screen's link to the child's timeline (not in a download)
AUTHORITY = NAME_COLUMN      # each child's authority, in a store of several (authorities.with_names)

TABLE_COLUMNS: dict[str, str] = {
    "child_id": "Child", LINK: "Timeline", "plan_number": "Plan no.", "team": "Team", "start_date": "Started",
    "end_date": "Ended", "duration_band": "Lasted", "reasons": "Warning signs", "open_adult_factors": "Open adult needs",
    "end_reason": "Why it ended (recorded)", "next_start": "Next plan started", "days_to_next_plan": "Days to next plan"}
# The watch list: plans not (yet) followed by another, so weeks since the ending instead of the next plan.
WATCH_COLUMNS: dict[str, str] = {
    **{c: n for c, n in TABLE_COLUMNS.items() if c not in ("next_start", "days_to_next_plan")},
    "weeks_since_end": "Weeks since it ended", "looked_after": "Became looked after"}
# The coded columns, in words; a download keeps the codes beside them ("Lasted (code)"; reference/words.py).
WORDS: dict[str, coded.Words] = {"duration_band": BAND_LABELS, "reasons": REASON_LABELS,
                                 "open_adult_factors": factor_label, "end_reason": END_REASON_LABELS}
DATES = ("start_date", "end_date", "next_start")
CHILD = TABLE_COLUMNS["child_id"]   # the heading naming the child, in a download


def columns(kind: str, authorities: bool = False) -> dict[str, str]:
    """The list's columns and headings; `authorities`: the list names each child's authority (a store of several)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    chosen = WATCH_COLUMNS if kind == "at_risk" else TABLE_COLUMNS
    if not authorities:
        return chosen
    return {**{c: n for c, n in chosen.items() if c in ("child_id", LINK)}, AUTHORITY: "Authority",
            **{c: n for c, n in chosen.items() if c not in ("child_id", LINK)}}


def tables(frame: pd.DataFrame, kind: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(on screen, in a download) of one list (`metrics.cohorts.ending_list`'s rows, with `authority_name` in a
    store of several and the `timeline` link on screen): on screen, the list's columns in words under the column
    names (the page gives the headings); in a download, under the headings, without the link, each coded column in
    words with its codes beside it (for joining to other systems), dates as dates."""
    wanted = columns(kind, AUTHORITY in frame)
    table = frame[[c for c in wanted if c in frame]].copy()
    for column in DATES:
        if column in table:
            table[column] = pd.to_datetime(table[column]).dt.date
    download = coded.in_words(table, WORDS)
    screen = download.drop(columns=coded.code_columns(download, WORDS))
    headings = {**wanted, **{coded.code_column(c): f"{wanted[c]} (code)" for c in WORDS}}
    return screen, download.drop(columns=LINK, errors="ignore").rename(columns=headings)
