"""The benchmark's first open of a page in a new tab of a browser that has opened the app before
(`--new-tabs`; `--fresh-tabs`, a new browser context, shares all but the context). Checked: the first open
is split into its marks in time order and the page drew its charts with no error, so the figures in
docs/benchmark.md come from pages that really opened. The seconds themselves are the benchmark's, not asserted."""
from __future__ import annotations

from paqa_dash.benchmark import browser as bench


def test_a_first_open_is_split_from_navigation_to_the_first_chart(demo_store) -> None:
    result = bench.run(demo_store, pages=("endings",), echo=None, threshold=None, new_tabs=True)
    (page,) = result.pages
    assert page.errors == []
    assert page.charts >= 1
    marks = [page.split_s.get(k) for k in bench.SPLIT_MARKS]
    assert None not in marks, page.split_s
    assert marks[:3] == sorted(marks[:3]) and page.split_s["run_start"] <= page.split_s["run_end"]
    assert page.split_s["first_chart"] <= page.cold_s + 0.5
