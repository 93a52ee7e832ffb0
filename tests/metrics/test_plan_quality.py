"""metrics.plan_quality.review: the page's aggregates are the same whether the reviews come from the
store (written at import) or are made on the fly for actions the store lacks or when they are stale."""
from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from paqa_dash.derive import currency
from paqa_dash import store
from paqa_dash.metrics import plan_quality
from paqa_dash.store import with_data_date
from paqa_dash.filters import Filters

FILTERS = [Filters(), Filters(teams=("North",)), Filters(plan_number="repeat", date_from="2022-01-01")]


def _review(path, filters: Filters) -> plan_quality.PlanQuality:
    con = store.connect(path, read_only=True)
    try:
        return plan_quality.review(con, with_data_date(con, filters), limit=50)
    finally:
        con.close()


def _same(a: plan_quality.PlanQuality, b: plan_quality.PlanQuality) -> None:
    assert (a.actions, a.plans, a.smart_actions, a.deficit_findings) == (b.actions, b.plans, b.smart_actions,
                                                                          b.deficit_findings)
    assert a.reading == pytest.approx(b.reading)
    for name in ("smart_by_team_period", "failed_criteria", "language", "reading_bands", "plan_language",
                 "relevance_counts", "relevance", "themes", "failing"):
        pd.testing.assert_frame_equal(getattr(a, name).reset_index(drop=True), getattr(b, name).reset_index(drop=True),
                                      check_dtype=False, obj=name)


@pytest.fixture(scope="module")
def partial_store(demo_store, tmp_path_factory):
    """The demo store with the stored reviews of every third action (and their findings) removed."""
    path = tmp_path_factory.mktemp("pq") / "partial.duckdb"
    shutil.copy(demo_store, path)
    con = store.connect(path)
    con.execute("DELETE FROM action_reviews WHERE hash(action_id) % 3 = 0")
    con.execute("DELETE FROM language_findings WHERE action_id NOT IN (SELECT action_id FROM action_reviews)")
    con.close()
    return path


@pytest.mark.parametrize("filters", FILTERS)
def test_missing_reviews_are_made_on_the_fly(demo_store, partial_store, filters):
    stored = _review(demo_store, filters)
    assert stored.actions > 0 and stored.relevance_plans > 0 and len(stored.language)
    _same(_review(partial_store, filters), stored)


def test_stale_reviews_are_redone(demo_store, tmp_path):
    path = tmp_path / "stale.duckdb"
    shutil.copy(demo_store, path)
    con = store.connect(path)
    con.execute("UPDATE action_reviews SET smart = NOT smart")   # wrong rows, but marked stale below
    key = currency.META_PREFIX + currency.REVIEWS
    store.set_meta(con, key, json.dumps({**json.loads(store.get_meta(con, key)), "definition": "older lexicons"}))
    con.close()
    _same(_review(path, Filters()), _review(demo_store, Filters()))


def test_lists_are_limited_and_counted(demo_store):
    q = _review(demo_store, Filters())
    assert len(q.failing) == min(50, q.actions - q.smart_actions)
    assert len(q.relevance) == min(50, q.relevance_plans)
    ranks = [plan_quality.VERDICTS.index(v) for v in q.relevance["verdict"]]
    assert ranks == sorted(ranks)                      # no action for a need first
    assert q.plan_language["reading_ease"].is_monotonic_increasing   # hardest to read first
    assert q.reading_bands["plans"].sum() == q.reading["plans"]


def test_no_plans_gives_empty_frames(demo_store):
    q = _review(demo_store, Filters(date_from="2090-01-01"))
    assert (q.actions, q.plans, q.relevance_plans) == (0, 0, 0)
    assert q.smart_by_team_period.empty and q.failed_criteria.empty and q.themes.empty and q.failing.empty


def _quarters(starts: list[str], team: str = "North") -> pd.DataFrame:
    return pd.DataFrame({"team": team, "quarter": pd.to_datetime(starts).date, "actions": 4, "smart_actions": 1})


def test_smart_periods_are_named_as_readers_name_them_never_q1() -> None:
    """Calendar quarters read 'Jan-Mar 2024', in date order (a string sort would put Apr before Jan)."""
    out = plan_quality._smart_by_period(_quarters(["2024-04-01", "2024-01-01", "2024-10-01"]))
    assert out["period"].tolist() == ["Jan-Mar 2024", "Apr-Jun 2024", "Oct-Dec 2024"]
    assert out["smart_share"].tolist() == [0.25, 0.25, 0.25]
    assert not out["period"].str.contains("Q").any()


def test_smart_periods_over_two_years_are_reporting_years() -> None:
    """Nine quarters or more: April-to-March years, the quarters of one year summed (Jan-Mar 2024 is 2023-24)."""
    starts = [f"{y}-{m:02d}-01" for y in (2022, 2023) for m in (1, 4, 7, 10)] + ["2024-01-01"]
    out = plan_quality._smart_by_period(_quarters(starts))
    assert out["period"].tolist() == ["2021-22", "2022-23", "2023-24"]
    assert out["actions"].tolist() == [4, 16, 16]
    assert str(out["period_start"].iloc[1]) == "2022-04-01"


def test_smart_periods_of_no_plans_is_an_empty_frame_with_the_columns() -> None:
    out = plan_quality._smart_by_period(_quarters([]))
    assert out.empty and "period_start" in out.columns
