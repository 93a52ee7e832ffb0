"""Ofsted Annex A workbooks (docs/data_contract.md, "Ofsted Annex A") -> the canonical Extract.

Read: List 7 (child protection: children, plans, the last statutory visit and latest review
conference), List 5 (section 47 enquiries and ICPCs), List 3 (referrals) and List 10 (the
family identifier), whichever of 3/5/10 are present.  Other lists are not about child
protection chronology and are ignored.

Sheet names and header spellings differ between authorities and years, so both are matched
loosely (case, spaces, underscores and punctuation ignored; headers by their key words).  The
header row is found rather than assumed (some templates put a title above it).

Annex A plans carry no id: a plan is keyed by child + start date (`frames.plan_key`), exactly as
the CIN census importer keys it, so the same plan imported from both sources is one plan.
"Allocated Worker" (and any column whose header says worker or name) is never put in a table:
its values go to `Extract.names`, which the loader scrubs from all free text of the import.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import chain
from pathlib import Path

import pandas as pd

from . import codes, dates, limits
from .frames import Extract, FatalImportError, Issue, conform, plan_key

KIND = "annex_a"
CP_LIST = 7
LIST_NUMBERS = (3, 5, 10, CP_LIST)  # read order: List 7 last so its child details win merges

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
    (10, ("adoption",)),
)


def sheet_list_number(title: str) -> int | None:
    """The Annex A list a sheet holds, from its name: `List 7`, `List_7`, `list7 - CP`,
    `Annex A List 7` and `Child Protection` -> 7.  None for a sheet that is no list we read."""
    n = _norm(title)
    m = re.match(r"^(?:annexa)?list(\d{1,2})(?!\d)", n)
    if m:
        return int(m.group(1))
    for number, words in _LIST_WORDS:
        if any(w in n for w in words):
            return number
    return None


def find_sheets(sheet_titles: list[str]) -> dict[int, str]:
    """List number -> sheet title, for the lists this reader uses.  A sheet named by its list
    number wins over one recognised only by its words; otherwise the first sheet wins."""
    found: dict[int, tuple[int, str]] = {}
    for title in sheet_titles:
        number = sheet_list_number(title)
        if number not in LIST_NUMBERS:
            continue
        rank = 0 if re.match(r"^(?:annexa)?list\d", _norm(title)) else 1
        if number not in found or rank < found[number][0]:
            found[number] = (rank, title)
    return {number: title for number, (_, title) in found.items()}


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
    ),
}

# The columns a list cannot be read without, with the header a user would recognise.
_REQUIRED: dict[int, tuple[tuple[str, str], ...]] = {
    7: (("child_id", "Child Unique ID"), ("start_date", "Child Protection Plan Start Date"),
        ("initial_category", "Initial Category of Abuse")),
    5: (("child_id", "Child Unique ID"),
        ("s47_date", "Strategy discussion initiating Section 47 Enquiry Start Date")),
    3: (("child_id", "Child Unique ID"), ("referral_date", "Date of Referral")),
    10: (("child_id", "Child Unique ID"), ("family_id", "Family identifier")),
}


def is_name_header(header: object) -> bool:
    """A column that holds person names: its values are collected for scrubbing, never stored."""
    return "worker" in _tokens(header) or "name" in _norm(header)


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


def _find_header(rows: list[tuple], scan: int = 15) -> int | None:
    """Index of the header row: the first of the top rows with a child-id header cell."""
    for i, row in enumerate(rows[:scan]):
        if any(c is not None and _is_child_id(_tokens(c), _norm(c)) for c in row):
            return i
    return None


# --- rows ---------------------------------------------------------------------------------

_DATE_FIELDS = ("birth_date", "visit_date", "review_date", "start_date", "end_date", "s47_date", "icpc_date",
                "referral_date")
_HEADER_SCAN = 15


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


def _sheet_rows(path: Path, title: str, number: int, rows: Iterator[tuple], names: set[str]
                ) -> Iterator[tuple[int, dict[str, object]]]:
    """(spreadsheet row number, field -> raw cell) for each non-blank data row of one list, streamed.
    Raises FatalImportError when a required column is missing or a read column's header repeats."""
    where = f"{path.name}: sheet '{title}'"
    top: list[tuple] = []
    for row in rows:
        top.append(row)
        if len(top) == _HEADER_SCAN or _find_header(top[-1:]) is not None:
            break
    h = _find_header(top)
    if h is None:
        raise FatalImportError(f"{where} (List {number}) has no 'Child Unique ID' column")
    header = list(top[h])
    fields, name_cols = map_headers(number, header)
    for field, label in _REQUIRED[number]:
        if field not in fields:
            raise FatalImportError(f"{where} (List {number}) has no '{label}' column")
    normed = Counter(_norm(c) for c in header if c is not None)
    for i in sorted(fields.values()):
        if normed[_norm(header[i])] > 1:  # which of the two columns is meant cannot be guessed
            raise FatalImportError(f"{where} (List {number}): column '{header[i]}' appears more than once")
    for offset, row in enumerate(chain(top[h + 1:], rows), start=h + 2):
        if all(codes.cell_text(c) is None for c in row):
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
           agency: str = "CSC", plan_id: str | None = None, detail: str | None = None) -> dict:
    return {
        "event_id": f"{cid}|{event_type}|{day or ''}", "child_id": cid, "event_date": day,
        "event_type": event_type, "agency": agency, "plan_id": plan_id, "detail": detail,
        "_source": src, "_row": row,
    }


