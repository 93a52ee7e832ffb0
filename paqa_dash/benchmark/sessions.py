"""Many signed-in users at once: no errors, nothing of one session in another, page times and peak memory.

Why: an authority serves one app to many colleagues, each with their own role and scope; sessions share the
process, its caches and the access log, so isolation and memory are measured with real sign-ins.

`python -m paqa_dash.benchmark.sessions [--sessions 10] [--db STORE | --children 300] [--out result.json]`

Starts oidc-provider-mock and the app with sign-in on the store (a demo store of `--children` children,
built in a temporary folder, unless `--db` names one), with an access file of N users in a mix of roles
(service managers of different teams, strategic leads, auditors, administrators).  Then N sessions, one
headless Chromium with one browser context each (so each has its own cookies, i.e. its own Streamlit
session), driven together from one asyncio loop: each signs in as its own user and opens, one after the
other, every page its navigation offers, with its own filters in the URL (a team and a period).

On every page it checks: no Streamlit exception or error alert; the sidebar names its own e-mail and its
own role and teams, and no other session's e-mail; the Team filter and the period hold its own values; the
navigation is the one it had after signing in; for a team-scoped role (service manager, auditor) no chart
shows a team outside its scope, and a child timeline shows a child of its teams.  Across sessions: sessions
of one role see the same pages and different roles different pages.  In the access log: every row of a
session's identity carries its role and its filters, each page it opened has a row, and no other identity
wrote a row.  Times: each page's open (goto until its script run finished and its charts are drawn), as
median, p95 and max per page over the sessions; memory: the streamlit process tree's resident memory,
sampled every 0.1 s, and the kernel's high-water mark (VmHWM) at the end (see benchmark/browser.py).

Why one browser with many contexts from asyncio rather than threads: Playwright's sync API may not be
shared between threads, and one Chromium per session would measure Chromium rather than the app.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from .. import access_log, store
from ..scope import ADMINISTRATOR, AUDITOR, ROLE_LABELS, SERVICE_MANAGER, STRATEGIC_LEAD, Scope
from .browser import CHROMIUM, CHROMIUM_ARGS, MemorySampler, _plans, machine, open_page_async
from .signin import User, access_toml, provider, sign_in_async, signed_in_app

DEFAULT_SESSIONS = 10
DEMO_CHILDREN = 300          # the tests' demo store (tests/support/stores.py)
ROLE_CYCLE = (SERVICE_MANAGER, STRATEGIC_LEAD, AUDITOR, ADMINISTRATOR)   # any 4 sessions hold every role
PERIOD_YEARS = 3             # each session's period: three years from 1 April, its start year its own
ERRORS = "[data-testid='stException'], [data-testid='stAlertContentError']"
SIDEBAR = "[data-testid='stSidebar']"
NAV_LINKS = "[data-testid='stSidebarNav'] a"
NAV_MORE = "[data-testid='stSidebarNavViewButton']"
TEAM_FILTER = f"{SIDEBAR} [data-testid='stMultiSelect']"       # the first multiselect is Team
TAGS = "[data-testid='stMultiSelectTagsContainer'] span[data-tag]"   # a chosen value, named by aria-label
DATES = f"{SIDEBAR} [data-testid='stDateInput'] input"
ACCESS_LOG_PAGE = "access_log"   # the administrator's page listing every identity: others' e-mails belong there
# Every string a chart plots on a categorical axis or as labels (teams show there when a chart is by team).
_CHART_STRINGS_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).flatMap(g =>
  (g.data || []).flatMap(t => ['x', 'y', 'labels', 'ids', 'text'].flatMap(k => Array.isArray(t[k]) ? t[k] : [])
  .concat([t.name || '']))).filter(v => typeof v === 'string')"""


# ---------------------------------------------------------------- who signs in, with which filters


@dataclass(frozen=True)
class Session:
    """One simulated user: who signs in, and the filters (team, period) it puts in every page's URL."""

    user: User
    team: str
    date_from: str
    date_to: str

    @property
    def scope(self) -> Scope:
        return Scope(role=self.user.role or ADMINISTRATOR, teams=self.user.teams)

    @property
    def query(self) -> str:
        return urlencode({"team": self.team, "from": self.date_from, "to": self.date_to})


