"""CIN census XML (DfE) reader: one or several census files -> one canonical `Extract`.

Why it looks the way it does:
- A census file holds every child in need of one year; an authority's ten years, or a regional
  file of 100,000 children, must not be loaded whole.  Each file is streamed with lxml
  `iterparse` on `Child` elements, and every `Child` is cleared (with its already-read
  siblings) as soon as its rows are taken, so memory grows with the rows produced, not with the
  XML tree.
- Census files are untrusted input: entities are never expanded, no DTD or network resource is
  loaded, huge-tree mode stays off, and a document that declares entities is refused.
- The same plan appears in every census year it was open.  Files are read in census order
  (Header/CollectionDetails/ReferenceDate ascending; two returns of one date by Header/Source/DateTime, then
  file name) and the extract asks the loader to merge
  rows with the same id, later years winning.  Each file's reference date goes with its rows
  (`Extract.returns`), so a census year imported in a later run than a newer one never
  overwrites what the newer return said (the loader keeps the newest return's values).  Ids are therefore built only from what stays the
  same between years: child + start date for a plan (`frames.plan_key`), child + type + date
  for an event, child + factor + date for a need.
- Real files are messy.  Values are passed through raw so the one shared validator judges dates
  and codes for every source alike; this reader only refuses what it cannot key (a Child
  without LAchildID) and reports the DfE cross-item rules (a plan starting before its referral,
  a CIN plan open beside a CP plan, ...) as warnings: the plan still happened.
- A file that is not XML at all (empty, binary, not well-formed, wrong root) is fatal and the
  message names the file and the line.
- An element no block of the DfE specification defines is never ignored silently: a misspelt `<CPPEndDate>` would
  leave a plan open, and an open plan makes the next one an overlap.  Each block's names are checked once, from
  the index the reader builds anyway, against that block's known names (`KNOWN_ELEMENTS`); a name that differs
  from a known one only in case or by a trailing 's' is read as it (nothing is lost), any other is not read; both
  are warned about once per name and file, with a count (`_Unrecognised`).
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import date as calendar_date
from functools import lru_cache
from itertools import islice
from operator import itemgetter
from pathlib import Path
from types import MappingProxyType
from typing import Iterator, Mapping

import numpy as np
import pandas as pd
from lxml import etree

from paqa_dash.ingest import la_number, limits
from paqa_dash.ingest.frames import (
    COLUMNS, PROVENANCE, Extract, FatalImportError, Issue, plan_key,
)

KIND = "cin_xml"
# The census item each stored field of a census row is read from, so that a reject found by the shared checks
# names what the user's file calls it ("CPPendDate (end_date)"); an event's date by the event's type (the census
# has one date item per kind of event; an OTHER event's date is named by its element at the reject's line).
CENSUS_ITEMS: dict[str, dict[str, str]] = {
    "children": {"child_id": "LAchildID", "birth_date": "PersonBirthDate", "sex": "Sex", "ethnicity": "Ethnicity",
                 "disability": "Disability"},
    "plans": {"start_date": "CPPstartDate", "end_date": "CPPendDate", "initial_category": "InitialCategoryOfAbuse",
              "latest_category": "LatestCategoryOfAbuse", "previous_plans": "NumberOfPreviousCPP"},
    "events": {"event_date:REFERRAL": "CINreferralDate", "event_date:ICPC": "DateOfInitialCPC",
               "event_date:S47_START": "S47ActualStartDate", "event_date:ASSESSMENT": "AssessmentActualStartDate",
               "event_date:REVIEW_CONFERENCE": "CPPreviewDate", "plan_id": "ChildProtectionPlans"},
    "needs": {"factor": "AssessmentFactors", "identified_date": "AssessmentAuthorisationDate"},
}
AGENCY = "CSC"
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$")
_UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_TRUE = {"true", "1", "y", "yes"}
_SNIFF = 4096
_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


# ---------------------------------------------------------------- file checks and header

@dataclass(frozen=True)
class CensusHeader:
    """What the header of one census file says about its year (used to order the files)."""

    path: Path
    reference_date: str | None
    year: str | None
    lea: str | None = None   # Header/Source/LEA: the authority's DfE LA number (ingest/authority.py)
    produced: str | None = None  # Header/Source/DateTime: when the return was made (orders two of one year)

    @property
    def order_key(self) -> str:
        """ReferenceDate, else 31 March of the collection Year, else '' (read first)."""
        if self.reference_date and _ISO.match(self.reference_date):
            return self.reference_date
        if self.year and re.fullmatch(r"\d{4}", self.year):
            return f"{self.year}-03-31"
        return ""

    @property
    def sort_key(self) -> tuple[str, str, str, str]:
        """Census order, and between two returns of one reference date (a resubmission, a corrected copy) the one
        produced last, else the file name last in order: read last, so it wins the merge whatever order the
        files were given in (the writer warns where they disagree: validate.return_conflicts)."""
        return self.order_key, self.produced or "", self.path.name, str(self.path)


def _parser_options() -> dict:
    """The safe iterparse options: no entity expansion, no DTD, no network, bounded nodes."""
    return dict(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                dtd_validation=False, remove_comments=True, remove_pis=True, recover=False)


_LOCAL_NAMES: dict[str, str] = {}


def _local(tag: object) -> str:
    """An element's name without namespace ('' for comments and processing instructions).

    Memoised: a census file uses a few dozen tag names millions of times."""
    try:
        return _LOCAL_NAMES[tag]  # type: ignore[index]
    except (KeyError, TypeError):
        if not isinstance(tag, str):
            return ""
        name = _LOCAL_NAMES[tag] = tag.rsplit("}", 1)[-1]
        return name


def check_readable(path: Path) -> None:
    """Refuse files that cannot be a census file before parsing: missing, empty or binary."""
    name = path.name
    limits.check_xml(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(_SNIFF)
    except OSError as exc:
        raise FatalImportError(f"{name}: cannot be read ({exc.strerror or exc})") from exc
    if not head.strip():
        raise FatalImportError(f"{name}: empty file, not a CIN census XML file")
    if not head.startswith(_TEXT_BOMS) and b"\x00" in head:
        raise FatalImportError(f"{name}: binary file, not a CIN census XML file")


def _syntax_fatal(path: Path, exc: etree.XMLSyntaxError) -> FatalImportError:
    line, column = exc.position if exc.position else (exc.lineno, None)
    msg = re.sub(r",? line \d+, column \d+$", "", (exc.msg or str(exc)).strip())
    where = f"{line or '?'}" + (f" (column {column})" if column else "")
    hint = _encoding_hint(path, line) if exc.code == etree.ErrorTypes.ERR_INVALID_ENCODING else ""
    return FatalImportError(f"{path.name}: not well-formed XML at line {where}: {msg}{hint}")


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _encoding_hint(path: Path, line: int | None) -> str:
    """What to do about bytes that are not the file's encoding (libxml2 says only "Invalid bytes in character
    encoding"): almost always a file saved as Windows-1252 ("ANSI", by Notepad or an old export) that says, or is
    taken to be, UTF-8.  Only the failing line is read again, and nothing of it is quoted (it may identify)."""
    text = b""
    if line:
        with open(path, "rb") as fh:
            text = next(islice(fh, line - 1, None), b"")
    if _decodes(text, "utf-8"):
        return ""  # the bytes are UTF-8 but the file declares another encoding: libxml2's words are the hint
    found = " (its bytes read as Windows-1252, as Notepad's 'ANSI' and older exports save)" \
        if _decodes(text, "cp1252") else ""
    return (f". The file is not UTF-8{found}: save it again as UTF-8, or declare its encoding in its first line, "
            '<?xml version="1.0" encoding="windows-1252"?>')


def _check_root(path: Path, root: etree._Element) -> None:
    """The root must be <Message> and the document must not declare entities."""
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.entities()):
        raise FatalImportError(
            f"{path.name}: the DOCTYPE before line {root.sourceline} declares XML entities; refused "
            "(entity expansion can exhaust memory or read local files)")
    if _local(root.tag) != "Message":
        raise FatalImportError(
            f"{path.name}: root element is <{_local(root.tag)}> at line {root.sourceline}, "
            "expected <Message> (not a CIN census file)")
    if isinstance(root.tag, str) and root.tag.startswith("{"):  # the DfE schema declares no namespace
        raise FatalImportError(
            f"{path.name}: <Message> on line {root.sourceline} is in the namespace "
            f"'{root.tag[1:].split('}', 1)[0]}', and the DfE's CIN census schema declares none. If this is a CIN "
            "census file, remove the xmlns attribute from <Message> (a text editor will do) and import it again; "
            "otherwise it is another collection's file")


def _header_events(path: Path) -> Iterator[tuple[str, etree._Element]]:
    """The parse events of a file's start, fed to the parser a few KB at a time (`_SNIFF`) for as long as they are
    wanted.  Why not iterparse: it parses a buffer of tens of KB, children and all, before its first event, and a
    header is well under one KB: an import of 1,520 census files spent 2.5 CPU s, before its first batch, on
    reading their headers (docs/benchmark_history.md, *The serial start and end of a large import*)."""
    parser = etree.XMLPullParser(events=("start", "end"), **_parser_options())
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_SNIFF):
                parser.feed(chunk)
                yield from parser.read_events()
        parser.close()   # a file that ends before <Children>: its syntax error (an unclosed element) is raised here
    except etree.XMLSyntaxError:
        # the events before the error first, as iterparse gives them: a root declaring entities is refused as such
        # (`_check_root`), not as the syntax error its expansion in the same chunk ran into
        yield from parser.read_events()
        raise
    yield from parser.read_events()


def read_header(path: Path) -> CensusHeader:
    """Read only the header of a census file (stops at <Children>), checking it is one."""
    check_readable(path)
    ref = year = lea = produced = collection = None
    try:
        first = True
        for event, el in _header_events(path):
            if first:
                _check_root(path, el)
                first = False
            name = _local(el.tag)
            if event == "start" and name == "Children":
                break
            if event == "end" and name == "ReferenceDate" and ref is None:
                ref = (el.text or "").strip() or None
            elif event == "end" and name == "Year" and year is None:
                year = (el.text or "").strip() or None
            elif event == "end" and name == "LEA" and lea is None:
                lea = (el.text or "").strip() or None
            elif event == "end" and name == "DateTime" and produced is None:
                produced = (el.text or "").strip() or None
            elif event == "end" and name == "Collection" and collection is None:
                collection = (el.text or "").strip() or None
    except etree.XMLSyntaxError as exc:
        raise _syntax_fatal(path, exc) from exc
    if collection is not None and not collection.lower().startswith("cin"):
        # Every DfE collection's file is a <Message> (the school census's holds <Pupils>): read as a census it loaded
        # nothing, said as "no rows to load", and an import run of nothing recorded.
        raise FatalImportError(f"{path.name}: Header/CollectionDetails/Collection is '{collection[:40]}', not CIN: "
                               "another collection's file, not a CIN census return")
    if lea is not None:
        la_number.check(lea, f"{path.name}: Header/Source/LEA")
    return CensusHeader(path, ref, year, lea, produced)


def iter_children(path: Path) -> Iterator[etree._Element]:
    """Stream the <Child> elements of one file, freeing each (and what precedes it) after use.

    The caller must take what it needs from a Child before asking for the next one.  Only Child
    end events reach Python (the root and entities were checked by `read_header`, and are
    checked again here at the first Child).
    """
    context = etree.iterparse(str(path), events=("end",), tag="{*}Child", **_parser_options())
    seen_root = False
    try:
        for _event, el in context:
            if not seen_root:
                _check_root(path, el.getroottree().getroot())
                seen_root = True
            yield el
            el.clear(keep_tail=False)
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise _syntax_fatal(path, exc) from exc
    finally:
        del context


# ---------------------------------------------------------------- element helpers

Index = Mapping[str, list[etree._Element]]
_NONE: Index = MappingProxyType({})  # the index of an absent element: it has no children


def _index(el: etree._Element | None, block: str | None = None, unrecognised: _Unrecognised | None = None
           ) -> Index:
    """An element's children by name, in document order, gathered in one walk of them; given its `block` kind, its
    names checked against the block's known ones (`KNOWN_ELEMENTS`), any other handed to `unrecognised`.

    Why: a Child's blocks are asked for a dozen names each, and walking the children for every name was a third
    of the reader's time; each block's index is made once, where the block is read, and asked directly (the
    reader's time is Python calls per element: about 40 elements a Child, 17 million at a million plans).  The
    names are checked here, once per block by one subset test in C, not per element nor in a call of its own."""
    if el is None:
        return _NONE
    found: dict[str, list[etree._Element]] = {}
    names = _LOCAL_NAMES
    for k in el:
        tag = k.tag
        try:
            name = names[tag]
        except (KeyError, TypeError):
            name = _local(tag)
        kids = found.get(name)
        if kids is None:
            found[name] = [k]
        else:
            kids.append(k)
    if block is None or KNOWN_ELEMENTS[block].issuperset(found) or unrecognised is None:
        return found
    return unrecognised.resolve(block, found)


def _one(index: Index, name: str) -> etree._Element | None:
    """The first child called `name` (None when there is none)."""
    kids = index.get(name)
    return kids[0] if kids else None


def _val(el: etree._Element | None) -> str | None:
    """The stripped text of a leaf (None when absent or blank); short codes are interned."""
    if el is None:
        return None
    text = el.text  # read once: each read makes a new Python string
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    return sys.intern(text) if len(text) <= 20 else text


def _get(index: Index, name: str) -> tuple[str | None, int | None]:
    """(value, line) of the first child called `name`."""
    kids = index.get(name)
    if not kids:
        return None, None
    k = kids[0]
    return _val(k), k.sourceline


@lru_cache(maxsize=1 << 16)  # a census repeats a few thousand days millions of times; bounded for hostile files
def _iso_shape(value: str | None) -> str | None:
    """A date value written as YYYY-MM-DD (ISO with or without a time part, or UK dd/mm/yyyy), whether or not
    it is a day of the calendar: the stored value stays raw for the shared validator to judge."""
    if not value:
        return None
    m = _DATE_PREFIX.match(value)
    if m:
        return m.group(1)
    m = _UK_DATE.match(value)
    return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else None


@lru_cache(maxsize=1 << 16)
def _iso(value: str | None) -> str | None:
    """A date value as YYYY-MM-DD for the cross-item rules' comparisons, or None when it is no day
    (`2022-02-30`): the validator rejects that row, so no rule may warn that it was "loaded as recorded"."""
    iso = _iso_shape(value)
    try:
        return iso if iso and calendar_date.fromisoformat(iso) else None
    except ValueError:
        return None


@lru_cache(maxsize=1 << 16)
def _key_date(value: str | None) -> str:
    """The date part of an id: the same day gives the same id whichever way a year wrote it."""
    return _iso_shape(value) or value or ""


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in _TRUE


# ---------------------------------------------------------------- what the rows and warnings say
# Said once, for both ways a <Child> is read (`_ChildReader.read`: the plain shape, and every other shape).

def _details(*parts: str | None) -> str | None:
    """An event's detail: its given parts, joined; None when there are none."""
    return "; ".join(p for p in parts if p) or None


def _referral_detail(source: str | None, need: str | None, nfa: str | None) -> str | None:
    return _details(f"Referral source {source}" if source else None, f"primary need {need}" if need else None,
                    "no further action" if _truthy(nfa) else None)


def _s47_detail(target: str | None, not_required: str | None) -> str | None:
    return _details(f"ICPC target {target}" if target else None,
                    "ICPC not required" if _truthy(not_required) else None)


def _assessment_detail(authorised: str | None, factors: list[tuple[str, int | None]]) -> str | None:
    return _details(f"authorised {authorised}" if authorised else None,
                    ("factors " + " ".join(dict.fromkeys(v for v, _ in factors))) if factors else None)


def _closure_detail(reason: str | None) -> str:
    return f"CIN case closed; reason {reason}" if reason else "CIN case closed"


def _disability(codes: list[str]) -> str | None:
    """The child's disability flag from its <Disability> codes (blanks left out): Y unless every one is NONE."""
    if not codes:
        return None
    return "Y" if any(c.upper() != "NONE" for c in codes) else "N"


def _before_referral(what: str, start: str, referral: str) -> str:
    return (f"{what} starts ({start}) before its referral ({referral}) "
            "(DfE cross-item rule); loaded as recorded")


def _review_outside(review: str, start: str, end: str | None) -> str:
    return (f"review conference ({review}) outside its CP plan ({start} to "
            f"{end or 'open'}) (DfE cross-item rule); loaded as recorded")


def _authorised_before(authorised: str, start: str) -> str:
    return (f"assessment authorised ({authorised}) before it started ({start}) "
            "(DfE cross-item rule); loaded as recorded")


def _cin_plan_beside(start: str, end: str | None, plan_start: str) -> str:
    return (f"CIN plan ({start} to {end or 'open'}) open beside the CP plan "
            f"starting {plan_start} (DfE cross-item rule); loaded as recorded")


_EMPTY_REVIEW = "empty CPPreviewDate: it records no review conference, so none was read from it"


# ---------------------------------------------------------------- element names

# Every element of each block of a <Child> that the DfE CIN census specification defines (2013-14 on: GenderCurrent
# before Sex, ExpectedPersonBirthDate for an unborn child), read by this reader or not (UPN, PersonDeathDate,
# AssessmentInternalReviewDate ...), so that a real return is silent and any other name is told to the user.
# Pre-proceedings / FGDM blocks under Child and CINdetails are known by their names' shape (`_is_pre_block`).
KNOWN_ELEMENTS: dict[str, frozenset[str]] = {
    "Child": frozenset({"ChildIdentifiers", "ChildCharacteristics", "CINdetails"}),
    "ChildIdentifiers": frozenset({"LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate",
                                   "ExpectedPersonBirthDate", "GenderCurrent", "Sex", "PersonDeathDate"}),
    "ChildCharacteristics": frozenset({"Ethnicity", "Disabilities"}),
    "Disabilities": frozenset({"Disability"}),
    "CINdetails": frozenset({"CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
                             "ReasonForClosure", "DateOfInitialCPC", "ReferralNFA", "Assessments", "CINPlanDates",
                             "Section47", "ChildProtectionPlans"}),
    "Assessments": frozenset({"AssessmentActualStartDate", "AssessmentInternalReviewDate",
                              "AssessmentAuthorisationDate", "FactorsIdentifiedAtAssessment"}),
    "FactorsIdentifiedAtAssessment": frozenset({"AssessmentFactors"}),
    "CINPlanDates": frozenset({"CINPlanStartDate", "CINPlanEndDate"}),
    "Section47": frozenset({"S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"}),
    "ChildProtectionPlans": frozenset({"CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse",
                                       "LatestCategoryOfAbuse", "NumberOfPreviousCPP", "Reviews"}),
    "Reviews": frozenset({"CPPreviewDate"}),
}
_HOLD_PRE_BLOCKS = frozenset({"Child", "CINdetails"})
# The table an unrecognised element's warning is listed with: the one its block's rows go to.
_BLOCK_TABLE = {"Child": "children", "ChildIdentifiers": "children", "ChildCharacteristics": "children",
                "Disabilities": "children", "ChildProtectionPlans": "plans", "FactorsIdentifiedAtAssessment": "needs"}


@lru_cache(maxsize=1 << 10)
def _meant(block: str, name: str) -> str | None:
    """The element of `block` that `name` differs from only in case or by a trailing 's' (`CPPEndDate` ->
    `CPPendDate`, `ChildProtectionPlan` -> `ChildProtectionPlans`), else None: near enough to be a slip, too
    near to be another item (no two elements of one block are so alike)."""
    def shape(n: str) -> str:
        return n.lower().removesuffix("s")
    wanted = shape(name)
    return next((k for k in sorted(KNOWN_ELEMENTS[block]) if shape(k) == wanted), None)


class _Unrecognised:
    """The elements of one file that no block of the census defines, tallied by block and name, to be said once
    per file with a count: a regional file repeating one odd element 30,000 times gives one warning, not 30,000.

    A name `_meant` pairs with a known element is read as it (renamed in the block's index) unless the block also
    gives the known one; any other is left unread.  Either way the user is told, with the first line."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.seen: dict[tuple[str, str, str | None, bool], list[int]] = {}  # -> [first line, count]

    def resolve(self, block: str, index: dict[str, list[etree._Element]]) -> Index:
        """`index` with every name `_meant` pairs with a known one read as it; every unknown name tallied."""
        known = KNOWN_ELEMENTS[block]
        for name in [n for n in index if n not in known]:
            if not name or (block in _HOLD_PRE_BLOCKS and _is_pre_block(name)):
                continue
            meant = _meant(block, name)
            read = meant is not None and meant not in index
            elements = index.pop(name) if read else index[name]
            if read:
                index[meant] = elements  # type: ignore[index]
            tally = self.seen.setdefault((block, name, meant, read), [elements[0].sourceline or 0, 0])
            tally[1] += len(elements)
        return index

    def warnings(self) -> list[Issue]:
        """One warning per (block, name) of the file, in the order of their first lines; the tally then starts
        again (the next file's)."""
        out = [Issue(_BLOCK_TABLE.get(block, "events"), self.source, first or None, name,
                     _unrecognised_reason(block, name, meant, read, first, count))
               for (block, name, meant, read), (first, count) in sorted(self.seen.items(), key=lambda i: i[1][0])]
        self.seen = {}
        return out


def _unrecognised_reason(block: str, name: str, meant: str | None, read: bool, first: int, count: int) -> str:
    text = f"<{name}> is not a CIN census element of <{block}>"
    if meant is None:
        text += ": its value was not read"
    elif read:
        text += f": did you mean <{meant}>? Read as <{meant}>; correct the name in the file"
    else:
        text += f": did you mean <{meant}>? Its value was not read: the block also gives <{meant}>"
    return text + (f" ({count} times in this file, the first at line {first})" if count > 1 else "")


# ---------------------------------------------------------------- rows

class _Rows:
    """Row buffers per table: one tuple a row of the columns a census gives, made columns once a batch is read.

    Why tuples: appending a row is one append (its values picked from the call's names in C), where a list per
    column cost an append per value, and building the rows was the reader's largest step."""

    GIVEN: dict[str, tuple[str, ...]] = {   # the columns a census row has; the table's others are blank
        "children": ("child_id", "birth_date", "sex", "ethnicity", "disability"),
        "plans": ("plan_id", "child_id", "start_date", "end_date", "initial_category", "latest_category",
                  "previous_plans"),
        "events": ("event_id", "child_id", "event_date", "event_type", "agency", "plan_id", "detail"),
        "needs": ("need_id", "child_id", "identified_date", "factor"),
    }
    _PICK = {t: itemgetter(*cols) for t, cols in GIVEN.items()}

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple]] = {t: [] for t in self.GIVEN}

    def add(self, table: str, source: str, row: int | None, **values: str | None) -> None:
        """One row: every column of GIVEN[table] named (a KeyError says which is missing)."""
        self.rows[table].append((*self._PICK[table](values), source, row))

    def frames(self) -> dict[str, pd.DataFrame]:
        """Each table's rows as a frame of its canonical and provenance columns (`frames.conform`'s), every column
        of Python objects (the table's other columns blank).  Made in one array a table: the rows are turned into
        columns by numpy in C, where a Series a column cost some three times the CPU."""
        out = {}
        for table in list(self.rows):
            rows = self.rows.pop(table)  # free each table's rows as soon as its frame exists
            columns = (*COLUMNS[table], *PROVENANCE)
            values = np.full((len(rows), len(columns)), None, dtype=object)
            if rows:
                values[:, [columns.index(c) for c in (*self.GIVEN[table], *PROVENANCE)]] = np.array(rows, dtype=object)
            out[table] = pd.DataFrame(values, columns=list(columns), dtype=object)
        return out


