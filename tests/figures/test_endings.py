"""Warning signs at the end of a plan (figures/endings.reasons_bars) where the data cannot show every sign: no bar
for a sign not checked (it would read as 0 plans), and a title that says which were not checked."""
from __future__ import annotations

import pandas as pd

from paqa_dash.figures import endings


def _counts(short: int, actions: int, need: int) -> pd.DataFrame:
    rows = []
    for reason, n in (("Short plan", short), ("Actions not done", actions), ("Adult need unaddressed", need)):
        rows += [{"reason": reason, "outcome": o, "plans": n if i == 0 else 0} for i, o in enumerate(endings.OUTCOME_ORDER)]
    return pd.DataFrame(rows)


def test_signs_not_checked_get_no_bar_and_are_named_in_the_title():
    fig = endings.reasons_bars(_counts(4, 0, 0), 40, 4, unchecked=("Actions not done", "Adult need unaddressed"))
    drawn = {y for trace in fig.data for y in trace.y}
    assert drawn == {"Short plan"}
    title = fig.layout.title.text.replace("<br>", " ")
    assert title.startswith("10% of ended plans (4 of 40) ended with a warning sign checked")
    assert "actions not done and adult need unaddressed not checked (not recorded in this data)" in title


def test_every_sign_checked_draws_every_bar():
    fig = endings.reasons_bars(_counts(4, 2, 1), 40, 6)
    assert {y for trace in fig.data for y in trace.y} == {"Short plan", "Actions not done", "Adult need unaddressed"}
    assert "not checked" not in fig.layout.title.text.replace("<br>", " ")
