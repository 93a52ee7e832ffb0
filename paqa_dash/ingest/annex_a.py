"""Ofsted Annex A workbooks (docs/data_contract.md, "Ofsted Annex A") -> the canonical Extract.

Read: every list about a child, each into the chronology with the agency and event type it implies
(docs/data_contract.md, "Ofsted Annex A"): List 1 contacts (CONTACT), List 2 early help
(EARLY_HELP_START/END), List 3 referrals, List 4 assessments (ASSESSMENT), List 5 section 47
enquiries and ICPCs, List 6 children in need (CIN_START/END, the last time seen), List 7 child
protection (children, plans, the last statutory visit and latest review conference), List 8
children looked after (LOOKED_AFTER_START/END, the last social work visit), List 9 care leavers
(CARE_LEAVER) and List 10 adoption (family identifier, ADOPTION steps), whichever of them are
present; List 7 is required.  List 11 is about adopters, not children: it is named in a warning
and not read.  A list other than 7 that lacks a column it cannot be read without is a reject
naming the file, sheet, header row and column, and the rest of the workbook is read.

Sheet names and header spellings differ between authorities and years, so both are matched
loosely (case, spaces, underscores and punctuation ignored; headers by their key words).  The
header row is found rather than assumed (some templates put a title above it).

Annex A plans carry no id: a plan is keyed by child + start date (`frames.plan_key`), exactly as
the CIN census importer keys it, so the same plan imported from both sources is one plan.
"Allocated Worker" (and any column whose header says worker, adviser or name) is never put in a table:
its values go to `Extract.names`, which the loader scrubs from all free text of the import.

One batch: a workbook is one authority's year (tens of thousands of rows at most, Excel caps a sheet at a
million), read in openpyxl's read-only mode, so the import writes it as one batch; census XML, bundles and
SSD extracts, which can hold a region's decade, come in batches of children (ingest/detect.py).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from itertools import chain
from pathlib import Path

import pandas as pd

from . import codes, csvfile, dates, formulas, limits, merges, scrub
from .frames import Extract, FatalImportError, Issue, conform, plan_key

KIND = "annex_a"
CP_LIST = 7
ADOPTERS_LIST = 11
LIST_NUMBERS = (1, 2, 3, 4, 5, 6, 8, 9, 10, CP_LIST)  # read order: List 7 last so its child details win merges
LIST_NAMES = {1: "contacts", 2: "early help", 3: "referrals", 4: "assessments", 5: "section 47 enquiries",
              6: "children in need", 7: "child protection", 8: "children looked after", 9: "care leavers",
              10: "adoption", 11: "adopters"}

Tokens = frozenset[str]
Predicate = Callable[[Tokens, str], bool]


def _norm(text: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text or "").lower())


def _tokens(text: object) -> Tokens:
    return frozenset(re.findall(r"[a-z0-9]+", str(text or "").lower()))


# --- sheets -------------------------------------------------------------------------------

_LIST_WORDS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (7, ("childprotection", "cpplan")),
    (5, ("section47", "s47", "icpc")),
    (3, ("referral",)),
    (2, ("earlyhelp",)),
    (4, ("assessment",)),
    (1, ("contact",)),
    (9, ("careleaver",)),
    (8, ("lookedafter", "childrenincare", "childincare")),
    (6, ("childreninneed", "childinneed")),
    (11, ("adopter",)),
    (10, ("adoption",)),
)


# A sheet named by its list number: `List 7`, `List_7`, `list7 - CP`, `Annex A List 7`, `List 7 (2024)`.  Matched on
# the name with its separators (`List 7 2023-24` read without them is `list7202324`, no list at all).
_NUMBERED = re.compile(r"^\s*(?:annex[\W_]*a[\W_]*)?list[\W_]*(\d{1,2})(?!\d)", re.IGNORECASE)


def sheet_list_number(title: str) -> int | None:
    """The Annex A list a sheet holds, from its name: `List 7`, `List_7`, `list7 - CP`, `List 7 (2024)`,
    `Annex A List 7` and `Child Protection` -> 7.  None for a sheet that is no list we read."""
    n = _norm(title)
    m = _NUMBERED.match(title)
    if m:
        return int(m.group(1))
    for number, words in _LIST_WORDS:
        if any(w in n for w in words):
            return number
    return 6 if re.match(r"^cin(?![a-z])|^cin\d|^cin$", n) or n in {"cin", "cinlist"} else None


def sheet_choices(sheet_titles: list[str], hidden: Collection[str] = ()) -> dict[int, list[str]]:
    """List number -> the sheets that look like it, the one to read first: a sheet named by its list number before
    one recognised only by its words (a visible `Child Protection` summary beside a hidden `List 7` is not the
    list), then a visible sheet before a hidden one (authorities hide last year's copy of a list rather than delete
    it), then the workbook's order."""
    found: dict[int, list[tuple[tuple[int, bool, int], str]]] = {}
    for place, title in enumerate(sheet_titles):
        number = sheet_list_number(title)
        if number not in (*LIST_NUMBERS, ADOPTERS_LIST):
            continue
        by_words = 0 if _NUMBERED.match(title) else 1
        found.setdefault(number, []).append(((by_words, title in hidden, place), title))
    return {number: [title for _, title in sorted(titles)] for number, titles in found.items()}


