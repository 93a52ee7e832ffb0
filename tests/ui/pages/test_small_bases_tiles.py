"""The small-base rule on the tiles of pages that compare within the data, fast tier (metrics replaced; see
conftest.py): a share of fewer than 20 is given as its count ("3 of 6"), not a bare percentage (docs/definitions.md,
"Small bases"); on 20 or more the tile still gives the percentage."""
from __future__ import annotations

import pandas as pd

from support.overview_data import HELD
from support.pages import open_page
from support.refresh_grid import refresh_grid


def _teams(due: int) -> pd.DataFrame:
    return pd.DataFrame({"team": ["North", "North"], "kind": ["meeting", "concern"], "on_time": [due // 2] * 2,
                         "late": [due - due // 2] * 2, "due": [due] * 2, "rate": [(due // 2) / due] * 2})


def _quarters(due: int) -> pd.DataFrame:
    return _teams(due).drop(columns="team").assign(quarter=pd.Timestamp("2025-01-01"))


def test_plan_refresh_tiles_give_a_share_of_few_as_its_count(fake_metrics) -> None:
    late = pd.DataFrame(columns=["plans_listed"])
    fake_metrics({"coverage": HELD, "team_quarters": refresh_grid(_teams(6), _quarters(6)), "late_plans": late})
    tiles = {m.label: m.value for m in open_page("plan_refresh").metric}
    assert tiles == {"After meetings": "3 of 6", "After new concerns": "3 of 6"}, tiles
    fake_metrics({"coverage": HELD, "team_quarters": refresh_grid(_teams(40), _quarters(40)), "late_plans": late})
    tiles = {m.label: m.value for m in open_page("plan_refresh").metric}
    assert tiles == {"After meetings": "50%", "After new concerns": "50%"}, tiles
