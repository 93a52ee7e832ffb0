"""Shared fixtures: a small demo store (built once per session), an empty store, and a live app.

`demo_store` is the synthetic generator's `build_demo(children=300)`, loaded through the real importer.  `app_server` starts
`streamlit run app.py` on a free port against a store; `browser` is a headless Chromium page.
`authority_store` / `authority_app` are the same at the size of a large authority's ten years (about 10,000
plans; built once per session, about 12 s, only when a test asks for them).
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Iterator

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
for _path in (ROOT, TESTS):   # the package, and `support` for tests at any depth (importlib import mode)
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from paqa_dash import store  # noqa: E402
from paqa_dash.benchmark.browser import start_app, stop_app  # noqa: E402
from support.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium  # noqa: E402
from support.stores import AUTHORITY_PLANS, DEMO_CHILDREN  # noqa: E402

# Fixtures that build or serve a real store, or drive a browser: a test using one is in the slow tier.
SLOW_FIXTURES = {"demo_store", "authority_store", "empty_store", "demo_copy", "app_server", "authority_app",
                 "browser", "golden_demo"}



def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives headless Chromium against a running app (slow)")
    config.addinivalue_line("markers", "slow: builds a real store, runs the whole app on one, or drives a browser")


# The longest test files, longest first (seconds of one worker, `--durations=0`, 6 December 2026, load 9): run
# first, so that two workers end together.  xdist's `--dist loadfile` hands out files in collection order when told
# not to reorder them (`--no-loadscope-reorder`, as scripts/test.sh runs the suite); by default it hands out the
# files of most tests first, which left the browser sessions run (4 tests, 80 s) and the bench smoke test (95 s) to
# the end of one worker while the other had finished.  A file not named here keeps its place after these.
LONGEST_FIRST = (
    "derive/test_registry.py", "browser/test_sign_in.py", "ingest/test_bundle.py", "test_pipeline_batches_tables.py",
    "benchmark/test_bench.py", "browser/test_links.py", "browser/test_sessions.py", "test_pipeline_batches.py",
    "ingest/test_authority.py", "ingest/test_prepare.py", "synth/test_synth.py", "browser/test_pages.py",
    "derive/test_incremental.py", "metrics/test_audit.py", "report/briefing/test_briefing_export.py",
    "ingest/test_merge_conflicts.py", "derive/test_as_of_any.py", "browser/test_detail.py",
    "ui/pages/store/test_real_format_sources.py", "derive/test_reviews.py", "ingest/test_annex_a.py",
    "test_pipeline.py", "test_golden.py", "browser/test_cohort.py", "report/briefing/test_briefing_front.py",
    "ingest/test_census_years.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the slow tier, so `pytest -m "not slow"` runs the fast tier alone (under two minutes); and put the
    longest files first (LONGEST_FIRST), each file's tests in their own order."""
    first = {path: i for i, path in enumerate(LONGEST_FIRST)}
    place = {}
    for item in items:
        path = Path(str(item.fspath)).relative_to(TESTS).as_posix()
        place[item.nodeid] = first.get(path, len(first))
        if (SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or path.startswith(("browser/", "ui/pages/store/"))
                or path == "test_golden.py"):
            item.add_marker(pytest.mark.slow)
    items.sort(key=lambda item: place[item.nodeid])    # a stable sort: the rest keep the collection's order


@pytest.fixture(scope="session", autouse=True)
def _charts_drawn_in_one_browser() -> Iterator[None]:
    """Chart pictures (the briefing's report/briefing/images.pngs, the percent-axis tests' pio.to_image) drawn by
    one Chromium kept for the session (kaleido's sync server), as a worker's browser tests share one tab: each
    drawing otherwise launched its own, about 3 s of a briefing's 4 (measured: 3.5-4.3 s a briefing of three
    charts, 0.7-1.0 s with the server, load 7).  The same kaleido, plotly.js and Chromium draw the same
    pictures; the server starts Chromium only when a test first draws, with BROWSER_PATH as pngs() sets it."""
    import kaleido

    kaleido.start_sync_server(silence_warnings=True)
    yield
    kaleido.stop_sync_server(silence_warnings=True)


