"""What a user waits for in a real browser, and how much memory the app takes (issue 7).

`python -m paqa_dash.benchmark.browser --db STORE [--pages overview agencies] [--team North] [--json]`

Starts `streamlit run app.py` on STORE (PAQA_DB, headless, a free port), opens each page in headless
Chromium (Debian's /usr/bin/chromium through Playwright; never `playwright install`) and times:
- cold:   opening the page for the first time in this app process (its queries run, nothing cached);
- filter: choosing one team in the sidebar -> the page's script run has finished and its charts are
          drawn again (what the issue calls "a filter change redraws the page");
- back:   clearing the team again (usually served from the app's cache);
- threshold: one threshold changed in the sidebar (`--threshold short_months=4`, the URL key of the setting)
          -> redrawn, then set back;
- with `--fresh-tabs`, each page is opened in a new browser context (a newcomer's first visit: no browser
  cache, a new Streamlit session), so `cold` is what a first-time user waits for; with `--new-tabs`, each page
  in a new tab of one browser that has opened the app once before (its cache holds the frontend's code, as a
  user's browser does after the first visit; a new Streamlit session each tab). For both, where the first
  open's time went (`split_s`): the page's HTML, the frontend's scripts run, the websocket open, the script run
  seen starting and finished, the first chart drawn (seconds from the navigation's start); and what held the
  browser's main thread meanwhile (`long_tasks_s`: each task of 50 ms or more until the page was drawn, its start
  and length, recorded by the page itself through the browser's Long Tasks API; a performance trace would slow the
  open it records). On two cores the browser's main thread, not the server, decides a first open in a new tab, and
  the evaluation of plotly.js's module is one such task.
Beside it, the app's peak resident memory: the streamlit process and its children, sampled every
0.1 s from /proc (VmRSS), and the kernel's own high-water mark (VmHWM) at the end; and the size of
Streamlit's data cache after every page was visited (from the app's /_stcore/metrics).

Why the script state rather than a fixed sleep: the app root carries `data-test-script-state`
(running / notRunning), so "redrawn" is "the run that the click started has finished and every plotly
chart has drawn a frame since"; a chart whose figure did not change is reported as unchanged, not
waited for.  This module never imports streamlit (only paqa_dash/ui and app.py may).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# URL paths of the pages with charts (the Import page has none; child_timeline needs a child).
PAGES = ("overview", "repeat_plans", "endings", "duplicates", "agencies", "challenge", "household", "plan_quality",
         "audit_sample", "data_quality")
DEFAULT_PAGE = "overview"  # the app's default page lives at "/" ("/overview" says "page not found")
LOCK_RETRIES = 2  # a page that met a writer's lock is measured again, at most this many times
TARGETS = {"redraw_s": 2.0, "app_memory_mb": 4096.0, "first_open_s": 2.0}

# A cheap signature of every chart on the page: the figure's data and layout title, hashed in the page.
_FINGERPRINT_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(g => {
  let s = ''; try { s = JSON.stringify(g.data || []) + JSON.stringify((g.layout || {}).title || ''); } catch (e) { s = '?'; }
  let h = 0; for (let i = 0; i < s.length; i++) { h = (h * 31 + s.charCodeAt(i)) | 0; }
  return s.length + ':' + h; }).join('|')"""
_CHARTS_DRAWN_JS = """() => !document.querySelector('[data-testid="stMain"] [data-testid="stSkeleton"]')
  && Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'))
  .every(c => { const g = c.querySelector('.js-plotly-plot'); return g && g._fullLayout && g.querySelector('.main-svg'); })"""
