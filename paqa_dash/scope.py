"""Who may see what: the four roles, a user's scope, and the access file that grants them.

Why here, beside `filters.py`: a scope travels inside every `Filters` (its `scope` field), so the plan
filter of `queries/metrics/sequence.sql` bounds every measure by the user's teams; child-level readers
take it as an argument and check it in SQL before reading.  Pages never decide what a user may read;
they only draw what the metrics layer returns.  docs/governance.md states the model for an information-
governance review; this module is that model's one definition.

The access file (TOML; `PAQA_ACCESS_FILE`, else `data/access.toml`, never committed) maps signed-in
users, by e-mail address or the identity provider's subject, and identity-provider groups to a role and,
for service managers and auditors, teams.  A signed-in user the file does not name has no access.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from .settings import DATA_DIR

ACCESS_ENV = "PAQA_ACCESS_FILE"
DEFAULT_ACCESS_FILE = DATA_DIR / "access.toml"
DEFAULT_SUPPRESS_BELOW = 5   # published statistics' usual threshold: counts 1-4 are shown as "c"

# What a role may do.  A page or reader names the capability it needs (docs/governance.md, "Roles").
AGGREGATES = "aggregates"     # counts, rates and charts over many children
CHILD_LEVEL = "child_level"   # one child's timeline, lists naming children
AUDIT = "audit"               # the audit sample and audit packs
ADMIN = "admin"               # import, data-quality detail, the access log, re-running reviews
CAPABILITIES = (AGGREGATES, CHILD_LEVEL, AUDIT, ADMIN)

STRATEGIC_LEAD = "strategic_lead"
SERVICE_MANAGER = "service_manager"
AUDITOR = "auditor"
ADMINISTRATOR = "administrator"
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    STRATEGIC_LEAD: frozenset({AGGREGATES}),
    SERVICE_MANAGER: frozenset({AGGREGATES, CHILD_LEVEL, AUDIT}),
    AUDITOR: frozenset({CHILD_LEVEL, AUDIT}),
    ADMINISTRATOR: frozenset(CAPABILITIES),
}
ROLE_LABELS = {STRATEGIC_LEAD: "Strategic lead", SERVICE_MANAGER: "Service manager", AUDITOR: "Auditor",
               ADMINISTRATOR: "Administrator"}
TEAM_SCOPED_ROLES = (SERVICE_MANAGER, AUDITOR)   # `teams` applies; the others see every team
# Who may record the audit group's judgements (paqa_dash/metrics/record_judgement.py): the roles that sit on the
# audit group.  A service manager reads the audit sample and packs (AUDIT) but does not record the group's findings.
RECORDS_JUDGEMENTS = (AUDITOR, ADMINISTRATOR)


class OutOfScope(PermissionError):
    """A read the user's scope does not allow; the message says why in words a user understands."""


@dataclass(frozen=True)
class Scope:
    """What one user may read.  Frozen and hashable: it is part of every cache key.

    `teams` None means every team; an empty tuple means none.  An auditor reads only children in the
    audit's scope: children with a second or subsequent plan (the audit's subject), in `teams`.
    `suppress_below` is the small-number threshold for what this user sees (0 = no suppression).
    `authorities` None means every authority the store holds; otherwise the DfE LA numbers of the
    authorities whose children this user may read (a regional store shared by several authorities: each
    authority's staff read their own; teams are then teams of those authorities)."""

    role: str = ADMINISTRATOR
    teams: tuple[str, ...] | None = None
    suppress_below: int = 0
    authorities: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLE_CAPABILITIES:
            raise ValueError(f"unknown role {self.role!r}; use one of {', '.join(ROLE_CAPABILITIES)}")
        if self.teams is not None:
            object.__setattr__(self, "teams", tuple(sorted({str(t) for t in self.teams})))
        if self.authorities is not None:
            object.__setattr__(self, "authorities", tuple(sorted({str(a) for a in self.authorities})))

    def can(self, capability: str) -> bool:
        return capability in ROLE_CAPABILITIES[self.role]

    @property
    def label(self) -> str:
        teams = "all teams" if self.teams is None else (", ".join(self.teams) or "no teams")
        where = "" if self.authorities is None else f" of authority {', '.join(self.authorities) or 'none'}"
        return f"{ROLE_LABELS[self.role]} ({teams}{where})"

    @property
    def repeat_children_only(self) -> bool:
        return self.role == AUDITOR

    @property
    def reads_every_child(self) -> bool:
        """No team, authority or audit bound: a child-level check needs no query."""
        return self.teams is None and self.authorities is None and not self.repeat_children_only

    def params(self) -> dict[str, Any]:
        """The DuckDB parameters of the scope checks in queries/metrics/sequence.sql and chronology.sql."""
        return {"scope_all_teams": self.teams is None, "scope_teams": list(self.teams or ()),
                "scope_repeat_only": self.repeat_children_only,
                "scope_all_authorities": self.authorities is None, "scope_authorities": list(self.authorities or ())}

    def require(self, capability: str, what: str) -> None:
        """Raise OutOfScope unless this scope has `capability`; `what` names the thing refused."""
        if not self.can(capability):
            raise OutOfScope(f"{what} is not open to your role ({ROLE_LABELS[self.role]}).")

    def refused_teams(self, teams: Iterable[str]) -> tuple[str, ...]:
        """Of `teams` (e.g. from a pasted URL), those outside this scope: the page says so."""
        if self.teams is None:
            return ()
        return tuple(sorted(set(teams) - set(self.teams)))

    def refused_authorities(self, authorities: Iterable[str]) -> tuple[str, ...]:
        """Of `authorities` (e.g. from a pasted URL), those outside this scope: the page says so."""
        if self.authorities is None:
            return ()
        return tuple(sorted(set(authorities) - set(self.authorities)))