# Words of the lists' own titles, besides ordinary English words, that a sheet title may hold and still be given as
# written in a message or the store (`shown_titles`).
_SHEET_WORDS = frozenset(re.findall(r"[a-z]+", " ".join(LIST_NAMES.values()))) | frozenset({
    "annex", "list", "lists", "cp", "cpp", "cin", "cla", "lac", "icpc", "uasc", "nfa", "plan", "plans", "protection",
    "enquiry", "section", "summary", "guidance", "instructions", "notes", "lookups", "totals", "sheet", "data"})


def shown_titles(sheet_titles: list[str]) -> dict[str, str]:
    """Each sheet's title as every message (and so the store and the access log) gives it: as written, unless it may
    name a person ("List 8 - Smith family": `scrub.sheet_title`), then by its place and the list it looks like
    ("sheet 9 (List 8)").  Why: rejects and warnings are stored with their source, and a title is typed by hand."""
    shown: dict[str, str] = {}
    for place, title in enumerate(sheet_titles, start=1):
        kept = scrub.sheet_title(title, _SHEET_WORDS)
        if kept is None:
            number = sheet_list_number(title)
            kept = f"sheet {place}" + (f" (List {number})" if number is not None else "")
        shown[title] = kept
    return shown


def find_sheets(sheet_titles: list[str], hidden: Collection[str] = ()) -> dict[int, str]:
    """List number -> the sheet read for it (`sheet_choices`)."""
    return _read_first(sheet_choices(sheet_titles, hidden))


def _read_first(choices: dict[int, list[str]]) -> dict[int, str]:
    """List number -> the sheet read for it, of `sheet_choices`' sheets (the first of each list's)."""
    return {number: titles[0] for number, titles in choices.items()}


def _passed_over(path: Path, choices: dict[int, list[str]], hidden: Collection[str], shown: dict[str, str]
                 ) -> Iterator[Issue]:
    """A warning for each sheet that looks like a list another sheet is read for: it is not read, and the user
    should know which one was (a stale hidden copy read silently loaded last year's plans as this year's).  Sheets
    are named as `shown` gives them (`shown_titles`)."""
    for number, (chosen, *others) in choices.items():
        for other in others if number != ADOPTERS_LIST else ():
            state = " (hidden)" if other in hidden else ""
            yield Issue("plans" if number == CP_LIST else "events", f"{path.name}:{shown[other]}", None, None,
                        f"sheet '{shown[other]}'{state} also looks like List {number} ({LIST_NAMES[number]}): not "
                        f"read; sheet '{shown[chosen]}' was read (one sheet a list: a sheet named by its list number "
                        "before one named in words, a visible sheet before a hidden one). Delete or rename the sheet "
                        "that is not wanted")


# --- headers ------------------------------------------------------------------------------

def _is_child_id(t: Tokens, n: str) -> bool:
    if n in {"id", "childuniqueid", "uniquechildid", "lachildid", "childid", "personid", "uniqueid"}:
        return True
    return bool(t & {"child", "person", "unique"}) and bool(t & {"id", "identifier", "ref", "reference"}) \
        and not t & {"family", "adopter", "upn", "nhs"}


def _has(*words: str) -> Predicate:
    return lambda t, n: all(w in t for w in words)


def _starts(prefix: str) -> Predicate:
    return lambda t, n: any(tok.startswith(prefix) for tok in t)


def _both(a: Predicate, b: Predicate) -> Predicate:
    return lambda t, n: a(t, n) and b(t, n)


def _either(a: Predicate, b: Predicate) -> Predicate:
    return lambda t, n: a(t, n) or b(t, n)


def _any(*words: str) -> Predicate:
    return lambda t, n: bool(t & set(words))


def _none(*prefixes: str) -> Predicate:
    """No token starts with any of the prefixes."""
    return lambda t, n: not any(tok.startswith(p) for tok in t for p in prefixes)


_DATED = _any("date", "dates")
_TEAM = ("team", _has("team"))


_COMMON: tuple[tuple[str, Predicate], ...] = (
    ("child_id", _is_child_id),
    ("sex", lambda t, n: bool(t & {"gender", "sex"})),
    ("ethnicity", _starts("ethnic")),
    ("birth_date", lambda t, n: "birth" in t or n == "dob"),
    ("disability", _starts("disab")),
)

