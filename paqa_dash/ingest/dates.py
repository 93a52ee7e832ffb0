"""Which way round a file writes its dates: day-first (UK, the contract) or month-first (US), per file.

Why per file: an export from a system set to US English writes 01/13/2024; read day-first, such a file
loses every date after the 12th of a month, and worse, 03/04/2024 becomes 3 April instead of 4 March
without a word.  A date with a first part above 12 is day-first evidence, one with a second part above 12
month-first evidence.  A file with only month-first evidence is read month-first with a warning; a file
with both is refused (no order reads it); a file with neither is read day-first, as the contract says.
"""
from __future__ import annotations

import re
from typing import Iterable

from .frames import FatalImportError

_SLASHED = re.compile(r"^\s*(\d{1,2})([/.-])(\d{1,2})([/.-]\d{2}(?:\d{2})?(?:[ T].*)?)$")

DAY_FIRST, MONTH_FIRST = "day-first", "month-first"


def order_of(values: Iterable[object], where: str) -> str:
    """DAY_FIRST or MONTH_FIRST for one file's date values; FatalImportError when it writes both."""
    day_first = month_first = None
    for value in values:
        if not isinstance(value, str):
            continue
        m = _SLASHED.match(value)
        if not m:
            continue
        a, b = int(m.group(1)), int(m.group(3))
        if a > 12 >= b and day_first is None:
            day_first = value.strip()
        elif b > 12 >= a and month_first is None:
            month_first = value.strip()
        if day_first and month_first:
            raise FatalImportError(f"{where}: dates are written both day-first ('{day_first}') and month-first "
                                   f"('{month_first}'), so no date in it can be trusted; export it again with one format")
    return MONTH_FIRST if month_first else DAY_FIRST


def as_day_first(value: object) -> object:
    """A month-first date written day-first (01/13/2024 -> 13/01/2024); anything else unchanged."""
    if not isinstance(value, str):
        return value
    m = _SLASHED.match(value)
    return f"{m.group(3)}{m.group(2)}{m.group(1)}{m.group(4)}" if m else value


WARNING = "dates in this file are written month-first (US style, e.g. 01/13/2024); read as month/day/year"
