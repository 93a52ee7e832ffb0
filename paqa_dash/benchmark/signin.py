"""A real OpenID Connect sign-in: oidc-provider-mock on a loopback port, and the app started against it with
an access file naming its users.  Used by the sessions benchmark (`python -m paqa_dash.benchmark.sessions`)
and, through tests/support/oidc.py, by the browser tests.

Why a real provider rather than a patched `st.user`: the runs should cross the same redirects, cookies and
token checks (Authlib, through `st.login`) as a deployment behind Microsoft Entra ID, so a broken `[auth]`
section or a page drawn before sign-in shows up.  Nothing is written to the repository's `.streamlit/`: the
secrets file is a temporary one, given to Streamlit as `secrets.files` (STREAMLIT_SECRETS_FILES), and HOME is
a temporary folder so a tester's own ~/.streamlit cannot add to it.

The sign-in steps exist twice, for Playwright's sync API (`sign_in`, the tests) and its async API
(`sign_in_async`, many sessions in one browser): the selectors and URLs they follow are defined once here.
"""
from __future__ import annotations

import secrets
import subprocess
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from .browser import start_app, stop_app, wait_run_finished, wait_run_finished_async

SIGN_IN = "[data-testid='stButton'] button:has-text('Sign in')"
SIGN_OUT = "[data-testid='stSidebar'] button:has-text('Sign out')"
AUTHORIZE_URL = "**/oauth2/authorize**"
NOT_RUNNING_JS = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"


@dataclass(frozen=True)
class User:
    """One person the provider knows: `sub` is what the provider's page offers; `email` what the access
    file names; `role` and `teams` what it grants (None: not in the access file, or granted by a group)."""

    sub: str
    email: str
    name: str
    role: str | None
    teams: tuple[str, ...] | None = None
    groups: tuple[str, ...] = ()


def access_toml(users: Iterable[User], group_roles: Mapping[str, str] | None = None) -> str:
    """The access file: users by e-mail (those with a role), then identity-provider groups and their roles."""
    lines = []
    for u in users:
        if u.role is None:
            continue
        lines.append(f'[[users]]\nemail = "{u.email}"\nrole = "{u.role}"\n')
        if u.teams is not None:
            lines.append("teams = [" + ", ".join(f'"{t}"' for t in u.teams) + "]\n")
    for group, role in (group_roles or {}).items():
        lines.append(f'[[groups]]\ngroup = "{group}"\nrole = "{role}"\n')
    return "".join(lines)


def secrets_toml(provider: str) -> str:
    """`[auth]` as docs/sign_in.md describes it; `{port}` is filled in by Streamlit with the app's port."""
    return ("[auth]\n"
            'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_hex(32)}"\n'
            'client_id = "paqa-dash-tests"\n'
            'client_secret = "not-a-secret"\n'
            f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n')


@contextmanager
def provider(users: Iterable[User]) -> Iterator[str]:
    """oidc-provider-mock on 127.0.0.1 (a thread of this process) knowing `users` by `sub`; its base URL."""
    import werkzeug.serving
    from oidc_provider_mock import User as ProviderUser, app

    known = [ProviderUser(sub=u.sub, claims={"email": u.email, "name": u.name, "email_verified": True,
                                             **({"groups": list(u.groups)} if u.groups else {})})
             for u in users]
    class Quiet(werkzeug.serving.WSGIRequestHandler):
        def log_request(self, *args: object, **kwargs: object) -> None:   # one line per request is noise here
            pass

    server = werkzeug.serving.make_server("127.0.0.1", 0, app(user_claims=known), threaded=True,
                                          request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def start_signed_in_app(db: Path, provider_url: str, home: Path, access: str, log: Path,
                        timeout: float = 90, output: Path | None = None) -> tuple[subprocess.Popen, str]:
    """The app on `db` with sign-in configured against `provider_url` (listening on 127.0.0.1 although
    sign-in would allow any address), the access file `access` and its own access log `log`.  `home`
    receives the secrets and access files and is the app's HOME.  Returns the process and its base URL."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "secrets.toml").write_text(secrets_toml(provider_url), encoding="utf-8")
    (home / "access.toml").write_text(access, encoding="utf-8")
    return start_app(db, timeout=timeout, log=output, env={
        "HOME": str(home), "STREAMLIT_SECRETS_FILES": str(home / "secrets.toml"),
        "PAQA_ACCESS_FILE": str(home / "access.toml"), "PAQA_ACCESS_LOG": str(log)})


@contextmanager
def signed_in_app(db: Path, provider_url: str, home: Path, access: str, log: Path,
                  timeout: float = 90, output: Path | None = None) -> Iterator[tuple[subprocess.Popen, str]]:
    """`start_signed_in_app`, stopped at the end."""
    proc, base = start_signed_in_app(db, provider_url, home, access, log, timeout, output)
    try:
        yield proc, base
    finally:
        stop_app(proc)


def user_button(user: User) -> str:
    """The provider's page offers the known users as buttons named by `sub`."""
    return f"button[name='sub'][value='{user.sub}']"


def wait_for_sign_in(page, timeout_ms: int = 60000) -> None:
    """Wait for the page a visitor who has not signed in sees: the Sign in button, the script finished."""
    page.wait_for_selector(SIGN_IN, timeout=timeout_ms)
    page.wait_for_function(NOT_RUNNING_JS, timeout=timeout_ms)


def sign_in(page, app: str, user: User, path: str = "/", wait: bool = True) -> None:
    """Open `app` at `path`, press Sign in, choose `user` on the provider's page, and (when `wait`) wait for
    the dashboard to be drawn: the sidebar's Sign out is there and the script run has finished."""
    page.goto(app + path)
    wait_for_sign_in(page)
    page.locator(SIGN_IN).click()
    page.wait_for_url(AUTHORIZE_URL, timeout=30000)
    page.locator(user_button(user)).click()
    page.wait_for_url(f"{app}/**", timeout=30000)
    if wait:
        page.locator(SIGN_OUT).wait_for(timeout=60000)
        wait_run_finished(page, timeout_s=60, started_within_s=0.5)


async def sign_in_async(page, app: str, user: User, path: str = "/", timeout_s: float = 120) -> None:
    """`sign_in` for Playwright's async API, always waiting for the dashboard to be drawn."""
    await page.goto(app + path, timeout=timeout_s * 1000)
    await page.wait_for_selector(SIGN_IN, timeout=timeout_s * 1000)
    await page.wait_for_function(NOT_RUNNING_JS, timeout=timeout_s * 1000)
    await page.locator(SIGN_IN).click()
    await page.wait_for_url(AUTHORIZE_URL, timeout=timeout_s * 1000)
    await page.locator(user_button(user)).click()
    await page.wait_for_url(f"{app}/**", timeout=timeout_s * 1000)
    await page.locator(SIGN_OUT).wait_for(timeout=timeout_s * 1000)
    await wait_run_finished_async(page, timeout_s, started_within_s=0.5)
