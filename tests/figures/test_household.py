"""Household change figures on small hand-made frames."""
from __future__ import annotations

import pandas as pd
import pytest

from paqa_dash.figures import household as hh


def test_distribution_counts_children_per_bucket_unsplit():
    buckets = pd.DataFrame({"bucket": ["0", "0", "1", "3+", "2"], "has_repeat_plan": [False, True, False, True, True],
                            "children": [1, 1, 1, 2, 0]})
    fig = hh.changes_distribution(buckets)
    (bars,) = fig.data      # not split by repeat plan: unequal exposures
    assert list(bars.x) == ["0 changes", "1 change", "2 changes", "3+ changes"]
    assert list(bars.y) == [2, 1, 0, 2]
    assert fig.layout.title.text == "3 of 5 children saw their household change"
    assert fig.layout.yaxis.title.text == "Children (count)"


def test_replanned_share_bars_percent_and_title():
    share = pd.DataFrame({"bucket": ["0", "1", "2", "3+"], "children": [40, 20, 0, 20],
                          "replanned_children": [4, 8, 0, 15], "replanned_share": [0.1, 0.4, None, 0.75]})
    fig = hh.replanned_share_bars(share, 24)
    bar = fig.data[0]
    assert list(bar.y)[:2] == [0.1, 0.4] and pd.isna(bar.y[2]) and bar.y[3] == pytest.approx(0.75)   # shares
    assert bar.text[3] == "75%<br>n=20"
    assert fig.layout.title.text == ("24 months after a first plan: 75% of children with 3+ household changes "
                                     "re-planned, against 10% with 0 changes")
    assert fig.layout.yaxis.title.text == "Children re-planned<br>within 24 months (%)"
    assert fig.layout.xaxis.title.text == "Household changes in the 24<br>months after the first plan ended"
