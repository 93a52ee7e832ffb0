"""Household change page, fast tier (metrics replaced; see conftest.py): a count of changes before repeat plans is
shown only where a gap before a repeat plan could be measured."""
from __future__ import annotations

import pandas as pd

from support.overview_data import HELD
from support.pages import open_page

BUCKETS = pd.DataFrame({"bucket": ["0", "0", "1", "1", "2", "2", "3+", "3+"],
                        "has_repeat_plan": [False, True] * 4, "children": [3, 1, 1, 0, 0, 0, 0, 0]})
AFTER = pd.DataFrame({"bucket": ["0", "0", "1", "1", "2", "2", "3+", "3+"],
                      "replanned": [False, True] * 4, "children": [0] * 8})


def _tiles(with_gap: int) -> dict:
    return {"change_buckets": BUCKETS, "coverage": HELD, "after_first_plan": AFTER,
            "family_change_counts": {"during_plans": 5, "before_repeat_plans": 0},
            "repeat_plans_after_change": (0, with_gap)}


def test_changes_before_repeat_plans_read_not_known_when_no_repeat_plan_s_previous_plan_is_dated(fake_metrics) -> None:
    """West's only repeat plan in early 2025 has its earlier plan in the data only as a count: no gap could be
    searched for household changes, so the tile says so ("–" and why), not "0"."""
    fake_metrics(_tiles(with_gap=0))
    tiles = {m.label: m for m in open_page("household", {"team": "West", "from": "2025-01-01",
                                                         "to": "2025-03-31"}).metric}
    assert tiles["Changes before repeat plans"].value == "–"
    assert "previous plan" in tiles["Changes before repeat plans"].help
    assert tiles["Changes during plans"].value == "5"


def test_changes_before_repeat_plans_are_counted_where_a_gap_is_dated(fake_metrics) -> None:
    fake_metrics(_tiles(with_gap=2))
    tiles = {m.label: m.value for m in open_page("household").metric}
    assert tiles["Changes before repeat plans"] == "0"
