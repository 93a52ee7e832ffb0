"""The floor under a first open in a new tab: what Streamlit and plotly.js take on this machine before the dashboard
draws any data (issue 15's target: any page opened in a new tab drawn within 2 s).

`python -m paqa_dash.benchmark.floor --db STORE [--opens 10] [--json]`

Three apps are started, each on a free port of this computer only:
- `chart`: one page holding one plotly bar chart of three bars, and one select in the sidebar. What Streamlit's
  frontend and plotly.js cost on their own;
- `shell`: the same chart inside what every page of the dashboard draws beside its data: twelve pages in the
  navigation, the sidebar's filters (teams, region, authorities, period, as-of date, plan number) and five
  thresholds in a closed expander, four headline figures with their deltas, and the chart's table in a closed
  expander with a CSV button;
- `dashboard`: the dashboard itself on STORE, its Overview.

Each is opened once in a browser context of its own (so the browser's cache holds its code, as after a user's first
visit), then opened again in a new tab `opens` times, the three in turn, so a busier moment of the machine falls on
all three alike. Each open is timed as `benchmark.browser --new-tabs` times it: from the navigation to the script
run finished and every chart drawn, with the main thread's long tasks (50 ms or more) recorded by the page.

Why: on two cores the browser's main thread decides a first open (docs/benchmark_history.md, "A first open in a new
tab: where the browser's time goes"). If the `shell` alone is over the target, no change to what the dashboard draws
with the data can meet it on this machine: only a smaller sidebar and navigation than its users need, or other
charts than Streamlit's plotly charts. The two small apps (paqa_dash/ui/floor) are copied to a temporary folder, with the dashboard's own
Streamlit settings (.streamlit/config.toml), and run by Streamlit in their own processes: this module never imports
streamlit (only paqa_dash/ui and app.py may).
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from . import browser

# The two small apps (paqa_dash/ui/floor: only the UI part imports streamlit), by name.
APPS = {name: browser.ROOT / "paqa_dash" / "ui" / "floor" / f"{name}.py" for name in ("chart", "shell")}
DASHBOARD = "dashboard"


@dataclass
class Opens:
    """One app's opens in a new tab: seconds to drawn, the main thread's long tasks together (s), what was drawn."""

    app: str
    seconds: list[float] = field(default_factory=list)
    long_tasks: list[float] = field(default_factory=list)
    charts: int = 0
    sidebar_inputs: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        if not self.seconds:
            return {"median_s": None, "min_s": None, "max_s": None, "long_tasks_median_s": None}
        return {"median_s": round(statistics.median(self.seconds), 3), "min_s": min(self.seconds),
                "max_s": max(self.seconds), "long_tasks_median_s": round(statistics.median(self.long_tasks), 3)}


def run(db: Path, opens: int, timeout_s: float = 120) -> dict[str, Any]:
    """Every app opened `opens` times in a new tab, in turn; the figures, the machine and the target."""
    from playwright.sync_api import sync_playwright

    results = {name: Opens(name) for name in (*APPS, DASHBOARD)}
    procs = []
    with tempfile.TemporaryDirectory(prefix="paqa_floor_") as folder:
        bases: dict[str, str] = {}
        try:
            settings = Path(folder) / ".streamlit"
            settings.mkdir()
            shutil.copy(browser.ROOT / ".streamlit" / "config.toml", settings / "config.toml")
            for name, source in APPS.items():
                script = Path(folder) / source.name
                shutil.copy(source, script)
                proc, bases[name] = browser.start_app(db, script=script)
                procs.append(proc)
            proc, bases[DASHBOARD] = browser.start_app(db)
            procs.append(proc)
            with sync_playwright() as pw:
                chromium = pw.chromium.launch(executable_path=browser.CHROMIUM, args=browser.CHROMIUM_ARGS)
                try:
                    contexts = {name: _visited(chromium, base + "/", timeout_s) for name, base in bases.items()}
                    for _ in range(opens):
                        for name, base in bases.items():
                            _open(contexts[name], base + "/", timeout_s, results[name])
                finally:
                    chromium.close()
        finally:
            for proc in procs:
                browser.stop_app(proc)
    return {"db": str(db), "when": datetime.now().isoformat(timespec="seconds"), "machine": browser.machine(),
            "opens": opens, "target_s": browser.TARGETS["first_open_s"],
            "apps": {name: {**asdict(r), **r.summary()} for name, r in results.items()}}


def _visited(chromium: Any, url: str, timeout_s: float) -> Any:
    """A browser context that has opened `url` once (its cache now holds the app's code), its tab closed."""
    context = browser.timed_context(chromium)
    tab = context.new_page()
    browser.open_page(tab, url, timeout_s)
    tab.close()
    return context


def _open(context: Any, url: str, timeout_s: float, into: Opens) -> None:
    """`url` opened in a new tab of `context` and timed; an error is recorded, not raised."""
    tab = context.new_page()
    try:
        seconds = browser.open_page(tab, url, timeout_s)
        long_tasks = sum(length for _, length in browser.first_open_long(tab, seconds))
        charts = tab.locator(".js-plotly-plot").count()
        inputs = tab.locator("[data-testid='stSidebar'] input").count()
        # kept only once every figure of the open is read, so the lists stay in step
        into.seconds.append(round(seconds, 3))
        into.long_tasks.append(round(long_tasks, 3))
        into.charts, into.sidebar_inputs = charts, inputs
    except Exception as e:  # noqa: BLE001 - playwright's errors: recorded with the app's name, the rest measured
        into.errors.append(f"{type(e).__name__}: {str(e).splitlines()[0][:200]}")
    finally:
        tab.close()


def report(result: dict[str, Any]) -> str:
    lines = [f"first open in a new tab, {result['opens']} each, in turn; {result['when']}; "
             f"{result['machine']['cpus']} CPUs, load {result['machine']['load_1_5_15']}",
             f"{'app':<10} {'median':>7} {'min':>6} {'max':>6} {'long tasks':>10} {'charts':>6} {'inputs':>6}"]
    for name, r in result["apps"].items():
        if r["median_s"] is None:
            lines.append(f"{name:<10} no open drawn: {'; '.join(r['errors'][:2])}")
            continue
        lines.append(f"{name:<10} {r['median_s']:>6.2f}s {r['min_s']:>5.2f}s {r['max_s']:>5.2f}s "
                     f"{r['long_tasks_median_s']:>9.2f}s {r['charts']:>6} {r['sidebar_inputs']:>6}")
    target = result["target_s"]
    shell = result["apps"]["shell"]["median_s"]
    if shell is not None:
        lines.append(f"target {target:.0f} s: the shell alone {'meets' if shell < target else 'misses'} it "
                     f"({shell:.2f} s), with no data")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True, help="the store the dashboard opens (read-only)")
    ap.add_argument("--opens", type=int, default=10, help="opens of each app in a new tab (default 10)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    a = ap.parse_args(argv)
    if not Path(browser.CHROMIUM).exists():
        print(f"no chromium at {browser.CHROMIUM} (set CHROMIUM)", file=sys.stderr)
        return 2
    if not a.db.exists():
        print(f"no store at {a.db}", file=sys.stderr)
        return 2
    result = run(a.db.resolve(), a.opens)
    print(json.dumps(result, indent=2) if a.json else report(result))
    return 0 if not any(r["errors"] for r in result["apps"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
