"""The common layout: long axis titles are broken into lines instead of being cut at the chart's edge; a bar
chart's value axis leaves room for the numbers printed outside its bars."""
from __future__ import annotations

import pandas as pd

from paqa_dash.figures.style import AXIS_TITLE_CHARS, ROOM_ABOVE, ROOM_BESIDE, axis_title, value_range


def test_a_short_axis_title_is_left_whole():
    assert axis_title("Children (count)") == "Children (count)"
    assert axis_title("x" * AXIS_TITLE_CHARS) == "x" * AXIS_TITLE_CHARS


def test_a_long_axis_title_is_broken_at_words_into_short_lines():
    text = "Repeat plans, % of plans started (second or subsequent plan)"
    lines = axis_title(text).split("<br>")
    assert len(lines) == 2 and all(len(line) <= AXIS_TITLE_CHARS for line in lines)
    assert " ".join(lines) == text


def test_the_lines_of_a_broken_title_are_even_with_no_word_left_alone():
    lines = axis_title("Flesch reading ease (0-100, higher is easier)").split("<br>")
    assert lines == ["Flesch reading ease", "(0-100, higher is easier)"]
    lines = axis_title("Share of core group invitations, every agency (%)").split("<br>")
    assert len(lines) == 2 and lines[-1] != "(%)" and abs(len(lines[0]) - len(lines[1])) <= 10


def test_a_value_axis_leaves_room_past_the_longest_bar_and_skips_what_is_missing():
    assert value_range([93_739, 10, None, float("nan"), pd.NA], 1.0) == [0, 93_739 * ROOM_BESIDE]
    assert value_range(pd.Series([0.2, None], dtype="Float64"), 0.1, ROOM_ABOVE) == [0, 0.2 * ROOM_ABOVE]


def test_a_value_axis_of_zeros_or_nothing_keeps_its_least_and_a_share_axis_stops_at_its_cap():
    assert value_range([], 0.1) == [0, 0.1 * ROOM_BESIDE]
    assert value_range([0, None], 1) == [0, ROOM_BESIDE]
    assert value_range([0.99], 0.1, most=1.25) == [0, 1.25]
