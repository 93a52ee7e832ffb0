"""The default as-of date is the store's last recorded date, never later than today."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

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


def test_a_store_held_by_another_process_is_waited_for_then_refused_in_one_line(tmp_path: Path) -> None:
    import time

    from support.holder import store_held

    db = tmp_path / "s.duckdb"
    store.connect(db).close()
    said: list[str] = []
    with store_held(db):
        started = time.monotonic()
        with pytest.raises(store.StoreBusy, match="s.duckdb is in use by another process") as busy:
            store.connect(db, wait=1.0, waiting=said.append)
        assert 1.0 <= time.monotonic() - started < 10
        assert "\n" not in str(busy.value)
        with pytest.raises(store.StoreBusy):
            store.connect(db, read_only=True, wait=0)
    assert said == ["The store s.duckdb is in use by another process; waiting for it to finish..."]
    store.connect(db).close()  # free again once the other process is done


def test_a_new_store_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    import stat

    db = tmp_path / "s.duckdb"
    store.connect(db).close()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_a_store_made_before_the_annex_a_event_types_accepts_them(tmp_path):
    """DuckDB cannot alter a CHECK: an older store's events table is made again, its rows kept."""
    import duckdb

    from paqa_dash import sql

    new = ("'OTHER',\n        'CONTACT', 'EARLY_HELP_START', 'EARLY_HELP_END', 'CIN_START', 'CIN_END', "
           "'LOOKED_AFTER_START',\n        'LOOKED_AFTER_END', 'CARE_LEAVER', 'ADOPTION'))")
    schema = sql.text("schema")
    assert new in schema
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute(schema.replace(new, "'OTHER'))"))
    con.execute("INSERT INTO events (event_id, child_id, event_date, event_type, agency, plan_id, detail, run_id) VALUES ('e1', 'c1', DATE '2020-01-01', 'VISIT', 'CSC', NULL, 'kept', 1)")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO events (event_id, child_id, event_date, event_type, agency, plan_id, detail, run_id) VALUES ('e2', 'c1', DATE '2020-01-02', 'CONTACT', 'POLICE', NULL, NULL, 1)")
    con.close()
    con = store.connect(db)
    try:
        con.execute("INSERT INTO events (event_id, child_id, event_date, event_type, agency, plan_id, detail, run_id) VALUES ('e2', 'c1', DATE '2020-01-02', 'CONTACT', 'POLICE', NULL, NULL, 1)")
        assert con.execute("SELECT event_id, detail FROM events ORDER BY 1").fetchall() == [("e1", "kept"), ("e2", None)]
        with pytest.raises(duckdb.ConstraintException):  # the key survives the rebuild
            con.execute("INSERT INTO events (event_id, child_id, event_date, event_type, agency, plan_id, detail, run_id) VALUES ('e1', 'c1', DATE '2020-01-01', 'VISIT', 'CSC', NULL, NULL, 1)")
    finally:
        con.close()



KEYED_ROW_RETURNS = ("CREATE TABLE row_returns (table_name VARCHAR NOT NULL, row_id VARCHAR NOT NULL, "
                     "as_of DATE NOT NULL, PRIMARY KEY (table_name, row_id))")


def test_a_store_made_with_row_returns_keyed_gets_it_unkeyed_and_the_upsert_keeps_one_row_a_key(tmp_path):
    """row_returns lost its primary key (its index was a large import's dearest step): an older store's table is
    made again without it, rows kept, and the upsert still keeps one row per (table, row), the newest date."""
    import pyarrow as pa

    from paqa_dash import sql
    from paqa_dash.ingest.load import _upsert_returns

    db = tmp_path / "old.duckdb"
    con = store.connect(db)
    con.execute("DROP TABLE row_returns")
    con.execute(KEYED_ROW_RETURNS)
    con.execute("INSERT INTO row_returns VALUES ('plans', 'p1', DATE '2023-03-31'), ('events', 'e1', DATE '2024-03-31')")
    con.close()
    con = store.connect(db)
    try:
        assert "row_returns" not in set(sql.query(con, "store_primary_keys")["table_name"])
        assert con.execute("SELECT * FROM row_returns ORDER BY 1").fetchall() == [
            ("events", "e1", date(2024, 3, 31)), ("plans", "p1", date(2023, 3, 31))]
        staged = pa.table({"row_id": ["p1", "p1", "p2", "e1"],
                           "as_of": pa.array([date(2024, 3, 31), date(2022, 3, 31), date(2022, 3, 31),
                                              date(2020, 3, 31)])})
        _upsert_returns(con, "plans", staged)
        _upsert_returns(con, "plans", staged.slice(1, 2))   # older dates again: nothing changes
        assert con.execute("SELECT * FROM row_returns ORDER BY 1, 2").fetchall() == [
            ("events", "e1", date(2024, 3, 31)), ("plans", "e1", date(2020, 3, 31)),
            ("plans", "p1", date(2024, 3, 31)), ("plans", "p2", date(2022, 3, 31))]
    finally:
        con.close()

AUTHORITY_COLUMN = ("ALTER TABLE children ADD COLUMN IF NOT EXISTS authority VARCHAR;  -- DfE LA number; NULL when "
                    "the source named none")


def test_a_store_made_before_authorities_gets_the_column_null_for_its_children(tmp_path: Path) -> None:
    """Issue 15: the schema's last line (AUTHORITY.md's contract, exactly) adds children.authority to old stores."""
    import duckdb

    from paqa_dash import sql

    schema = sql.text("schema")
    assert schema.rstrip().endswith(AUTHORITY_COLUMN)
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute(schema.replace(AUTHORITY_COLUMN, ""))
    con.execute("INSERT INTO children (child_id, run_id) VALUES ('c1', 1)")
    con.close()
    con = store.connect(db)
    try:
        assert con.execute("SELECT child_id, authority FROM children").fetchall() == [("c1", None)]
    finally:
        con.close()


def test_an_older_store_is_brought_up_to_date_before_the_app_reads_it(tmp_path):
    """The app opens read-only, which cannot add a column: an old store would fail on today's queries."""
    path = tmp_path / "old.duckdb"
    con = store.connect(path)
    con.execute("ALTER TABLE children DROP COLUMN authority")
    con.close()
    assert store.bring_up_to_date(path) is True
    reader = store.connect(path, read_only=True)
    try:
        columns = {row[0] for row in reader.execute("DESCRIBE children").fetchall()}
    finally:
        reader.close()
    assert "authority" in columns