def plan_sessions(n: int, teams: list[str], first_year: int, last_year: int) -> list[Session]:
    """`n` sessions in the roles of ROLE_CYCLE; service managers and auditors each get a team of their own
    (managers from the first team on, auditors from the last, so they differ while teams last), leads and
    administrators filter on a team in turn; the period's start year moves on by one per session."""
    if not teams:
        raise ValueError("the store has no teams")
    out, counts = [], {r: 0 for r in ROLE_CYCLE}
    span = max(1, last_year - first_year - PERIOD_YEARS + 1)
    for i in range(n):
        role = ROLE_CYCLE[i % len(ROLE_CYCLE)]
        k = counts[role]
        counts[role] += 1
        if role == SERVICE_MANAGER:
            team = teams[k % len(teams)]
        elif role == AUDITOR:
            team = teams[-1 - k % len(teams)]
        else:
            team = teams[i % len(teams)]
        slug = role.replace("_", "-")
        user = User(sub=f"s{i + 1:02d}-{slug}", email=f"{slug}.{i + 1}@example.gov.uk",
                    name=f"{ROLE_LABELS[role]} {i + 1}", role=role,
                    teams=(team,) if role in (SERVICE_MANAGER, AUDITOR) else None)
        start = first_year + i % span
        out.append(Session(user, team, f"{start}-04-01", f"{start + PERIOD_YEARS}-03-31"))
    return out


def store_facts(db: Path) -> tuple[list[str], int, int]:
    """The store's teams and the first and last year a plan started."""
    con = store.connect(db, read_only=True)
    try:
        teams = [r[0] for r in con.execute("SELECT DISTINCT team FROM plans WHERE team IS NOT NULL ORDER BY 1")
                 .fetchall()]
        first, last = con.execute("SELECT year(min(start_date)), year(max(start_date)) FROM plans").fetchone()
    finally:
        con.close()
    return teams, int(first), int(last)


def child_teams(db: Path, child: str) -> set[str]:
    con = store.connect(db, read_only=True)
    try:
        return {r[0] for r in con.execute("SELECT DISTINCT team FROM plans WHERE child_id = ?", [child]).fetchall()}
    finally:
        con.close()


# ---------------------------------------------------------------- one session in the browser


@dataclass
class PageVisit:
    path: str            # the page's URL path ("" for the default page at "/")
    title: str
    seconds: float | None
    log_page: str        # how the access log names it (the default page by its title's slug)
    child: str | None = None


@dataclass
class SessionResult:
    sub: str
    email: str
    role: str
    teams: list[str] | None
    team: str
    period: list[str]
    sign_in_s: float | None = None
    landing_child: str | None = None   # the child the page after sign-in showed (an auditor lands on a timeline)
    nav: list[str] = field(default_factory=list)
    visits: list[PageVisit] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _slug(title: str) -> str:
    return title.strip().lower().replace(" ", "_")


def _err(exc: Exception) -> str:
    return f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:200]}"


async def _nav(page) -> list[tuple[str, str]]:
    """The navigation's pages as (URL path, title), in order; a long list is shown whole first (Streamlit
    folds it after ten pages behind a "View more" button)."""
    more = page.locator(NAV_MORE)
    if await more.count() and "more" in (await more.inner_text()).lower():
        await more.click()
        await page.wait_for_function(f"() => !/more/i.test(document.querySelector(\"{NAV_MORE}\")?.innerText || '')")
    links = page.locator(NAV_LINKS)
    out = []
    for i in range(await links.count()):
        link = links.nth(i)
        href = await link.get_attribute("href") or ""
        text = (await link.inner_text()).strip().splitlines()   # the icon's name, then the title
        out.append((urlsplit(href).path.strip("/"), text[-1].strip() if text else ""))
    return out


async def _child_shown(page) -> str | None:
    """The pseudonym in a child timeline's 'Child <pseudonym>' heading, or None."""
    heading = page.locator("h3", has_text=re.compile(r"^\s*Child "))
    if await heading.count():
        return (await heading.first.inner_text()).replace("Child", "", 1).strip()
    return None


async def _filters_drawn(page, timeout_ms: int = 15_000) -> None:
    """Wait (bounded) until the sidebar shows the URL's team and period.  Why: on a loaded machine the page can
    report its run finished a moment before the sidebar's URL-bound widgets show their values; reading them
    then reported an empty filter that the user would never have seen.  A filter that never shows is still
    reported by the checks after this wait."""
    try:
        await page.locator(TEAM_FILTER).first.locator(TAGS).first.wait_for(timeout=timeout_ms)
        await page.wait_for_function(
            "sel => [...document.querySelectorAll(sel)].slice(0, 2).every(d => d.value)", arg=DATES,
            timeout=timeout_ms)
    except Exception:  # noqa: BLE001 - the checks that follow say what is missing
        pass


