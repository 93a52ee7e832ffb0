"""Merged cells of an .xlsx sheet (an Annex A list kept by hand): cells merged down several rows, and headings
merged across the columns they group.

Why: an analyst who keeps List 7 by hand merges the Allocated Team cell down the rows of one team's children, and
Excel shows that team on every row.  The file stores the value in the first cell only, and openpyxl's read-only
mode (which the readers use, so rows are streamed) does not say the cells are merged, so every row but the first
was read with no team, without a word.  The reader fills each such range down with its first row's value, as
Excel shows it, and says so once for the sheet.  A heading merged across columns (`Child Protection Plan` over
`Start Date` and `End Date`) heads each of them (`grouped_header`).

How: the ranges are listed in the sheet's `<mergeCells>` element, after its rows; the part is streamed from the zip
in chunks, as `formulas.uncalculated` streams it, and only `<mergeCell ref="...">` tags are matched.
"""
from __future__ import annotations

import bisect
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils.cell import get_column_letter, range_boundaries

from .frames import Extract, Issue

_CHUNK = 4 * 2**20
_MERGE = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref\s*=\s*"([A-Z]{1,3}[0-9]+:[A-Z]{1,3}[0-9]+)"')
_TAIL = 200  # more than one <mergeCell> tag: kept from a chunk's end, so a tag cut in two is matched whole


@dataclass(frozen=True)
class Merged:
    """A merged range: 0-based columns `first_col`..`last_col`, spreadsheet rows `top`..`bottom`."""

    first_col: int
    last_col: int
    top: int
    bottom: int

    @property
    def ref(self) -> str:
        return f"{get_column_letter(self.first_col + 1)}{self.top}:{get_column_letter(self.last_col + 1)}{self.bottom}"


def merged_ranges(path: Path, part: str) -> list[Merged]:
    """The sheet's merged ranges, in the order the sheet lists them."""
    refs: dict[str, None] = {}
    with zipfile.ZipFile(path) as z, z.open(part.lstrip("/")) as fh:
        carry = b""
        while chunk := fh.read(_CHUNK):
            text = carry + chunk
            if b"mergeCell" in text:  # a byte search first: most chunks are rows of cells, with no merged range
                refs.update(dict.fromkeys(m.group(1).decode() for m in _MERGE.finditer(text)))
            carry = text[-_TAIL:]
    out = []
    for ref in refs:
        first_col, top, last_col, bottom = range_boundaries(ref)
        out.append(Merged(first_col - 1, last_col - 1, top, bottom))
    return out


def grouped_header(upper: tuple, lower: tuple, row: int, ranges: list[Merged]) -> list[str | None]:
    """One heading a column for a header written over two rows, spreadsheet rows `row` and `row + 1`: a heading
    merged across columns in the upper row heads each of them, and each column's upper and lower headings are
    joined (`Child Protection Plan` + `Start Date`); a heading merged down both rows is itself."""
    width = max(len(upper), len(lower))
    tops = [*upper, *[None] * (width - len(upper))]
    for r in ranges:
        if r.top == row and r.last_col > r.first_col:
            for col in range(r.first_col + 1, min(r.last_col, width - 1) + 1):
                tops[col] = tops[r.first_col]
    bottoms = [*lower, *[None] * (width - len(lower))]
    return [" ".join(str(c).strip() for c in (top, bottom) if c is not None and str(c).strip()) or None
            for top, bottom in zip(tops, bottoms)]


def said(used: list[Merged], headings: Mapping[int, str], table: str, source: str, extract: Extract) -> None:
    """The one warning a sheet gets for its ranges that filled cells of the columns read (`headings`: column index ->
    heading as the sheet writes it), added to `extract`'s warnings, at its first such range's row and column; none
    when they filled none."""
    read = [r for r in used if any(r.first_col <= i <= r.last_col for i in headings)]
    if not read:
        return
    first = read[0]
    heading = next(h for i, h in sorted(headings.items()) if first.first_col <= i <= first.last_col)
    message = (f"1 merged cell spans rows ({first.ref}, '{heading}'): each of its rows is read with the value Excel "
               "shows across it" if len(read) == 1 else
               f"{len(read)} merged cells span rows (the first {first.ref}, '{heading}'): each of their rows is read "
               "with the value Excel shows across them")
    extract.warnings.append(Issue(table, source, first.top + 1, heading, message))


class Filler:
    """Fills a sheet's rows, given one at a time in order, from its merged `ranges` that span rows: each one's cells
    below its first row take that row's value, column by column (a range merged across and down holds its value in
    its first cell only, so its other columns stay blank).  `used` lists the ranges that filled a cell.

    Why the ranges over a row are kept as the rows go (`_active`, in the sheet's order): a hand-kept list merges a
    child's cells down its plans' rows, thousands of ranges, and asking each of them of every row grew as rows times
    ranges."""

    def __init__(self, ranges: list[Merged]) -> None:
        self.ranges = [r for r in ranges if r.bottom > r.top]
        self.used: list[Merged] = []
        self._tops: dict[tuple[Merged, int], object] = {}
        # the ranges not yet begun, the next to begin last; those over the rows now, by their place in the sheet
        self._waiting = sorted(range(len(self.ranges)), key=lambda i: self.ranges[i].top, reverse=True)
        self._active: list[int] = []
        self._filled: set[int] = set()   # (`used`, by place: asked of every filled cell)

    def __call__(self, number: int, row: tuple) -> tuple:
        while self._waiting and self.ranges[self._waiting[-1]].top <= number:
            bisect.insort(self._active, self._waiting.pop())
        self._active = [i for i in self._active if self.ranges[i].bottom >= number]
        if not self._active:
            return row
        cells = list(row)
        for i in self._active:
            r = self.ranges[i]
            for col in range(r.first_col, r.last_col + 1):
                if number == r.top:
                    self._tops[(r, col)] = cells[col] if col < len(cells) else None
                elif self._tops.get((r, col)) is not None:
                    cells.extend([None] * (col + 1 - len(cells)))
                    cells[col] = self._tops[(r, col)]
                    if i not in self._filled:
                        self._filled.add(i)
                        self.used.append(r)
        return tuple(cells)
