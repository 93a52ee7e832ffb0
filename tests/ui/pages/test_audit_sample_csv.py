"""The Audit sample's CSV names the warning signs not checked where its "first plan ended prematurely" is counted
from some of them only (no plan actions), in the words the page shows; where every sign is checked it adds nothing."""
from __future__ import annotations

import pandas as pd

from paqa_dash.ui.pages import audit_sample as page


ROWS = pd.DataFrame({"child_id": ["k", "m"], "first_plan_ended_prematurely": [True, False], "concerns": [2, 1],
                     "duplicated_actions": [False, False]})


def test_the_csv_names_the_signs_not_checked():
    note = "First plan ended prematurely: warning signs not checked: actions not done (...)."
    out = page.csv_rows(ROWS, {"duplicated_actions"}, note)
    assert "duplicated_actions" not in out.columns
    assert out["warning_signs_not_checked"].tolist() == [note, note]
    assert out["first_plan_ended_prematurely"].tolist() == [True, False]


def test_the_csv_adds_nothing_where_every_sign_is_checked():
    out = page.csv_rows(ROWS, set(), "")
    assert list(out.columns) == list(ROWS.columns)