# One event of a Child: (event_type, date, line, detail, plan_id, label); the label distinguishes kinds of OTHER
# event in the id.  A tuple, not an object: a million plans give some 10 million events.
_Event = tuple[str, "str | None", "int | None", "str | None", "str | None", "str | None"]


def _event(event_type: str, date: str | None, line: int | None, detail: str | None = None,
           plan_id: str | None = None, label: str | None = None) -> _Event:
    return event_type, date, line, detail, plan_id, label


def _event_ids(child_id: str, events: list[_Event]) -> list[str]:
    """Give each event of one child its id: child|type|date, plus '#n' when the same child has
    another, different event of that type on that date.  The same event recorded twice keeps the
    same id (the loader counts it as a duplicate), and the numbering depends only on this Child
    block, so the ids of one event agree between census years."""
    key_date = _key_date
    bases = [f"{child_id}|{kind}|{key_date(date)}|{label}" if label else f"{child_id}|{kind}|{key_date(date)}"
             for kind, date, _line, _detail, _plan, label in events]
    if len(set(bases)) == len(bases):  # the usual Child: no two events share a base, so none is numbered
        return bases
    signatures: dict[str, list[tuple]] = defaultdict(list)
    out = []
    for base, (_kind, _date, _line, detail, plan_id, _label) in zip(bases, events):
        sig = (detail, plan_id)
        seen = signatures[base]
        if sig in seen:
            n = seen.index(sig) + 1
        else:
            seen.append(sig)
            n = len(seen)
        out.append(base if n == 1 else f"{base}#{n}")
    return out


