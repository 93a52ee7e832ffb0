"""Primary keys of the tables an import fills from empty: off while it writes, back before it is recorded."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from paqa_dash import sql, store
from paqa_dash.ingest.deferred_keys import DeferredKeys
from paqa_dash.ingest.frames import TABLES
from paqa_dash.ingest.load import ImportWriter
from paqa_dash.ingest.cin_xml import read

CENSUS = Path(__file__).resolve().parents[1] / "fixtures" / "cin" / "authority_2022.xml"


def _keys(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    return {t: list(k) for t, k in sql.query(con, "store_primary_keys").itertuples(index=False)}


def test_a_first_import_writes_its_tables_unkeyed_and_leaves_them_keyed(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAQA_PSEUDO_KEY", "test-key-not-secret-deferred-keys")
    con = store.connect(tmp_path / "s.duckdb")
    try:
        schema_keys = _keys(con)
        assert {"children", "plans", "events", "needs"} <= set(schema_keys)
        con.execute("INSERT INTO needs (need_id, child_id, identified_date, factor, run_id) VALUES ('n0', 'c0', DATE '2020-01-01', '4B', 0)")
        writer = ImportWriter(con, os.environ["PAQA_PSEUDO_KEY"].encode())
        writer.write([read([CENSUS])])
        during = _keys(con)
        assert not {"children", "plans", "events"} & set(during)   # filled from empty: no index kept up
        assert during["needs"] == schema_keys["needs"]             # it held a row: keyed throughout
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] > 0
        writer.finish()
        assert _keys(con) == schema_keys
        with pytest.raises(duckdb.ConstraintException):   # the key is kept again
            con.execute("INSERT INTO events SELECT * FROM events LIMIT 1")
    finally:
        con.close()


def test_a_key_written_twice_while_unkeyed_fails_the_run_and_nothing_is_kept(tmp_path: Path) -> None:
    """As an import runs it: in one transaction, which DuckDB refuses to commit with the key broken."""
    con = store.connect(tmp_path / "s.duckdb")
    try:
        with pytest.raises(duckdb.TransactionException, match="PRIMARY KEY or UNIQUE constraint violation"):
            with store.transaction(con):
                keys = DeferredKeys(con)
                keys.drop_where_empty(TABLES)
                assert "children" in keys.dropped and "children" not in _keys(con)
                con.execute("INSERT INTO children (child_id, run_id) VALUES ('c1', 1), ('c1', 1)")
                keys.restore()
        assert con.execute("SELECT count(*) FROM children").fetchone() == (0,)
        assert "children" in _keys(con)   # the table as it was, keyed
    finally:
        con.close()