_STATE_JS = "() => (document.querySelector('[data-testid=\"stApp\"]') || {}).dataset?.testScriptState || ''"
# With --fresh-tabs, where a first open's time goes: marks (ms since the navigation started) set in the page by
# an init script when the websocket opens, the script run is first seen running and then finished, and the
# first chart is drawn; with the navigation's own HTML and DOMContentLoaded (the frontend's scripts run); and the
# main thread's long tasks (50 ms or more: start and length, ms), read by first_open_long.
_SPLIT_INIT_JS = """(() => { window.__paqaSplit = {}; window.__paqaLong = [];
  const mark = (k) => { if (!(k in window.__paqaSplit)) window.__paqaSplit[k] = performance.now(); };
  try {
    new PerformanceObserver((list) => list.getEntries()
      .forEach((t) => window.__paqaLong.push([t.startTime, t.duration]))).observe({type: 'longtask', buffered: true});
  } catch (e) { /* no Long Tasks API: no long tasks recorded */ }
  const Native = window.WebSocket;
  window.WebSocket = function (...args) { const ws = new Native(...args); ws.addEventListener('open', () => mark('websocket'));
    return ws; };
  window.WebSocket.prototype = Native.prototype; Object.assign(window.WebSocket, Native);
  new MutationObserver(() => {
    const app = document.querySelector('[data-testid="stApp"]'), state = app ? app.dataset.testScriptState : '';
    if (state === 'running') mark('run_start');
    if (state === 'notRunning' && 'run_start' in window.__paqaSplit) mark('run_end');
    if (document.querySelector('.js-plotly-plot .main-svg')) mark('first_chart');
  }).observe(document, {subtree: true, childList: true, attributes: true}); })()"""
_SPLIT_READ_JS = """() => { const n = performance.getEntriesByType('navigation')[0] || {};
  return {html: n.responseEnd, scripts: n.domContentLoadedEventEnd, ...(window.__paqaSplit || {})}; }"""
SPLIT_MARKS = ("html", "scripts", "websocket", "run_start", "run_end", "first_chart")
_LONG_READ_JS = "() => window.__paqaLong || []"