# ---------------------------------------------------------------- one Child

# The items of <ChildIdentifiers> a child's row is read from (LAchildID names it): where a <Child> repeats the block,
# the warning names those that differ (`_ChildReader._repeated_identifiers`).
_IDENTITY_ITEMS = ("PersonBirthDate", "ExpectedPersonBirthDate", "Sex", "GenderCurrent")

class _ChildReader:
    """Turns one <Child> element into canonical rows, rejects and warnings."""

    def __init__(self, source: str, rows: _Rows, extract: Extract, unrecognised: _Unrecognised) -> None:
        self.source = source
        self.rows = rows
        self.extract = extract
        self.unrecognised = unrecognised  # the file's: it outlives a batch

    def warn(self, table: str, row: int | None, field: str | None, reason: str) -> None:
        self.extract.warnings.append(Issue(table, self.source, row, field, reason))

    def read(self, child: etree._Element) -> None:
        """One Child's rows, rejects and warnings: by `_read_plain` when the Child has the plain shape, else by
        `_read_general` (both give the same rows for a plain Child: tests/ingest/test_cin_plain.py)."""
        if not self._read_plain(child):
            self._read_general(child)

    def _read_plain(self, child: etree._Element) -> bool:
        """Read a Child of the plain shape and say True; say False, having read nothing, for any other.

        Plain: every element of each block the reader reads is one the DfE defines for that block, without a
        namespace (no element to warn about or read as another), one <ChildIdentifiers> with an LAchildID, no
        pre-proceedings block, and every CP plan with a CPPstartDate (no reject).  Nearly every Child of a real
        return is plain.  Why a second way to read: `_read_general` asks each block for a dozen names through
        `_index`, `_get` and `_val`, some 400 Python calls a Child, which were most of the reader's CPU at a
        million plans; here each block's children are walked once and the rows built as tuples, the same rows,
        warnings and ids (the messages and details are the functions both ways call)."""
        source = self.source
        ids = chars = None
        cins: list[etree._Element] = []
        for k in child:
            tag = k.tag
            if tag == "CINdetails":
                cins.append(k)
            elif tag == "ChildIdentifiers" and ids is None:
                ids = k
            elif tag == "ChildCharacteristics":
                if chars is None:
                    chars = k
            else:
                return False
        if ids is None:
            return False
        first = _first_known(ids, _IDENTIFIERS)
        if first is None:
            return False
        child_id = _val(first.get("LAchildID"))
        if not child_id:
            return False
        birth = _val(first.get("PersonBirthDate"))
        if birth is None:
            birth = _val(first.get("ExpectedPersonBirthDate"))  # unborn child on a plan
        sex = _val(first.get("Sex"))
        if sex is None:
            sex = _val(first.get("GenderCurrent"))
        ethnicity = disability = None
        if chars is not None:
            first = _first_known(chars, _CHARACTERISTICS)
            if first is None:
                return False
            ethnicity = _val(first.get("Ethnicity"))
            disabilities = first.get("Disabilities")
            if disabilities is not None:
                listed = _all_named(disabilities, "Disability")
                if listed is None:
                    return False
                disability = _disability([v for v in map(_val, listed) if v])
        warnings: list[tuple[str, int | None, str, str]] = []   # (table, line, field, reason), in the order found
        plan_rows: list[tuple] = []
        need_rows: list[tuple] = []
        events: list[_Event] = []
        key_date, iso = _key_date, _iso
        for cin in cins:
            split = _first_leaves(cin, _CIN_BLOCKS, _CIN_LEAVES)
            if split is None:
                return False
            leaf, (cpps, assessments, s47s, cin_plans, icpcs) = split
            el = leaf.get("CINreferralDate")
            referral = _val(el)
            events.append(("REFERRAL", referral, (None if el is None else el.sourceline) or cin.sourceline,
                           _referral_detail(_val(leaf.get("ReferralSource")), _val(leaf.get("PrimaryNeedCode")),
                                            _val(leaf.get("ReferralNFA"))), None, None))
            ref_iso = iso(referral)
            plans = []
            for cpp in cpps:
                split = _first_leaves(cpp, ("Reviews",), _PLAN_LEAVES)
                if split is None:
                    return False
                first, (listed_reviews,) = split
                reviews = listed_reviews[0] if listed_reviews else None
                review_els: list[etree._Element] | None = []
                if reviews is not None:
                    review_els = _all_named(reviews, "CPPreviewDate")
                    if review_els is None:
                        return False
                start = _val(first.get("CPPstartDate"))
                if start is None:
                    return False
                end = _val(first.get("CPPendDate"))
                key = plan_key(child_id, key_date(start))
                line = cpp.sourceline
                plan_rows.append((key, child_id, start, end, _val(first.get("InitialCategoryOfAbuse")),
                                  _val(first.get("LatestCategoryOfAbuse")), _val(first.get("NumberOfPreviousCPP")),
                                  source, line))
                s_iso, e_iso = iso(start), iso(end)
                if s_iso and ref_iso and s_iso < ref_iso:
                    warnings.append(("plans", line, "CPPstartDate", _before_referral("CP plan", s_iso, ref_iso)))
                for rev in review_els:
                    date = _val(rev)
                    if date is None:
                        warnings.append(("events", rev.sourceline, "CPPreviewDate", _EMPTY_REVIEW))
                        continue
                    events.append(("REVIEW_CONFERENCE", date, rev.sourceline, None, key, None))
                    r_iso = iso(date)
                    if r_iso and s_iso and (r_iso < s_iso or (e_iso and r_iso > e_iso)):
                        warnings.append(("events", rev.sourceline, "CPPreviewDate",
                                         _review_outside(r_iso, s_iso, e_iso)))
                plans.append((key, start, s_iso, e_iso))
            plan_by_start = {key_date(start): key for key, start, _, _ in plans if start}
            icpc_seen: set[str] = set()
            for el in icpcs:
                _icpc(el, plan_by_start, events, icpc_seen)
            for s47 in s47s:
                split = _first_leaves(s47, ("DateOfInitialCPC",), _S47_LEAVES)
                if split is None:
                    return False
                first, (icpcs,) = split
                el = first.get("S47ActualStartDate")
                start = _val(el)
                line = None if el is None else el.sourceline
                events.append(("S47_START", start, line or s47.sourceline,
                               _s47_detail(_val(first.get("InitialCPCtarget")), _val(first.get("ICPCnotRequired"))),
                               None, None))
                s_iso = iso(start)
                if s_iso and ref_iso and s_iso < ref_iso:
                    warnings.append(("events", line, "S47ActualStartDate",
                                     _before_referral("section 47", s_iso, ref_iso)))
                for el in icpcs:
                    _icpc(el, plan_by_start, events, icpc_seen)
            for assessment in assessments:
                split = _first_leaves(assessment, ("FactorsIdentifiedAtAssessment",), _ASSESSMENT_LEAVES)
                if split is None:
                    return False
                first, (factor_lists,) = split
                listed_factors = factor_lists[0] if factor_lists else None
                factors = []
                if listed_factors is not None:
                    factor_els = _all_named(listed_factors, "AssessmentFactors")
                    if factor_els is None:
                        return False
                    factors = [(v, f.sourceline) for f in factor_els if (v := _val(f))]
                el = first.get("AssessmentActualStartDate")
                start = _val(el)
                line = None if el is None else el.sourceline
                authorised = _val(first.get("AssessmentAuthorisationDate"))
                events.append(("ASSESSMENT", start, line or assessment.sourceline,
                               _assessment_detail(authorised, factors), None, None))
                s_iso, a_iso = iso(start), iso(authorised)
                if s_iso and ref_iso and s_iso < ref_iso:
                    warnings.append(("events", line, "AssessmentActualStartDate",
                                     _before_referral("assessment", s_iso, ref_iso)))
                if s_iso and a_iso and a_iso < s_iso:
                    warnings.append(("events", line, "AssessmentAuthorisationDate", _authorised_before(a_iso, s_iso)))
                identified = authorised or start
                identified_key = key_date(identified)
                need_rows.extend((f"{child_id}|need|{factor}|{identified_key}", child_id, identified, factor,
                                  source, f_line) for factor, f_line in factors)
            for cin_plan in cin_plans:
                first = _first_known(cin_plan, _CIN_PLAN_DATES)
                if first is None:
                    return False
                el = first.get("CINPlanStartDate")
                start = _val(el)
                events.append(("OTHER", start, (None if el is None else el.sourceline) or cin_plan.sourceline,
                               "CIN plan start", None, "CIN_PLAN_START"))
                el = first.get("CINPlanEndDate")
                end = _val(el)
                if end:
                    events.append(("OTHER", end, el.sourceline, "CIN plan end", None, "CIN_PLAN_END"))
                c_start, c_end = iso(start), iso(end)
                if not c_start:
                    continue
                for _key, _start, p_start, p_end in plans:
                    if p_start and c_start < (p_end or "9999-12-31") and p_start < (c_end or "9999-12-31"):
                        warnings.append(("plans", cin_plan.sourceline, "CINPlanStartDate",
                                         _cin_plan_beside(c_start, c_end, p_start)))
            el = leaf.get("CINclosureDate")
            closure = _val(el)
            if closure:
                events.append(("OTHER", closure, el.sourceline, _closure_detail(_val(leaf.get("ReasonForClosure"))),
                               None, "CIN_CLOSURE"))
        rows = self.rows.rows  # each row in `_Rows.GIVEN`'s column order, then source and line
        rows["children"].append((child_id, birth, sex, ethnicity, disability, source, child.sourceline))
        rows["plans"].extend(plan_rows)
        rows["needs"].extend(need_rows)
        self.extract.warnings.extend(Issue(table, source, line, field, reason)
                                     for table, line, field, reason in warnings)
        self._events(child_id, events)
        return True

    def _read_general(self, child: etree._Element) -> None:
        index = _index(child, "Child", self.unrecognised)
        ids = _index(_one(index, "ChildIdentifiers"), "ChildIdentifiers", self.unrecognised)
        child_id, _ = _get(ids, "LAchildID")
        if len(index.get("ChildIdentifiers", ())) > 1:  # a Child holds one: a second is read by its own rule
            repeated = self._repeated_identifiers(child, index, ids, child_id)
            if repeated is None:
                return
            ids, child_id = repeated
        if not child_id:
            n = len(index.get("CINdetails", ()))
            self.extract.rejects.append(Issue(
                "children", self.source, child.sourceline, "LAchildID",
                f"Child without LAchildID: skipped with its {n} CINdetails block(s), which cannot "
                "be linked to a child"))
            return
        self._child_row(child, index, ids, child_id)
        events: list[_Event] = []
        for cin in index.get("CINdetails", ()):
            self._cin_details(cin, child_id, events)
        for pre in _pre_blocks(child, index):
            events.extend(_pre_proceedings(pre))
        self._events(child_id, events)

    def _events(self, child_id: str, events: list[_Event]) -> None:
        """The rows of a Child's events, with their ids (`_event_ids`), in `_Rows.GIVEN`'s column order."""
        source = self.source
        self.rows.rows["events"].extend([
            (event_id, child_id, date, kind, AGENCY, plan_id, detail, source, line)
            for event_id, (kind, date, line, detail, plan_id, _label) in zip(_event_ids(child_id, events), events)])

    def _repeated_identifiers(self, child: etree._Element, index: Index, ids: Index, child_id: str | None
                              ) -> tuple[Index, str | None] | None:
        """A <Child> with more than one <ChildIdentifiers>, read by the rule for a child given twice in one file: one
        child, the later block's values kept and its blanks filled from the earlier, with a warning naming the line
        of each later block and the items that differ (never their values).  Blocks naming two LAchildIDs are two
        children in one <Child>: whose CINdetails these are cannot be told, so the Child is rejected, naming both
        lines.  Why: the second block was not read, without a word (a corrected birth date in it was lost)."""
        blocks = index["ChildIdentifiers"]
        merged: dict[str, list[etree._Element]] = dict(ids)
        first_line, first_id = blocks[0].sourceline, child_id
        for block in blocks[1:]:
            later = _index(block, "ChildIdentifiers", self.unrecognised)
            later_id, _ = _get(later, "LAchildID")
            if later_id and first_id and later_id != first_id:
                n = len(index.get("CINdetails", ()))
                self.extract.rejects.append(Issue(
                    "children", self.source, block.sourceline, "LAchildID",
                    f"a second <ChildIdentifiers> in this <Child> gives another LAchildID than the one at line "
                    f"{first_line}: two children in one <Child>; skipped with its {n} CINdetails block(s), which "
                    "cannot be linked to either (give each child its own <Child>)"))
                return None
            differ = [name for name in _IDENTITY_ITEMS if _val(_one(later, name)) and _val(_one(merged, name))
                      and _val(_one(later, name)) != _val(_one(merged, name))]
            merged.update({name: kids for name, kids in later.items() if _val(kids[0]) is not None})
            first_id = first_id or later_id
            said = f", with a different {' and '.join(differ)}" if differ else ""
            self.warn("children", block.sourceline, "ChildIdentifiers",
                      f"<ChildIdentifiers> is given again in this <Child> (also at line {first_line}){said}: read as "
                      "one child, the later block's values kept and its blanks filled from the earlier; keep one "
                      "<ChildIdentifiers> a <Child>")
        return merged, first_id

    def _child_row(self, child: etree._Element, index: Index, ids: Index, child_id: str) -> None:
        birth, _ = _get(ids, "PersonBirthDate")
        if birth is None:
            birth, _ = _get(ids, "ExpectedPersonBirthDate")  # unborn child on a plan
        sex, _ = _get(ids, "Sex")
        if sex is None:
            sex, _ = _get(ids, "GenderCurrent")
        chars = _index(_one(index, "ChildCharacteristics"), "ChildCharacteristics", self.unrecognised)
        ethnicity, _ = _get(chars, "Ethnicity")
        disabilities = _one(chars, "Disabilities")
        disability = None
        if disabilities is not None:
            listed = _index(disabilities, "Disabilities", self.unrecognised).get("Disability", ())
            disability = _disability([v for v in (_val(d) for d in listed) if v])
        self.rows.add("children", self.source, child.sourceline, child_id=child_id,
                      birth_date=birth, sex=sex, ethnicity=ethnicity, disability=disability)

    def _cin_details(self, cin: etree._Element, child_id: str, events: list[_Event]) -> None:
        index = _index(cin, "CINdetails", self.unrecognised)
        referral, ref_line = _get(index, "CINreferralDate")
        source, _ = _get(index, "ReferralSource")
        need, _ = _get(index, "PrimaryNeedCode")
        nfa, _ = _get(index, "ReferralNFA")
        events.append(_event("REFERRAL", referral, ref_line or cin.sourceline, _referral_detail(source, need, nfa)))
        ref_iso = _iso(referral)

        plans = [plan for p in index.get("ChildProtectionPlans", ())
                 if (plan := self._plan(p, child_id, ref_iso, events)) is not None]
        plan_by_start = {_key_date(start): key for key, start, _, _ in plans if start}

        icpc_dates: set[str | None] = set()
        for date_el in index.get("DateOfInitialCPC", ()):
            _icpc(date_el, plan_by_start, events, icpc_dates)
        for s47 in index.get("Section47", ()):
            self._section47(s47, ref_iso, plan_by_start, events, icpc_dates)
        for assessment in index.get("Assessments", ()):
            self._assessment(assessment, child_id, ref_iso, events)
        for cin_plan in index.get("CINPlanDates", ()):
            self._cin_plan(cin_plan, plans, events)

        closure, closure_line = _get(index, "CINclosureDate")
        if closure:
            reason, _ = _get(index, "ReasonForClosure")
            events.append(_event("OTHER", closure, closure_line, _closure_detail(reason), label="CIN_CLOSURE"))
        for pre in _pre_blocks(cin, index):
            events.extend(_pre_proceedings(pre))

    def _plan(self, el: etree._Element, child_id: str, ref_iso: str | None, events: list[_Event]
              ) -> tuple[str, str | None, str | None, str | None] | None:
        """One plan row (a plan given twice in one file is merged, and warned about where the blocks differ,
        by the writer: validate.merge_conflicts) and its review conferences."""
        index = _index(el, "ChildProtectionPlans", self.unrecognised)
        start, _ = _get(index, "CPPstartDate")
        end, _ = _get(index, "CPPendDate")
        review_els = _index(_one(index, "Reviews"), "Reviews", self.unrecognised).get("CPPreviewDate", ())
        if start is None:
            self.extract.rejects.append(Issue(
                "plans", self.source, el.sourceline, "CPPstartDate",
                "CP plan without CPPstartDate: it cannot be identified (a census plan is known by "
                "child and start date); skipped"))
            for rev in review_els:
                self.extract.rejects.append(Issue(
                    "events", self.source, rev.sourceline, "plan_id",
                    f"review conference of the CP plan at line {el.sourceline}, which has no "
                    "CPPstartDate; skipped"))
            return None
        key = plan_key(child_id, _key_date(start))
        initial, _ = _get(index, "InitialCategoryOfAbuse")
        latest, _ = _get(index, "LatestCategoryOfAbuse")
        previous, _ = _get(index, "NumberOfPreviousCPP")
        self.rows.add("plans", self.source, el.sourceline, plan_id=key, child_id=child_id,
                      start_date=start, end_date=end, initial_category=initial,
                      latest_category=latest, previous_plans=previous)
        s_iso, e_iso = _iso(start), _iso(end)
        if s_iso and ref_iso and s_iso < ref_iso:
            self.warn("plans", el.sourceline, "CPPstartDate", _before_referral("CP plan", s_iso, ref_iso))
        for rev in review_els:
            date = _val(rev)
            if date is None:   # <CPPreviewDate/>: an element holding no review, not a review without its date
                self.warn("events", rev.sourceline, "CPPreviewDate", _EMPTY_REVIEW)
                continue
            events.append(_event("REVIEW_CONFERENCE", date, rev.sourceline, None, plan_id=key))
            r_iso = _iso(date)
            if r_iso and s_iso and (r_iso < s_iso or (e_iso and r_iso > e_iso)):
                self.warn("events", rev.sourceline, "CPPreviewDate", _review_outside(r_iso, s_iso, e_iso))
        return key, start, s_iso, e_iso

    def _section47(self, el: etree._Element, ref_iso: str | None, plan_by_start: dict[str, str],
                   events: list[_Event], icpc_seen: set) -> None:
        index = _index(el, "Section47", self.unrecognised)
        start, line = _get(index, "S47ActualStartDate")
        target, _ = _get(index, "InitialCPCtarget")
        not_required, _ = _get(index, "ICPCnotRequired")
        events.append(_event("S47_START", start, line or el.sourceline, _s47_detail(target, not_required)))
        s_iso = _iso(start)
        if s_iso and ref_iso and s_iso < ref_iso:
            self.warn("events", line, "S47ActualStartDate", _before_referral("section 47", s_iso, ref_iso))
        for date_el in index.get("DateOfInitialCPC", ()):
            _icpc(date_el, plan_by_start, events, icpc_seen)

    def _assessment(self, el: etree._Element, child_id: str, ref_iso: str | None,
                    events: list[_Event]) -> None:
        index = _index(el, "Assessments", self.unrecognised)
        start, line = _get(index, "AssessmentActualStartDate")
        authorised, _ = _get(index, "AssessmentAuthorisationDate")
        factors = [(v, f.sourceline)
                   for f in _index(_one(index, "FactorsIdentifiedAtAssessment"),
                                     "FactorsIdentifiedAtAssessment", self.unrecognised).get("AssessmentFactors", ())
                   if (v := _val(f))]
        events.append(_event("ASSESSMENT", start, line or el.sourceline, _assessment_detail(authorised, factors)))
        s_iso, a_iso = _iso(start), _iso(authorised)
        if s_iso and ref_iso and s_iso < ref_iso:
            self.warn("events", line, "AssessmentActualStartDate", _before_referral("assessment", s_iso, ref_iso))
        if s_iso and a_iso and a_iso < s_iso:
            self.warn("events", line, "AssessmentAuthorisationDate", _authorised_before(a_iso, s_iso))
        identified = authorised or start
        for factor, f_line in factors:
            self.rows.add("needs", self.source, f_line,
                          need_id=f"{child_id}|need|{factor}|{_key_date(identified)}",
                          child_id=child_id, identified_date=identified, factor=factor)

    def _cin_plan(self, el: etree._Element, cp_plans: list, events: list[_Event]) -> None:
        index = _index(el, "CINPlanDates", self.unrecognised)
        start, s_line = _get(index, "CINPlanStartDate")
        end, e_line = _get(index, "CINPlanEndDate")
        events.append(_event("OTHER", start, s_line or el.sourceline, "CIN plan start", label="CIN_PLAN_START"))
        if end:
            events.append(_event("OTHER", end, e_line, "CIN plan end", label="CIN_PLAN_END"))
        c_start, c_end = _iso(start), _iso(end)
        if not c_start:
            return
        for _key, _start, p_start, p_end in cp_plans:
            if p_start and c_start < (p_end or "9999-12-31") and p_start < (c_end or "9999-12-31"):
                self.warn("plans", el.sourceline, "CINPlanStartDate", _cin_plan_beside(c_start, c_end, p_start))


