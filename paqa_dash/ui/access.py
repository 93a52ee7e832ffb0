"""Who may open the dashboard: one analyst on this computer, unless sign-in is configured.

Why: the store holds records about children.  Streamlit listens on every network interface unless told
otherwise, and has no sign-in of its own, so a plain `streamlit run app.py` would let anyone on the network
read them.  The rule is therefore:

- no `[auth]` section in `.streamlit/secrets.toml` (Streamlit's OpenID Connect sign-in, `st.login`): the app
  serves only this computer (`server.address` a loopback address, the default of `scripts/run.sh`) and says
  so on every page;
- bound to any other address (or to none, which means every interface) without sign-in: it refuses, naming
  the setting, both before starting (`scripts/run.sh` runs this module) and on every page (app.py calls
  `guard()`, for a server started some other way);
- sign-in configured: every visitor signs in first.  Who may sign in, roles and suppression are later work;
  they belong here, next to `decide`.

The decision (`decide`, `is_loopback`, `sign_in_configured`, `address_from`) is plain Python so it is tested
without a server; only `current`, `guard` and `auth_section` touch Streamlit.
"""
from __future__ import annotations

import ipaddress
import os
import sys
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Iterator, Literal, Mapping, Sequence

import streamlit as st
from streamlit import config as st_config

from paqa_dash.scope import EVERYTHING, Scope, load_access

SETTING = "server.address"
LOOPBACK = "127.0.0.1"
LOCAL_NOTICE = "Local mode: only this computer can open the dashboard; no sign-in is configured."
SIGN_IN_KEYS = ("redirect_uri", "cookie_secret")
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")

Mode = Literal["local", "sign-in", "refused"]
NO_ACCESS = Scope(role="strategic_lead", teams=())   # placeholder until the guard refuses a user not granted


@dataclass(frozen=True)
class Access:
    """How this server may be used: `local` (one analyst on this computer), `sign-in` (every visitor signs
    in) or `refused` (reachable from other computers with no sign-in: nothing is shown but `message`)."""
    mode: Mode
    message: str


def is_loopback(address: str | None) -> bool:
    """True when `address` can be reached only from this computer.  Unset or empty means every interface;
    a host name other than `localhost` may resolve anywhere; a unix socket is there to be put behind a proxy."""
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def sign_in_configured(auth: Mapping[str, Any] | None) -> bool:
    """True when `[auth]` has what `st.login` needs: `redirect_uri`, `cookie_secret` and one provider's
    `client_id`, `client_secret` and `server_metadata_url` (in `[auth]` itself or in `[auth.<provider>]`).
    A half-filled section counts as none, so it never opens the app to the network."""
    if not isinstance(auth, Mapping) or not all(auth.get(k) for k in SIGN_IN_KEYS):
        return False
    providers = [auth] + [v for v in auth.values() if isinstance(v, Mapping)]
    return any(all(p.get(k) for k in PROVIDER_KEYS) for p in providers)


def refusal(address: str | None) -> str:
    where = "not set, so Streamlit listens on every network interface" if not address else f"`{address}`"
    return (f"paqa_dash will not run: `{SETTING}` is {where}, so other computers could open the dashboard, "
            "and no sign-in is configured (no `[auth]` section in `.streamlit/secrets.toml`). "
            f"To use it on this computer, start it with `--{SETTING} {LOOPBACK}` (what `scripts/run.sh` does "
            "unless told otherwise); to serve others, configure sign-in first.")


def decide(address: str | None, sign_in: bool) -> Access:
    """The one rule: sign-in configured -> everyone signs in; else loopback only, else refuse."""
    if sign_in:
        return Access("sign-in", "Sign in to open the dashboard.")
    if is_loopback(address):
        return Access("local", LOCAL_NOTICE)
    return Access("refused", refusal(address))


