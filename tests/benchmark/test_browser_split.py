"""The benchmark's line for a first open (`paqa_dash.benchmark.browser._split_row`) says what held the browser's main
thread: how many long tasks, their seconds together and the longest with its start, so that a printed run shows where
a slow first open went without a trace. Formatting only: no browser."""
from __future__ import annotations

from paqa_dash.benchmark.browser import PageTiming, _split_row


def test_the_first_open_line_adds_up_the_main_threads_long_tasks() -> None:
    timing = PageTiming(page="endings", cold_s=3.1, split_s={"html": 0.01, "run_end": 1.4, "first_chart": 2.9},
                        long_tasks_s=[[0.3, 0.12], [1.7, 0.95], [2.6, 0.33]])
    row = _split_row(timing)
    assert row.startswith("  first open: html 0.01, run_end 1.40, first_chart 2.90, drawn 3.10")
    assert row.endswith("; main thread in 3 long tasks 1.40 s, the longest 0.95 s from 1.70")


def test_without_long_tasks_the_line_gives_the_marks_alone() -> None:
    timing = PageTiming(page="overview", cold_s=2.0, split_s={"html": 0.01, "first_chart": 1.8})
    assert _split_row(timing) == "  first open: html 0.01, first_chart 1.80, drawn 2.00"
