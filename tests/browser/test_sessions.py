"""Several signed-in users at once (issue 12): the sessions benchmark's run, with fewer sessions and pages.

`paqa_dash.benchmark.sessions.run` signs in SESSIONS users of the four roles through a real provider, in
one Chromium with a context each, and opens pages together with each session's own team and period in the
URL; it records what it finds wrong on each page (an error shown, another session's e-mail, filters or
navigation not the session's own, a chart or child outside a manager's or auditor's teams) and in the
access log.  Here we assert none was found and that the run did what it says; times are the benchmark's
business (`python -m paqa_dash.benchmark.sessions`, docs/benchmark_browser.md), never asserted here.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from paqa_dash.benchmark import sessions
from paqa_dash.scope import ROLE_CAPABILITIES, Scope
from paqa_dash.ui.navigation import discover_pages, plan

SESSIONS = 4      # one of each role (sessions.ROLE_CYCLE)
PAGES = 3         # per session: keeps the test near a minute on 2 cores


@pytest.fixture(scope="module")
def run(_chromium, demo_store: Path) -> sessions.Result:
    """One run; on a thread of its own, since it drives Playwright's async API from its own event loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(sessions.run, demo_store, SESSIONS, 120, PAGES).result()


def test_no_session_showed_an_error_or_anything_of_another(run):
    assert run.ok, sessions.report(run)


def test_every_role_signed_in_and_opened_its_pages_with_its_own_filters(run):
    assert sorted(r.role for r in run.sessions) == sorted(ROLE_CAPABILITIES)
    assert len({r.email for r in run.sessions}) == SESSIONS
    assert len({r.team for r in run.sessions}) > 1 and len({tuple(r.period) for r in run.sessions}) > 1
    for r in run.sessions:
        assert r.sign_in_s is not None, r.errors
        assert len(r.visits) == min(PAGES, len(r.nav)) and all(v.seconds is not None for v in r.visits), r
    assert run.pages["all pages"]["n"] == sum(len(r.visits) for r in run.sessions)
    assert run.high_water_mb > run.idle_rss_mb > 0


def test_each_session_saw_the_navigation_of_its_own_role(run):
    titles = [m.TITLE for m in discover_pages()]
    for r in run.sessions:
        scope = Scope(role=r.role, teams=tuple(r.teams) if r.teams else None)
        mine = [e.module.TITLE for e in plan(discover_pages(), scope) if e.kind != "refused"]
        assert r.nav == mine, (r.role, r.nav)
        assert set(r.nav) < set(titles) or r.role == "administrator"


def test_the_access_log_has_each_sessions_pages_under_its_own_identity(run):
    assert run.log_rows >= sum(len(r.visits) for r in run.sessions)
    children = {r.email: {v.child for v in r.visits if v.child} for r in run.sessions}
    assert children[next(r.email for r in run.sessions if r.role == "auditor")], \
        "the auditor's first page is a child timeline: it should have shown a child"
