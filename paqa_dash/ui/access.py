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
- sign-in configured: every visitor signs in first; then the access file (paqa_dash/scope.py) says what
  they may read.  A signed-in user it does not name sees only "not in the access file", and an access file
  that cannot be read stops the app for everyone with its message (never a guess at who may see what).

The decisions (`decide`, `admit`, `is_loopback`, `sign_in_configured`, `provider_name`, `address_from`) are
plain Python so they are tested without a server; only `current`, `admission`, `guard`, `notice` and
`auth_section` touch Streamlit.  docs/sign_in.md says how to configure a provider.
"""
from __future__ import annotations

import ipaddress
import os
import sys
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Literal, Mapping, Sequence

import streamlit as st
from streamlit import config as st_config

from paqa_dash.scope import EVERYTHING, AccessFile, AccessFileError, Scope, access_file_path, load_access

SETTING = "server.address"
SECRETS_SETTING = "secrets.files"
LOOPBACK = "127.0.0.1"
LOCAL_NOTICE = "Local mode: only this computer can open the dashboard; no sign-in is configured."
SIGN_IN_KEYS = ("redirect_uri", "cookie_secret")
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")

Mode = Literal["local", "sign-in", "refused"]
# What a reader gets for a session `guard` lets no further (not signed in, not granted): no team at all.
# Never reached by a page, since guard() stops first; a safe answer for code that asks anyway.
NO_ACCESS = Scope(role="strategic_lead", teams=())
LOCAL_IDENTITY = "local analyst"


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


def provider_name(auth: Mapping[str, Any] | None) -> str | None:
    """The provider `st.login` should use: None (Streamlit's default) when `[auth]` itself holds the
    provider's keys, else the first `[auth.<name>]` that does (e.g. `[auth.microsoft]`)."""
    if not isinstance(auth, Mapping) or all(auth.get(k) for k in PROVIDER_KEYS):
        return None
    return next((name for name, v in auth.items()
                 if isinstance(v, Mapping) and all(v.get(k) for k in PROVIDER_KEYS)), None)


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


def _flag_values(args: Sequence[str], setting: str) -> list[str]:
    """Every value given as `--SETTING VALUE` or `--SETTING=VALUE`, in order."""
    found = []
    for i, arg in enumerate(args):
        if arg == f"--{setting}" and i + 1 < len(args):
            found.append(args[i + 1])
        elif arg.startswith(f"--{setting}="):
            found.append(arg.split("=", 1)[1])
    return found


def address_from(args: Sequence[str], env: Mapping[str, str]) -> str | None:
    """The address `streamlit run ... ARGS` would listen on: the last `--server.address`, else
    STREAMLIT_SERVER_ADDRESS, else None (every interface, unless a config.toml says otherwise)."""
    found = _flag_values(args, SETTING)
    return found[-1] if found else env.get("STREAMLIT_SERVER_ADDRESS")


def secrets_files_from(args: Sequence[str], env: Mapping[str, str]) -> list[str] | None:
    """The secrets files `streamlit run ... ARGS` would read when told where (`--secrets.files`, which may be
    given more than once, else STREAMLIT_SECRETS_FILES, space-separated); None: Streamlit's default places
    (`.streamlit/secrets.toml` here and in the home folder).  Why: a deployment may keep the secrets outside
    the application's folder, and the check before starting must read the same file as the app."""
    found = _flag_values(args, SECRETS_SETTING)
    if found:
        return found
    value = env.get("STREAMLIT_SECRETS_FILES", "").split()
    return value or None


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


Admitted = Literal["open", "sign-in", "not-granted", "broken", "refused"]


@dataclass(frozen=True)
class Admission:
    """What this visitor gets on this run: `open` (the dashboard, within `scope`), `sign-in` (only the
    sign-in button), `not-granted` (signed in but not in the access file), `broken` (the access file cannot
    be used) or `refused` (see `decide`).  Only `open` carries a scope."""
    state: Admitted
    message: str
    who: str = LOCAL_IDENTITY
    scope: Scope | None = None


def who_is(user: Mapping[str, Any]) -> str:
    """How a signed-in user is named in the sidebar and the access log: e-mail, else the provider's subject."""
    return str(user.get("email") or user.get("sub") or "unknown")


def user_groups(user: Mapping[str, Any]) -> tuple[str, ...]:
    """The identity provider's `groups` claim as a tuple (a provider may send one group as a string)."""
    groups = user.get("groups") or ()
    return tuple(str(g) for g in (groups if isinstance(groups, (list, tuple)) else (groups,)))


def not_granted(who: str) -> str:
    return (f"You are signed in as {who}, but your account is not in the access file, so the dashboard "
            "shows you nothing. Ask your administrator to add you (or a group of yours) with a role.")


def broken_file(error: Exception) -> str:
    return (f"The dashboard is closed to everyone until its access file is mended: {error}. "
            "Ask your administrator (docs/sign_in.md describes the file).")


def admit(access: Access, user: Mapping[str, Any], read_access: Callable[[], AccessFile]) -> Admission:
    """The one rule after `decide`: who this visitor is and what they may read.  `user` is `st.user`;
    `read_access` reads the access file (raising AccessFileError or OSError when it cannot)."""
    if access.mode == "refused":
        return Admission("refused", access.message)
    if access.mode == "local":
        return Admission("open", access.message, LOCAL_IDENTITY, EVERYTHING)
    if not user.get("is_logged_in", False):
        return Admission("sign-in", access.message)
    who = who_is(user)
    try:
        grants = read_access()
    except (AccessFileError, OSError, UnicodeDecodeError) as exc:
        return Admission("broken", broken_file(exc), who)
    scope = grants.scope_for(user.get("email"), user.get("sub"), user_groups(user))
    if scope is None:
        return Admission("not-granted", not_granted(who), who)
    return Admission("open", f"Signed in as {who}: {scope.label}", who, scope)


_read_cache: dict[tuple[str, int, int], AccessFile] = {}


def read_access_file(path: Path | None = None) -> AccessFile:
    """The access file, parsed once per version of the file (pages ask for the scope many times a run);
    a missing file grants nobody (scope.load_access)."""
    path = path or access_file_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return load_access(path)
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _read_cache:
        _read_cache.clear()
        _read_cache[key] = load_access(path)
    return _read_cache[key]


# This run's admission, decided once by `guard()` at the start of every run and read by every later call in the run
# (a page asks for the scope at each store call: about 40 times a run, each reading the secrets again).  Kept per
# thread (a session's script runs on its own thread) together with the session it was decided for, so another
# session's, or a call outside a run, never reads it; the next run decides it again.
_RUN_ADMISSION: ContextVar[tuple[str, Admission] | None] = ContextVar("paqa_run_admission", default=None)


def _session_id() -> str | None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    return None if ctx is None else ctx.session_id


def admission() -> Admission:
    """This session's admission (see `admit`): the one `guard()` decided at the start of this run."""
    held, session = _RUN_ADMISSION.get(), _session_id()
    if held is not None and session is not None and held[0] == session:
        return held[1]
    return admit(current(), st.user, read_access_file)


def guard() -> Access:
    """Call first on every run: stops with the refusal, the sign-in button, "not in the access file" or the
    access file's error; returns only for a visitor who may see the dashboard."""
    access = current()
    found = admit(access, st.user, read_access_file)
    session = _session_id()
    _RUN_ADMISSION.set((session, found) if session is not None else None)
    if found.state == "refused":
        st.error(found.message, icon=":material/lock:")
        st.stop()
    if found.state == "sign-in":
        st.info(found.message, icon=":material/login:")
        st.button("Sign in", on_click=st.login, args=(provider_name(auth_section()),), icon=":material/login:",
                  type="primary")
        st.stop()
    if found.state in ("not-granted", "broken"):
        st.error(found.message, icon=":material/block:")
        st.button("Sign out", on_click=st.logout, icon=":material/logout:")
        st.stop()
    return access


def identity() -> str:
    """Who is using this session, for the access log: the signed-in e-mail (else subject), or the local
    analyst.  Never stored in the analytic tables."""
    return admission().who


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
    computer; a signed-in user gets what the access file grants (guard() lets no one else reach a page).
    Inside a download's deferred maker, the scope of the session that drew the button."""
    deferred = _DEFERRED_SCOPE.get()
    if deferred is not None:
        return deferred
    found = admission()
    return found.scope if found.scope is not None else NO_ACCESS


def notice(access: Access) -> None:
    """At the foot of the sidebar on every page: in local mode a calm line saying so; signed in, who is
    signed in, their role and teams, and Sign out."""
    if access.mode == "local":
        st.sidebar.caption(f":material/computer: {access.message}")
        return
    found = admission()
    if found.state == "open" and found.scope is not None:
        st.sidebar.caption(f":material/person: Signed in as **{found.who}**  \n{found.scope.label}")
        st.sidebar.button("Sign out", on_click=st.logout, icon=":material/logout:", key="paqa_sign_out")


def main(argv: Sequence[str]) -> int:
    """`python -m paqa_dash.ui.access [streamlit arguments]`: scripts/run.sh's check before starting."""
    files = secrets_files_from(argv, os.environ)
    if files:
        st_config.set_option(SECRETS_SETTING, files)
    access = decide(address_from(argv, os.environ), sign_in_configured(auth_section()))
    if access.mode == "refused":
        print(access.message.replace("`", "'"), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