# The known children of each block that `_ChildReader._read_plain` reads as leaves (its blocks within blocks apart).
_IDENTIFIERS = KNOWN_ELEMENTS["ChildIdentifiers"]
_CHARACTERISTICS = KNOWN_ELEMENTS["ChildCharacteristics"]
# a CINdetails block's repeated blocks, in the order the plain read unpacks them
_CIN_BLOCKS = ("ChildProtectionPlans", "Assessments", "Section47", "CINPlanDates", "DateOfInitialCPC")
_CIN_LEAVES = KNOWN_ELEMENTS["CINdetails"] - set(_CIN_BLOCKS)
_PLAN_LEAVES = KNOWN_ELEMENTS["ChildProtectionPlans"] - {"Reviews"}
_S47_LEAVES = KNOWN_ELEMENTS["Section47"] - {"DateOfInitialCPC"}
_ASSESSMENT_LEAVES = KNOWN_ELEMENTS["Assessments"] - {"FactorsIdentifiedAtAssessment"}
_CIN_PLAN_DATES = KNOWN_ELEMENTS["CINPlanDates"]


def _first_known(el: etree._Element, known: frozenset[str]) -> dict[str, etree._Element] | None:
    """The first child of `el` of each name, or None when a child is not one of the `known` names."""
    first: dict[str, etree._Element] = {}
    for k in el:
        tag = k.tag
        if tag not in known:
            return None
        if tag not in first:
            first[tag] = k
    return first


