"""The common layout: long axis titles are broken into lines instead of being cut at the chart's edge."""
from __future__ import annotations

from paqa_dash.figures.style import AXIS_TITLE_CHARS, axis_title


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
