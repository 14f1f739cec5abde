"""Passwords (issue 12): the policy (length, a shipped list of common passwords, not the e-mail,
not one character repeated) and self-service reset by e-mail: single use, short-lived, stored
hashed, the same answer whether or not the account exists, every session and token ended."""

from __future__ import annotations

import re

import pytest
from auth_site import PASSWORD, SECRET, build_site, client, login_token, post_login, sites
from sqlalchemy import select

from safereply.errors import InputError
from safereply.services import SYSTEM
from safereply.services.auth import Attempt
from safereply.services.auth_signing import Signer
from safereply.services.passwords import check_password, common_passwords
from safereply.store.models import PasswordReset

NEW = "plum orchard lantern 42"


@pytest.fixture
def site(tmp_path):
    built = build_site(f"sqlite:///{tmp_path / 'passwords.sqlite3'}", password_reset_ttl=1800)
    yield built
    built.store.dispose()


# -- the policy ---------------------------------------------------------------------------------


def test_the_common_password_list_ships_with_the_package():
    listed = common_passwords()
    assert len(listed) >= 1000
    assert {"password", "123456", "qwerty", "iloveyou", "dentist"} <= listed


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("short", "at least 10"),
        ("aaaaaaaaaa", "repeated"),
        ("ababababab", "repeated"),
        ("1234567890", "run of keys"),
        ("Password1234", "too common"),
        ("P@ssw0rd2026!", "too common"),
        ("iloveyou!!!!", "too common"),
        ("Summer2026!!", "too common"),
        ("footballfootball", "too common"),
        ("jane.doe@example.test", "e-mail"),
        ("JaneDoe-2026", "e-mail"),
        ("x" * 1001, "at most"),
    ],
)
def test_weak_passwords_are_refused_with_the_rule(password, rule):
    with pytest.raises(InputError, match=rule):
        check_password(password, "jane.doe@example.test")


@pytest.mark.parametrize("password", ["correct horse battery", "plum orchard lantern 42"])
def test_passphrases_are_accepted(password):
    check_password(password, "jane.doe@example.test")


def test_every_way_a_password_is_set_uses_the_policy(site):
    with pytest.raises(InputError, match="too common"):
        site.services.users.create_user(SYSTEM, email="new@example.test", password="Password1234")
    admin = site.services.users.actor_for(site.users["admin"]["id"])
    with pytest.raises(InputError, match="e-mail"):
        site.services.users.invite(
            admin, practice_id=1, email="sam.lee@example.test", password="samlee123456"
        )
    browser = client(site)
    post_login(browser, "staff")
    csrf = browser.get("/api/v1/auth/me").json()["csrf_token"]
    weak = browser.put(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "qwerty123456"},
        headers={"X-CSRF-Token": csrf},
    )
    assert weak.status_code == 422


# -- reset by e-mail ------------------------------------------------------------------------------


def _ask(site, email: str, address: str = "203.0.113.5"):
    browser = client(site, address)
    token = login_token(browser, "/login/forgot")
    return browser.post("/login/forgot", data={"email": email, "login_token": token})


def _link(site) -> str:
    body = site.outbox.messages[-1][2]
    return re.search(r"http://[^/]+(/login/reset/\S+)", body).group(1)


def _reset(site, path: str, password: str = NEW, address: str = "203.0.113.6"):
    browser = client(site, address)
    form = browser.get(path)
    if form.status_code != 200:
        return form
    token = re.search(r'name="login_token" value="([^"]+)"', form.text).group(1)
    return browser.post(
        path,
        data={"new_password": password, "confirm_password": password, "login_token": token},
        follow_redirects=False,
    )


def test_the_answer_is_the_same_whether_or_not_the_account_exists(site):
    known, unknown = (
        _ask(site, "staff@example.test"),
        _ask(site, "nobody@example.test", "203.0.113.9"),
    )
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    assert [m[0] for m in site.outbox.messages] == ["staff@example.test"]
    api = client(site, "203.0.113.10")
    a = api.post("/api/v1/auth/password-reset", json={"email": "manager@example.test"})
    b = api.post("/api/v1/auth/password-reset", json={"email": "ghost@example.test"})
    assert a.status_code == b.status_code == 202 and a.json() == b.json()


def test_the_link_is_stored_hashed_under_the_secret_key(site):
    _ask(site, "staff@example.test")
    token = _link(site).rsplit("/", 1)[1]
    with site.store.read() as session:
        stored = session.scalars(select(PasswordReset.token_hash)).one()
    assert token not in stored
    assert stored == Signer(SECRET).keyed_hash("password-reset", token)
    assert stored != Signer("another secret key " * 3).keyed_hash("password-reset", token)


def test_a_reset_works_once_and_ends_every_session_and_token(site):
    signed_in = client(site)
    post_login(signed_in, "staff")
    actor = site.services.users.actor_for(site.users["staff"]["id"])
    token = site.services.users.create_token(actor, name="script")["token"]
    _ask(site, "staff@example.test")
    path = _link(site)
    done = _reset(site, path)
    assert done.status_code == 303 and done.headers["location"] == "/login?done=password-reset"
    assert signed_in.get("/account", follow_redirects=False).status_code == 303
    bearer = {"Authorization": f"Bearer {token}"}
    assert client(site).get("/api/v1/auth/me", headers=bearer).status_code == 401
    assert post_login(client(site), "staff", NEW).status_code == 303
    again = _reset(site, path, "yet another passphrase")
    assert again.status_code == 404 and "This link no longer works" in again.text
    assert post_login(client(site), "staff", "yet another passphrase").status_code == 401


def test_a_link_expires_and_a_newer_one_voids_it(site):
    _ask(site, "staff@example.test")
    first = _link(site)
    site.clock.advance(minutes=10)
    _ask(site, "staff@example.test")
    second = _link(site)
    assert _reset(site, first).status_code == 404
    site.clock.advance(minutes=31)
    assert _reset(site, second).status_code == 404
    assert post_login(client(site), "staff").status_code == 303


def test_a_weak_new_password_keeps_the_link_usable(site):
    _ask(site, "staff@example.test")
    path = _link(site)
    weak = _reset(site, path, "password123")
    assert weak.status_code == 422 and "too common" in weak.text
    assert _reset(site, path).status_code == 303


def test_reset_requests_are_throttled_per_address_and_per_source(site):
    for n in range(site.services.settings.login_max_failures + 3):
        _ask(site, "staff@example.test", f"198.51.100.{n + 1}")
    # Mail to one address stops past the limit (silently: the answer does not change).
    assert len(site.outbox.messages) == site.services.settings.login_max_failures
    for _ in range(site.services.settings.login_max_failures):
        _ask(site, "ghost@example.test", "192.0.2.77")
    assert _ask(site, "ghost@example.test", "192.0.2.77").status_code == 429


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_long_addresses_are_counted_without_error(tmp_path, backend):
    with sites(tmp_path, backend) as site:
        email = "a" * 300 + "@example.test"
        for _ in range(2):
            assert site.services.auth.request_password_reset(email, source="203.0.113.1") == 0
            wrong = Attempt(source="203.0.113.1", email=email, password="x" * 12)
            assert site.services.auth.sign_in(wrong).outcome == "wrong"
        assert site.services.auth.limiter.account_locked(email) is False
