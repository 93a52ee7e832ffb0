"""The audit sample as of a date its per-plan tables are not written for: ranked, cut and counted in one query over
the children in scope (the same rows and totals as the whole inline ranking), and the inline path kept where the
stored reviews miss an action."""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from paqa_dash.derive import registry
from paqa_dash.filters import Filters
from paqa_dash.metrics import audit
from paqa_dash.settings import DEFAULTS

CRITERIA = [audit.Criteria(), audit.Criteria(premature_first=True), audit.Criteria(repeat=False, neglect=True)]


@pytest.mark.parametrize("criteria", CRITERIA, ids=["repeat", "premature first", "neglect"])
def test_the_sample_as_of_a_date_not_written_is_ranked_cut_and_counted_in_one_query(demo_store, monkeypatch,
                                                                                     criteria):
    """As of a date the audit's tables are not written for, the sample is ranked, cut and counted in SQL (pandas never
    sees every child in scope), giving exactly the rows and totals the whole inline ranking gives."""
    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        for f in (Filters(as_of=date(2023, 12, 31)), Filters(as_of=date(2024, 5, 15), teams=("North",)),
                  Filters(as_of=date(2024, 6, 30), date_from=date(2023, 4, 1), date_to=date(2024, 3, 31))):
            assert not registry.resolve(con, Filters(as_of=f.as_of), DEFAULTS).reads_stored(*audit.AUDIT_TABLES)
            skip = tuple(audit.not_assessed(con, f, DEFAULTS, criteria))
            whole = audit._inline_sample(con, audit._narrowed(f, criteria), DEFAULTS, criteria, skip)
            with monkeypatch.context() as m:
                m.setattr(audit, "_inline_sample", _refused)
                page = audit.sample_page(con, f, DEFAULTS, criteria, limit=7)
            assert page.total == len(whole) > 0
            pd.testing.assert_frame_equal(page.rows, whole.head(7))
            assert page.counts == {**{k: int(whole[k].sum()) for k in audit.CONCERNS},
                                   "neglect": int(whole["neglect"].sum())}
            assert page.median_concerns == float(whole["concerns"].median())
    finally:
        con.close()


def _refused(*_args, **_kwargs):
    raise AssertionError("every child in scope brought into pandas")


def test_a_child_whose_action_the_stored_reviews_miss_is_reviewed_on_the_fly(demo_copy, monkeypatch):
    """Where the stored reviews miss an action of a child in scope, the one-query sample gives way to the inline path,
    which reviews that action on the fly: the same sample as with the review stored."""
    f = Filters(as_of=date(2023, 12, 31))
    before = audit.sample_page(demo_copy, f, DEFAULTS, limit=None)
    child = before.rows["child_id"].iloc[0]
    demo_copy.execute("DELETE FROM action_reviews WHERE action_id IN (SELECT a.action_id FROM actions a "
                      "JOIN plans p ON p.plan_id = a.plan_id WHERE p.child_id = ? AND p.start_date <= ?)",
                      [child, f.as_of])
    taken = []
    real = audit._inline_sample
    monkeypatch.setattr(audit, "_inline_sample", lambda *a, **k: taken.append(1) or real(*a, **k))
    after = audit.sample_page(demo_copy, f, DEFAULTS, limit=None)
    assert taken
    pd.testing.assert_frame_equal(after.rows, before.rows)
    assert (after.total, after.counts, after.median_concerns) == (before.total, before.counts, before.median_concerns)
