"""Formula cells of an .xlsx sheet that hold no calculated value.

Why: the readers open workbooks with openpyxl's `data_only=True`, which gives a formula cell's *stored result*.
Excel and LibreOffice store that result when they save; a program that writes formulas without calculating them
(openpyxl, many scripts that build an Annex A) stores none, and openpyxl then returns None, exactly as for an
empty cell.  A plan's end date written as `=G2+120` would load as an open plan.  This module finds such cells so
the reader can say so instead.

How, cheaply: the sheet's XML is streamed from the zip in chunks (never held whole) and only cells that hold an
`<f>` element are matched; a sheet without formulas costs one inflate of its part and a byte search.
A formula cell has no calculated value when it has no `<v>`, or an empty `<v>` and is not a text result
(`t="str"`: a formula whose result is the empty string, as Excel saves `=IF(A2="","",A2)`).
"""
from __future__ import annotations

import re
import zipfile
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TypeVar

from .frames import Extract, Issue

_CHUNK = 4 * 2**20
_P = rb"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix (<x:c>), which some writers use
_FORMULA_CELL = re.compile(
    rb"<" + _P + rb"c\b([^>]*?)(?<!/)>\s*"                       # the cell and its attributes (not <c/>)
    rb"<" + _P + rb"f\b(?:[^>]*/>|[^>]*>[^<]*</" + _P + rb"f>)\s*"  # its formula (<f t="shared" si="0"/>, <f>G2+1</f>)
    rb"(<" + _P + rb"v\s*/>|<" + _P + rb"v\b[^>]*>([^<]*)</" + _P + rb"v>)?")  # its stored value, if any
_PREFIXED_F = re.compile(rb"<[A-Za-z_][\w.-]*:f[\s/>]")
_REF = re.compile(rb'\br\s*=\s*"([A-Z]{1,3})([0-9]+)"')
_TYPE = re.compile(rb'\bt\s*=\s*"([a-zA-Z]+)"')

HINT = ("the workbook was saved by a program that does not calculate formulas: open it in Excel (or LibreOffice) and "
        "save it, so the values are stored, then import it again")

Uncalculated = dict[int, set[int]]  # spreadsheet row number -> 0-based column indexes; row 0: no cell reference


def sheet_parts(path: Path) -> dict[str, str]:
    """Sheet title -> its part in the zip (`xl/worksheets/sheet7.xml`), found as openpyxl finds it when it opens
    the workbook (the content types name the workbook part, whose relationships name each sheet's part)."""
    from openpyxl.reader.excel import ExcelReader

    reader = ExcelReader(path, read_only=True)
    try:
        reader.read_manifest()
        reader.read_workbook()
        return {sheet.name: rel.target.lstrip("/") for sheet, rel in reader.parser.find_sheets()}
    finally:
        reader.archive.close()


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _formula_tags(text: bytes) -> Iterator[int]:
    """Where each <f> element starts.  bytes.find, not a regular expression, over the whole text: a sheet's
    XML is mostly cells without formulas, and matching a pattern at every `<` cost ten times as much."""
    for tag in (b"<f>", b"<f ", b"<f/"):
        at = text.find(tag)
        while at >= 0:
            yield at
            at = text.find(tag, at + 1)
    if b":f" in text:  # a writer that prefixes its tags (<x:f>): rare, so the slower search is fine
        yield from (m.start() for m in _PREFIXED_F.finditer(text))


def _scan(text: bytes, found: Uncalculated) -> None:
    for at in _formula_tags(text):
        m = _FORMULA_CELL.match(text, text.rfind(b"<", 0, at))  # the cell's start tag is the tag before <f>
        if m is None:  # an <f> outside the usual <c><f/><v/></c> shape: say it, its place unknown
            found[0].add(-1)
            continue
        attrs, value_tag, value = m.group(1), m.group(2), m.group(3)
        kind = _TYPE.search(attrs)
        if value_tag is not None and (value and value.strip() or (kind and kind.group(1) == b"str")):
            continue  # a stored result (an empty one only for a text formula)
        ref = _REF.search(attrs)
        if ref is None:
            found[0].add(-1)  # a cell without a reference (allowed, rare): its place is not known
        else:
            found[int(ref.group(2))].add(_column(ref.group(1)))


def uncalculated(path: Path, part: str) -> Uncalculated:
    """Formula cells with no calculated value in one sheet part of a workbook, by row.  Empty for a sheet
    without formulas or one saved by a program that calculates them."""
    found: Uncalculated = defaultdict(set)
    with zipfile.ZipFile(path) as z, z.open(part.lstrip("/")) as fh:
        carry = b""
        while chunk := fh.read(_CHUNK):
            text = carry + chunk
            cut = text.rfind(b"row>") + len(b"row>")  # after a row's end tag: never inside a cell
            if cut < len(b"row>"):  # no row end in this chunk (a very wide row): keep reading
                carry = text
                continue
            _scan(text[:cut], found)
            carry = text[cut:]
        _scan(carry, found)
    return dict(found)


Row = TypeVar("Row")


def said(found: Uncalculated, rows: Iterable[tuple[int, Row]], columns: Mapping[int, tuple[str, str]],
         vital: Collection[str], header_row: int, table: str, source: str, extract: Extract,
         seen: Iterable[int] = ()) -> Iterator[tuple[int, Row]]:
    """The rows of one sheet that can be loaded, given its formula cells with no calculated value (`found`),
    which openpyxl read as blank, each said in `extract`: a reject where such a cell is in a `vital` column (one
    the row needs, or whose blank says something: a plan's end); a warning naming the columns, the row loaded
    without them, elsewhere; one warning for the rows past the header whose only cells in the columns read are
    such formulas (a template's rows below the data), which were read as blank.  `columns`: index -> (field,
    heading as the sheet writes it) of the columns read; `seen`: rows the reader left out for its own reasons."""
    if not found:
        yield from rows
        return
    if 0 in found:
        extract.warnings.append(Issue(table, source, None, None, "a formula with no calculated value in a cell without "
                                      f"a cell reference, so its row is not known: it was read as blank; {HINT}"))
    met = set(seen)
    for number, cells in rows:
        met.add(number)
        hit = [columns[i] for i in sorted(found.get(number, ())) if i in columns]
        needed = [heading for field, heading in hit if field in vital]
        if needed:
            extract.rejects.append(Issue(table, source, number, needed[0], "formula with no calculated value: the row "
                                         f"was not loaded (without this value it would say something false); {HINT}"))
            continue
        if hit:
            also = f" (also in {', '.join(repr(heading) for _, heading in hit[1:])})" if len(hit) > 1 else ""
            extract.warnings.append(Issue(table, source, number, hit[0][1], f"formula with no calculated value{also}: "
                                          f"the row was loaded without {'them' if also else 'it'}; {HINT}"))
        yield number, cells
    blank = [n for n in sorted(set(found) - met) if n > header_row and any(i in columns for i in found[n])]
    if blank:
        extract.warnings.append(Issue(table, source, blank[0], None, f"{len(blank)} row(s) from row {blank[0]} to "
                                      f"{blank[-1]} read as blank, and were not loaded: their only cells in the "
                                      f"columns read are formulas with no calculated value; {HINT}"))
