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
    200 keys, as a page lists: above 50 keys DuckDB no longer pushes a join's keys into the scan, and reads it all."""
    ids = [r[0] for r in con.execute(f"SELECT {key[:-4]}_id FROM {table} LIMIT 200").fetchall()]
    assert len(ids) == 200
    text = sql.text(name)
    profile = con.execute("EXPLAIN ANALYZE " + text, sql.bind(text, {key: ids}, block=name)).fetchall()[0][1]
    assert "Type: Index Scan" in profile and "Sequential Scan" not in profile


def test_a_list_longer_than_the_index_reads_is_read_in_parts(con, monkeypatch):
    """DuckDB scans the table for more than 2,048 keys; each part of the list stays within that (here 2 keys)."""
    monkeypatch.setattr(by_key, "INDEX_KEYS", 2)
    asked: list[int] = []
    real = sql.query
    monkeypatch.setattr(sql, "query", lambda c, name, **p: asked.append(len(p["action_ids"])) or real(c, name, **p))
    rows = con.execute("SELECT action_id, action_text FROM actions ORDER BY action_id LIMIT 5").fetchall()
    assert by_key.action_texts(con, [r[0] for r in rows]) == dict(rows)
    assert asked == [2, 2, 1]


def test_empty_lists_keep_their_columns_types(con):
    """No plan in the period: the lists are empty with text and date columns as when they have rows (a map over
    no keys gives floats)."""
    from paqa_dash.filters import Filters
    from paqa_dash.metrics import cohorts, plan_quality
    from paqa_dash.settings import DEFAULTS

    none = Filters(date_from="2090-01-01")
    pairs = cohorts.dup_pairs(con, none, DEFAULTS)
    assert pairs.empty and pairs["action_text"].dtype == object == pairs["earlier_action_text"].dtype
    assert str(pairs["earlier_plan_start"].dtype) == str(pairs["plan_start"].dtype) != "float64"
    failing = plan_quality.review(con, none, DEFAULTS).failing
    assert failing.empty and failing["action_text"].dtype == object
