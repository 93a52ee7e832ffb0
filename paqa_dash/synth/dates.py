"""Calendar arithmetic on whole numpy arrays of days (datetime64[D]).

The generator works on every plan at once, so it needs the definitions' calendar rules as array
operations: "N months after d" clamped to month end (gaps and duration bands), and working days that skip
weekends and England and Wales bank holidays (7.5).  NaT means "no date" throughout.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

DAY = np.timedelta64(1, "D")


def add_months(days: np.ndarray, months: np.ndarray | int) -> np.ndarray:
    """`days` plus `months` calendar months, the day clamped to the end of the target month."""
    days = np.asarray(days, dtype="datetime64[D]")
    month = days.astype("datetime64[M]")
    offset = (days - month.astype("datetime64[D]")).astype(np.int64)       # 0-based day of month
    target = month + np.asarray(months).astype("timedelta64[M]")
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    return target.astype("datetime64[D]") + np.minimum(offset, length - 1).astype("timedelta64[D]")


@lru_cache(maxsize=8)
def bank_holidays(first_year: int, last_year: int) -> np.ndarray:
    """England and Wales bank holidays (the `holidays` package), as datetime64[D]."""
    import holidays

    days = holidays.UK(subdiv="ENG", years=range(first_year, last_year + 1))
    return np.array(sorted(days), dtype="datetime64[D]")


def add_working_days(days: np.ndarray, n: np.ndarray | int) -> np.ndarray:
    """The n-th working day after each day (weekends and bank holidays skipped)."""
    days = np.asarray(days, dtype="datetime64[D]")
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    hols = bank_holidays(int(years.min()) - 1, int(years.max()) + 2) if days.size else np.array([], "datetime64[D]")
    start = np.busday_offset(days, 0, roll="forward", holidays=hols)
    return np.busday_offset(start, n, roll="forward", holidays=hols)

