"""The audit sample's concern bars, on hand-made counts (no store)."""
from __future__ import annotations

from paqa_dash.figures import audit


def test_the_title_names_the_most_common_concern():
    counts = audit.concern_count_table({"repeat_within_window": 2, "duplicated_actions": 1}, 4)
    assert audit.concern_bars(counts, 4).layout.title.text == \
        "Most common concern: re-planned within the window (2 of 4 children)"


def test_no_concern_found_is_not_called_the_most_common():
    """Every count 0: no "Most common concern: first plan ended prematurely (0 of 2 children)", and no bar singled
    out."""
    counts = audit.concern_count_table({}, 2)
    fig = audit.concern_bars(counts, 2)
    assert fig.layout.title.text == "None of these concerns applies to any of the 2 children in scope"
    assert len(set(fig.data[0].marker.color)) == 1