def _within(day: str | None, start: str | None, end: str | None) -> bool:
    """ISO strings compare as dates; an unparsed value is never 'within'."""
    iso = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    if not (day and start and iso.match(day) and iso.match(start)):
        return False
    return start <= day and (end is None or not iso.match(end) or day <= end)


def _read_list7(cid, cells, src, row, out) -> None:
    start = codes.iso_date(cells.get("start_date"))
    end = codes.iso_date(cells.get("end_date"))
    pid = plan_key(cid, start or "")
    out["plans"].append({
        "plan_id": pid, "child_id": cid, "start_date": start, "end_date": end,
        "initial_category": codes.category_code(cells.get("initial_category")),
        "latest_category": codes.category_code(cells.get("latest_category")),
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


_LIST_READERS = {7: _read_list7, 5: _read_list5, 3: _read_list3, 10: lambda *a: None}


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
        sheets = find_sheets(wb.sheetnames)
        if CP_LIST not in sheets:
            raise FatalImportError(
                f"{path.name}: no List 7 (child protection) sheet; sheets found: {', '.join(wb.sheetnames)}")
        for number in LIST_NUMBERS:
            if number not in sheets:
                continue
            title = sheets[number]
            ws = wb[title]
            ws.reset_dimensions()  # the stored size may be wrong (rows past it were lost): read to the end
            rows = _bounded(f"{path.name}: sheet '{title}'", ws.iter_rows(values_only=True))
            src = f"{path.name}:{title}"
            read = list(_sheet_rows(path, title, number, rows, extract.names))
            if dates.order_of((c.get(f) for _, c in read for f in _DATE_FIELDS), src) == dates.MONTH_FIRST:
                extract.warnings.append(Issue("events" if number != CP_LIST else "plans", src, None, None,
                                              dates.WARNING))
                read = [(n, {f: dates.as_day_first(v) if f in _DATE_FIELDS else v for f, v in c.items()})
                        for n, c in read]
            for row_no, cells in read:
                cid = codes.cell_text(cells.get("child_id"))
                out["children"].append(_child(cid, cells, src, row_no))
                _LIST_READERS[number](cid, cells, src, row_no, out)
        wb.close()
    _link_icpcs(out)
    for table, rows in out.items():
        frame = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame()
        extract.tables[table] = conform(table, frame).astype(object)
    extract.required = {"plans": ("plan_id", "child_id", "start_date", "initial_category")}
    extract.merge_duplicates = {"children", "plans", "events"}
    return extract
