"""A CSV file's records as both table readers take them (ingest/bundle.py, ingest/ssd.py).

Why one place: the two readers split their files alike, and each had its own loop over `csv.reader` with the
same faults: a record spanning lines (a quoted newline) named by the line it ends on, a long free-text value
stopping the whole import at Python's default field limit, and a row with more values than its header losing
the extra ones to `zip`.  Here a record is named by the line it starts on, as an editor shows it; a value may
be as long as `limits.MAX_CSV_FIELD_CHARS`; and `extra_values` says why a row too long for its header cannot be
read, for the reader to record it as a reject (or a warning) with the row's file and line.
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


def extra_values(values: list[str], width: int, delimiter: str = ",") -> str | None:
    """Why a row with more values than its header's `width` is not read, or None for a row that fits.

    Its values cannot be matched to columns (an unquoted separator inside a value moves every later value one
    column on), so none of them is trusted.  A row with fewer values is read, its missing last values blank:
    exports leave off a row's empty trailing cells, and nothing is moved."""
    if len(values) <= width:
        return None
    return (f"row has {len(values)} values, the header has {width} "
            f"(a {_SEPARATORS.get(delimiter, repr(delimiter))} inside a value that is not in quotes?)")