def _first_leaves(block: etree._Element, many: tuple[str, ...], leaves: frozenset[str] | set[str]
                 ) -> tuple[dict[str, etree._Element], tuple[list[etree._Element], ...]] | None:
    """A block's children in one pass, as the plain read takes them: the first of each leaf by tag, and every child
    named in `many` (a child's plans, section 47s...; a plan's reviews), in the order of `many`; None when it holds
    anything else (the general read then reads the whole child, with its warnings)."""
    first: dict[str, etree._Element] = {}
    lists: dict[str, list[etree._Element]] = {tag: [] for tag in many}
    for k in block:
        tag = k.tag
        found = lists.get(tag)
        if found is not None:
            found.append(k)
        elif tag in leaves:
            if tag not in first:
                first[tag] = k
        else:
            return None
    return first, tuple(lists[tag] for tag in many)


def _all_named(el: etree._Element, name: str) -> list[etree._Element] | None:
    """Every child of `el`, or None when one is not called `name`."""
    kids = list(el)
    for k in kids:
        if k.tag != name:
            return None
    return kids


def _icpc(el: etree._Element, plan_by_start: dict[str, str], events: list[_Event], seen: set[str]) -> None:
    """An ICPC, recorded under CINdetails and/or Section47: one event per date (`seen`: the CINdetails' dates)."""
    date = _val(el)
    if date is None:
        return
    day = _key_date(date)
    if day in seen:
        return
    seen.add(day)
    events.append(("ICPC", date, el.sourceline, None, plan_by_start.get(day), None))