def holds_team(tags: list[str | None], team: str) -> bool:
    """Whether the Team filter's chips are the one team chosen.  A team name that several authorities of the store use
    is one choice, its chip naming them or counting them in brackets ("North (Camden, Hackney)", "North (152 LAs)":
    ui/state.shared_team_names), so a chip is the team's name, alone or with such brackets.  (A team whose own name
    is another's followed by brackets, "North (Hub)" beside "North", would pass for it: the sessions' teams are the
    store's, none so named.)"""
    return len(tags) == 1 and tags[0] is not None and (tags[0] == team or tags[0].startswith(f"{team} ("))


async def _check_page(page, s: Session, others: list[str], nav: list[tuple[str, str]], path: str, db: Path,
                      teams: list[str]) -> tuple[list[str], str | None]:
    """What is wrong on the page as drawn for session `s` (empty: nothing), and the child shown if any."""
    wrong = [f"error shown: {t.strip()[:200]}" for t in await page.locator(ERRORS).all_text_contents()]
    sidebar = await page.locator(SIDEBAR).inner_text()
    if s.user.email not in sidebar:
        wrong.append("the sidebar does not name the session's own e-mail")
    if s.scope.label not in sidebar:
        wrong.append(f"the sidebar does not say {s.scope.label!r}")
    main = await page.locator("[data-testid='stMain']").inner_text()
    for email in others:
        if email in sidebar or (path != ACCESS_LOG_PAGE and email in main):
            wrong.append(f"another session's e-mail {email} is on the page")
    await _filters_drawn(page)
    tags = [await t.get_attribute("aria-label") for t in await page.locator(TEAM_FILTER).first.locator(TAGS).all()]
    if not holds_team(tags, s.team):
        wrong.append(f"the Team filter holds {tags}, not [{s.team!r}]")
    query = parse_qs(urlsplit(page.url).query)
    if query.get("team") != [s.team] or query.get("from") != [s.date_from] or query.get("to") != [s.date_to]:
        wrong.append(f"the URL's filters are {urlsplit(page.url).query!r}, not {s.query!r}")
    dates = [await d.input_value() for d in await page.locator(DATES).all()][:2]
    if dates != [s.date_from, s.date_to]:
        wrong.append(f"the period reads {dates}, not {[s.date_from, s.date_to]}")
    if await _nav(page) != nav:
        wrong.append("the navigation changed since sign-in")
    child = await _child_shown(page)
    if s.user.teams is not None:
        plotted = set(await page.evaluate(_CHART_STRINGS_JS))
        foreign = sorted(plotted & (set(teams) - set(s.user.teams)))
        if foreign:
            wrong.append(f"a chart shows teams outside the scope: {foreign}")
        # a child is in a team when one of its plans is (docs/governance.md): its other plans show too
        if child and not child_teams(db, child) & set(s.user.teams):
            wrong.append(f"the timeline shows child {child} of teams {sorted(child_teams(db, child))}")
    return wrong, child


async def run_session(browser, base: str, s: Session, others: list[str], db: Path, teams: list[str],
                      timeout_s: float, max_pages: int | None) -> SessionResult:
    """Sign in as `s.user`, then open every page of its navigation with its filters; errors are recorded."""
    r = SessionResult(sub=s.user.sub, email=s.user.email, role=s.scope.role, teams=list(s.user.teams or []) or None,
                      team=s.team, period=[s.date_from, s.date_to])
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = await context.new_page()
        t0 = time.perf_counter()
        await sign_in_async(page, base, s.user, timeout_s=timeout_s)
        r.sign_in_s = round(time.perf_counter() - t0, 3)
        r.landing_child = await _child_shown(page)
        nav = await _nav(page)
        r.nav = [title for _, title in nav]
        for path, title in nav[:max_pages]:
            visit = PageVisit(path=path, title=title, seconds=None, log_page=path or _slug(title))
            r.visits.append(visit)
            try:
                visit.seconds = round(await open_page_async(page, f"{base}/{path}?{s.query}", timeout_s), 3)
                wrong, visit.child = await _check_page(page, s, others, nav, path, db, teams)
                r.errors += [f"{title}: {w}" for w in wrong]
            except Exception as exc:  # noqa: BLE001 - report the page, go on with the next
                r.errors.append(f"{title}: {_err(exc)}")
    except Exception as exc:  # noqa: BLE001 - a failed sign-in ends this session only
        r.errors.append(f"sign-in: {_err(exc)}")
    finally:
        await context.close()
    return r


# ---------------------------------------------------------------- across sessions


