"""The canonical shape every importer produces, before validation and de-identification.

Every source (native bundle, CIN census XML, Annex A, SSD, the synthetic generator) is turned
into an `Extract`: one DataFrame per canonical table, all values as raw strings (or None),
named as the native bundle names them (docs/data_contract.md), plus the provenance columns `_source` (file
name, sheet or element path) and `_row` (1-based line/row number in that source).  One shared
pipeline (validate -> de-identify -> load) then applies the same rules to all of them, so a
rule exists once and every source gets the same rejects and the same pseudonyms.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

TABLES: tuple[str, ...] = (
    "children", "plans", "events", "attendance", "family_changes", "needs", "actions",
)

# Columns as the native bundle names them (docs/data_contract.md).  `birth_month` is accepted beside
# `birth_date`; both are reduced to the first day of the month before storage.
COLUMNS: dict[str, tuple[str, ...]] = {
    "children": ("child_id", "family_id", "birth_date", "birth_month", "sex", "ethnicity", "disability",
                 "authority"),
    "plans": ("plan_id", "child_id", "start_date", "end_date", "initial_category", "latest_category",
              "team", "end_reason", "previous_plans"),
    "events": ("event_id", "child_id", "event_date", "event_type", "agency", "plan_id", "detail", "due_date"),
    "attendance": ("event_id", "agency", "invited", "attended", "contributed"),
    "family_changes": ("change_id", "family_id", "child_id", "change_date", "change_type", "detail"),
    "needs": ("need_id", "child_id", "plan_id", "identified_date", "factor", "resolved_date"),
    "actions": ("action_id", "plan_id", "action_text", "owner_agency", "set_date", "due_date", "status",
                "completed_date", "addresses_factor"),
}

# Columns added to a table after rows were first fingerprinted: a row leaves them out of its fingerprint while
# they are blank, so its stored rejects still match when it is imported again (validate.source_row_fingerprint).
LATER_COLUMNS: dict[str, tuple[str, ...]] = {"events": ("due_date",), "children": ("authority",)}

# An event may be scheduled rather than held: `due_date` given and `event_date` blank (a review not yet held).
SCHEDULED_BY = {"events": ("event_date", "due_date")}

# Required columns of the native bundle (marked * in docs/data_contract.md).  `family_changes` needs one of
# family_id / child_id, checked per row.
REQUIRED: dict[str, tuple[str, ...]] = {
    "children": ("child_id",),
    "plans": ("plan_id", "child_id", "start_date", "initial_category", "team"),
    "events": ("event_id", "child_id", "event_date", "event_type", "agency"),
    "attendance": ("event_id", "agency", "attended"),
    "family_changes": ("change_id", "change_date", "change_type"),
    "needs": ("need_id", "child_id", "identified_date", "factor"),
    "actions": ("action_id", "plan_id", "action_text"),
}

# The key of each table (attendance has no id of its own).
KEYS: dict[str, tuple[str, ...]] = {
    "children": ("child_id",),
    "plans": ("plan_id",),
    "events": ("event_id",),
    "attendance": ("event_id", "agency"),
    "family_changes": ("change_id",),
    "needs": ("need_id",),
    "actions": ("action_id",),
}

PROVENANCE = ("_source", "_row")


@dataclass(frozen=True)
class Issue:
    """One source row that was not loaded (a reject) or loaded with a caveat (a warning).

    `fingerprint` (deidentify.row_fingerprint) names the row by its content, not its place, so the same
    rows imported again in another order replace their stored issues instead of doubling them; None for
    an issue not tied to one row's values (a file, a header, a row the reader could not split).  `origin`,
    in memory only, is where a check made after de-identification found the row (the extract's number in the
    import, the row's position in its raw frame): write_extracts turns it into the fingerprint.

    `own_words` marks a reason that is the product's own fixed sentence about a file, quoting nothing from it
    (`file is not UTF-8; read as Windows-1252`), or only values the store holds anyway in the product's own format
    (an overlapped plan's dates): it is stored and shown as written.  Every other issue's field
    and reason are scrubbed like a note (load._scrubbed), because a reader may quote a value; scrubbing a
    fixed sentence only mangles it ("Windows-1252" has the shape of a record id)."""

    table: str
    source: str
    row: int | None
    field: str | None
    reason: str
    fingerprint: str | None = None
    origin: tuple[int, int] | None = field(default=None, compare=False, repr=False)
    own_words: bool = field(default=False, compare=False, repr=False)
    # The record a reject is about (its table's one key): the id as read from the value checks, its pseudonym
    # once the writer has it.  Stored with the reject, so a later import that loads the record clears it.
    record: str | None = field(default=None, compare=False, repr=False)

    def where(self) -> str:
        """"FILE row N" (a CSV row, a worksheet row), "FILE line N" for an XML file (its number is the line an
        editor shows, not a row), or the file alone."""
        if self.row is None:
            return self.source
        return f"{self.source} {place_word(self.source)} {self.row}"


def place_word(source: str) -> str:
    """What a number in `source` counts: "line" in an XML file (the line an editor shows), else "row"."""
    return "line" if source.lower().endswith(".xml") else "row"


def in_file_order(issues: list[Issue]) -> list[Issue]:
    """Issues as a user reads them against their files: by file, then row (a file's own issues first), not in
    the order the checks found them (value checks, then references, table by table)."""
    return sorted(issues, key=lambda i: (i.source, -1 if i.row is None else i.row))


@dataclass
class Extract:
    """What one importer read from one or more source files.

    `required` overrides REQUIRED per table for sources that do not carry a column (a CIN
    census plan has no team).  `merge_duplicates` names the tables whose rows may legitimately
    repeat an id within the extract (the same plan in several census years, the same child in
    two lists): those are merged, later rows winning and blanks filled from earlier ones,
    instead of being rejected as conflicting duplicates.  `names` are person names the source
    carried in name columns; they are scrubbed from every free-text cell of the same import.
    `returns` gives, by `_source`, the reference date (ISO) of a dated return (a CIN census file): the
    loader keeps it per row so that an older return imported later never overwrites a newer one.
    `authorities` gives, by `_source`, the DfE LA number a file states (a CIN census header's LEA);
    `authority` is what the user named for the whole import (`import --authority`), checked against
    what the files state (ingest/authority.py).  `authorities_named`: the authorities the source's rows name
    in all its batches (a batched reader's first pass), so one batch judges a child naming none as the
    whole source would.  `prepared`: de-identification the census reader's second process worked out ahead for
    this batch (an `ingest.prepare.Prepared`; None when the writer works everything out itself).
    """

    kind: str
    files: list[Path]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    rejects: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    required: dict[str, tuple[str, ...]] = field(default_factory=dict)
    merge_duplicates: set[str] = field(default_factory=set)
    returns: dict[str, str] = field(default_factory=dict)
    authorities: dict[str, str] = field(default_factory=dict)
    authority: str | None = None
    authorities_named: set[str] = field(default_factory=set)
    source_fields: dict[str, dict[str, str]] = field(default_factory=dict)
    date_formats: str | None = None  # what an unreadable date's reject says was expected (None: dates.TEXT_DATES)
    synthetic: bool = False
    prepared: Any = None  # ingest.prepare.Prepared (not named here: prepare reads frames)

    def required_columns(self, table: str) -> tuple[str, ...]:
        return self.required.get(table, REQUIRED[table])


def conform(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Give a frame exactly the canonical + provenance columns (missing ones as None), in order."""
    out = frame.copy()
    for c in (*COLUMNS[table], *PROVENANCE):
        if c not in out.columns:
            out[c] = None
    return out[list((*COLUMNS[table], *PROVENANCE))]


class FatalImportError(Exception):
    """A source that cannot be imported at all: nothing from the import is written.

    The message is one line naming the file (and the column or line) for the user.
    """


def plan_key(child_id: str, start_date: str) -> str:
    """The source id of a plan that has none of its own (CIN census, Annex A).

    Child id + ISO start date, so every source that knows only those two gives the same plan
    the same id (and, after de-identification, the same pseudonym)."""
    return f"{child_id}|plan|{start_date}"
