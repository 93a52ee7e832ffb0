"""Calendar months clamp to month end; working days skip weekends and England & Wales bank holidays."""
from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

from paqa_dash.reference import calendar


def test_add_months_clamps_to_month_end():
    assert calendar.add_months(date(2023, 1, 31), 3) == date(2023, 4, 30)
    assert calendar.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert calendar.add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert calendar.add_months(date(2023, 8, 31), 24) == date(2025, 8, 31)


def test_duckdb_month_arithmetic_agrees_with_dateutil():
    """The SQL uses `d + to_months(n)`; it must clamp exactly as relativedelta does."""
    days = [date(2019, 12, 25) + timedelta(days=i) for i in range(0, 1600, 3)]
    frame = pd.DataFrame({"d": days})
    con = duckdb.connect()
    for n in (1, 3, 6, 12, 24):
        got = con.execute("SELECT CAST(d + to_months($n) AS DATE) AS x FROM frame", {"n": n}).df()["x"]
        expected = [calendar.add_months(d, n) for d in days]
        assert [x.date() for x in pd.to_datetime(got)] == expected, n


def test_ten_working_days_across_easter():
    # Fri 22 Mar 2024 + 10 working days skips Good Friday (29 Mar) and Easter Monday (1 Apr).
    assert calendar.add_working_days(date(2024, 3, 22), 10) == date(2024, 4, 9)
    # Without the two bank holidays it would be Fri 5 Apr: the library list is really used.
    assert calendar.add_working_days(date(2024, 3, 8), 10) == date(2024, 3, 22)


def test_weekend_start_counts_from_next_working_day():
    assert calendar.add_working_days(date(2024, 6, 1), 10) == calendar.add_working_days(date(2024, 6, 3), 10)


def test_one_off_bank_holiday_and_christmas():
    assert not calendar.is_working_day(date(2023, 5, 8))   # coronation of King Charles III
    assert not calendar.is_working_day(date(2024, 12, 26))
    assert calendar.is_working_day(date(2024, 12, 27))
    assert calendar.working_days_between(date(2024, 12, 20), date(2024, 12, 31)) == 5


def test_vectorised_working_days_keep_missing_dates():
    out = calendar.add_working_days(pd.Series([date(2024, 3, 22), None]), 10)
    assert out.iloc[0] == date(2024, 4, 9)
    assert pd.isna(out.iloc[1])