# Field predicates per list, tried in order; each header goes to the first unassigned match.
_FIELDS: dict[int, tuple[tuple[str, Predicate], ...]] = {
    7: _COMMON + (
        ("initial_category", _both(_has("initial"), _starts("categ"))),
        ("latest_category", _both(_has("latest"), _starts("categ"))),
        ("seen_alone", _has("alone")),
        ("visit_date", _starts("visit")),
        ("review_date", _starts("review")),
        ("start_date", _both(_has("start"), lambda t, n: bool(t & {"date", "plan"}))),
        ("end_date", _both(_has("end"), lambda t, n: bool(t & {"date", "plan"}))),
        ("previous_plans", _has("previous")),
        ("team", _has("team")),
    ),
    5: _COMMON + (
        ("icpc_unnecessary", lambda t, n: "unnecessary" in t or "notrequired" in n),
        ("s47_date", _both(lambda t, n: "47" in t or "s47" in t or "strategy" in t,
                           lambda t, n: bool(t & {"date", "start"}))),
        ("icpc_date", _both(_has("date"), _either(_has("initial", "conference"), _starts("icpc")))),
        ("team", _has("team")),
    ),
    3: _COMMON + (
        ("referral_date", _has("referral", "date")),
        ("referral_source", _has("referral", "source")),
        ("referral_nfa", _has("nfa")),
        ("team", _has("team")),
    ),
    10: _COMMON + (
        ("family_id", _both(_has("family"), lambda t, n: bool(t & {"id", "identifier", "ref", "reference"}))),
        ("adoption_reason", _has("reason")),
        ("adoption_no_longer", _both(_has("longer"), _DATED)),
        ("adoption_ffa", _both(_any("ffa", "fostering", "concurrent"), _DATED)),
        ("care_start", _both(_has("care"), _any("entered", "started", "start"))),
        ("adoption_decision", _both(_has("decision"), _DATED)),
        ("adoption_placement_order", _both(_has("placement", "order"), _DATED)),
        ("adoption_matched", _both(_any("matching", "matched"), _DATED)),
        ("adoption_placed", _both(_has("placed"), _DATED)),
        ("adoption_order", _both(_has("adoption", "order"), _DATED)),
    ),
    1: _COMMON + (
        ("contact_date", _both(_starts("contact"), _DATED)),
        ("contact_source", _has("source")),
        _TEAM,
    ),
    2: _COMMON + (
        ("organisation", _any("organisation", "organization", "agency", "provider", "lead")),
        ("early_help_end", _both(_DATED, _any("end", "ended", "closed", "closure", "ceased"))),
        ("early_help_done", _both(_DATED, _any("completion", "completed", "complete"))),
        ("early_help_start", _both(_DATED, _any("start", "started", "began", "commenced"))),
        _TEAM,
    ),
    4: _COMMON + (
        ("seen", _has("seen")),
        ("authorised_date", _both(_DATED, _either(_starts("authoris"), _starts("authoriz")))),
        ("outcome", _any("requiring", "outcome", "further")),
        ("assessment_date", _both(_DATED, _any("start", "started"))),
        _TEAM,
    ),
    6: _COMMON + (
        ("closure_reason", _has("reason")),
        ("cin_start", _both(_DATED, _any("start", "started"))),
        ("cin_end", _both(_DATED, _any("closure", "closed", "end", "ended"))),
        ("seen_date", _both(_DATED, _has("seen"))),
        ("primary_need", _both(_has("need"), _any("primary", "code"))),
        ("case_status", _has("status")),
        _TEAM,
    ),
    8: _COMMON + (
        ("ceased_reason", _both(_has("reason"), _either(_starts("cease"), _has("left")))),
        ("care_start", _both(_any("looked", "care"), _any("start", "started", "entered", "began"))),
        ("care_end", _both(_any("looked", "care"), _either(_starts("cease"), _any("left", "ended")))),
        ("legal_status", _both(_has("legal", "status"), lambda t, n: "date" not in t)),
        ("need_category", _has("category", "need")),
        ("placement_type", _has("placement", "type")),
        ("visit_date", _both(_has("visit"), _both(_none("iro"), _any("social", "sw", "statutory")))),
        _TEAM,
    ),
    9: _COMMON + (
        ("leaver_date", _both(_DATED, _none("birth"))),
        ("eligibility", _starts("eligib")),
        ("in_touch", _has("touch")),
        ("suitability", _starts("suitab")),
        ("accommodation", _starts("accommod")),
        ("activity", _starts("activit")),
        _TEAM,
    ),
}

# The columns a list cannot be read without, with the header a user would recognise.
_REQUIRED: dict[int, tuple[tuple[str, str], ...]] = {
    7: (("child_id", "Child Unique ID"), ("start_date", "Child Protection Plan Start Date"),
        ("initial_category", "Initial Category of Abuse")),
    5: (("child_id", "Child Unique ID"),
        ("s47_date", "Strategy discussion initiating Section 47 Enquiry Start Date")),
    3: (("child_id", "Child Unique ID"), ("referral_date", "Date of Referral")),
    10: (("child_id", "Child Unique ID"),),
    1: (("child_id", "Child Unique ID"), ("contact_date", "Date of Contact")),
    2: (("child_id", "Child Unique ID"), ("early_help_start", "Assessment start date")),
    4: (("child_id", "Child Unique ID"), ("assessment_date", "Continuous Assessment Start Date")),
    6: (("child_id", "Child Unique ID"), ("cin_start", "CIN Start Date")),
    8: (("child_id", "Child Unique ID"), ("care_start", "Date Started to be Looked After")),
    9: (("child_id", "Child Unique ID"),),
}
# Lists whose missing column is fatal (the workbook cannot be imported without them); any other list with a
# missing column is a reject naming the sheet and the column, and the rest of the workbook is read.
_FATAL_LISTS = (3, 5, CP_LIST)


def is_name_header(header: object) -> bool:
    """A column that holds person names: its values are collected for scrubbing, never stored.  A date
    column is never one ("Date of last social worker visit")."""
    tokens = _tokens(header)
    return (bool(tokens & {"worker", "adviser", "advisor"}) or "name" in _norm(header)) and "date" not in tokens


def map_headers(number: int, headers: list[object]) -> tuple[dict[str, int], list[int]]:
    """Field -> column index for one list's header row, and the indexes of name columns."""
    fields: dict[str, int] = {}
    names: list[int] = []
    for i, header in enumerate(headers):
        if header is None or not str(header).strip():
            continue
        if is_name_header(header):
            names.append(i)
            continue
        t, n = _tokens(header), _norm(header)
        for field, pred in _FIELDS[number]:
            if field not in fields and pred(t, n):
                fields[field] = i
                break
    return fields, names


