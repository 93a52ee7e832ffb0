"""Rows read by their keys (metrics/by_key.py): the words of listed actions and the starts of named plans."""
from __future__ import annotations

import pytest

from paqa_dash import sql, store
from paqa_dash.metrics import by_key


@pytest.fixture(scope="module")
def con(demo_store):
    c = store.connect(demo_store, read_only=True)
    yield c
    c.close()


def test_each_listed_action_gets_its_own_words(con):
    rows = con.execute("SELECT action_id, action_text FROM actions ORDER BY action_id LIMIT 3").fetchall()
    ids = [r[0] for r in rows]
    texts = by_key.action_texts(con, [ids[2], None, ids[0], ids[2], "not-an-action", ids[1]])
    assert texts == {i: t for i, t in rows}


def test_each_named_plan_gets_its_start(con):
    rows = con.execute("SELECT plan_id, start_date FROM plans ORDER BY plan_id DESC LIMIT 2").fetchall()
    starts = by_key.plan_starts(con, [r[0] for r in rows] + ["not-a-plan"])
    assert {k: v.date() for k, v in starts.items()} == dict(rows)


def test_no_keys_read_nothing(con):
    assert by_key.action_texts(con, []) == {} and by_key.plan_starts(con, [float("nan"), None]) == {}


@pytest.mark.parametrize("name, key, table", [("by_key_action_texts", "action_ids", "actions"),
                                              ("by_key_plan_starts", "plan_ids", "plans")])
def test_a_list_of_keys_is_read_through_the_primary_keys_index(con, name, key, table):
    """Why the module exists: the join it replaced scanned the whole table.  DuckDB's profile names the scan it ran.
    200 keys, as a page lists: past DuckDB's 50, a join of a few keys passes the scan no list of them to look up."""
    ids = [r[0] for r in con.execute(f"SELECT {key[:-4]}_id FROM {table} LIMIT 200").fetchall()]
    assert len(ids) == 200
    text = sql.text(name)
    profile = con.execute("EXPLAIN ANALYZE " + text, sql.bind(text, {key: ids}, block=name)).fetchall()[0][1]
    assert "Type: Index Scan" in profile and "Sequential Scan" not in profile
