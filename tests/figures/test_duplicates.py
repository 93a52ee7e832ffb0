"""Duplicated-actions charts: quarters named as every other chart names them (reference.calendar.quarter_label)."""
from __future__ import annotations

import pandas as pd

from paqa_dash.figures import duplicates


def test_the_quarter_trend_names_quarters_by_their_months_not_q_numbers():
    """"2025 Q2" reads as July to September to an analyst who counts quarters from April, and as April to June on a
    calendar; the Overview and the agencies page say "Apr-Jun 2025"."""
    fig = duplicates.quarter_trend(pd.DataFrame(
        {"quarter": pd.to_datetime(["2025-04-01", "2026-01-01"]), "share": [0.24, 0.19], "duplicated": [24, 19],
         "actions": [100, 100], "plans": [20, 20]}))
    assert list(fig.data[0].x) == ["Apr-Jun 2025", "Jan-Mar 2026"]
    assert fig.layout.title.text.replace("<br>", " ") == ("Repeated actions: 24% of actions in Apr-Jun 2025, 19% in "
                                                          "Jan-Mar 2026")
