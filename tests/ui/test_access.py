"""Who may open the dashboard: this computer only unless sign-in is configured (paqa_dash/ui/access.py)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from paqa_dash.scope import AccessFileError, parse_access
from paqa_dash.ui.access import (LOCAL_IDENTITY, LOCAL_NOTICE, address_from, admit, decide, is_loopback,
                                 provider_name, read_access_file, secrets_files_from, sign_in_configured,
                                 user_groups)

ROOT = Path(__file__).resolve().parents[2]
AUTH = {"redirect_uri": "https://dash.example.gov.uk/oauth2callback", "cookie_secret": "s" * 32,
        "client_id": "id", "client_secret": "secret",
        "server_metadata_url": "https://login.example.gov.uk/.well-known/openid-configuration"}


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.2", "localhost", "LOCALHOST", "::1", "[::1]"])
def test_loopback_addresses(address: str) -> None:
    assert is_loopback(address)


@pytest.mark.parametrize("address", [None, "", "0.0.0.0", "::", "192.168.1.20", "10.0.0.5", "dash.example.gov.uk",
                                     "unix:///tmp/paqa.sock"])
def test_every_other_address_is_reachable_from_elsewhere(address) -> None:
    assert not is_loopback(address)


def test_no_sign_in_on_loopback_is_local_mode_with_the_notice() -> None:
    access = decide("127.0.0.1", sign_in=False)
    assert access.mode == "local" and access.message == LOCAL_NOTICE


@pytest.mark.parametrize("address", [None, "0.0.0.0", "192.168.1.20"])
def test_no_sign_in_on_another_address_is_refused_naming_the_setting(address) -> None:
    access = decide(address, sign_in=False)
    assert access.mode == "refused"
    assert "server.address" in access.message and "[auth]" in access.message and "127.0.0.1" in access.message
    if address:
        assert address in access.message


@pytest.mark.parametrize("address", [None, "0.0.0.0", "127.0.0.1"])
def test_with_sign_in_every_visitor_signs_in(address) -> None:
    assert decide(address, sign_in=True).mode == "sign-in"


def test_sign_in_is_configured_only_with_everything_st_login_needs() -> None:
    assert sign_in_configured(AUTH)
    provider = {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")}
    assert sign_in_configured({"redirect_uri": AUTH["redirect_uri"], "cookie_secret": "x", "microsoft": provider})
    assert not sign_in_configured(None)
    assert not sign_in_configured({})
    assert not sign_in_configured({**AUTH, "cookie_secret": ""})
    assert not sign_in_configured({k: v for k, v in AUTH.items() if k != "client_secret"})
    assert not sign_in_configured("auth")


def test_the_address_streamlit_will_use_last_argument_then_environment() -> None:
    assert address_from([], {}) is None
    assert address_from([], {"STREAMLIT_SERVER_ADDRESS": "0.0.0.0"}) == "0.0.0.0"
    assert address_from(["--server.address", "127.0.0.1", "--server.address=0.0.0.0"], {}) == "0.0.0.0"
    assert address_from(["--server.port", "8502", "--server.address", "::1"],
                        {"STREAMLIT_SERVER_ADDRESS": "0.0.0.0"}) == "::1"


def _check(args: list[str], cwd: Path, extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "PYTHONPATH": str(ROOT), **(extra or {})}
    return subprocess.run([sys.executable, "-m", "paqa_dash.ui.access", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_check_before_starting_refuses_another_address_with_one_clear_message(tmp_path: Path) -> None:
    done = _check(["--server.address", "0.0.0.0"], tmp_path)
    assert done.returncode == 1
    assert "server.address" in done.stderr and "0.0.0.0" in done.stderr and "Traceback" not in done.stderr
    assert _check(["--server.address", "127.0.0.1"], tmp_path).returncode == 0


def test_the_check_before_starting_accepts_any_address_once_sign_in_is_configured(tmp_path: Path) -> None:
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n" + "".join(f'{k} = "{v}"\n' for k, v in AUTH.items()), encoding="utf-8")
    assert _check(["--server.address", "0.0.0.0"], tmp_path).returncode == 0


def test_the_secrets_files_streamlit_will_read() -> None:
    assert secrets_files_from([], {}) is None
    two = {"STREAMLIT_SECRETS_FILES": "/etc/a.toml /etc/b.toml"}
    assert secrets_files_from([], two) == ["/etc/a.toml", "/etc/b.toml"]
    assert secrets_files_from(["--secrets.files", "/x.toml", "--secrets.files=/y.toml"],
                              {"STREAMLIT_SECRETS_FILES": "/z.toml"}) == ["/x.toml", "/y.toml"]


def test_the_check_before_starting_reads_secrets_kept_elsewhere(tmp_path: Path) -> None:
    elsewhere = tmp_path / "etc" / "paqa_secrets.toml"
    elsewhere.parent.mkdir()
    elsewhere.write_text("[auth]\n" + "".join(f'{k} = "{v}"\n' for k, v in AUTH.items()), encoding="utf-8")
    assert _check(["--server.address", "0.0.0.0"], tmp_path).returncode == 1
    assert _check(["--server.address", "0.0.0.0", "--secrets.files", str(elsewhere)], tmp_path).returncode == 0
    assert _check(["--server.address", "0.0.0.0"], tmp_path,
                  {"STREAMLIT_SECRETS_FILES": str(elsewhere)}).returncode == 0


def test_a_broken_secrets_file_is_no_sign_in_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text("[auth\nnot toml", encoding="utf-8")
    done = _check(["--server.address", "0.0.0.0"], tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr


# ---------------------------------------------------------------- after sign-in: who is admitted (admit)

SIGN_IN = decide("0.0.0.0", sign_in=True)
GRANTS = parse_access('[[users]]\nemail = "mo@example.gov.uk"\nrole = "service_manager"\nteams = ["North"]\n'
                      '[[groups]]\ngroup = "g-admins"\nrole = "administrator"\n')


def _file():
    return GRANTS


def test_local_mode_is_the_one_analyst_with_everything() -> None:
    found = admit(decide("127.0.0.1", sign_in=False), {}, _file)
    assert found.state == "open" and found.who == LOCAL_IDENTITY and found.scope.label == "Administrator (all teams)"


def test_refused_stays_refused_whoever_asks() -> None:
    found = admit(decide("0.0.0.0", sign_in=False), {"is_logged_in": True, "email": "mo@example.gov.uk"}, _file)
    assert found.state == "refused" and found.scope is None


@pytest.mark.parametrize("user", [{}, {"is_logged_in": False}, {"is_logged_in": False, "email": "mo@example.gov.uk"}])
def test_a_visitor_not_signed_in_gets_only_the_sign_in(user) -> None:
    found = admit(SIGN_IN, user, _file)
    assert found.state == "sign-in" and found.scope is None


def test_a_signed_in_user_gets_what_the_access_file_grants() -> None:
    found = admit(SIGN_IN, {"is_logged_in": True, "email": "Mo@Example.gov.uk", "sub": "x1"}, _file)
    assert found.state == "open" and found.who == "Mo@Example.gov.uk"
    assert found.scope.teams == ("North",) and found.scope.role == "service_manager"
    assert "Service manager (North)" in found.message


def test_a_group_claim_grants_a_role() -> None:
    found = admit(SIGN_IN, {"is_logged_in": True, "sub": "abc", "groups": ["other", "g-admins"]}, _file)
    assert found.state == "open" and found.who == "abc" and found.scope.role == "administrator"


def test_a_signed_in_user_not_in_the_access_file_is_told_so_and_gets_no_scope() -> None:
    found = admit(SIGN_IN, {"is_logged_in": True, "email": "sam@example.gov.uk", "groups": "g-other"}, _file)
    assert found.state == "not-granted" and found.scope is None
    assert "sam@example.gov.uk" in found.message and "not in the access file" in found.message
    assert "administrator" in found.message


@pytest.mark.parametrize("error", [AccessFileError("access.toml, users entry 2: `role` must be one of ..."),
                                   PermissionError("access.toml: permission denied")])
def test_an_unreadable_access_file_stops_everyone_with_its_message(error) -> None:
    def broken():
        raise error
    for user in ({"is_logged_in": True, "email": "mo@example.gov.uk"}, {"is_logged_in": True, "sub": "admin"}):
        found = admit(SIGN_IN, user, broken)
        assert found.state == "broken" and found.scope is None and str(error) in found.message


def test_user_groups_takes_a_list_or_a_single_group() -> None:
    assert user_groups({"groups": ["a", "b"]}) == ("a", "b")
    assert user_groups({"groups": "a"}) == ("a",)
    assert user_groups({}) == ()


def test_the_provider_st_login_uses() -> None:
    assert provider_name(AUTH) is None   # keys in [auth] itself: Streamlit's default provider
    provider = {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")}
    named = {"redirect_uri": AUTH["redirect_uri"], "cookie_secret": "x", "expose_tokens": {"a": 1},
             "microsoft": provider}
    assert provider_name(named) == "microsoft"
    assert provider_name(None) is None


def test_the_access_file_is_read_again_when_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "access.toml"
    assert read_access_file(path).users == ()    # missing: grants nobody
    path.write_text('[[users]]\nemail = "a@example.gov.uk"\nrole = "strategic_lead"\n', encoding="utf-8")
    assert read_access_file(path).scope_for("a@example.gov.uk", None).role == "strategic_lead"
    path.write_text('[[users]]\nemail = "a@example.gov.uk"\nrole = "administrator"\n# changed\n',
                    encoding="utf-8")
    assert read_access_file(path).scope_for("a@example.gov.uk", None).role == "administrator"
    path.write_text("[[users]]\nrole = 3\n", encoding="utf-8")
    with pytest.raises(AccessFileError):
        read_access_file(path)


def test_the_admission_decided_for_one_session_is_read_by_that_session_only(monkeypatch) -> None:
    """`guard()` decides the admission once a run and the run's later calls reuse it; a call for another
    session, or outside any run, decides it again (it never reads someone else's scope)."""
    from paqa_dash.scope import Scope
    from paqa_dash.ui import access

    north = access.Admission("open", "", "someone@example.org", Scope(role="strategic_lead", teams=("North",)))
    decided = access.Admission("open", "", "decided now", Scope(role="strategic_lead", teams=("South",)))
    monkeypatch.setattr(access, "admit", lambda *_: decided)
    token = access._RUN_ADMISSION.set(("session-a", north))
    try:
        monkeypatch.setattr(access, "_session_id", lambda: "session-a")
        assert access.admission() is north and access.current_scope() == north.scope
        monkeypatch.setattr(access, "_session_id", lambda: "session-b")
        assert access.admission() is decided and access.current_scope() == decided.scope
        monkeypatch.setattr(access, "_session_id", lambda: None)
        assert access.admission() is decided
    finally:
        access._RUN_ADMISSION.reset(token)
