"""The first-open floor (`python -m paqa_dash.benchmark.floor`), run as a user runs it, in its own process: each of
its three apps opens in a new tab and draws what it says it draws (the one chart; the same chart in the dashboard's
shell, with the sidebar's inputs; the dashboard's Overview), so the floor in docs/benchmark.md compares pages that
really opened. The seconds themselves are the benchmark's, not asserted."""
from __future__ import annotations

import json
import subprocess
import sys

from paqa_dash.benchmark import browser as bench
from paqa_dash.benchmark import floor
from support.browser import require_chromium


def test_the_floor_opens_each_app_in_a_new_tab(demo_store) -> None:
    require_chromium()
    done = subprocess.run([sys.executable, "-m", "paqa_dash.benchmark.floor", "--db", str(demo_store), "--opens", "1",
                           "--json"], cwd=bench.ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    apps = json.loads(done.stdout)["apps"]
    assert list(apps) == [*floor.APPS, floor.DASHBOARD]
    for name, app in apps.items():
        assert app["errors"] == [], name
        assert len(app["seconds"]) == 1 and app["seconds"][0] > 0, name
        # plotly.js's module evaluation alone is a long task of several hundred ms: an open without one was not timed
        assert app["long_tasks"][0] > 0.05, name
    assert apps["chart"]["charts"] == 1 and apps["shell"]["charts"] == 1 and apps["dashboard"]["charts"] >= 1
    # the shell draws the dashboard's sidebar: its filters and thresholds, as many inputs as the dashboard's, or near
    assert apps["chart"]["sidebar_inputs"] == 1 and apps["shell"]["sidebar_inputs"] >= 10
    assert apps["dashboard"]["sidebar_inputs"] >= apps["shell"]["sidebar_inputs"]


def test_the_report_says_whether_the_shell_alone_meets_the_target() -> None:
    app = {"errors": [], "charts": 1, "sidebar_inputs": 1}
    result = {"opens": 1, "when": "now", "machine": {"cpus": 2, "load_1_5_15": [0, 0, 0]}, "target_s": 2.0,
              "apps": {"chart": {**app, "median_s": 1.7, "min_s": 1.7, "max_s": 1.7, "long_tasks_median_s": 1.0},
                       "shell": {**app, "median_s": 2.2, "min_s": 2.2, "max_s": 2.2, "long_tasks_median_s": 1.4},
                       "dashboard": {**app, "median_s": None, "errors": ["TimeoutError: no sidebar"]}}}
    text = floor.report(result)
    assert "the shell alone misses it (2.20 s), with no data" in text
    assert "dashboard  no open drawn: TimeoutError: no sidebar" in text
    result["apps"]["shell"]["median_s"] = 1.9
    assert "the shell alone meets it (1.90 s)" in floor.report(result)
