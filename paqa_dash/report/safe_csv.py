"""CSV that is safe to open in a spreadsheet: every CSV the app offers is written here.

Why: a download holds text that came from an authority's own files (team names, action text, rejected raw
values).  A spreadsheet opening a CSV treats a cell starting with `=`, `+`, `-` or `@` (or a tab or carriage
return before one) as a formula, so a crafted value could run a formula on an analyst's computer (CSV or
formula injection).  Following the OWASP guidance, such a *text* cell is prefixed with a single quote, which
spreadsheets show as text.  Numbers are left alone: a negative number stays a number, only text is changed.

Here, below ui, so that the pages' downloads and any later export (the pack, a command-line export) share
one definition.
"""
from __future__ import annotations

from typing import Any

import pandas as pd
from pandas.api import types

# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text value that a spreadsheet would read as a formula, prefixed with `'`; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _is_text_free(column: pd.Series) -> bool:
    """True when a column cannot hold text (numbers, booleans, dates, durations), so it is left as it is."""
    dtype = column.dtype
    return (types.is_numeric_dtype(dtype) or types.is_bool_dtype(dtype)
            or types.is_datetime64_any_dtype(dtype) or types.is_timedelta64_dtype(dtype))


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells and column names are safe in a spreadsheet."""
    out = frame.copy()
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if not _is_text_free(column):
            out.isetitem(i, column.astype(object).map(neutralise))
    out.columns = [neutralise(c) for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """`frame` as UTF-8 CSV without the index, text cells neutralised: what every download button offers.

    Rows end with CRLF (RFC 4180), so a carriage return inside a cell is quoted like a newline is, and a
    reader (a spreadsheet, pandas, Python's csv module) keeps it inside its cell instead of starting a row."""
    return neutralised(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8")