@pytest.fixture(autouse=True)
def _app_lets_go_of_its_store() -> Iterator[None]:
    """After each test, the store the in-process app (AppTest) keeps open between page runs is let go
    (ui/keep_warm.py), as it is after a few idle seconds: a later test may open that file with other settings,
    which DuckDB refuses beside an open connection in the same process."""
    yield
    data = sys.modules.get("paqa_dash.ui.data")
    if data is not None:
        data.KEEPER.release()


def build_store(path: Path, children: int = DEMO_CHILDREN, seed: int = 42) -> Path:
    """The synthetic demo store, built through the same loader as real imports."""
    from paqa_dash.synth.generate import build_demo

    build_demo(path, children=children, seed=seed)
    return path


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic store (300 children), built once per test session. Do not write to it."""
    return build_store(tmp_path_factory.mktemp("demo") / "demo.duckdb")


@pytest.fixture(scope="session")
def authority_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic store of about AUTHORITY_PLANS plans, built once per session. Do not write to it."""
    from paqa_dash.synth.generate import children_for_plans

    return build_store(tmp_path_factory.mktemp("authority") / "authority.duckdb",
                       children=children_for_plans(AUTHORITY_PLANS), seed=7)


@pytest.fixture(scope="session")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the schema and no rows."""
    path = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    store.connect(path).close()
    return path


@pytest.fixture
def demo_copy(demo_store: Path, tmp_path: Path):
    """A writable copy of the demo store, open read-write (for tests that change it)."""
    path = tmp_path / "copy.duckdb"
    shutil.copy(demo_store, path)
    con = store.connect(path)
    yield con
    con.close()


@pytest.fixture
def use_store(monkeypatch: pytest.MonkeyPatch):
    """`use_store(path)` points the app (PAQA_DB) at a store for this test."""
    def _use(path: Path) -> Path:
        monkeypatch.setenv("PAQA_DB", str(path))
        return path
    return _use


def _serve(db: Path) -> Iterator[str]:
    """The app running on `db` (paqa_dash.benchmark.browser starts it the same way), stopped after."""
    proc, base = start_app(db, timeout=90)
    try:
        yield base
    finally:
        stop_app(proc)


@pytest.fixture(scope="session")
def app_server(demo_store: Path) -> Iterator[str]:
    """Base URL of a running app on the demo store (shared by all browser tests)."""
    yield from _serve(demo_store)


@pytest.fixture(scope="session")
def authority_app(authority_store: Path) -> Iterator[str]:
    """Base URL of a running app on the authority-sized store."""
    yield from _serve(authority_store)


@pytest.fixture(scope="session")
def _chromium():
    require_chromium()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


VIEWPORT = {"width": 1400, "height": 1000}


class _Tab:
    """One browser tab a worker's tests take turns in, as a person reuses a tab: a new tab (or context) per test
    parses and compiles Streamlit's and plotly's scripts again, about half of a page visit's CPU on two cores
    (measured: 6 page visits 43 CPU s in fresh contexts, 21 CPU s in one tab).  Each test still opens the app
    anew (a new document, websocket and Streamlit session); between tests the tab is emptied: the app's
    storage, every cookie (sign-ins, the provider's too), other pages of the context and the viewport.  Storage
    is cleared for the origin the tab ends on; where another origin kept some (a test that ended on the sign-in
    provider's page, or visited two apps), the context is replaced: nothing a test leaves reaches the next."""

    def __init__(self, chromium) -> None:
        self._chromium = chromium
        self._open()

    def _open(self) -> None:
        self.context = self._chromium.new_context(viewport=VIEWPORT)
        self.page = self.context.new_page()

    def reset(self) -> None:
        try:
            if self.page.url.startswith("http"):
                self.page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
            self.page.goto("about:blank")
            for other in self.context.pages[1:]:
                other.close()
            self.context.clear_cookies()
            self.page.set_viewport_size(VIEWPORT)
            if self.context.storage_state()["origins"]:
                raise RuntimeError("storage kept by another origin")
        except Exception:   # a page left unusable (crashed, a dialog open), or storage left: a new context
            self.close()
            self._open()

    def close(self) -> None:
        try:
            self.context.close()
        except Exception:
            pass


@pytest.fixture(scope="session")
def _tab(_chromium) -> Iterator[_Tab]:
    tab = _Tab(_chromium)
    yield tab
    tab.close()


@pytest.fixture
def browser(_tab: _Tab):
    """A headless Chromium page (1400x1000), empty, with no cookies: the worker's one tab (see _Tab)."""
    _tab.reset()
    yield _tab.page
    _tab.reset()
