"""The benchmark's first open of a page in a new tab of a browser that has opened the app before
(`--new-tabs`; `--fresh-tabs`, a new browser context, shares all but the context), run as a user runs it (its own
process: the suite's browser fixtures hold Playwright's sync API in this one). Checked: the first open is split
into its marks in time order, the main thread's long tasks are recorded within the open, and the page drew its
charts with no error, so the figures in docs/benchmark.md come from pages that really opened. The seconds themselves
are the benchmark's, not asserted."""
from __future__ import annotations

import json
import subprocess
import sys

from paqa_dash.benchmark import browser as bench
from support.browser import require_chromium


def test_a_first_open_is_split_from_navigation_to_the_first_chart(demo_store) -> None:
    require_chromium()
    done = subprocess.run([sys.executable, "-m", "paqa_dash.benchmark.browser", "--db", str(demo_store),
                           "--pages", "endings", "--new-tabs", "--threshold", "none", "--json"],
                          cwd=bench.ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    (page,) = json.loads(done.stdout)["pages"]
    assert page["errors"] == []
    assert page["charts"] >= 1
    split = page["split_s"]
    marks = [split.get(k) for k in bench.SPLIT_MARKS]
    assert None not in marks, split
    assert marks[:3] == sorted(marks[:3]) and split["run_start"] <= split["run_end"]
    assert split["first_chart"] <= page["cold_s"] + 0.5
    # what held the main thread meanwhile: plotly.js's module evaluation alone is one task of several hundred ms, so
    # an open with no long task was not recorded
    tasks = page["long_tasks_s"]
    assert tasks and tasks == sorted(tasks), tasks
    assert all(0 <= start < page["cold_s"] and length >= 0.05 for start, length in tasks), tasks
