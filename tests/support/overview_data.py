"""The hand-made headline and quarterly figures the fast-tier Overview page tests give the page (the
overview and suppression tests share them, so a change of the headline's keys is made once)."""
from __future__ import annotations

import pandas as pd

from paqa_dash.metrics.coverage import Coverage
from paqa_dash.reference.recorded import DATA_KINDS

HEADLINE = {"plans_started": 1234, "repeat_plans_started": 247, "repeat_rate": 0.2, "repeat_within_window": 100,
            "repeat_plans_dated": 247,
            "repeat_within_window_rate": 0.081, "median_gap_days": 609.0, "plans_ended": 1100, "ended_le_3m": 110,
            "ended_le_3m_rate": 0.1, "premature_endings": 37, "endings_at_risk": 12}
QUARTERLY = pd.DataFrame({"quarter": pd.to_datetime(["2024-04-01", "2024-07-01"]), "label": ["2024 Q2", "2024 Q3"],
                          "plans_started": [600, 634], "repeat_plans_started": [120, 127], "repeat_rate": [0.2, 0.2],
                          "plans_ended": [500, 600], "ended_le_3m": [50, 60]})


def held(**kinds: int) -> Coverage:
    """A Coverage of 50 plans holding every kind of record, but `kinds` (kind -> plans holding it) as given."""
    counts = {k: kinds.get(k, 50) for k in DATA_KINDS}
    return Coverage(pd.DataFrame({"year": [2024], "team": ["North"], "plans": [50], **{k: [v] for k, v in counts.items()}}),
                    {"plans": 50, **counts})


HELD = held()   # what the Overview reads besides the headline: every kind recorded