def _is_header_cell(cell: object) -> bool:
    """A child-id column heading, not a sentence of guidance that mentions the child's unique id."""
    words = re.findall(r"[a-z0-9]+", str(cell or "").lower())
    return cell is not None and len(words) <= 6 and _is_child_id(frozenset(words), _norm(cell))


def _find_header(rows: list[tuple], scan: int = 30) -> int | None:
    """Index of the header row: the first of the top rows with a child-id heading and another heading
    (the DfE template puts a title and guidance rows above it)."""
    for i, row in enumerate(rows[:scan]):
        filled = sum(1 for c in row if codes.cell_text(c) is not None)
        if filled >= 2 and any(_is_header_cell(c) for c in row):
            return i
    return None


@dataclass
class Layout:
    """Where a list's header is (its spreadsheet row) and the columns read: index -> (field, heading)."""

    header_row: int = 0
    columns: dict[int, tuple[str, str]] = dataclass_field(default_factory=dict)

    def headings(self) -> dict[str, str]:
        """Each read field's column heading."""
        return {field: heading for field, heading in self.columns.values()}


class EmptyList(Exception):
    """A list's sheet with nothing in it (a list other than 7): it loads nothing, with the empty file's warning."""


def _blank(rows: Iterable[tuple]) -> bool:
    """Whether every cell of `rows` is blank."""
    return all(codes.cell_text(c) is None for row in rows for c in row)


class MissingColumn(Exception):
    """A list other than 3, 5 and 7 lacks a column it cannot be read without: that sheet is a reject."""

    def __init__(self, row: int | None, column: str, message: str) -> None:
        super().__init__(message)
        self.row, self.column = row, column


GUIDANCE_ROW = "a guidance row under the header (not a child): not read"
TOTALS_ROW = codes.TOTALS_ROW


def _sub_header(row: tuple, id_col: int) -> bool:
    """The second row of a header written over two: the child id heading merged down into it (its cell blank), and
    only headings in its other cells (text, never a date or a number, as a data row's cells would be)."""
    cells = [c for c in row if codes.cell_text(c) is not None]
    return (id_col >= len(row) or codes.cell_text(row[id_col]) is None) and bool(cells) \
        and all(isinstance(c, str) and codes.iso_date(c) == codes.cell_text(c) for c in cells)


def _guidance_row(row: tuple, id_col: int) -> bool:
    """A row of guidance under the header (`Local authority's unique identifier for the child`, `DD/MM/YYYY`):
    its child-id cell is a sentence, never an id."""
    cell = codes.cell_text(row[id_col]) if id_col < len(row) else None
    return cell is not None and len(cell.split()) >= 3


# --- rows ---------------------------------------------------------------------------------

_DATE_FIELDS = ("birth_date", "visit_date", "review_date", "start_date", "end_date", "s47_date", "icpc_date",
                "referral_date", "contact_date", "early_help_start", "early_help_end", "early_help_done",
                "assessment_date", "authorised_date", "cin_start", "cin_end", "seen_date", "care_start", "care_end",
                "leaver_date", "adoption_no_longer", "adoption_ffa", "adoption_decision", "adoption_placement_order",
                "adoption_matched", "adoption_placed", "adoption_order")
_HEADER_SCAN = 30


def _bounded(where: str, rows: Iterator[tuple]) -> Iterator[tuple]:
    """A sheet's rows with the row, column and cell-length limits checked as each is read."""
    number = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # a damaged sheet is found only now that sheets are streamed
            raise FatalImportError(f"{where}: not readable ({type(exc).__name__})") from None
        number += 1
        limits.check_row(where, number, len(row))
        for value in row:
            limits.check_cell(where, value)
        yield row


