"""The roles, a user's scope and the access file (paqa_dash/scope.py): parsing, who gets what, clear errors."""
from __future__ import annotations

from pathlib import Path

import pytest

from paqa_dash.scope import (ADMIN, AGGREGATES, AUDIT, CHILD_LEVEL, DEFAULT_SUPPRESS_BELOW, EVERYTHING,
                             AccessFileError, OutOfScope, Scope, access_file_path, load_access, parse_access)

EXAMPLE = """
[suppression]
threshold = 10

[[users]]
email = "Mo.North@Example.gov.uk"
role = "service_manager"
teams = ["North", "East"]

[[users]]
subject = "00000000-aaaa-bbbb-cccc-000000000001"
role = "auditor"
teams = ["South"]

[[users]]
email = "lead@example.gov.uk"
role = "strategic_lead"

[[groups]]
group = "paqa-admins"
role = "administrator"

[[groups]]
group = "paqa-leads"
role = "strategic_lead"
"""


@pytest.fixture
def grants():
    return parse_access(EXAMPLE, source="access.toml")


def test_a_user_is_found_by_email_whatever_its_case(grants) -> None:
    scope = grants.scope_for("mo.north@example.gov.uk", None)
    assert scope == Scope(role="service_manager", teams=("East", "North"), suppress_below=10)
    assert grants.scope_for("  MO.NORTH@EXAMPLE.GOV.UK ", "someone-else") == scope


def test_a_user_is_found_by_the_providers_subject(grants) -> None:
    scope = grants.scope_for(None, "00000000-aaaa-bbbb-cccc-000000000001")
    assert scope.role == "auditor" and scope.teams == ("South",) and scope.repeat_children_only


def test_a_user_line_wins_over_groups_and_the_first_group_wins(grants) -> None:
    assert grants.scope_for("lead@example.gov.uk", None, ["paqa-admins"]).role == "strategic_lead"
    assert grants.scope_for("x@example.gov.uk", None, ["paqa-leads", "paqa-admins"]).role == "administrator"
    assert grants.scope_for("x@example.gov.uk", None, ["paqa-leads"]).role == "strategic_lead"


def test_nobody_else_gets_anything(grants) -> None:
    assert grants.scope_for("stranger@example.gov.uk", "s-1", ["other"]) is None
    assert grants.scope_for(None, None) is None
    assert grants.scope_for("", "") is None


def test_administrators_see_unsuppressed_everyone_else_at_the_files_threshold(grants) -> None:
    assert grants.scope_for(None, None, ["paqa-admins"]).suppress_below == 0
    assert grants.scope_for("lead@example.gov.uk", None).suppress_below == 10
    assert parse_access('[[users]]\nemail = "a@b.uk"\nrole = "strategic_lead"\n').scope_for(
        "a@b.uk", None).suppress_below == DEFAULT_SUPPRESS_BELOW


def test_what_each_role_can_do() -> None:
    can = {role: {c for c in (AGGREGATES, CHILD_LEVEL, AUDIT, ADMIN) if Scope(role=role, teams=("N",)).can(c)}
           for role in ("strategic_lead", "service_manager", "auditor", "administrator")}
    assert can == {"strategic_lead": {AGGREGATES}, "service_manager": {AGGREGATES, CHILD_LEVEL, AUDIT},
                   "auditor": {CHILD_LEVEL, AUDIT}, "administrator": {AGGREGATES, CHILD_LEVEL, AUDIT, ADMIN}}
    with pytest.raises(OutOfScope, match="Strategic lead"):
        Scope(role="strategic_lead").require(CHILD_LEVEL, "A child's timeline")
    EVERYTHING.require(ADMIN, "The access log")


def test_labels_and_refused_teams() -> None:
    assert Scope(role="service_manager", teams=("North",)).label == "Service manager (North)"
    assert Scope(role="auditor", teams=()).label == "Auditor (no teams)"
    assert EVERYTHING.label == "Administrator (all teams)"
    assert Scope(role="service_manager", teams=("North",)).refused_teams(["North", "South"]) == ("South",)
    assert EVERYTHING.refused_teams(["South"]) == ()


def test_an_entry_may_limit_a_user_to_authorities() -> None:
    """A regional store: each authority's staff read their own authority's children (any role)."""
    access = parse_access('[[users]]\nemail = "a@b.uk"\nrole = "service_manager"\nteams = ["North"]\n'
                          'authorities = ["202"]\n[[groups]]\ngroup = "leads"\nrole = "strategic_lead"\n')
    manager = access.scope_for("a@b.uk", None)
    assert manager is not None and manager.authorities == ("202",)
    assert manager.label == "Service manager (North of authority 202)"
    assert manager.refused_authorities(["202", "203"]) == ("203",) and not manager.reads_every_child
    lead = access.scope_for(None, None, ["leads"])
    assert lead is not None and lead.authorities is None and lead.refused_authorities(["203"]) == ()
    assert lead.reads_every_child


def test_an_unknown_role_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown role"):
        Scope(role="superuser")


@pytest.mark.parametrize("text,says", [
    ("[[users]\n", "not valid TOML"),
    ('[[users]]\nemail = "a@b.uk"\nrole = "boss"\n', "users entry 1: `role` must be one of"),
    ('[[users]]\nemail = "a@b.uk"\nrole = "service_manager"\n', "users entry 1: a service manager needs `teams`"),
    ('[[users]]\nemail = "a@b.uk"\nrole = "service_manager"\nteams = "North"\n', "`teams` must be a list"),
    ('[[users]]\nemail = "a@b.uk"\nrole = "strategic_lead"\nteams = ["North"]\n', "`teams` does not apply"),
    ('[[users]]\nemail = "a@b.uk"\nrole = "auditor"\n[[users]]\nrole = "auditor"\n',
     "users entry 2: a user needs `email` or `subject`"),
    ('[[groups]]\nrole = "administrator"\n', "groups entry 1: a group needs `group`"),
    ("users = [1]\n", "users entry 1: expected a table"),
    ("[suppression]\nthreshold = 0\n", "threshold must be a whole number"),
    ('[[users]]\nemail = "a@b.uk"\nrole = "strategic_lead"\nauthorities = ["Camden"]\n',
     "users entry 1: `authorities` must be a list of DfE three-digit LA numbers"),
    ('[[users]]\nemail = "a@b.uk"\nrole = "strategic_lead"\nauthorities = []\n', "`authorities` must be a list"),
    ("[suppression]\nthreshold = true\n", "threshold must be a whole number"),
])
def test_a_wrong_access_file_says_which_entry_and_field(text: str, says: str) -> None:
    with pytest.raises(AccessFileError) as raised:
        parse_access(text, source="access.toml")
    assert says in str(raised.value) and str(raised.value).startswith("access.toml")


def test_the_file_is_found_by_the_environment_else_in_data(tmp_path: Path) -> None:
    assert access_file_path({"PAQA_ACCESS_FILE": str(tmp_path / "a.toml")}) == tmp_path / "a.toml"
    assert access_file_path({}).name == "access.toml" and access_file_path({}).parent.name == "data"


def test_a_missing_file_grants_nobody(tmp_path: Path) -> None:
    assert load_access(tmp_path / "none.toml").scope_for("lead@example.gov.uk", None) is None
    (tmp_path / "a.toml").write_text(EXAMPLE, encoding="utf-8")
    assert load_access(tmp_path / "a.toml").scope_for("lead@example.gov.uk", None).role == "strategic_lead"
