"""A CSV file's records as both table readers take them (ingest/bundle.py, ingest/ssd.py).

Why one place: the two readers split their files alike, and each had its own loop over `csv.reader` with the
same faults: a record spanning lines (a quoted newline) named by the line it ends on, a long free-text value
stopping the whole import at Python's default field limit, and a row with more values than its header losing
the extra ones to `zip`.  Here a record is named by the line it starts on, as an editor shows it; a value may
be as long as `limits.MAX_CSV_FIELD_CHARS`; and `unsplit` says why a row cannot be split into its header's
columns (more values than it has, or rows read into one value after a quote left open), for the reader to record
it as a reject (or a warning) with the row's file and line.
"""
from __future__ import annotations

import csv
from typing import Iterator, TextIO

from . import limits
from .frames import FatalImportError

_SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}
# The warning of a CSV file that has its header and no row: an import of such files alone
# loads nothing, and would otherwise say nothing about why.
NO_ROWS = "no rows to load: there is nothing below the heading row but blank lines"

# The warning of a table file (or sheet) with nothing in it at all (0 bytes, or blank lines), one the import can do
# without (a bundle's events.csv, an SSD extract's ssd_cp_visits.csv, an Annex A List 8): an export that wrote
# nothing, said rather than stopping the import.  A file the import needs stops it (`EmptyFile`, worded by each reader).
EMPTY = "empty (no heading row, no rows)"
EMPTY_FILE = f"{EMPTY}: nothing was loaded from it; the import goes on without it"


class EmptyFile(FatalImportError):
    """A table file with nothing in it: fatal unless the reader can do without its table (`EMPTY_FILE`)."""


def records(name: str, stream: TextIO, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """(line the record starts on, its values) of every record of `stream` that is not blank, the header first.

    FatalImportError, naming the file `name` and the record's first line, for a value longer than
    `limits.MAX_CSV_FIELD_CHARS` or a record the csv module cannot split."""
    csv.field_size_limit(limits.MAX_CSV_FIELD_CHARS)  # process-wide; set before each file, so a test's limit holds
    reader = csv.reader(stream, delimiter=delimiter)
    start = 1
    try:
        for values in reader:
            if any(v.strip() for v in values):
                yield start, values
            start = reader.line_num + 1  # a blank line is a record of its own ([]): the count stays right
    except csv.Error as e:
        raise FatalImportError(f"{name}: line {start}: {_unreadable(e)}") from None


def _unreadable(error: csv.Error) -> str:
    # The csv module words this one failure "field larger than field limit (N)"; it is the one a real export
    # meets (NUL bytes are refused before reading), so it is said in the user's terms.
    if "field larger than field limit" in str(error):
        return (f"a value longer than {limits.MAX_CSV_FIELD_CHARS:,} characters (the most one CSV value may "
                "hold); not read")
    return f"not readable as CSV ({error})"


def unsplit(values: list[str], width: int, delimiter: str = ",") -> str | None:
    """Why a row cannot be split into its header's `width` columns, or None for a row that can.

    More values than the header: its values cannot be matched to columns (an unquoted separator inside a value
    moves every later value one column on), so none of them is trusted.  A row with fewer values is read, its
    missing last values blank: exports leave off a row's empty trailing cells, and nothing is moved.
    A value running over lines shaped like rows of their own: a quote opened and never closed made the csv module
    read the rows after it into one value (to the next quote, or the end of the file), and they would load as a
    note, unseen; the row is not read, and the reason says how many lines it holds."""
    if len(values) > width:
        return (f"row has {len(values)} values, the header has {width} "
                f"(a {_SEPARATORS.get(delimiter, repr(delimiter))} inside a value that is not in quotes?)")
    swallowed = _row_shaped_lines(values, width, delimiter)
    if swallowed:
        return (f"a value of this row runs over {swallowed + 1} lines, {swallowed} of them shaped like rows of their "
                'own (a quote opened and not closed?): the row and those lines are not read; close the quote, or '
                'write a quote inside a value as ""')
    return None


def _row_shaped_lines(values: list[str], width: int, delimiter: str) -> int:
    """Lines after the first of the row's values that hold a row's worth of separators (width - 1 or more)."""
    if width < 3:   # a two-column row has one separator: an ordinary note may too
        return 0
    return sum(1 for v in values if "\n" in v for line in v.split("\n")[1:] if line.count(delimiter) >= width - 1)