def _sheet_rows(path: Path, title: str, number: int, rows: Iterator[tuple], names: set[str],
                skipped: dict[int, str] | None = None, layout: Layout | None = None,
                fill: merges.Filler | None = None, merged: list[merges.Merged] | None = None
                ) -> Iterator[tuple[int, dict[str, object]]]:
    """(spreadsheet row number, field -> raw cell) for each non-blank data row of one list, streamed.
    Raises FatalImportError when a required column of List 3, 5 or 7 is missing or a read column's header
    repeats, MissingColumn for a missing column of another list.  Guidance rows right under the header and totals
    rows are left out, their numbers put in `skipped` with the reason; `layout` is given the header row and the
    read columns, each with its heading as the sheet writes it (a reject or warning names the column the analyst
    sees); `fill` fills the data rows' cells merged down from the row above (`merges.Filler`); given the sheet's
    `merged` ranges, a header written over two rows (a heading merged across the columns it groups, the columns'
    own headings under it) is read as one when the top row alone lacks a column the list needs."""
    where = f"{path.name}: sheet '{title}'"
    top: list[tuple] = []
    for row in rows:
        top.append(row)
        if len(top) == _HEADER_SCAN or _find_header(top[-1:]) is not None:
            break
    h = _find_header(top)
    if h is None and _blank(top) and _blank(rows):
        if number == CP_LIST:   # the list the workbook is read for
            raise FatalImportError(f"{where} (List 7) is {csvfile.EMPTY}, and List 7 (child "
                                   "protection) is needed: export the workbook again")
        raise EmptyList()
    if h is None:
        if number not in _FATAL_LISTS:
            raise MissingColumn(None, "Child Unique ID", f"List {number} ({LIST_NAMES[number]}) has no "
                                "'Child Unique ID' column in its top rows: the sheet was not read")
        raise FatalImportError(f"{where} (List {number}) has no 'Child Unique ID' column heading in its first "
                               f"{_HEADER_SCAN} rows (the header row is looked for there: delete the rows above it)")
    header = list(top[h])
    fields, name_cols = map_headers(number, header)
    rest: Iterator[tuple] = chain(top[h + 1:], rows)
    data_from = h + 2  # the spreadsheet row of the first row under the header
    if merged is not None and any(f not in fields for f, _ in _REQUIRED[number]):
        below = next(rest, None)
        if below is not None and _sub_header(below, fields.get("child_id", len(below))):
            grouped = merges.grouped_header(top[h], below, h + 1, merged)
            both, both_names = map_headers(number, grouped)
            if all(f in both for f, _ in _REQUIRED[number]):
                header, fields, name_cols, data_from, below = grouped, both, both_names, h + 3, None
        rest = chain([below] if below is not None else [], rest)
    for field, label in _REQUIRED[number]:
        if field not in fields:
            if number not in _FATAL_LISTS:
                raise MissingColumn(h + 1, label, f"List {number} ({LIST_NAMES[number]}) has no '{label}' "
                                    "column (or one it could be recognised by): the sheet was not read")
            raise FatalImportError(f"{where} (List {number}) has no '{label}' column")
    normed = Counter(_norm(c) for c in header if c is not None)
    for i in sorted(fields.values()):
        if normed[_norm(header[i])] > 1:  # which of the two columns is meant cannot be guessed
            raise FatalImportError(f"{where} (List {number}): column '{header[i]}' appears more than once")
    if layout is not None:
        layout.header_row = data_from - 1
        layout.columns.update({i: (f, " ".join(str(header[i]).split())) for f, i in fields.items()})
    id_heading = str(header[fields["child_id"]]).strip()
    for offset, row in enumerate(rest, start=data_from):
        if all(codes.cell_text(c) is None for c in row):
            continue
        if fill is not None:
            row = fill(offset, row)
        left_out = TOTALS_ROW if codes.totals_row(row, fields["child_id"]) else \
            codes.HEADING_AGAIN if codes.heading_again(row, fields["child_id"], id_heading) else \
            GUIDANCE_ROW if offset <= data_from + 2 and _guidance_row(row, fields["child_id"]) else None
        if left_out:
            if skipped is not None:
                skipped[offset] = left_out
            continue
        for i in name_cols:
            if i < len(row) and (name := codes.person_name(row[i])):
                names.add(name)
        yield offset, {f: (row[i] if i < len(row) else None) for f, i in fields.items()}


def _child(cid: str | None, cells: dict[str, object], src: str, row: int) -> dict:
    return {
        "child_id": cid,
        "family_id": codes.cell_text(cells.get("family_id")),
        "birth_date": codes.iso_date(cells.get("birth_date")),
        "sex": codes.sex_code(cells.get("sex")),
        "ethnicity": codes.ethnicity_code(cells.get("ethnicity")),
        "disability": codes.yes_no(cells.get("disability")),
        "_source": src, "_row": row,
    }


def _event(cid: str | None, event_type: str, day: str | None, src: str, row: int, *,
           agency: str = "CSC", plan_id: str | None = None, detail: str | None = None, label: str | None = None
           ) -> dict:
    """One chronology event; `label` tells apart events of one type on one day (the steps of an adoption)."""
    base = f"{cid}|{event_type}|{day or ''}"
    return {
        "event_id": f"{base}|{label}" if label else base, "child_id": cid, "event_date": day,
        "event_type": event_type, "agency": agency, "plan_id": plan_id, "detail": detail,
        "_source": src, "_row": row,
    }


def _within(day: str | None, start: str | None, end: str | None) -> bool:
    """ISO strings compare as dates; an unparsed value is never 'within'."""
    iso = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    if not (day and start and iso.match(day) and iso.match(start)):
        return False
    return start <= day and (end is None or not iso.match(end) or day <= end)


def _read_list7(cid, cells, src, row, out, warnings: list[Issue]) -> None:
    start = codes.iso_date(cells.get("start_date"))
    end = codes.iso_date(cells.get("end_date"))
    pid = plan_key(cid, start or "")
    initial, latest = codes.plan_categories(cells.get("initial_category"), cells.get("latest_category"), src, row,
                                            warnings)
    out["plans"].append({
        "plan_id": pid, "child_id": cid, "start_date": start, "end_date": end,
        "initial_category": initial, "latest_category": latest,
        "team": codes.cell_text(cells.get("team")),
        "end_reason": None,
        "previous_plans": codes.cell_text(cells.get("previous_plans")),
        "_source": src, "_row": row,
    })
    visit = codes.iso_date(cells.get("visit_date"))
    if visit:
        alone = codes.yes_no(cells.get("seen_alone"))
        detail = {"Y": "Child seen alone", "N": "Child not seen alone"}.get(alone or "")
        out["events"].append(_event(cid, "VISIT", visit, src, row, detail=detail,
                                    plan_id=pid if _within(visit, start, end) else None))
    review = codes.iso_date(cells.get("review_date"))
    if review:
        out["events"].append(_event(cid, "REVIEW_CONFERENCE", review, src, row,
                                    plan_id=pid if _within(review, start, end) else None))


