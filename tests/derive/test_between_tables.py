"""The Between plans page's tables (derived_between_events, derived_between_plans): a store written before they
existed (an earlier version's import) is read inline, giving the same figures, until `derive` writes them."""
from __future__ import annotations

from datetime import date

import pandas as pd

from paqa_dash import store
from paqa_dash.derive import currency, registry
from paqa_dash.filters import Filters
from paqa_dash.metrics import between
from paqa_dash.settings import DEFAULTS
from support.derive import current

TABLES = ("derived_between_events", "derived_between_plans")


def figures(con, f: Filters) -> list[object]:
    return [between.totals(con, f), between.bands(con, f), between.months_before(con, f), between.by_group(con, f),
            between.plan_rows(con, f).sort_values("plan_id").reset_index(drop=True)]


def assert_same(got: list[object], want: list[object]) -> None:
    for a, b in zip(got, want):
        if isinstance(a, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b, check_dtype=False)
        else:
            assert a == b


def test_a_store_without_the_between_tables_is_read_inline_with_the_same_figures(demo_copy):
    con = demo_copy
    questions = [Filters(as_of=store.data_date(con)), Filters(as_of=date(2023, 12, 31), teams=("North",))]
    assert all(current(con, name, f, DEFAULTS) for name in TABLES for f in questions)
    stored = [figures(con, f) for f in questions]
    for name in TABLES:   # as an earlier version left the store: no table, no record
        con.execute(f"DROP TABLE {name}")
        con.execute("DELETE FROM meta WHERE key = ?", [currency.META_PREFIX + name])
    for f in questions:
        found = registry.resolve(con, f, DEFAULTS)
        assert not any(found.reads_stored(name) for name in TABLES)
        assert found.substitute("between_cte_gap_events") == ("between_cte_gap_events",)
        assert found.substitute("between_cte_plan_facts") == ("between_cte_plan_facts",)
    for f, want in zip(questions, stored):
        assert_same(figures(con, f), want)
    assert {e.name for e in registry.stale(con)} == set(TABLES)   # what `derive` would write
    registry.rewrite(con)
    assert all(current(con, name, f, DEFAULTS) for name in TABLES for f in questions)
