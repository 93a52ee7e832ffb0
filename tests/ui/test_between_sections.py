"""The child timeline's plan refresh sentence (ui/between_sections.py)."""
from __future__ import annotations

import pandas as pd

from paqa_dash.ui.between_sections import refresh_sentence


def test_none_due_yet_is_said_so_not_as_nought_of_nought():
    # (not due: the deadline falls after the plan's end or the data's date, so "not yet" would be false for an ended plan)
    said = refresh_sentence(pd.Series(["not_due", "not_due"]), 10)
    assert said == ("Nothing to count: a plan update is due within 10 days of each review, core group or new concern, "
                    "and for each of this child's that deadline falls after its plan ended or after the data's date.")
    assert "0 of" not in said and "yet" not in said


def test_the_due_ones_are_counted():
    assert refresh_sentence(pd.Series(["on_time", "late", "not_due"]), 10) == (
        "1 of 2 reviews, core groups and new concerns whose deadline has passed was followed by a plan update "
        "within 10 days.")
