"""A frame with no rows keeps the types it has with rows: text as text, not float64 (pandas' type for a column
made from an empty list).  Why: a table or CSV of an empty frame, or one joined with it, read "nan"/"0.0", and text
methods fail on a float column (a newcomer's review: an Annex A return, or a team with nothing in the period)."""
from __future__ import annotations

import pandas as pd
import pytest

from support.store_builder import build_store

from paqa_dash.filters import Filters
from paqa_dash.metrics import challenge, plan_quality, summary, works


@pytest.fixture
def nothing(tmp_path):
    con = build_store(tmp_path / "s.duckdb", plans=[{"plan_id": "P1", "child_id": "A", "start_date": "2024-05-01",
                                                    "end_date": "2025-02-01", "initial_category": "NEG",
                                                    "team": "North"}])
    yield con, Filters(teams=("Nowhere",))   # a team with no plan: every frame is empty
    con.close()


def _text(frame: pd.DataFrame, *columns: str) -> None:
    assert frame.empty
    for c in columns:
        assert not pd.api.types.is_float_dtype(frame[c]), (c, frame[c].dtype)


def test_empty_frames_keep_their_text_columns_as_text(nothing):
    con, filters = nothing
    _text(challenge.events(con, filters), "topic", "resolution")
    review = plan_quality.review(con, filters)
    _text(review.relevance, "verdict", "needs")
    _text(review.relevance_counts, "verdict")
    _text(summary.quarterly(con, filters), "label")
    _text(works.facts(con, filters), "ending_work", "year")
