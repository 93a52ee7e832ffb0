"""Shared fixtures: a small demo store (built once per session), an empty store, and a live app.

`demo_store` uses the synth helper's `build_demo(children=300)`; until that exists it falls back to
a tiny seeded store written here, so UI tests can run from the start.  `app_server` starts
`streamlit run app.py` on a free port against a store; `browser` is a headless Chromium page.
"""
from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from paqa_dash import store  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DEMO_CHILDREN = 300


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives headless Chromium against a running app (slow)")


def _fallback_store(path: Path, children: int = DEMO_CHILDREN, seed: int = 42) -> None:
    """A tiny seeded store with the shapes the pages need (used only while synth is missing)."""
    rng = random.Random(seed)
    con = store.connect(path)
    teams = ["North", "South", "East", "West"]
    cats = ["NEG"] * 5 + ["EMO"] * 3 + ["PHY", "SAB", "MUL"]
    texts = ["Mother to attend all health appointments", "Father to engage with substance misuse service",
             "Social worker to visit every two weeks", "School to monitor attendance weekly",
             "Parents to attend parenting course", "Referral to domestic abuse support"]
    plan_rows, action_rows, match_rows, need_rows = [], [], [], []
    child_rows = []
    pid = aid = nid = 0
    for c in range(children):
        cid = f"c{c:015x}"
        birth = date(2008, 1, 1) + timedelta(days=rng.randint(0, 5000))
        child_rows.append((cid, f"f{c // 2:015x}", birth.replace(day=1), rng.choice("MF"), None, False))
        start = date(2019, 4, 1) + timedelta(days=rng.randint(0, 1800))
        team = rng.choice(teams)
        prev = 1 if rng.random() < 0.08 else 0
        earlier_actions: list[tuple[str, str, str]] = []
        for k in range(rng.choice([1, 1, 1, 2, 2, 3])):
            if start > date(2025, 9, 30):
                break
            length = rng.choice([60, 80, 150, 250, 300, 330, 450, 800])
            end = start + timedelta(days=length)
            is_open = end > date(2025, 10, 1)
            pid += 1
            plan_id = f"p{pid:015x}"
            plan_rows.append((plan_id, cid, start, None if is_open else end, rng.choice(cats), None, team,
                              None if is_open else rng.choice(["NO_LONGER_AT_RISK", "STEP_DOWN_CIN"]),
                              prev if k == 0 else None))
            mine = []
            for t in rng.sample(texts, 3):
                aid += 1
                action_id = f"a{aid:015x}"
                status = rng.choice(["DONE", "DONE", "OPEN", "NOT_DONE"])
                action_rows.append((action_id, plan_id, t, "CSC", start, None, status, None,
                                    rng.choice([None, "4", "3", "2B"])))
                mine.append((action_id, t, plan_id))
                for (eid, etext, earlier_plan) in earlier_actions:
                    if etext == t:
                        match_rows.append((action_id, plan_id, eid, earlier_plan, round(rng.uniform(0.6, 1.0), 2), "fallback"))
                        break
            if rng.random() < 0.5:
                nid += 1
                need_rows.append((f"n{nid:015x}", cid, plan_id, start, rng.choice(["4B", "3A", "2B", "1B"]), None))
            earlier_actions += mine
            if is_open:
                break
            start = end + timedelta(days=rng.randint(30, 900))
    with store.transaction(con):
        con.executemany("INSERT INTO children VALUES (?,?,?,?,?,?,NULL)", child_rows)
        con.executemany("INSERT INTO plans VALUES (?,?,?,?,?,?,?,?,?,NULL)", plan_rows)
        con.executemany("INSERT INTO actions VALUES (?,?,?,?,?,?,?,?,?,NULL)", action_rows)
        con.executemany("INSERT INTO action_matches VALUES (?,?,?,?,?,?)", match_rows)
        con.executemany("INSERT INTO needs VALUES (?,?,?,?,?,?,NULL)", need_rows)
        store.set_meta(con, "synthetic", "true")
    con.close()


def build_store(path: Path, children: int = DEMO_CHILDREN, seed: int = 42) -> Path:
    """The synth helper's demo store if available, else the fallback."""
    try:
        from paqa_dash.synth.generate import build_demo
    except ImportError:
        _fallback_store(path, children, seed)
    else:
        build_demo(path, children=children, seed=seed)
    return path


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic store (300 children), built once per test session. Do not write to it."""
    return build_store(tmp_path_factory.mktemp("demo") / "demo.duckdb")


@pytest.fixture(scope="session")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the schema and no rows."""
    path = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    store.connect(path).close()
    return path


@pytest.fixture
def use_store(monkeypatch: pytest.MonkeyPatch):
    """`use_store(path)` points the app (PAQA_DB) at a store for this test."""
    def _use(path: Path) -> Path:
        monkeypatch.setenv("PAQA_DB", str(path))
        return path
    return _use


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(db: Path, timeout: float = 90) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run app.py` against `db` on a free port; returns the process and base URL."""
    port = _free_port()
    env = dict(os.environ, PAQA_DB=str(db), STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
    proc.terminate()
    raise RuntimeError("streamlit did not become healthy in time")


@pytest.fixture(scope="session")
def app_server(demo_store: Path) -> Iterator[str]:
    """Base URL of a running app on the demo store (shared by all browser tests)."""
    proc, base = start_app(demo_store)
    try:
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def _chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser(_chromium):
    """A fresh headless Chromium page (1400x1000)."""
    context = _chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


def wait_for_app(page, timeout_ms: int = 60000) -> None:
    """Wait until Streamlit finished running the script (no 'Running...' status widget)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelectorAll('[data-testid=\"stSidebar\"]').length > 0",
        timeout=timeout_ms)
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)
