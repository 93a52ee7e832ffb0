"""The default as-of date is the store's last recorded date, never later than today."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from paqa_dash import store
from paqa_dash.store import data_date, with_data_date
from paqa_dash.filters import Filters


def test_data_date_is_latest_recorded_date(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "s.duckdb")
    assert data_date(con) is None
    con.execute("INSERT INTO plans (plan_id, child_id, start_date, end_date, initial_category) "
                "VALUES ('p1', 'c1', DATE '2025-01-10', DATE '2025-06-30', 'NEG')")
    con.execute("INSERT INTO events (event_id, child_id, event_date, event_type, agency) "
                "VALUES ('e1', 'c1', DATE '2026-03-31', 'VISIT', 'CSC')")
    assert data_date(con) == date(2026, 3, 31)
    assert with_data_date(con, Filters()).as_of == date(2026, 3, 31)
    assert with_data_date(con, Filters(as_of=date(2025, 1, 1))).as_of == date(2025, 1, 1)


def test_data_date_never_after_today(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "s.duckdb")
    future = date.today() + timedelta(days=400)
    con.execute("INSERT INTO plans (plan_id, child_id, start_date, initial_category) VALUES ('p', 'c', ?, 'NEG')",
                [future])
    assert data_date(con) == date.today()