def _read_list5(cid, cells, src, row, out) -> None:
    s47 = codes.iso_date(cells.get("s47_date"))
    unnecessary = codes.yes_no(cells.get("icpc_unnecessary"))
    detail = "ICPC deemed unnecessary" if unnecessary == "Y" else None
    out["events"].append(_event(cid, "S47_START", s47, src, row, detail=detail))
    icpc = codes.iso_date(cells.get("icpc_date"))
    if icpc:
        out["events"].append(_event(cid, "ICPC", icpc, src, row))


def _read_list3(cid, cells, src, row, out) -> None:
    day = codes.iso_date(cells.get("referral_date"))
    source = codes.unlabel(cells.get("referral_source"))
    nfa = codes.yes_no(cells.get("referral_nfa"))
    parts = [f"Referral source: {source}" if source else None,
             "No further action" if nfa == "Y" else None]
    detail = "; ".join(p for p in parts if p) or None
    out["events"].append(_event(cid, "REFERRAL", day, src, row, detail=detail,
                                agency=codes.referral_agency(cells.get("referral_source"))))


def _joined(*parts: str | None) -> str | None:
    return "; ".join(p for p in parts if p) or None


def _said(label: str, value: object) -> str | None:
    text = codes.unlabel(value)
    return f"{label}: {text}" if text else None


def _read_list1(cid, cells, src, row, out) -> None:
    source = cells.get("contact_source")
    out["events"].append(_event(cid, "CONTACT", codes.iso_date(cells.get("contact_date")), src, row,
                                detail=_said("Contact source", source), agency=codes.referral_agency(source)))


def _read_list2(cid, cells, src, row, out) -> None:
    """Early help: its start (the assessment's start), and its end where the list has one.  A completion date
    is the assessment's, not the end of the help, so it is said in the start's detail."""
    org = cells.get("organisation")
    agency = codes.organisation_agency(org) if codes.cell_text(org) else "CSC"
    done = codes.iso_date(cells.get("early_help_done"))
    detail = _joined(_said("Organisation", org), f"assessment completed {done}" if done else None)
    out["events"].append(_event(cid, "EARLY_HELP_START", codes.iso_date(cells.get("early_help_start")), src, row,
                                detail=detail, agency=agency))
    end = codes.iso_date(cells.get("early_help_end"))
    if end:
        out["events"].append(_event(cid, "EARLY_HELP_END", end, src, row, agency=agency))


def _read_list4(cid, cells, src, row, out) -> None:
    authorised = codes.iso_date(cells.get("authorised_date"))
    seen = codes.yes_no(cells.get("seen"))
    detail = _joined(f"authorised {authorised}" if authorised else None,
                     {"Y": "child seen", "N": "child not seen"}.get(seen or ""),
                     _said("outcome", cells.get("outcome")))
    out["events"].append(_event(cid, "ASSESSMENT", codes.iso_date(cells.get("assessment_date")), src, row,
                                detail=detail))


def _read_spell(cid, src, row, out, *steps: tuple[str, object, str | None]) -> None:
    """A spell's events, each (event type, cell, detail): its start always, its end and last visit only where
    dated (Lists 6 and 8)."""
    (kind, cell, detail), *later = steps
    out["events"].append(_event(cid, kind, codes.iso_date(cell), src, row, detail=detail))
    for kind, cell, detail in later:
        day = codes.iso_date(cell)
        if day:
            out["events"].append(_event(cid, kind, day, src, row, detail=detail))


def _read_list6(cid, cells, src, row, out) -> None:
    _read_spell(cid, src, row, out,
                ("CIN_START", cells.get("cin_start"), _joined(_said("Primary need", cells.get("primary_need")),
                                                              _said("case status", cells.get("case_status")))),
                ("CIN_END", cells.get("cin_end"), _said("Reason for closure", cells.get("closure_reason"))),
                ("VISIT", cells.get("seen_date"), "Child last seen (child in need)"))


def _read_list8(cid, cells, src, row, out) -> None:
    """Looked after: the period's start and end and the last social work visit (never the placement's
    postcode, provider or location, which are not read)."""
    _read_spell(cid, src, row, out,
                ("LOOKED_AFTER_START", cells.get("care_start"),
                 _joined(_said("Category of need", cells.get("need_category")),
                         _said("legal status", cells.get("legal_status")),
                         _said("placement", cells.get("placement_type")))),
                ("LOOKED_AFTER_END", cells.get("care_end"), _said("Reason", cells.get("ceased_reason"))),
                ("VISIT", cells.get("visit_date"), "Social work visit (looked after)"))


def _read_list9(cid, cells, src, row, out) -> None:
    """A care leaver, on the date the list gives (a list without a date column is said once per sheet)."""
    if "leaver_date" not in cells:
        return
    in_touch = codes.yes_no(cells.get("in_touch"))
    detail = _joined(_said("Eligibility", cells.get("eligibility")),
                     {"Y": "in touch", "N": "not in touch"}.get(in_touch or ""),
                     _said("accommodation", cells.get("accommodation")),
                     _said("suitability", cells.get("suitability")), _said("activity", cells.get("activity")))
    out["events"].append(_event(cid, "CARE_LEAVER", codes.iso_date(cells.get("leaver_date")), src, row,
                                detail=detail))


