"""The duplicated actions' pairs read their texts by key (cohorts._key_lookups): the same rows as a scan, and the
connection's planning setting back as it was afterwards, so no other query on the page's connection is planned
with it."""
from __future__ import annotations

from contextlib import nullcontext
from datetime import date

import duckdb
import pandas as pd

from paqa_dash.filters import Filters
from paqa_dash.metrics import cohorts
from paqa_dash.settings import DEFAULTS

SETTING = "SELECT current_setting('dynamic_or_filter_threshold')"


def test_pairs_read_by_key_equal_the_scanned_ones_and_the_setting_is_restored(demo_store, monkeypatch):
    con = duckdb.connect(str(demo_store), read_only=True)
    try:
        before = con.execute(SETTING).fetchall()
        questions = [Filters(as_of=date(2030, 1, 1)), Filters(as_of=date(2024, 12, 31), teams=("North",))]
        by_key = [cohorts.dup_pairs(con, f, DEFAULTS, limit=limit) for f in questions for limit in (5, 1000)]
        assert con.execute(SETTING).fetchall() == before
        assert any(len(frame) > 5 for frame in by_key)
        monkeypatch.setattr(cohorts, "_key_lookups", lambda con: nullcontext())
        scanned = [cohorts.dup_pairs(con, f, DEFAULTS, limit=limit) for f in questions for limit in (5, 1000)]
        for got, want in zip(by_key, scanned):
            pd.testing.assert_frame_equal(got, want)
    finally:
        con.close()