def _pre_blocks(el: etree._Element, index: Index) -> list[etree._Element]:
    """Pre-proceedings / FGDM blocks directly under `el` (PreProceedingsandFGDM and kin), in document order;
    `index` is el's (most blocks have none, which its names tell without a walk)."""
    if not any(_is_pre_block(name) for name in index):
        return []
    return [k for k in el if _is_pre_block(_local(k.tag))]


@lru_cache(maxsize=1 << 10)
def _is_pre_block(name: str) -> bool:
    n = name.lower()
    return n.startswith("preproceedings") or "fgdm" in n


def _pre_proceedings(block: etree._Element) -> list[_Event]:
    """Pre-proceedings / family group decision-making blocks (later census years): each date in
    the block becomes an OTHER event named by its element; the block's codes go in the detail."""
    name = _local(block.tag)
    leaves = [k for k in block.iter() if k is not block and len(k) == 0 and _local(k.tag)]
    codes = [f"{_local(k.tag)} {v}" for k in leaves if (v := _val(k)) and not _iso_shape(v)]
    out = []
    for k in leaves:
        v = _val(k)
        if v and _iso_shape(v):
            detail = "; ".join([f"{name}: {_local(k.tag)}", *codes])
            out.append(_event("OTHER", v, k.sourceline, detail, label=_local(k.tag)))
    return out