# ---------------------------------------------------------------- the app process


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(db: Path, timeout: float = 120, log: Path | None = None,
              env: dict[str, str] | None = None, address: str = "127.0.0.1",
              script: Path = ROOT / "app.py") -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` against `db` on a free port, listening on `address` (this computer only unless
    told otherwise: see paqa_dash/ui/access.py); returns the process and its base URL (via 127.0.0.1).
    `script`: another Streamlit app to run the same way (benchmark/floor.py's apps), from its own folder."""
    port = free_port()
    full_env = dict(os.environ, PAQA_DB=str(db), STREAMLIT_BROWSER_GATHER_USAGE_STATS="false", **(env or {}))
    out = open(log, "w") if log else subprocess.DEVNULL
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script.name, "--server.headless", "true",
         "--server.port", str(port), "--server.address", address, "--server.fileWatcherType", "none"],
        cwd=script.parent, env=full_env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=1) as r:
                if r.read().strip() == b"ok":
                    return proc, base
        except OSError:
            time.sleep(0.3)
    stop_app(proc)
    raise RuntimeError("streamlit did not become healthy in time")


def stop_app(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _status_kb(pid: int, field_name: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    """`pid` and every process below it (from /proc/<pid>/task/*/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


class MemorySampler:
    """Peak resident memory of a process tree, sampled on a thread (MB)."""

    def __init__(self, pid: int, every_s: float = 0.1) -> None:
        self.pid, self.every_s = pid, every_s
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every_s)

    def sample(self) -> float:
        now = sum(_status_kb(p, "VmRSS") for p in _descendants(self.pid)) / 1024
        self.peak_mb = max(self.peak_mb, now)
        return now

    def high_water_mb(self) -> float:
        """The kernel's own peak (VmHWM) summed over the tree: catches spikes between samples."""
        return sum(_status_kb(p, "VmHWM") for p in _descendants(self.pid)) / 1024

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()


def cache_bytes(base: str) -> dict[str, int]:
    """Streamlit's cache sizes from /_stcore/metrics, summed per cache type (bytes)."""
    try:
        with urllib.request.urlopen(base + "/_stcore/metrics", timeout=30) as r:
            text = r.read().decode("utf-8", "replace")
    except OSError:
        return {}
    out: dict[str, int] = {}
    for line in text.splitlines():
        m = re.match(r'cache_memory_bytes\{cache_type="([^"]+)",cache="[^"]*"\}\s+([0-9.e+]+)', line)
        if m:
            out[m.group(1)] = out.get(m.group(1), 0) + int(float(m.group(2)))
    return out


# ---------------------------------------------------------------- the browser side


def fingerprint(page) -> str:
    return page.evaluate(_FINGERPRINT_JS)


def wait_run_finished(page, timeout_s: float, started_within_s: float | None = 3.0) -> float:
    """Wait for the script run the last action started to finish, and for the charts to draw a frame.

    A run that finishes very fast may never be seen "running"; so we wait at most `started_within_s`
    for it to start, then for `notRunning`.  Returns the perf_counter when the run was seen finished
    (the rest, up to the return, is the browser drawing).  `started_within_s=None` after opening a URL: a new
    document's app reads 'initial' until its first run starts (Streamlit's data-test-script-state), so
    'notRunning' there is that run finished, and waiting to see it start would only cost the whole wait when
    the run was quicker than our look (a page refused to the role: 5 s of each of the sign-in tests' visits).
    """
    if started_within_s is not None:
        try:
            page.wait_for_function(f"() => ['running', 'rerunRequested'].includes(({_STATE_JS})())",
                                   timeout=started_within_s * 1000)
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: the run was too quick to see
            pass
    page.wait_for_function(f"() => ({_STATE_JS})() === 'notRunning'", timeout=timeout_s * 1000)
    ran = time.perf_counter()
    # no skeleton left (charts and tables load their code lazily) and every chart drawn by plotly, then two
    # animation frames: plotly draws in the frame after the figure arrives
    page.wait_for_function(_CHARTS_DRAWN_JS, timeout=timeout_s * 1000)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return ran


async def wait_run_finished_async(page, timeout_s: float, started_within_s: float | None = 3.0) -> float:
    """`wait_run_finished` for Playwright's async API (many sessions driven from one event loop)."""
    if started_within_s is not None:
        try:
            await page.wait_for_function(f"() => ['running', 'rerunRequested'].includes(({_STATE_JS})())",
                                         timeout=started_within_s * 1000)
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: the run was too quick to see
            pass
    await page.wait_for_function(f"() => ({_STATE_JS})() === 'notRunning'", timeout=timeout_s * 1000)
    ran = time.perf_counter()
    await page.wait_for_function(_CHARTS_DRAWN_JS, timeout=timeout_s * 1000)
    await page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return ran


async def open_page_async(page, url: str, timeout_s: float) -> float:
    """`open_page` for Playwright's async API; seconds."""
    t0 = time.perf_counter()
    await page.goto(url, timeout=timeout_s * 1000)
    await page.wait_for_selector("[data-testid='stSidebar']", timeout=timeout_s * 1000)
    await wait_run_finished_async(page, timeout_s, started_within_s=None)   # a new document: see wait_run_finished
    return time.perf_counter() - t0


def open_page(page, url: str, timeout_s: float) -> float:
    """Open `url` and wait until its script finished and its charts are drawn; seconds.

    In a tab with the split's init script (`_SPLIT_INIT_JS`) the run's end is the mark the page set itself.
    Without it (a test's own tab), the new document's first 'notRunning' (`wait_run_finished` with no wait to
    see the run start: a run that finished before we looked for it running was waited for 5 s, and every fast
    page timed 5 s late)."""
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("[data-testid='stSidebar']", timeout=timeout_s * 1000)
    if page.evaluate("() => !!window.__paqaSplit"):
        page.wait_for_function("() => 'run_end' in window.__paqaSplit", timeout=timeout_s * 1000)
        page.wait_for_function(_CHARTS_DRAWN_JS, timeout=timeout_s * 1000)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    else:
        wait_run_finished(page, timeout_s, started_within_s=None)
    return time.perf_counter() - t0


def page_url(base: str, name: str) -> str:
    return f"{base}/" if name == DEFAULT_PAGE else f"{base}/{name}"


def team_select(page):
    """The sidebar's Team multiselect (the first multiselect in the sidebar)."""
    return page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first


def choose_team(page, team: str | None, timeout_s: float) -> tuple[float, str, bool]:
    """Pick one team (the first offered when `team` is None); seconds to the redrawn page, the team
    chosen and whether any chart's figure changed.  `choose_team.run_s` keeps the seconds to the end
    of the app's script run (the server's part of the wait)."""
    before = fingerprint(page)
    select = team_select(page)
    # to the sidebar's top first: with the period's date boxes one under the other the Team box sits at the foot of
    # a 1000 px window, and its list of teams would open below the window's edge, where no option can be clicked
    select.evaluate("e => e.scrollIntoView({block: 'start'})")
    select.click()
    options = page.locator("[role='option']").filter(has_not_text="Select all")
    option = options.filter(has_text=re.compile(rf"^\s*{re.escape(team)}\s*$")).first if team else options.first
    option.wait_for(timeout=10000)
    chosen = option.inner_text().strip()
    t0 = time.perf_counter()
    option.click()
    page.keyboard.press("Escape")
    ran = wait_run_finished(page, timeout_s)
    elapsed = time.perf_counter() - t0
    choose_team.run_s = ran - t0  # type: ignore[attr-defined]
    return elapsed, chosen, fingerprint(page) != before


def sidebar_setting(page, key: str):
    """The input of the sidebar setting whose widget key (= URL parameter) is `key` (Streamlit marks each
    keyed widget with the class `st-key-<key>`), its expander opened first."""
    box = page.locator(f"[data-testid='stSidebar'] .st-key-{key} input").first
    if not box.is_visible():
        page.locator("[data-testid='stSidebar'] [data-testid='stExpander'] summary").filter(
            has_text="thresholds").first.click()
        box.wait_for(state="visible", timeout=10000)
    return box


def change_setting(page, key: str, value: str, timeout_s: float) -> tuple[float, str, bool]:
    """Type `value` into the sidebar setting `key` and press Enter; seconds to the redrawn page, the value it
    held before and whether any chart changed."""
    box = sidebar_setting(page, key)
    before_value, before = box.input_value(), fingerprint(page)
    box.fill(value)
    t0 = time.perf_counter()
    box.press("Enter")
    wait_run_finished(page, timeout_s)
    return time.perf_counter() - t0, before_value, fingerprint(page) != before


def clear_teams(page, timeout_s: float) -> tuple[float, bool]:
    """Clear the Team filter again; seconds to the redrawn page and whether a chart changed."""
    before = fingerprint(page)
    button = team_select(page).get_by_role("button", name="Clear all")
    t0 = time.perf_counter()
    button.click()
    wait_run_finished(page, timeout_s)
    return time.perf_counter() - t0, fingerprint(page) != before


# ---------------------------------------------------------------- the benchmark


@dataclass
class PageTiming:
    page: str
    cold_s: float | None = None
    filter_s: float | None = None
    filter_run_s: float | None = None  # of filter_s: until the app's script run finished (the rest is drawing)
    back_s: float | None = None
    threshold_s: float | None = None  # one threshold changed in the sidebar -> redrawn
    threshold_changed: bool = False
    team: str = ""
    changed: bool = False
    charts: int = 0
    errors: list[str] = field(default_factory=list)
    rss_after_mb: float = 0.0
    # with --fresh-tabs: seconds from the navigation's start to each mark of SPLIT_MARKS (see _SPLIT_INIT_JS)
    split_s: dict[str, float] = field(default_factory=dict)
    # the first open's main-thread tasks of 50 ms or more until drawn: [start, length] in seconds (see first_open_long)
    long_tasks_s: list[list[float]] = field(default_factory=list)


@dataclass
class Result:
    db: str
    plans: int | None
    when: str
    machine: dict[str, Any]
    pages: list[PageTiming]
    peak_rss_mb: float = 0.0
    high_water_mb: float = 0.0
    idle_rss_mb: float = 0.0
    cache_bytes: dict[str, int] = field(default_factory=dict)
    total_s: float = 0.0

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["targets"] = TARGETS
        out["meets_target"] = {
            "redraw": all(p.filter_s is not None and p.filter_s < TARGETS["redraw_s"] for p in self.pages),
            "threshold_redraw": all(p.threshold_s is None or p.threshold_s < TARGETS["redraw_s"] for p in self.pages),
            "first_open": all(p.cold_s is not None and p.cold_s < TARGETS["first_open_s"] for p in self.pages),
            "app_memory": max(self.peak_rss_mb, self.high_water_mb) < TARGETS["app_memory_mb"]}
        return out


def first_open_split(page) -> dict[str, float]:
    """Seconds from the navigation's start to each mark of SPLIT_MARKS that was set (a page opened in a tab
    with the split's init script; else only the HTML and scripts)."""
    marks = page.evaluate(_SPLIT_READ_JS)
    return {k: round(marks[k] / 1000, 3) for k in SPLIT_MARKS if isinstance(marks.get(k), (int, float))}


def timed_context(browser):
    """A new browser context (a private profile) whose tabs record where a first open's time goes (`_SPLIT_INIT_JS`:
    read by first_open_split and first_open_long), at the benchmark's window size."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(_SPLIT_INIT_JS)
    return context


def first_open_long(page, until_s: float) -> list[list[float]]:
    """The tasks of 50 ms or more that held the page's main thread from the navigation's start until `until_s`
    (the page drawn): [start, length] in seconds, in order (a tab without the split's init script: none)."""
    tasks = sorted(page.evaluate(_LONG_READ_JS))
    return [[round(start / 1000, 3), round(length / 1000, 3)] for start, length in tasks if start / 1000 < until_s]


def measure_page(page, base: str, name: str, team: str | None, timeout_s: float,
                 mem: MemorySampler, threshold: tuple[str, str] | None = None) -> PageTiming:
    """One page: first load, one team chosen, the team cleared again, and (`threshold`: URL key and value) one
    threshold changed and set back; errors are recorded, not raised."""
    timing = PageTiming(page=name)
    try:
        timing.cold_s = round(open_page(page, page_url(base, name), timeout_s), 3)
        timing.split_s = first_open_split(page)
        timing.long_tasks_s = first_open_long(page, timing.cold_s)
        timing.charts = page.locator(".js-plotly-plot").count()
        filter_s, timing.team, timing.changed = choose_team(page, team, timeout_s)
        timing.filter_s = round(filter_s, 3)
        timing.filter_run_s = round(choose_team.run_s, 3)  # type: ignore[attr-defined]
        if "team=" not in page.url:
            timing.errors.append("the team is not in the URL after choosing it")
        timing.back_s = round(clear_teams(page, timeout_s)[0], 3)
        if threshold is not None:
            threshold_s, was, timing.threshold_changed = change_setting(page, *threshold, timeout_s)
            timing.threshold_s = round(threshold_s, 3)
            change_setting(page, threshold[0], was, timeout_s)
    except Exception as exc:  # noqa: BLE001 - report the page, go on with the next
        timing.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    try:
        shown = page.locator("[data-testid='stException'], [data-testid='stAlertContentError']")
        timing.errors += [t.strip()[:200] for t in shown.all_text_contents()]
    except Exception as exc:  # noqa: BLE001 - e.g. the page navigated meanwhile
        timing.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    timing.rss_after_mb = round(mem.peak_mb, 1)
    return timing


def wait_unlocked(db: Path, timeout_s: float = 900) -> None:
    """Wait while another process holds the store's write lock (an import or a derived-table refresh):
    a page opened meanwhile shows DuckDB's lock error, which is not what we want to time."""
    import duckdb

    deadline = time.time() + timeout_s
    while True:
        try:
            duckdb.connect(str(db), read_only=True).close()
            return
        except duckdb.IOException:
            if time.time() > deadline:
                raise
            time.sleep(1)


def _plans(db: Path) -> int | None:
    try:
        import duckdb

        con = duckdb.connect(str(db), read_only=True)
        try:
            return int(con.execute("SELECT count(*) FROM plans").fetchone()[0])
        finally:
            con.close()
    except Exception:  # noqa: BLE001 - a locked or odd store: the count is only a label
        return None


def machine() -> dict[str, Any]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (None, None, None)
    return {"cpus": os.cpu_count(), "load_1_5_15": [round(x, 2) for x in load if x is not None],
            "python": platform.python_version(), "platform": platform.platform(),
            "duckdb_memory": os.environ.get("PAQA_DUCKDB_MEMORY", "default"),
            "duckdb_threads": os.environ.get("PAQA_DUCKDB_THREADS", "default")}


def run(db: Path, pages: tuple[str, ...] = PAGES, team: str | None = None, timeout_s: float = 300,
        log: Path | None = None, echo: Any = sys.stdout, partial: Path | None = None,
        threshold: tuple[str, str] | None = None, fresh_tabs: bool = False, new_tabs: bool = False) -> Result:
    """Start the app on `db`, visit each page (cold, one team, back, a threshold) and sample its memory;
    `fresh_tabs`: each page in a new browser context (a newcomer's first visit); `new_tabs`: each page in a new
    tab of a browser that opened the app once (unmeasured) before; else all in one tab.

    Each page's row is written to `echo` (a text stream, or None) as soon as it is measured, and the
    figures so far to `partial` (a JSON file) when given.
    """
    from playwright.sync_api import sync_playwright

    t_start = time.perf_counter()
    wait_unlocked(db)
    result = Result(db=str(db), plans=_plans(db), when=datetime.now().isoformat(timespec="seconds"),
                    machine=machine(), pages=[])
    proc, base = start_app(db, log=log)
    try:
        with MemorySampler(proc.pid) as mem, sync_playwright() as pw:
            result.idle_rss_mb = round(mem.sample(), 1)
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                context = timed_context(browser)
                page = context.new_page()
                if new_tabs:  # the user's first visit, not measured: the browser's cache now holds the frontend
                    open_page(page, page_url(base, DEFAULT_PAGE), timeout_s)
                for name in pages:
                    for attempt in range(LOCK_RETRIES + 1):
                        wait_unlocked(db)
                        if fresh_tabs:
                            context.close()
                            context = timed_context(browser)
                            page = context.new_page()
                        elif new_tabs:
                            page.close()
                            page = context.new_page()
                        timing = measure_page(page, base, name, team, timeout_s, mem, threshold)
                        if not any("lock" in e for e in timing.errors) or attempt == LOCK_RETRIES:
                            break
                        if echo is not None:  # a writer (an import, a refresh) held the store: measure again
                            print(_row(timing) + " (store locked by a writer: again)", file=echo, flush=True)
                    result.pages.append(timing)
                    if echo is not None:
                        print(_row(timing), file=echo, flush=True)
                        if timing.split_s and (fresh_tabs or new_tabs):
                            print(_split_row(timing), file=echo, flush=True)
                    if partial is not None:  # a long run keeps what it measured if it is stopped
                        partial.write_text(json.dumps(result.as_json(), indent=2, default=str))
                context.close()
            finally:
                browser.close()
            result.cache_bytes = cache_bytes(base)
            mem.sample()
            result.peak_rss_mb = round(mem.peak_mb, 1)
            result.high_water_mb = round(mem.high_water_mb(), 1)
    finally:
        stop_app(proc)
    result.total_s = round(time.perf_counter() - t_start, 1)
    return result


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


HEADER = (f"{'page':<14} {'cold s':>7} {'filter s':>8} {'of run':>6} {'back s':>7} {'thresh s':>8} {'charts':>6} "
          f"{'changed':>7} {'peak MB':>8}  team / errors")


def _row(t: PageTiming) -> str:
    return (f"{t.page:<14} {_fmt(t.cold_s):>7} {_fmt(t.filter_s):>8} {_fmt(t.filter_run_s):>6} {_fmt(t.back_s):>7} "
            f"{_fmt(t.threshold_s):>8} {t.charts:>6} "
            f"{'yes' if t.changed else 'no':>7} {t.rss_after_mb:>8.0f}  {t.team} {'; '.join(t.errors)}")


def _split_row(t: PageTiming) -> str:
    """Where the first open's seconds went: each mark's time from the navigation's start, and the main thread's
    long tasks (their seconds together, and the longest)."""
    row = "  first open: " + ", ".join(f"{k} {v:.2f}" for k, v in t.split_s.items()) + f", drawn {_fmt(t.cold_s)}"
    if t.long_tasks_s:
        start, longest = max(t.long_tasks_s, key=lambda task: task[1])
        row += (f"; main thread in {len(t.long_tasks_s)} long tasks {sum(task[1] for task in t.long_tasks_s):.2f} s, "
                f"the longest {longest:.2f} s from {start:.2f}")
    return row


def report(r: Result) -> str:
    lines = [f"store {r.db}: {r.plans if r.plans is not None else '?'} plans; {r.when}; "
             f"{r.machine['cpus']} CPUs, load {r.machine['load_1_5_15']}", HEADER]
    for p in r.pages:
        lines += [_row(p)] + ([_split_row(p)] if len(p.split_s) > 2 else [])
    j = r.as_json()
    lines.append(f"app memory: idle {r.idle_rss_mb:.0f} MB, peak sampled {r.peak_rss_mb:.0f} MB, "
                 f"kernel high-water {r.high_water_mb:.0f} MB (target < {TARGETS['app_memory_mb']:.0f} MB: "
                 f"{'met' if j['meets_target']['app_memory'] else 'MISSED'})")
    lines.append(f"redraw target < {TARGETS['redraw_s']:.0f} s on every page: "
                 f"{'met' if j['meets_target']['redraw'] else 'MISSED'}; Streamlit caches after all pages: "
                 + (", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in r.cache_bytes.items()) or "unknown")
                 + f"; total {r.total_s:.0f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True, help="the store to open (read-only)")
    ap.add_argument("--pages", nargs="+", default=list(PAGES), help="URL paths of the pages to visit")
    ap.add_argument("--team", default=None, help="the team to choose (default: the first offered)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds to wait for one page run")
    ap.add_argument("--log", type=Path, default=None, help="write streamlit's output here")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    ap.add_argument("--out", type=Path, default=None, help="also write the JSON here, updated after each page")
    ap.add_argument("--threshold", default="short_months=4",
                    help="a sidebar setting to change on each page, as its URL key=value (default short_months=4; "
                         "'none' to skip)")
    ap.add_argument("--fresh-tabs", action="store_true",
                    help="open each page in a new browser context (a newcomer's first visit) instead of one tab")
    ap.add_argument("--new-tabs", action="store_true",
                    help="open each page in a new tab of a browser that has opened the app once before")
    a = ap.parse_args(argv)
    threshold = None if a.threshold.lower() == "none" else tuple(a.threshold.split("=", 1))
    if not Path(CHROMIUM).exists():
        print(f"no chromium at {CHROMIUM} (set CHROMIUM)", file=sys.stderr)
        return 2
    if not a.db.exists():
        print(f"no store at {a.db}", file=sys.stderr)
        return 2
    progress = sys.stderr if a.json else sys.stdout  # rows as they come; --json keeps stdout clean
    print(HEADER, file=progress, flush=True)
    r = run(a.db.resolve(), tuple(a.pages), a.team, a.timeout, a.log, echo=progress, partial=a.out,
            threshold=threshold, fresh_tabs=a.fresh_tabs,
            new_tabs=a.new_tabs)
    if a.out:
        a.out.write_text(json.dumps(r.as_json(), indent=2, default=str))
    print(json.dumps(r.as_json(), indent=2, default=str) if a.json else report(r))
    return 0 if not any(p.errors for p in r.pages) else 1


if __name__ == "__main__":
    sys.exit(main())
