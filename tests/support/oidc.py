"""A real OpenID Connect sign-in for the browser tests: oidc-provider-mock on a loopback port, and the app
started against it with an access file naming one user per role.

Why a real provider rather than a patched `st.user`: the tests should cross the same redirects, cookies and
token checks (Authlib, through `st.login`) as a deployment behind Microsoft Entra ID, so a broken `[auth]`
section or a page drawn before sign-in shows up here.  Nothing is written to the repository's `.streamlit/`:
the secrets file is a temporary one, given to Streamlit as `secrets.files` (STREAMLIT_SECRETS_FILES), and HOME
is a temporary folder so a tester's own ~/.streamlit cannot add to it.

Import the fixtures into a test module (`from support.oidc import oidc_provider, signed_in_app`) and sign in
with `sign_in(page, app, user)`.
"""
from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from paqa_dash.benchmark.browser import start_app, stop_app, wait_run_finished


@dataclass(frozen=True)
class TestUser:
    """One person the provider knows: `sub` is what the provider's page offers; `email` what the access
    file names; `role` and `teams` what it grants (None: not in the access file)."""
    __test__ = False   # a dataclass named Test*, not a test class

    sub: str
    email: str
    name: str
    role: str | None
    teams: tuple[str, ...] | None = None
    groups: tuple[str, ...] = ()


MANAGER_TEAM = "North"
MANAGER = TestUser("manager", "manager.north@example.gov.uk", "Mo North", "service_manager", (MANAGER_TEAM,))
AUDITOR = TestUser("auditor", "auditor@example.gov.uk", "Ada Auditor", "auditor")
LEAD = TestUser("lead", "lead@example.gov.uk", "Lee Lead", "strategic_lead")
ADMIN = TestUser("admin", "admin@example.gov.uk", "Ash Admin", None, groups=("paqa-admins",))  # by group
STRANGER = TestUser("stranger", "stranger@example.gov.uk", "Sam Stranger", None)
USERS = (MANAGER, AUDITOR, LEAD, ADMIN, STRANGER)
ADMIN_GROUP = ADMIN.groups[0]
ROLE_OF = {MANAGER: "Service manager", AUDITOR: "Auditor", LEAD: "Strategic lead", ADMIN: "Administrator"}


def access_toml(users: tuple[TestUser, ...] = USERS) -> str:
    """The access file: users by e-mail, and the administrator through an identity-provider group."""
    lines = []
    for u in users:
        if u.role is None:
            continue
        lines.append(f'[[users]]\nemail = "{u.email}"\nrole = "{u.role}"\n')
        if u.teams is not None:
            lines.append("teams = [" + ", ".join(f'"{t}"' for t in u.teams) + "]\n")
    lines.append(f'[[groups]]\ngroup = "{ADMIN_GROUP}"\nrole = "administrator"\n')
    return "".join(lines)


def secrets_toml(provider: str) -> str:
    """`[auth]` as docs/sign_in.md describes it; `{port}` is filled in by Streamlit with the app's port."""
    return ("[auth]\n"
            'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_hex(32)}"\n'
            'client_id = "paqa-dash-tests"\n'
            'client_secret = "not-a-secret"\n'
            f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n')


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[str]:
    """Base URL of oidc-provider-mock on 127.0.0.1 (a thread of this process), knowing USERS by `sub`."""
    import werkzeug.serving
    from oidc_provider_mock import User, app

    provider = app(user_claims=[User(sub=u.sub, claims={"email": u.email, "name": u.name, "email_verified": True,
                                                          **({"groups": list(u.groups)} if u.groups else {})})
                                for u in USERS])
    server = werkzeug.serving.make_server("127.0.0.1", 0, provider, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


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
    """Base URL of the app on the demo store with sign-in configured against `oidc_provider` (on 127.0.0.1
    although sign-in would allow any address), the access file of `access_toml` and its own access log."""
    home = oidc_home
    (home / "secrets.toml").write_text(secrets_toml(oidc_provider), encoding="utf-8")
    (home / "access.toml").write_text(access_toml(), encoding="utf-8")
    proc, base = start_app(demo_store, timeout=90, env={
        "HOME": str(home), "STREAMLIT_SECRETS_FILES": str(home / "secrets.toml"),
        "PAQA_ACCESS_FILE": str(home / "access.toml"), "PAQA_ACCESS_LOG": str(signed_in_log)})
    try:
        yield base
    finally:
        stop_app(proc)


SIGN_IN = "[data-testid='stButton'] button:has-text('Sign in')"


def wait_for_sign_in(page, timeout_ms: int = 60000) -> None:
    """Wait for the page a visitor who has not signed in sees: the Sign in button, the script finished."""
    page.wait_for_selector(SIGN_IN, timeout=timeout_ms)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)


def sign_in(page, app: str, user: TestUser, path: str = "/", wait: bool = True) -> None:
    """Open `app` at `path`, press Sign in, choose `user` on the provider's page, and (when `wait`) wait for
    the dashboard to be drawn.  The provider offers the known users as buttons named by `sub`."""
    page.goto(app + path)
    wait_for_sign_in(page)
    page.locator(SIGN_IN).click()
    page.wait_for_url("**/oauth2/authorize**", timeout=30000)
    page.locator(f"button[name='sub'][value='{user.sub}']").click()
    page.wait_for_url(f"{app}/**", timeout=30000)
    if wait:   # signed in and drawn: the sidebar's Sign out is there and the script run has finished
        page.locator("[data-testid='stSidebar'] button:has-text('Sign out')").wait_for(timeout=60000)
        wait_run_finished(page, timeout_s=60, started_within_s=0.5)