def check_navigation(results: list[SessionResult]) -> list[str]:
    """Sessions of one role see the same pages; the four roles see four different sets."""
    by_role: dict[str, set[tuple[str, ...]]] = {}
    for r in results:
        if r.nav:
            by_role.setdefault(r.role, set()).add(tuple(r.nav))
    wrong = [f"sessions of the role {role} see different pages: {sorted(navs)}"
             for role, navs in by_role.items() if len(navs) > 1]
    seen: dict[tuple[str, ...], str] = {}
    for role, navs in by_role.items():
        for nav in navs:
            if nav in seen and seen[nav] != role:
                wrong.append(f"the roles {seen[nav]} and {role} see the same pages: {list(nav)}")
            seen[nav] = role
    return wrong


def check_log(rows: list[access_log.Record], sessions: list[Session], results: list[SessionResult]) -> list[str]:
    """Every row is a session's own: its identity, role and filters; each page a session opened has a view
    row of it; a child in a row is the child its session was shown."""
    by_email = {s.user.email: (s, r) for s, r in zip(sessions, results)}
    wrong = []
    for row in rows:
        if row.identity not in by_email:
            wrong.append(f"a row for {row.identity!r}, who is not one of the sessions")
            continue
        s, r = by_email[row.identity]
        if row.role != s.scope.role:
            wrong.append(f"a row of {row.identity} with the role {row.role}, not {s.scope.role}")
        filters = parse_qs(row.filters)
        if row.action == access_log.VIEW and row.filters and (
                filters.get("team") != [s.team] or filters.get("from") != [s.date_from]
                or filters.get("to") != [s.date_to]):
            wrong.append(f"a row of {row.identity} on {row.page} with the filters {row.filters!r}, not {s.query!r}")
        if row.child and row.child not in {v.child for v in r.visits} | {r.landing_child}:
            wrong.append(f"a row of {row.identity} for child {row.child}, not the child its session was shown")
    for s, r in zip(sessions, results):
        logged = {row.page for row in rows if row.identity == s.user.email and row.action == access_log.VIEW
                  and parse_qs(row.filters).get("team") == [s.team]}
        missing = [v.log_page for v in r.visits if v.seconds is not None and v.log_page not in logged]
        if missing:
            wrong.append(f"no view row of {s.user.email} with its filters for {missing}")
    return wrong


# ---------------------------------------------------------------- the run


@dataclass
class Result:
    db: str
    plans: int | None
    when: str
    machine: dict[str, Any]
    sessions: list[SessionResult]
    pages: dict[str, dict[str, float]] = field(default_factory=dict)
    sign_in: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    log_rows: int = 0
    idle_rss_mb: float = 0.0
    peak_rss_mb: float = 0.0
    high_water_mb: float = 0.0
    wall_s: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def ok(self) -> bool:
        return not self.errors and not any(r.errors for r in self.sessions)