# The steps of List 10, in the order of an adoption: field -> (id label, words).
ADOPTION_STEPS: tuple[tuple[str, str, str], ...] = (
    ("adoption_decision", "decision", "Decision that the child should be placed for adoption"),
    ("adoption_ffa", "ffa", "Placed for fostering for adoption or concurrent planning"),
    ("adoption_placement_order", "placement_order", "Placement order"),
    ("adoption_matched", "matched", "Matched with prospective adopters"),
    ("adoption_placed", "placed", "Placed for adoption"),
    ("adoption_order", "order", "Adoption order"),
    ("adoption_no_longer", "no_longer", "Decision that the child should no longer be placed for adoption"),
)


def _read_list10(cid, cells, src, row, out) -> None:
    entered = codes.iso_date(cells.get("care_start"))
    if entered:
        out["events"].append(_event(cid, "LOOKED_AFTER_START", entered, src, row))
    for field, label, words in ADOPTION_STEPS:
        day = codes.iso_date(cells.get(field))
        if day:
            reason = _said("reason", cells.get("adoption_reason")) if label == "no_longer" else None
            out["events"].append(_event(cid, "ADOPTION", day, src, row, label=label, detail=_joined(words, reason)))


_LIST_READERS = {5: _read_list5, 3: _read_list3, 10: _read_list10, 1: _read_list1,
                 2: _read_list2, 4: _read_list4, 6: _read_list6, 8: _read_list8, 9: _read_list9}


# A blank that changes what a row says: a spell's end (blank: still open), besides the columns a list needs.
_SPELL_ENDS = frozenset({"end_date", "cin_end", "care_end", "early_help_end"})


def _load_workbook(path: Path):
    import openpyxl

    if not path.is_file():
        raise FatalImportError(f"{path.name}: no such file")
    if path.stat().st_size == 0:
        raise FatalImportError(f"{path.name}: empty file, not an Annex A workbook")
    try:
        limits.check_workbook(path)
        # Read-only: rows are streamed, never held as a tree of cells (a small sheet can declare millions).
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FatalImportError:
        raise
    except Exception as exc:  # zip, xml and format errors all mean "cannot be read at all"
        raise FatalImportError(f"{path.name}: not a readable .xlsx workbook ({type(exc).__name__})") from None


def _restore_zeros(out: dict[str, list[dict]], begun: dict[str, int], width: int) -> None:
    """A workbook's ids written as numbers (123), read at `width` with their zeros restored (00123: codes.LostZeros),
    in every id built from them (`123|plan|...`).  Rows of this workbook only (from `begun`).  At `width`, every id
    written as text in digits is that wide, so a shorter id of digits is one that was a number."""
    for table, rows in out.items():
        for row in rows[begun[table]:]:
            cid = row["child_id"]
            if cid is None or len(cid) >= width or not cid.isdigit():
                continue
            padded = cid.zfill(width)
            row["child_id"] = padded
            for key in ("plan_id", "event_id"):
                if row.get(key) and row[key].startswith(f"{cid}|"):
                    row[key] = padded + row[key][len(cid):]


def _link_icpcs(out: dict[str, list[dict]]) -> None:
    """An ICPC on the day a plan of the same child started is that plan's initial conference."""
    starts = {(p["child_id"], p["start_date"]): p["plan_id"] for p in out["plans"] if p["start_date"]}
    for e in out["events"]:
        if e["event_type"] == "ICPC" and not e["plan_id"]:
            e["plan_id"] = starts.get((e["child_id"], e["event_date"]))