def address_from(args: Sequence[str], env: Mapping[str, str]) -> str | None:
    """The address `streamlit run ... ARGS` would listen on: the last `--server.address`, else
    STREAMLIT_SERVER_ADDRESS, else None (every interface, unless a config.toml says otherwise)."""
    found: str | None = None
    for i, arg in enumerate(args):
        if arg == f"--{SETTING}" and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith(f"--{SETTING}="):
            found = arg.split("=", 1)[1]
    return found if found is not None else env.get("STREAMLIT_SERVER_ADDRESS")


def auth_section() -> Mapping[str, Any] | None:
    """`[auth]` of the secrets, or None; a missing or unreadable secrets file is no sign-in, never a crash."""
    try:
        if not st.secrets.load_if_toml_exists():
            return None
        auth = st.secrets.get("auth")
    except Exception:  # noqa: BLE001 - any failure to read the secrets means sign-in is not configured
        return None
    return auth if isinstance(auth, Mapping) else None


def listening_address() -> str | None:
    """The address this server listens on.  Under AppTest no server listens (the script runs in-process), so
    it counts as this computer (AppTest patches `streamlit.config.get_option`, which `st.get_option` does not
    see, so the flag is read there)."""
    return LOOPBACK if st_config.get_option("global.appTest") else st.get_option(SETTING)


def current() -> Access:
    """This server's access."""
    return decide(listening_address(), sign_in_configured(auth_section()))


def guard() -> Access:
    """Call first on every run: stops with the refusal, or asks a visitor who has not signed in to sign in."""
    access = current()
    if access.mode == "refused":
        st.error(access.message, icon=":material/lock:")
        st.stop()
    if access.mode == "sign-in" and not st.user.get("is_logged_in", False):
        st.info(access.message, icon=":material/login:")
        st.button("Sign in", on_click=st.login, icon=":material/login:")
        st.stop()
    return access


LOCAL_IDENTITY = "local analyst"


def identity() -> str:
    """Who is using this session, for the access log: the signed-in e-mail (else subject), or the local
    analyst.  Never stored in the analytic tables."""
    if current().mode != "sign-in" or not st.user.get("is_logged_in", False):
        return LOCAL_IDENTITY
    return str(st.user.get("email") or st.user.get("sub") or "unknown")


# The scope a deferred download runs under: Streamlit builds a download's file outside the script run, where
# there is no session (no `st.user`), so `access_trail.logged` takes the scope when the button is drawn and
# sets it here while the file is made.
_DEFERRED_SCOPE: ContextVar[Scope | None] = ContextVar("paqa_deferred_scope", default=None)


@contextmanager
def scope_of_download(scope: Scope) -> Iterator[None]:
    """Within the block, `current_scope()` is `scope` (the session's, taken when its button was drawn)."""
    token = _DEFERRED_SCOPE.set(scope)
    try:
        yield
    finally:
        _DEFERRED_SCOPE.reset(token)


def current_scope() -> Scope:
    """What this session may read (paqa_dash/scope.py).  The local analyst administers the store on their own
    computer; a signed-in user gets what the access file grants, and nothing when it does not name them."""
    deferred = _DEFERRED_SCOPE.get()
    if deferred is not None:
        return deferred
    if current().mode != "sign-in":
        return EVERYTHING
    groups = st.user.get("groups") or ()
    found = load_access().scope_for(st.user.get("email"), st.user.get("sub"),
                                    groups if isinstance(groups, (list, tuple)) else (groups,))
    return found if found is not None else NO_ACCESS


def notice(access: Access) -> None:
    """In local mode, a calm line at the foot of the sidebar on every page."""
    if access.mode == "local":
        st.sidebar.caption(f":material/computer: {access.message}")


def main(argv: Sequence[str]) -> int:
    """`python -m paqa_dash.ui.access [streamlit arguments]`: scripts/run.sh's check before starting."""
    access = decide(address_from(argv, os.environ), sign_in_configured(auth_section()))
    if access.mode == "refused":
        print(access.message.replace("`", "'"), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
