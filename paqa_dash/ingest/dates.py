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

# A month in words, as people and systems write one (`Apr`, `APR`, `April`, `Sept`): read in a date by
# `codes.iso_date` (`3-Apr-23`, `03-APR-2023`, `Apr 3, 2023`) and found in free text by the scrubber (`scrub.DATE`).  Such a date
# says which part is its day, so it is never evidence of a file's order.
MONTHS = ("jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
          "oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
MONTH_NUMBER = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                             "nov", "dec"), start=1)}


class Evidence:
    """The first day-first and the first month-first date among values seen one at a time, so a reader that
    streams a file (ingest/partition.py) judges its order as `order_of` judges a list."""

    def __init__(self) -> None:
        self.day_first: str | None = None
        self.month_first: str | None = None
        self.month_only: set[str] = set()   # distinct dates only month-first reads (two at most: more says no more)
        self.either = 0       # distinct slashed dates both orders read differently (03/04/2015, not 05/05/2015)
        self._seen: set[str] = set()  # a file repeats a few thousand days: each is matched once

    def see(self, value: object) -> None:
        if not isinstance(value, str) or value in self._seen or (self.day_first and self.month_first):
            return
        self._seen.add(value)
        m = _SLASHED.match(value)
        if not m:
            return
        a, b = int(m.group(1)), int(m.group(3))
        if a > 12 >= b and self.day_first is None:
            self.day_first = value.strip()
        elif b > 12 >= a:
            self.month_first = self.month_first or value.strip()
            if len(self.month_only) < 2:
                self.month_only.add(value.strip())
        elif a <= 12 and b <= 12 and a != b and self.either < 2:
            self.either += 1

    def order(self, where: str) -> str:
        """DAY_FIRST or MONTH_FIRST; FatalImportError when the values are written both ways, or when a single
        date asks for month-first beside others either order reads: one mistyped day (01/13 for 13/01) in an
        English file would otherwise turn every other date of it round."""
        if self.day_first and self.month_first:
            raise FatalImportError(f"{where}: dates are written both day-first ('{self.day_first}') and month-first "
                                   f"('{self.month_first}'), so no date in it can be trusted; export it again with one format")
        if self.month_first and len(self.month_only) < 2 and self.either:
            raise FatalImportError(
                f"{where}: one date, '{self.month_first}', can only be read month-first (US style), and the file's "
                "other slashed dates could be read either way, so which way it is written cannot be told: if it is "
                "written day-first, that date is mistyped (correct it); if month-first, export it again with dates "
                "as YYYY-MM-DD")
        return MONTH_FIRST if self.month_first else DAY_FIRST

    @classmethod
    def joined(cls, parts: list[Evidence]) -> Evidence:
        """The evidence of `parts` read one after another (a file's date columns, column by column)."""
        out = cls()
        out.day_first = next((p.day_first for p in parts if p.day_first), None)
        out.month_first = next((p.month_first for p in parts if p.month_first), None)
        out.month_only = set(sorted(set().union(*(p.month_only for p in parts)))[:2])  # one date in two columns: one
        out.either = min(sum(p.either for p in parts), 2)
        return out


def order_of(values: Iterable[object], where: str) -> str:
    """DAY_FIRST or MONTH_FIRST for one file's date values; FatalImportError when it writes both."""
    evidence = Evidence()
    for value in values:
        evidence.see(value)
        if evidence.day_first and evidence.month_first:
            break
    return evidence.order(where)


def as_day_first(value: object) -> object:
    """A month-first date written day-first (01/13/2024 -> 13/01/2024); anything else unchanged."""
    if not isinstance(value, str):
        return value
    m = _SLASHED.match(value)
    return f"{m.group(3)}{m.group(2)}{m.group(1)}{m.group(4)}" if m else value


WARNING = "dates in this file are written month-first (US style, e.g. 01/13/2024); read as month/day/year"

# What a reject of an unreadable date says was expected, by the kind of file (validate.check_values): text files
# are read as text, a workbook also takes cells formatted as dates and Excel's day numbers (codes.iso_date).
TEXT_DATES = "YYYY-MM-DD, DD/MM/YYYY, 3 Apr 2023 or Apr 3, 2023"
WORKBOOK_DATES = "a date cell, DD/MM/YYYY, YYYY-MM-DD, 3 Apr 2023 or Apr 3, 2023"