def read(paths: list[Path]) -> Extract:
    """Read Annex A workbooks into one Extract (see the module docstring for what is read)."""
    paths = [Path(p) for p in paths]
    extract = Extract(kind=KIND, files=paths)
    out: dict[str, list[dict]] = {"children": [], "plans": [], "events": []}
    for path in paths:
        wb = _load_workbook(path)
        hidden = {ws.title for ws in wb.worksheets if ws.sheet_state != "visible"}
        epoch = codes.workbook_epoch(wb)
        choices = sheet_choices(wb.sheetnames, hidden)
        sheets = _read_first(choices)
        shown = shown_titles(wb.sheetnames)
        parts = formulas.sheet_parts(path)
        if CP_LIST not in sheets:
            raise FatalImportError(f"{path.name}: no List 7 (child protection) sheet; sheets found: "
                                   f"{', '.join(shown[t] for t in wb.sheetnames)}")
        if ADOPTERS_LIST in sheets:
            extract.warnings.append(Issue("events", f"{path.name}:{shown[sheets[ADOPTERS_LIST]]}", None, None,
                                          "List 11 (adopters) describes adopters, not children: not read"))
        extract.warnings.extend(_passed_over(path, choices, hidden, shown))
        zeros, headings = codes.LostZeros(), {}
        begun = {table: len(rows) for table, rows in out.items()}   # this workbook's rows start here
        for number in LIST_NUMBERS:
            if number not in sheets:
                continue
            title = sheets[number]
            ws = wb[title]
            ws.reset_dimensions()  # the stored size may be wrong (rows past it were lost): read to the end
            rows = _bounded(f"{path.name}: sheet '{shown[title]}'", ws.iter_rows(values_only=True))
            src = f"{path.name}:{shown[title]}"
            skipped: dict[int, str] = {}
            layout = Layout()
            merged = merges.merged_ranges(path, parts[title])
            fill = merges.Filler(merged)
            try:
                read = list(_sheet_rows(path, shown[title], number, rows, extract.names, skipped, layout, fill,
                                        merged))
            except MissingColumn as missing:
                extract.rejects.append(Issue("events", src, missing.row, missing.column, str(missing)))
                continue
            except EmptyList:   # a list exported with nothing in it: the rest of the workbook is read
                extract.warnings.append(Issue("events", src, None, None, csvfile.EMPTY_FILE, own_words=True))
                continue
            _name_fields(number, src, layout.headings(), extract.source_fields)
            merges.said(fill.used, {i: heading for i, (_, heading) in layout.columns.items()},
                        "plans" if number == CP_LIST else "events", src, extract)
            for row_no, left_out in skipped.items():
                field = "Child Unique ID" if left_out == GUIDANCE_ROW else layout.headings()["child_id"]
                extract.warnings.append(Issue("events", src, row_no, field, left_out))
            read = list(formulas.said(formulas.uncalculated(path, parts[title]), read, layout.columns,
                                      {f for f, _ in _REQUIRED[number]} | _SPELL_ENDS, layout.header_row,
                                      "plans" if number == CP_LIST else "events", src, extract, skipped))
            if number == 9 and read and "leaver_date" not in read[0][1]:
                extract.warnings.append(Issue("events", src, None, None,
                                              "List 9 (care leavers) has no date column: its children are read, "
                                              "but being a care leaver cannot be placed on a chronology"))
            if dates.order_of((c.get(f) for _, c in read for f in _DATE_FIELDS), src) == dates.MONTH_FIRST:
                extract.warnings.append(Issue("events" if number != CP_LIST else "plans", src, None, None,
                                              dates.WARNING))
                read = [(n, {f: dates.as_day_first(v) if f in _DATE_FIELDS else v for f, v in c.items()})
                        for n, c in read]
            if epoch != codes.EXCEL_EPOCH:  # a 1904 workbook: its day numbers count from 1904, not 1900
                read = [(n, {f: codes.iso_date(v, epoch) if f in _DATE_FIELDS else v for f, v in c.items()})
                        for n, c in read]
            headings[src] = layout.headings()["child_id"]
            for row_no, cells in read:
                zeros.see(src, row_no, cells.get("child_id"))
                cid = codes.cell_text(cells.get("child_id"))
                out["children"].append(_child(cid, cells, src, row_no))
                if number == CP_LIST:  # the one list whose cells can be doubtful yet loaded: it takes the warnings
                    _read_list7(cid, cells, src, row_no, out, extract.warnings)
                else:
                    _LIST_READERS[number](cid, cells, src, row_no, out)
        wb.close()
        for src, said in zeros.said():
            extract.warnings.append(Issue("children", src, None, headings[src], said))
        if zeros.width is not None:
            _restore_zeros(out, begun, zeros.width)
    _link_icpcs(out)
    for table, rows in out.items():
        frame = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame()
        extract.tables[table] = conform(table, frame).astype(object)
    extract.required = {"plans": ("plan_id", "child_id", "start_date", "initial_category")}
    extract.merge_duplicates = {"children", "plans", "events"}
    extract.date_formats = dates.WORKBOOK_DATES
    return extract


_CHILD_FIELDS = ("child_id", "family_id", "birth_date", "sex", "ethnicity", "disability")
_PLAN_FIELDS = ("child_id", "start_date", "end_date", "initial_category", "latest_category", "team",
                "previous_plans")
# The column each list's events are dated by: list -> event type -> field (List 10's adoption steps share one
# type, so a reject of one is named by the stored field alone).
_EVENT_DATES: dict[int, dict[str, str]] = {
    1: {"CONTACT": "contact_date"}, 2: {"EARLY_HELP_START": "early_help_start", "EARLY_HELP_END": "early_help_end"},
    3: {"REFERRAL": "referral_date"}, 4: {"ASSESSMENT": "assessment_date"},
    5: {"S47_START": "s47_date", "ICPC": "icpc_date"},
    6: {"CIN_START": "cin_start", "CIN_END": "cin_end", "VISIT": "seen_date"},
    7: {"VISIT": "visit_date", "REVIEW_CONFERENCE": "review_date"},
    8: {"LOOKED_AFTER_START": "care_start", "LOOKED_AFTER_END": "care_end", "VISIT": "visit_date"},
    9: {"CARE_LEAVER": "leaver_date"}, 10: {"LOOKED_AFTER_START": "care_start"},
}


def _name_fields(number: int, src: str, headings: dict[str, str], into: dict[str, dict[str, str]]) -> None:
    """Extract.source_fields for one list: the stored field -> the column heading as the sheet writes it,
    keyed by the list's source ("SOURCE|field"), since each list may head the same field its own way."""
    named: dict[str, dict[str, str]] = {
        "children": {f: f for f in _CHILD_FIELDS},
        "plans": {f: f for f in _PLAN_FIELDS} if number == CP_LIST else {"child_id": "child_id"},
        "events": {"child_id": "child_id", **{f"event_date:{t}": f for t, f in _EVENT_DATES.get(number, {}).items()}},
    }
    for table, fields in named.items():
        for key, field in fields.items():
            if field in headings:
                into.setdefault(table, {})[f"{src}|{key}"] = headings[field]
