"""The Regional view's timeliness rows against the Core groups & agencies page's timeliness table: for every small
combination of counts, nothing the view prints gives back a count that table withholds (report/rules.py,
practice_suppressed: one rule, TIMELINESS_RULE, for both)."""
from __future__ import annotations

import itertools

import pandas as pd

from paqa_dash.figures.agencies import timeliness_frame
from paqa_dash.metrics import regional
from paqa_dash.report.rules import TIMELINESS_RULE, practice_suppressed
from paqa_dash.report.suppression import suppress

T = 5
COUNTS = (0, 2, 5, 37)   # none, small, the threshold, large


def _authority(on_time: int, late: int, not_due: int) -> pd.DataFrame:
    """One authority whose first core groups and later reviews both hold these counts; attendance 70 of 100."""
    row = {"authority": "202", "name": "Camden", "core_groups_recorded": True, "reviews_recorded": True,
           "agency_attendance_recorded": True, "invited": 100, "attended": 70}
    for prefix in ("cg_first", "cg_intervals", "reviews_first", "reviews_later"):
        row.update({f"{prefix}_on_time": on_time, f"{prefix}_due": on_time + late, f"{prefix}_not_due": not_due})
    return pd.DataFrame([row])


def test_the_view_never_gives_back_a_count_the_timeliness_table_withholds():
    for on_time, late, not_due in itertools.product(COUNTS, repeat=3):
        core = {"first_on_time": on_time, "first_late": late, "first_not_due": not_due,
                "intervals_on_time": on_time, "intervals_late": late, "intervals_not_due": not_due}
        reviews = {k.replace("intervals", "later"): v for k, v in core.items()}
        page = timeliness_frame(core, reviews)
        hidden = suppress(page, TIMELINESS_RULE, T).mask.assign(measure=page["measure"], status=page["status"])
        practice = regional.practice_table(_authority(on_time, late, not_due))
        shown = practice_suppressed(practice, T)
        for key, label in (("cg_first", "First core group"), ("cg_intervals", "Later core groups"),
                           ("reviews_first", "First review conference"), ("reviews_later", "Later review conferences")):
            at = practice.index[practice["key"] == key][0]
            rows = hidden[hidden["measure"] == label].set_index("status")
            case = (label, on_time, late, not_due)
            if not shown.mask.at[at, "numerator"]:
                assert not rows.at["On time", "n"], case                 # on time shown only where that table shows it
            if not shown.mask.at[at, "denominator"]:                     # due = on time + late
                assert not rows.loc[["On time", "Late"], "n"].any(), case
            if not shown.mask.at[at, "percent"]:
                assert not rows.loc[["On time", "Late"], ["n", "share_of_due"]].to_numpy().any(), case
        attendance = practice.index[practice["key"] == "attendance"][0]
        assert not shown.mask.loc[attendance, ["numerator", "denominator", "percent"]].any()


def test_a_withheld_cell_is_missing_and_the_counts_read_as_whole_numbers():
    practice = regional.practice_table(_authority(93, 2, 191))
    shown = practice_suppressed(practice, T)
    later = practice.index[practice["key"] == "reviews_later"][0]
    assert shown.frame.at[later, "numerator"] == 93 and pd.isna(shown.frame.at[later, "denominator"])
    assert set(shown.integers) == {"numerator", "denominator"}
