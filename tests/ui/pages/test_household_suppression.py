"""Household change for a reader with a small-number threshold (fast tier): a bucket's withheld children cannot be
worked out from a total printed on this page (the "3+ changes" tile, the children in all) or on another (the repeat
plans started, on the Overview and Repeat plans pages) less the cells shown."""
from __future__ import annotations


import pandas as pd

from paqa_dash.metrics import household

from support.overview_data import HELD
from support.pages import open_page

# the reviewer's figures: 3+ changes 1 without and 11 with a repeat plan beside the tile's 12; with a repeat plan
# 6 + 20 + 16 in the other buckets, 53 in all (the repeat plans started another page prints)
BUCKETS = pd.DataFrame({"bucket": [b for b in household.CHANGE_BUCKETS for _ in (0, 1)],
                        "has_repeat_plan": [False, True] * 4, "children": [150, 6, 60, 20, 30, 16, 1, 11]})
AFTER = pd.DataFrame({"bucket": [b for b in household.CHANGE_BUCKETS for _ in (0, 1)], "replanned": [False, True] * 4,
                      "children": [100, 10, 40, 10, 20, 10, 10, 10]})


def test_a_buckets_withheld_children_cannot_be_worked_out_from_totals_shown(fake_metrics, threshold) -> None:
    threshold(5)
    fake_metrics({"change_buckets": BUCKETS, "coverage": HELD, "after_first_plan": AFTER,
                  "family_change_counts": {"during_plans": 300, "before_repeat_plans": 80},
                  "repeat_plans_after_change": (40, 53)})
    at = open_page("household")
    tiles = {m.label: m for m in at.metric}
    assert tiles["Children with 3+ changes"].value == "12"
    assert "of 294 children" in tiles["Children with 3+ changes"].help
    table = next(d.value for d in at.dataframe if len(d.value) == 8)
    bucket, repeat, children = table.columns[:3]
    withheld = table[children].astype(str) == "c"
    assert withheld.any()
    for key in (bucket, repeat):              # each bucket (the 3+ tile), each column (53 repeat plans), all (294)
        for value, rows in table.groupby(key).groups.items():
            assert withheld[rows].sum() != 1, (key, value, table)
    assert withheld.sum() != 1
