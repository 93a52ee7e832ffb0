"""Calendar arithmetic for the measures of docs/definitions.md: calendar months clamped to month end,
and working days that skip weekends and England and Wales bank holidays.

Bank holidays come from the maintained `holidays` package (subdivision 'ENG', which carries the
England and Wales list, including one-off days such as coronations and jubilees) rather than a
hand list that would go stale.  Working-day arithmetic is vectorised with numpy's busday functions
so a million plan starts take milliseconds.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays
import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta

FIRST_YEAR = 1980
LAST_YEAR = 2060


def add_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    return day + relativedelta(months=months)


@lru_cache(maxsize=1)
def bank_holidays() -> np.ndarray:
    """England and Wales bank holidays FIRST_YEAR..LAST_YEAR as a sorted datetime64[D] array."""
    days = holidays.country_holidays("GB", subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))
    return np.array(sorted(days.keys()), dtype="datetime64[D]")


@lru_cache(maxsize=1)
def _calendar() -> np.busdaycalendar:
    return np.busdaycalendar(weekmask="1111100", holidays=bank_holidays())


def is_working_day(day: date) -> bool:
    return bool(np.is_busday(np.datetime64(day, "D"), busdaycal=_calendar()))


def add_working_days(days, n: int):
    """`n` working days after each date (a date, or an array/Series of dates).

    A start that falls on a weekend or bank holiday counts from the next working day, so an ICPC
    on a Saturday and one on the following Monday have the same deadline.  NaT/None stays missing.
    """
    if isinstance(days, date):
        out = np.busday_offset(np.datetime64(days, "D"), n, roll="forward", busdaycal=_calendar())
        return out.astype("datetime64[D]").astype(object)
    series = pd.Series(days)
    values = pd.to_datetime(series).to_numpy().astype("datetime64[D]")
    missing = np.isnat(values)
    result = np.full(values.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    if (~missing).any():
        result[~missing] = np.busday_offset(values[~missing], n, roll="forward", busdaycal=_calendar())
    return pd.Series(result, index=series.index).dt.date


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    return int(np.busday_count(np.datetime64(start, "D") + 1, np.datetime64(end, "D") + 1, busdaycal=_calendar()))


def quarter_label(q: object, short: bool = False) -> str:
    """Quarter start date -> 'Apr-Jun 2021' ('Apr-Jun 21' short): calendar months, never "Q1", which an analyst
    reads as April to June (the reporting year's first quarter) and a calendar reads as January to March."""
    ts = pd.Timestamp(q)
    return f"{ts.strftime('%b')}-{(ts + pd.DateOffset(months=2)).strftime('%b')} {ts.strftime('%y') if short else ts.year}"
