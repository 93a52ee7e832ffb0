"""The signed-in app for the browser tests: one user per role (the administrator through a group claim), and
pytest fixtures for the provider and the app.  The provider, the app start and the sign-in steps are
paqa_dash/benchmark/signin.py's, which the sessions benchmark uses too (why a real provider: see there).

Import the fixtures into a test module (`from support.oidc import oidc_provider, signed_in_app`) and sign in
with `sign_in(page, app, user)`; a test about what a signed-in user may do, not about signing in, takes the
`identities` fixture and `as_signed_in(page, app, user, identities)`: one real sign-in per user and session.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from paqa_dash.benchmark import signin
from paqa_dash.benchmark.browser import open_page
from paqa_dash.benchmark.signin import User, secrets_toml, sign_in, wait_for_sign_in  # noqa: F401

MANAGER_TEAM = "North"
MANAGER = User("manager", "manager.north@example.gov.uk", "Mo North", "service_manager", (MANAGER_TEAM,))
AUDITOR = User("auditor", "auditor@example.gov.uk", "Ada Auditor", "auditor")
LEAD = User("lead", "lead@example.gov.uk", "Lee Lead", "strategic_lead")
ADMIN = User("admin", "admin@example.gov.uk", "Ash Admin", None, groups=("paqa-admins",))  # by group
STRANGER = User("stranger", "stranger@example.gov.uk", "Sam Stranger", None)
USERS = (MANAGER, AUDITOR, LEAD, ADMIN, STRANGER)
ADMIN_GROUP = ADMIN.groups[0]
ROLE_OF = {MANAGER: "Service manager", AUDITOR: "Auditor", LEAD: "Strategic lead", ADMIN: "Administrator"}


def access_toml(users: tuple[User, ...] = USERS) -> str:
    """The access file: users by e-mail, and the administrator through an identity-provider group."""
    return signin.access_toml(users, {ADMIN_GROUP: "administrator"})


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[str]:
    """Base URL of oidc-provider-mock on 127.0.0.1 (a thread of this process), knowing USERS by `sub`."""
    with signin.provider(USERS) as url:
        yield url


@pytest.fixture(scope="session")
def oidc_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The signed-in app's HOME: its secrets file, access file and access log."""
    return tmp_path_factory.mktemp("oidc_home")


@pytest.fixture(scope="session")
def signed_in_log(oidc_home: Path) -> Path:
    """The signed-in app's access log (PAQA_ACCESS_LOG)."""
    return oidc_home / "access_log.jsonl"


@pytest.fixture(scope="session")
def signed_in_app(oidc_provider: str, demo_store: Path, oidc_home: Path, signed_in_log: Path) -> Iterator[str]:
    """Base URL of the app on the demo store with sign-in configured against `oidc_provider`, the access
    file of `access_toml` and its own access log."""
    with signin.signed_in_app(demo_store, oidc_provider, oidc_home, access_toml(), signed_in_log) as (_, base):
        yield base


# A page every role may open that draws no chart: where `as_signed_in` lands when it signs in by cookie.
LANDING = "/definitions"


@pytest.fixture(scope="session")
def identities() -> dict[str, list[dict]]:
    """Each user's browser cookies after their first real sign-in this session (by `sub`), for `as_signed_in`."""
    return {}


def keep_identity(page, user: User, identities: dict[str, list[dict]]) -> None:
    """Keep the cookies of `page`'s context, just signed in as `user` through the provider, for later tests."""
    identities[user.sub] = page.context.cookies()


def as_signed_in(page, app: str, user: User, identities: dict[str, list[dict]]) -> None:
    """`page` signed in as `user`: through the provider the first time in this session, after that with the
    identity cookie that sign-in gave (the app checks it as it would the provider's own redirect), landing on
    LANDING rather than drawing the default page again.  Either way the dashboard is shown, run finished."""
    if user.sub not in identities:
        sign_in(page, app, user)
        keep_identity(page, user, identities)
        return
    page.context.add_cookies(identities[user.sub])
    open_page(page, app + LANDING, timeout_s=60)
    page.locator(signin.SIGN_OUT).wait_for(timeout=60000)