# ---------------------------------------------------------------- entry point

def census_order(paths: list[Path]) -> tuple[list[CensusHeader], list[Issue]]:
    """The files in census order (ReferenceDate ascending, latest last; `CensusHeader.sort_key`), with a
    warning for each file whose header does not say its year."""
    headers, warnings = [], []
    seen = set()
    for path in paths:
        resolved = Path(path).resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        header = read_header(Path(path))
        if not header.order_key:
            warnings.append(Issue("children", Path(path).name, None, "ReferenceDate",
                                  "no Header/CollectionDetails/ReferenceDate or Year: the file is "
                                  "read first, so any other census year wins over it"))
        headers.append(header)
    headers.sort(key=lambda h: h.sort_key)  # never the given order: the same files give the same store
    return headers, warnings


def read(paths: list[Path]) -> Extract:
    """Read CIN census XML files (any year, one or several) into one canonical Extract.

    Rows: children (one per Child), plans (one per ChildProtectionPlans block), events (REFERRAL,
    ASSESSMENT, S47_START, ICPC, REVIEW_CONFERENCE, and OTHER for CIN plan start/end, case
    closure and pre-proceedings/FGDM dates), needs (one per assessment factor).  All values raw
    strings; `_source` the file name and `_row` the XML line of the element.
    Raises FatalImportError for a file that is empty, binary, not well-formed or not a census.
    """
    headers, order_warnings = census_order([Path(p) for p in paths])
    extract = _extract(headers)
    extract.warnings.extend(order_warnings)
    rows = _Rows()
    for header in headers:
        unrecognised = _Unrecognised(header.path.name)
        reader = _ChildReader(header.path.name, rows, extract, unrecognised)
        for child in iter_children(header.path):
            reader.read(child)
        extract.warnings.extend(unrecognised.warnings())
    extract.tables = rows.frames()
    return extract


