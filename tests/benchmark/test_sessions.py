"""The sessions benchmark's plain parts (paqa_dash/benchmark/sessions.py): who signs in with which filters,
and the cross-session checks, fed a bleed on purpose so a check that could never fire is caught here.
The run itself, in a browser, is tests/browser/test_sessions.py."""
from __future__ import annotations

from paqa_dash.access_log import EXPORT, VIEW, Record
from paqa_dash.benchmark.sessions import (PageVisit, SessionResult, check_log, check_navigation, holds_team,
                                          plan_sessions, summary)
from paqa_dash.benchmark.signin import access_toml
from paqa_dash.scope import ADMINISTRATOR, AUDITOR, SERVICE_MANAGER, STRATEGIC_LEAD, parse_access

TEAMS = ["Central", "East", "North", "South", "West"]


def _sessions(n: int = 10):
    return plan_sessions(n, TEAMS, 2016, 2026)


def test_ten_sessions_mix_the_roles_and_give_managers_teams_of_their_own():
    ss = _sessions()
    roles = [s.scope.role for s in ss]
    assert {r: roles.count(r) for r in set(roles)} == {SERVICE_MANAGER: 3, STRATEGIC_LEAD: 3, AUDITOR: 2,
                                                     ADMINISTRATOR: 2}
    managers = [s for s in ss if s.scope.role == SERVICE_MANAGER]
    assert len({s.user.teams for s in managers}) == 3 and all(s.user.teams == (s.team,) for s in managers)
    assert len({s.user.email for s in ss}) == len({s.user.sub for s in ss}) == 10
    assert len({(s.team, s.date_from) for s in ss}) == 10          # every session filters differently
    assert all(s.date_from < s.date_to for s in ss)


def test_the_access_file_grants_each_session_its_own_scope():
    ss = _sessions()
    access = parse_access(access_toml([s.user for s in ss]))
    for s in ss:
        assert access.scope_for(s.user.email, s.user.sub).role == s.scope.role
        assert access.scope_for(s.user.email, s.user.sub).teams == s.scope.teams


def _results(ss, pages=("overview", "repeat_plans")):
    return [SessionResult(sub=s.user.sub, email=s.user.email, role=s.scope.role,
                          teams=list(s.user.teams or []) or None, team=s.team, period=[s.date_from, s.date_to],
                          nav=[s.scope.role, "Definitions"],
                          visits=[PageVisit(p, p, 1.0, p) for p in pages]) for s in ss]


def _rows(ss, results):
    return [Record(identity=s.user.email, role=s.scope.role, action=VIEW, page=v.log_page, filters=s.query)
            for s, r in zip(ss, results) for v in r.visits]


def test_the_log_check_passes_a_clean_log_and_names_each_kind_of_bleed():
    ss = _sessions(4)
    results = _results(ss)
    rows = _rows(ss, results)
    assert check_log(rows, ss, results) == []
    a, b = ss[0], ss[1]
    bad = [Record(identity=a.user.email, role=b.scope.role, action=VIEW, page="overview", filters=a.query),
           Record(identity=a.user.email, role=a.scope.role, action=VIEW, page="endings", filters=b.query),
           Record(identity="someone@else", role=a.scope.role, action=VIEW, page="overview", filters=a.query),
           Record(identity=a.user.email, role=a.scope.role, action=EXPORT, page="overview", filters=a.query,
                  child="abc")]
    found = check_log(rows + bad, ss, results)
    assert len(found) == 4, found
    assert any("with the role" in f for f in found) and any("with the filters" in f for f in found)
    assert any("not one of the sessions" in f for f in found) and any("child abc" in f for f in found)
    # a page a session opened with no row of its own (the row written under another identity)
    moved = [r for r in rows if not (r.identity == b.user.email and r.page == "repeat_plans")]
    assert any(b.user.email in f and "repeat_plans" in f for f in check_log(moved, ss, results))


def test_the_navigation_check_catches_a_session_showing_another_roles_pages():
    ss = _sessions(8)
    results = _results(ss)
    assert check_navigation(results) == []
    results[0].nav = list(results[1].nav)                 # a manager shown a lead's navigation
    found = check_navigation(results)
    assert any("see different pages" in f for f in found) and any("see the same pages" in f for f in found)


def test_summary_gives_median_p95_and_max():
    assert summary([1.0, 2.0, 3.0, 4.0]) == {"n": 4, "median_s": 2.5, "p95_s": 4.0, "max_s": 4.0}
    assert summary([float(x) for x in range(1, 101)])["p95_s"] == 95.0


def test_the_team_chip_may_name_the_authorities_that_share_the_team_name():
    """In a store of many authorities a team name several use is one choice whose chip says so ("North (152 LAs)"):
    the check took that chip for another team and reported 126 isolation faults on the 152-authority store."""
    assert holds_team(["North"], "North")
    assert holds_team(["North (152 LAs)"], "North") and holds_team(["North (Camden, Hackney)"], "North")
    assert not holds_team(["Northern (152 LAs)"], "North") and not holds_team(["North East"], "North")
    assert not holds_team(["North", "South"], "North") and not holds_team([], "North")
    assert not holds_team([None], "North")