def summary(seconds: list[float]) -> dict[str, float]:
    """n, median, p95 (nearest rank) and max of `seconds`."""
    xs = sorted(seconds)
    p95 = xs[min(len(xs) - 1, max(0, -(-95 * len(xs) // 100) - 1))]
    return {"n": len(xs), "median_s": round(statistics.median(xs), 3), "p95_s": round(p95, 3),
            "max_s": round(xs[-1], 3)}


async def _drive(base: str, sessions: list[Session], db: Path, teams: list[str], timeout_s: float,
                 max_pages: int | None) -> list[SessionResult]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            emails = [s.user.email for s in sessions]
            return list(await asyncio.gather(*(
                run_session(browser, base, s, [e for e in emails if e != s.user.email], db, teams, timeout_s,
                            max_pages) for s in sessions)))
        finally:
            await browser.close()


def run(db: Path, n: int = DEFAULT_SESSIONS, timeout_s: float = 180, max_pages: int | None = None,
        work: Path | None = None, app_output: Path | None = None) -> Result:
    """Start the provider and the signed-in app on `db`, run `n` sessions together, check and time them.
    `work` holds the app's HOME, access file and access log (a temporary folder when None)."""
    t_start = time.perf_counter()
    teams, first, last = store_facts(db)
    sessions = plan_sessions(n, teams, first, last)
    with tempfile.TemporaryDirectory(prefix="paqa_sessions_") as tmp:
        home = Path(work or tmp)
        log = home / "access_log.jsonl"
        result = Result(db=str(db), plans=_plans(db), when=datetime.now().isoformat(timespec="seconds"),
                        machine=machine(), sessions=[])
        with provider([s.user for s in sessions]) as idp, \
                signed_in_app(db, idp, home, access_toml([s.user for s in sessions]), log, output=app_output) as (proc, base), \
                MemorySampler(proc.pid) as mem:
            result.idle_rss_mb = round(mem.sample(), 1)
            result.sessions = asyncio.run(_drive(base, sessions, db, teams, timeout_s, max_pages))
            mem.sample()
            result.peak_rss_mb = round(mem.peak_mb, 1)
            result.high_water_mb = round(mem.high_water_mb(), 1)
            rows = list(access_log.read(path=log).records)
        result.machine["load_1_5_15_after"] = machine()["load_1_5_15"]
    result.log_rows = len(rows)
    result.errors = check_navigation(result.sessions) + check_log(rows, sessions, result.sessions)
    times: dict[str, list[float]] = {}
    for r in result.sessions:
        for v in r.visits:
            if v.seconds is not None:
                times.setdefault(v.log_page, []).append(v.seconds)
    result.pages = {p: summary(xs) for p, xs in times.items()}
    result.pages["all pages"] = summary([x for xs in times.values() for x in xs]) if times else {}
    signs = [r.sign_in_s for r in result.sessions if r.sign_in_s is not None]
    result.sign_in = summary(signs) if signs else {}
    result.wall_s = round(time.perf_counter() - t_start, 1)
    return result


def report(r: Result) -> str:
    roles = {}
    for s in r.sessions:
        roles[s.role] = roles.get(s.role, 0) + 1
    lines = [f"store {r.db}: {r.plans if r.plans is not None else '?'} plans; {r.when}; {r.machine['cpus']} CPUs, "
             f"load {r.machine['load_1_5_15']} -> {r.machine.get('load_1_5_15_after')}",
             f"{len(r.sessions)} sessions together: " + ", ".join(f"{k} {v}" for k, v in roles.items()),
             f"{'page':<16} {'n':>3} {'median s':>9} {'p95 s':>7} {'max s':>7}"]
    rows = dict(r.pages, **({"(sign-in)": r.sign_in} if r.sign_in else {}))
    for name, t in rows.items():
        if t:
            lines.append(f"{name:<16} {t['n']:>3} {t['median_s']:>9.2f} {t['p95_s']:>7.2f} {t['max_s']:>7.2f}")
    lines.append(f"app memory: idle {r.idle_rss_mb:.0f} MB, peak sampled {r.peak_rss_mb:.0f} MB, "
                 f"kernel high-water {r.high_water_mb:.0f} MB; access log rows {r.log_rows}; wall {r.wall_s:.0f} s")
    problems = r.errors + [f"{s.email}: {e}" for s in r.sessions for e in s.errors]
    lines.append("isolation and errors: " + ("none found" if not problems else f"{len(problems)} problems"))
    lines += [f"  {p}" for p in problems]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 epilog="Exit status 1 when any page showed an error or anything of one session "
                                        "appeared in another.")
    ap.add_argument("--sessions", type=int, default=DEFAULT_SESSIONS, help="signed-in sessions at once (default 10)")
    ap.add_argument("--db", type=Path, default=None, help="the store to open (read-only); default: a demo store")
    ap.add_argument("--children", type=int, default=DEMO_CHILDREN,
                    help=f"without --db: children in the demo store built for the run (default {DEMO_CHILDREN})")
    ap.add_argument("--max-pages", type=int, default=None, help="open at most this many pages per session")
    ap.add_argument("--timeout", type=float, default=180, help="seconds to wait for one page or sign-in")
    ap.add_argument("--out", type=Path, default=None, help="write the figures as JSON here")
    ap.add_argument("--log", type=Path, default=None, help="write streamlit's output here")
    a = ap.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"no chromium at {CHROMIUM} (set CHROMIUM)", file=sys.stderr)
        return 2
    if a.sessions < 1:
        ap.error("--sessions must be at least 1")
    with tempfile.TemporaryDirectory(prefix="paqa_sessions_store_") as tmp:
        db = a.db
        if db is None:
            from ..synth.generate import build_demo

            db = Path(tmp) / "demo.duckdb"
            print(f"building a demo store of {a.children} children ...", file=sys.stderr, flush=True)
            build_demo(db, children=a.children)
        elif not db.exists():
            print(f"no store at {db}", file=sys.stderr)
            return 2
        r = run(db.resolve(), a.sessions, a.timeout, a.max_pages, app_output=a.log)
    if a.out:
        a.out.write_text(json.dumps(r.as_json(), indent=2, default=str))
    print(report(r))
    return 0 if r.ok else 1


if __name__ == "__main__":
    sys.exit(main())