# Child elements per batch: some 20 MB of frames whatever the file's size.  Why not fewer: each batch costs the
# writer a fixed round of checks and store look-ups, and a plan repeated in the next census year is merged in
# the batch (vectorised) rather than against the store; at 100,000 plans 20,000 a batch took 58 s of writer CPU
# against 87 s at 5,000, for about 170 MB more peak memory (docs/benchmark_history.md).
BATCH_CHILDREN = 20_000
READ_AHEAD_FROM_MB = 16  # census files of at least this many MB in all are read in a second process


def batches(paths: list[Path], batch_children: int = BATCH_CHILDREN,
            read_ahead_from_mb: float = READ_AHEAD_FROM_MB, key: bytes | None = None) -> Iterator[Extract]:
    """The same rows as `read`, as Extracts of at most `batch_children` Child elements each, in census
    order (so a later year's rows come in a later batch and win, as within one extract).

    Every file's header is checked now, before the first batch is read; the batches are read as they are
    asked for, so at most a few batches of rows are in memory.  Warnings and rejects go with the batch whose
    rows they concern; the order warnings with the first.  Files of `read_ahead_from_mb` MB or more in all
    are parsed in a second process while this one writes (`read_ahead`: an authority's decade is about
    11 MB, a region's far more); below that a second interpreter's start costs more than it saves.  Given the
    import's pseudonym `key`, that process also works out each batch's de-identification ahead for the writer
    to look up (`ingest.prepare`), balancing the two cores."""
    if batch_children < 1:
        raise ValueError("batch_children must be at least 1")
    headers, order_warnings = census_order([Path(p) for p in paths])
    if sum(h.path.stat().st_size for h in headers) >= read_ahead_from_mb * 2**20:
        from paqa_dash.ingest import read_ahead
        if key is not None:
            return read_ahead.ahead(_prepared_batches, headers, order_warnings, batch_children, key)
        return read_ahead.ahead(_batches, headers, order_warnings, batch_children)
    return _batches(headers, order_warnings, batch_children)


def _prepared_batches(headers: list[CensusHeader], order_warnings: list[Issue], size: int,
                      key: bytes) -> Iterator[Extract]:
    """`_batches`, each with its de-identification worked out ahead (run in the reader's process)."""
    from paqa_dash.ingest import prepare
    return prepare.prepared_batches(_batches(headers, order_warnings, size), key)


def _batches(headers: list[CensusHeader], order_warnings: list[Issue], size: int) -> Iterator[Extract]:
    extract, rows, count = _extract(headers), _Rows(), 0
    extract.warnings.extend(order_warnings)
    for header in headers:
        unrecognised = _Unrecognised(header.path.name)  # said once, with the batch that ends the file
        reader = _ChildReader(header.path.name, rows, extract, unrecognised)
        for child in iter_children(header.path):
            reader.read(child)
            count += 1
            if count == size:
                extract.tables = rows.frames()
                yield extract
                extract, rows, count = _extract(headers), _Rows(), 0
                reader = _ChildReader(header.path.name, rows, extract, unrecognised)
        extract.warnings.extend(unrecognised.warnings())
    if count or extract.rejects or extract.warnings:
        extract.tables = rows.frames()
        yield extract


def _extract(headers: list[CensusHeader]) -> Extract:
    """An empty Extract of the census files (their order, merge rules and reference dates), to fill."""
    extract = Extract(kind=KIND, files=[h.path for h in headers])
    extract.merge_duplicates = {"children", "plans", "events", "needs"}
    extract.required = {"plans": ("plan_id", "child_id", "start_date", "initial_category")}
    extract.returns = {h.path.name: h.order_key for h in headers if h.order_key}
    extract.authorities = {h.path.name: h.lea for h in headers if h.lea}
    extract.source_fields = CENSUS_ITEMS
    return extract
