"""The What works page's table (derived_works_plans): a store written before it existed (an earlier version's import)
is read inline, giving the same figures, until `derive` writes it; a store whose reviews are not complete is read
inline with the kinds of action classified in Python, giving the same figures too."""
from __future__ import annotations

import json
from datetime import date

import pandas as pd

from paqa_dash import store
from paqa_dash.derive import currency, registry
from paqa_dash.filters import Filters
from paqa_dash.metrics import works
from paqa_dash.settings import DEFAULTS, Thresholds
from support.derive import current

TABLE = "derived_works_plans"


def figures(con, f: Filters, t: Thresholds = DEFAULTS) -> list[pd.DataFrame]:
    w = works.review(con, f, t)
    frames = [w.restorative, w.action_classes, w.ending_work, w.curves, w.at_risk, w.sustained,
              works.facts(con, f, t)]
    return [frame.sort_values(list(frame.columns), key=lambda c: c.astype(str), ignore_index=True)
            for frame in frames] + [pd.DataFrame({"plans_ended": [w.plans_ended]})]


def assert_same(got: list[pd.DataFrame], want: list[pd.DataFrame]) -> None:
    for a, b in zip(got, want):
        pd.testing.assert_frame_equal(a, b, check_dtype=False)


def questions(con) -> list[tuple[Filters, Thresholds]]:
    day = store.data_date(con)
    return [(Filters(as_of=day), DEFAULTS), (Filters(as_of=date(2023, 12, 31), teams=("North",)), DEFAULTS),
            (Filters(as_of=day, date_from=date(2022, 4, 1), date_to=date(2023, 3, 31)),
             DEFAULTS.with_(replan_window_months=12))]


def test_a_store_without_the_works_table_is_read_inline_with_the_same_figures(demo_copy):
    con = demo_copy
    asked = questions(con)
    assert all(current(con, TABLE, f, t) for f, t in asked)
    stored = [figures(con, f, t) for f, t in asked]
    assert stored[0][0]["with_evidence"].sum() > 0 and stored[0][1]["actions"].sum() > 0
    con.execute(f"DROP TABLE {TABLE}")   # as an earlier version left the store: no table, no record
    con.execute("DELETE FROM meta WHERE key = ?", [currency.META_PREFIX + TABLE])
    for f, t in asked:
        found = registry.resolve(con, f, t)
        assert not found.reads_stored(TABLE)
        assert found.substitute("works_cte_plan_facts") == ("works_cte_plan_facts",)
        assert found.substitute(registry.KINDS_BLOCK) == (registry.KINDS_BLOCK,)   # the stored themes, in SQL
    for (f, t), want in zip(asked, stored):
        assert_same(figures(con, f, t), want)
    assert {e.name for e in registry.stale(con)} == {TABLE}   # what `derive` would write
    registry.rewrite(con)
    assert all(current(con, TABLE, f, t) for f, t in asked)


def test_reviews_made_by_other_word_lists_send_the_kinds_to_python_with_the_same_figures(demo_copy):
    con = demo_copy
    asked = questions(con)
    stored = [figures(con, f, t) for f, t in asked]
    key = currency.META_PREFIX + currency.REVIEWS   # the stored reviews marked as made by other word lists
    store.set_meta(con, key, json.dumps({**json.loads(store.get_meta(con, key)), "definition": "older lexicons"}))
    for f, t in asked:
        found = registry.resolve(con, f, t)
        assert not found.reads_stored(TABLE)
        assert found.substitute(registry.KINDS_BLOCK) == registry.KINDS_MADE
    for (f, t), want in zip(asked, stored):
        assert_same(figures(con, f, t), want)


def test_the_word_patterns_are_bound_once_and_are_part_of_the_tables_definition(monkeypatch):
    """The patterns What works matches are bound as parameters, which DuckDB compiles once: read from a registered
    table's column they were compiled again for every distinct event detail (7.5 CPU s of the derivation at 100,000
    census plans, docs/benchmark_history.md).  Bound, they must still count in the table's definition, so that a changed
    pattern makes the stored rows out of date."""
    from paqa_dash import sql
    from paqa_dash.reference import tables as reference_tables
    assert {"works_fgc", "works_views", "works_mi"} <= sql.parameters(sql.text("works_cte_plan_events"))
    assert {"works_fgc", "works_co_produced", "works_mi", "works_named"} <= sql.parameters(
        sql.text("works_cte_kinded"))
    entry = next(e for e in registry.ENTRIES if e.name == TABLE)
    text = "\n".join(sql.text(name) for name in entry.blocks)   # what currency.definition digests
    before = reference_tables.digest(text)
    monkeypatch.setitem(reference_tables.PATTERNS, "works_mi", r"\bmotivational\b")
    assert reference_tables.digest(text) != before
