"""The audit sample's concern bars, on hand-made counts (no store)."""
from __future__ import annotations

from paqa_dash.figures import audit


def test_the_title_names_the_most_common_concern():
    counts = audit.concern_count_table({"repeat_within_window": 2, "duplicated_actions": 1}, 4)
    assert audit.concern_bars(counts, 4).layout.title.text == \
        "Most common concern: re-planned within the window (2 of 4 children)"


def test_the_titles_counts_are_written_alike():
    """Both counts with thousands separated: "(6230 of 7,690 children)" was seen on a store of a million plans."""
    counts = audit.concern_count_table({"core_groups_late": 6230}, 7690)
    assert audit.concern_bars(counts, 7690).layout.title.text == \
        "Most common concern: core groups late or missed (6,230 of 7,690 children)"


def test_no_concern_found_is_not_called_the_most_common():
    """Every count 0: no "Most common concern: first plan ended prematurely (0 of 2 children)", and no bar singled
    out."""
    counts = audit.concern_count_table({}, 2)
    fig = audit.concern_bars(counts, 2)
    assert fig.layout.title.text == "None of these concerns applies to any of the 2 children in scope"
    assert len(set(fig.data[0].marker.color)) == 1


def test_none_applies_says_it_is_over_the_concerns_the_data_can_assess():
    import pandas as pd

    """An Annex A return assesses one concern of nine: "None of these concerns applies to any of the 2 children"
    read as none of the audit's concerns; the title says which could be assessed and that the others could not."""
    one = pd.DataFrame({"concern": ["First plan ended prematurely"], "children": [0], "share": [0.0]})
    assert audit.concern_bars(one, 2, unassessed=8).layout.title.text == (
        "The one concern this data can assess (first plan ended prematurely) applies to none of the 2 children in "
        "scope; 8 others not assessed, not recorded in this data")
    two = pd.DataFrame({"concern": ["First plan ended prematurely", "Neglect"], "children": [1, 0], "share": [.5, 0.]})
    assert audit.concern_bars(two, 2, unassessed=7).layout.title.text == (
        "Most common concern of the 2 concerns this data can assess: first plan ended prematurely (1 of 2 children); "
        "7 others not assessed, not recorded in this data")


def test_no_children_in_scope_gives_no_share_not_0_percent():
    """With no child in scope there is nothing to divide: each concern's share is blank, not 0.0 (a zero shown
    where nothing was counted); a concern of no child among some keeps its true 0."""
    from paqa_dash.figures.audit import concern_count_table

    assert concern_count_table({}, 0)["share"].isna().all()
    assert concern_count_table({}, 5)["share"].eq(0).all()
