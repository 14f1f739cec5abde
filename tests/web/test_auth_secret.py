"""SAFEREPLY_SECRET_KEY is used, not only checked at start-up (issue 12): it signs the pending
sign-in between password and code and the known-device cookie, and keys the stored hashes of
password-reset links; a value signed under another key, for another purpose, or too long ago
is refused."""

from __future__ import annotations

from dataclasses import replace

import pytest
from auth_site import PASSWORD, build_site, client, code_now, pending_of, post_code, post_login

from safereply.services.auth import Attempt
from safereply.services.auth_signing import Signer


@pytest.fixture
def site(tmp_path):
    built = build_site(f"sqlite:///{tmp_path / 'secret.sqlite3'}")
    yield built
    built.store.dispose()


def test_signed_values_check_key_purpose_age_and_integrity():
    signer = Signer("k" * 40)
    value = signer.sign("sign-in", {"uid": 7}, now=1000)
    assert signer.unsign("sign-in", value, max_age=300, now=1100) == {"uid": 7, "iat": 1000}
    assert signer.unsign("device", value, max_age=300, now=1100) is None  # another purpose
    assert Signer("j" * 40).unsign("sign-in", value, max_age=300, now=1100) is None
    assert signer.unsign("sign-in", value, max_age=300, now=1301) is None  # too old
    body, mac = value.split(".")
    forged = Signer("k" * 40).sign("sign-in", {"uid": 8}, now=1000).split(".")[0]
    assert signer.unsign("sign-in", f"{forged}.{mac}", max_age=300, now=1100) is None
    for junk in ("", "x", "a.b.c", f"{body}.", "é.é", "." * 3):
        assert signer.unsign("sign-in", junk, max_age=300, now=1100) is None


def _enrolled(site) -> str:
    actor = site.services.users.actor_for(site.users["staff"]["id"])
    secret = site.services.auth.begin_enrolment(actor.user_id)["secret"]
    site.services.auth.confirm_enrolment(actor, code_now(site, secret))
    site.clock.advance(seconds=30)
    return secret


def test_a_pending_sign_in_signed_under_another_key_is_refused(site):
    secret = _enrolled(site)
    forged = Signer("not the instance's key " * 2).sign(
        "sign-in", {"uid": site.users["staff"]["id"], "stage": "mfa"}, now=site.clock().timestamp()
    )
    browser = client(site)
    login_page = post_login(browser, "staff")  # a real first step, for the form token
    refused = post_code(browser, forged, code_now(site, secret))
    assert refused.status_code == 401 and "The sign-in timed out" in refused.text
    assert (
        post_code(browser, pending_of(login_page.text), code_now(site, secret)).status_code == 303
    )


def test_a_pending_sign_in_lasts_five_minutes(site):
    secret = _enrolled(site)
    browser = client(site)
    pending = pending_of(post_login(browser, "staff").text)
    site.clock.advance(minutes=6)
    assert post_code(browser, pending, code_now(site, secret)).status_code == 401


def test_a_forged_device_cookie_does_not_open_a_locked_account(site):
    auth = site.services.auth
    for n in range(site.services.settings.login_account_max_failures):
        auth.sign_in(Attempt(source=f"192.0.2.{n + 1}", email="staff@example.test", password="no!"))
    uid = site.users["staff"]["id"]
    now = site.clock().timestamp()
    forged = Signer("guessed key " * 4).sign("device", {"uid": uid, "id": "x"}, now=now)
    genuine = auth.signer.sign("device", {"uid": uid, "id": "y"}, now=now)
    attempt = Attempt(source="203.0.113.1", email="staff@example.test", password=PASSWORD)
    assert auth.sign_in(replace(attempt, device=forged)).outcome == "locked"
    assert auth.sign_in(replace(attempt, device=genuine)).outcome == "ok"