EVERYTHING = Scope()   # the CLI and the local analyst: an administrator of the store they were given


@dataclass(frozen=True)
class Grant:
    """One line of the access file: who (`email`, `subject` or `group`) gets which role and teams."""

    role: str
    teams: tuple[str, ...] | None
    email: str | None = None
    authorities: tuple[str, ...] | None = None
    subject: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class AccessFile:
    """The parsed access file: users first (by e-mail or subject), then groups in file order."""

    users: tuple[Grant, ...] = ()
    groups: tuple[Grant, ...] = ()
    suppress_below: int = DEFAULT_SUPPRESS_BELOW
    source: str = ""

    def scope_for(self, email: str | None, subject: str | None, groups: Iterable[str] = ()) -> Scope | None:
        """The signed-in user's scope, or None when the file does not name them or a group of theirs.
        A user line wins over groups; among groups the first in the file wins (docs/governance.md)."""
        email = (email or "").strip().lower() or None
        found = next((g for g in self.users if (email and g.email == email) or (subject and g.subject == subject)),
                     None)
        if found is None:
            mine = set(str(g) for g in groups)
            found = next((g for g in self.groups if g.group in mine), None)
        if found is None:
            return None
        return Scope(role=found.role, teams=found.teams, authorities=found.authorities,
                     suppress_below=0 if found.role == ADMINISTRATOR else self.suppress_below)


class AccessFileError(ValueError):
    """The access file cannot be used; the message names the file, entry and field."""


def access_file_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env[ACCESS_ENV]) if env.get(ACCESS_ENV) else DEFAULT_ACCESS_FILE


def _grant(entry: Any, where: str, key: str) -> Grant:
    if not isinstance(entry, Mapping):
        raise AccessFileError(f"{where}: expected a table with `{key}` and `role`")
    role = entry.get("role")
    if role not in ROLE_CAPABILITIES:
        raise AccessFileError(f"{where}: `role` must be one of {', '.join(ROLE_CAPABILITIES)}, not {role!r}")
    teams = entry.get("teams")
    if role in TEAM_SCOPED_ROLES:
        if teams is not None and (not isinstance(teams, list) or not all(isinstance(t, str) for t in teams)):
            raise AccessFileError(f"{where}: `teams` must be a list of team names, e.g. teams = [\"North\"]")
        if role == SERVICE_MANAGER and not teams:
            raise AccessFileError(f"{where}: a service manager needs `teams` (the teams they manage)")
    elif teams is not None:
        raise AccessFileError(f"{where}: `teams` does not apply to the role {role!r} (it sees every team)")
    authorities = _authorities(entry.get("authorities"), where)
    ident = {k: entry.get(k) for k in ("email", "subject", "group")}
    if key == "users" and not (ident["email"] or ident["subject"]):
        raise AccessFileError(f"{where}: a user needs `email` or `subject`")
    if key == "groups" and not ident["group"]:
        raise AccessFileError(f"{where}: a group needs `group` (the identity provider's group id)")
    return Grant(role=role, teams=tuple(teams) if teams is not None else None, authorities=authorities,
                 email=str(ident["email"]).strip().lower() if ident["email"] else None,
                 subject=str(ident["subject"]) if ident["subject"] else None,
                 group=str(ident["group"]) if ident["group"] else None)


def _authorities(value: Any, where: str) -> tuple[str, ...] | None:
    """An entry's optional `authorities`: DfE three-digit LA numbers (any role; left out = every authority)."""
    if value is None:
        return None
    if (not isinstance(value, list) or not value
            or not all(isinstance(a, str) and len(a) == 3 and a.isdigit() for a in value)):
        raise AccessFileError(f"{where}: `authorities` must be a list of DfE three-digit LA numbers, "
                              "e.g. authorities = [\"202\"]")
    return tuple(value)


def parse_access(text: str, source: str = "access file") -> AccessFile:
    """Parse the access file's text; AccessFileError names the entry and field that is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AccessFileError(f"{source}: not valid TOML ({exc})") from exc
    suppress = data.get("suppression", {}).get("threshold", DEFAULT_SUPPRESS_BELOW)
    if not isinstance(suppress, int) or isinstance(suppress, bool) or suppress < 1:
        raise AccessFileError(f"{source}: [suppression] threshold must be a whole number of at least 1")
    grants = {key: tuple(_grant(e, f"{source}, {key} entry {i + 1}", key) for i, e in enumerate(data.get(key, [])))
              for key in ("users", "groups")}
    return AccessFile(users=grants["users"], groups=grants["groups"], suppress_below=suppress, source=source)


def load_access(path: Path | None = None) -> AccessFile:
    """Read the access file; a missing file grants nobody (sign-in without it lets no one in)."""
    path = path or access_file_path()
    if not path.exists():
        return AccessFile(source=str(path))
    return parse_access(path.read_text(encoding="utf-8"), source=str(path))

