"""The user's scope bounds every read of the metrics layer (paqa_dash/scope.py): a measure sees only the
scope's teams whatever teams the filter asks for; a child outside it, a list naming children for a role
without child-level access, the audit sample for a strategic lead, and the data-quality detail for anyone
but an administrator are refused.  On the session demo store (teams North, South, ...)."""
from __future__ import annotations

from pathlib import Path

import pytest

from paqa_dash import store
from paqa_dash.filters import Filters
from paqa_dash.metrics import audit, chronology, cohorts, household, sequence
from paqa_dash.report.pack import build_pack
from paqa_dash.scope import AUDITOR, SERVICE_MANAGER, STRATEGIC_LEAD, OutOfScope, Scope
from paqa_dash.settings import DEFAULTS
from paqa_dash.store import with_data_date

from support.children import child_only_in


@pytest.fixture(scope="module")
def con(demo_store: Path):
    c = store.connect(demo_store, read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def teams(con) -> list[str]:
    found = [r[0] for r in con.execute("SELECT DISTINCT team FROM plans ORDER BY team").fetchall()]
    assert len(found) >= 2, "the demo store needs two teams for these tests"
    return found



def test_a_measure_sees_only_the_scope_teams(con, teams):
    north, south = teams[0], teams[1]
    base = with_data_date(con, Filters())
    manager = Scope(SERVICE_MANAGER, teams=(north,))
    mine = sequence.start_counts(con, base.with_(scope=manager), DEFAULTS)
    asked_for_north = sequence.start_counts(con, base.with_(teams=(north,)), DEFAULTS)
    everyone = sequence.start_counts(con, base, DEFAULTS)
    assert mine["plans_started"] == asked_for_north["plans_started"] < everyone["plans_started"]
    # asking for another team by URL gives nothing, not that team's figures
    other = sequence.start_counts(con, base.with_(teams=(south,), scope=manager), DEFAULTS)
    assert other["plans_started"] == 0


def test_a_child_outside_the_teams_is_refused_without_saying_whether_it_exists(con, teams):
    north, south = teams[0], teams[1]
    manager = Scope(SERVICE_MANAGER, teams=(north,))
    assert chronology.chronology(con, child_only_in(con, north), scope=manager).found
    with pytest.raises(OutOfScope) as outside:
        chronology.chronology(con, child_only_in(con, south), scope=manager)
    with pytest.raises(OutOfScope) as unknown:
        chronology.chronology(con, "ffffffffffffffff", scope=manager)
    assert str(outside.value).split("'")[2] == str(unknown.value).split("'")[2]   # same words either way
    with pytest.raises(OutOfScope):
        build_pack(con, child_only_in(con, south), DEFAULTS, scope=manager)


def test_an_auditor_reads_only_children_with_a_repeat_plan_in_their_teams(con, teams):
    north = teams[0]
    auditor = Scope(AUDITOR, teams=(north,))
    assert chronology.chronology(con, child_only_in(con, north, repeat=True), scope=auditor).found
    with pytest.raises(OutOfScope):
        chronology.chronology(con, child_only_in(con, north, repeat=False), scope=auditor)
    sample = audit.sample_page(con, with_data_date(con, Filters(scope=auditor)), DEFAULTS,
                               audit.Criteria(repeat=False), limit=None).rows
    assert len(sample) and set(sample["team"]) == {north}


def test_a_strategic_lead_gets_aggregates_but_no_child_level_reads(con, teams):
    lead = Scope(STRATEGIC_LEAD)
    f = with_data_date(con, Filters(scope=lead))
    assert sequence.start_counts(con, f, DEFAULTS)["plans_started"] > 0
    for refused in (lambda: cohorts.ending_list(con, f, DEFAULTS),
                    lambda: household.most_changes(con, f, DEFAULTS),
                    lambda: cohorts.dup_pairs(con, f, DEFAULTS),
                    lambda: chronology.cohort_place(con, f, DEFAULTS),
                    lambda: audit.sample_page(con, f, DEFAULTS),
                    lambda: chronology.chronology(con, child_only_in(con, teams[0]), scope=lead),
                    lambda: build_pack(con, child_only_in(con, teams[0]), DEFAULTS, scope=lead)):
        with pytest.raises(OutOfScope, match="not open to your role"):
            refused()
