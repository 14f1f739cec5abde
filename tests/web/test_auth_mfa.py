"""Multi-factor sign-in (issue 12): TOTP as RFC 6238 defines it, enrolment with the secret as
text and an otpauth:// URI, single-use codes and recovery codes stored hashed, a practice's
requirement for managers and admins, and the code asked again for new API tokens."""

from __future__ import annotations

import base64
import re

import pytest
from auth_site import (
    PASSWORD,
    build_site,
    client,
    code_now,
    pending_of,
    post_code,
    post_login,
)
from factories import csrf_of
from sqlalchemy import select

from safereply.errors import PermissionDenied
from safereply.services import mfa
from safereply.store.models import RecoveryCode, User


@pytest.fixture
def site(tmp_path):
    built = build_site(f"sqlite:///{tmp_path / 'mfa.sqlite3'}")
    yield built
    built.store.dispose()


# RFC 6238, appendix B: the SHA-1 seed and its 8-digit codes.
RFC_SEED = base64.b32encode(b"12345678901234567890").decode()
RFC_VECTORS = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]


@pytest.mark.parametrize(("at", "code"), RFC_VECTORS)
def test_totp_matches_the_rfc_6238_test_vectors(at, code):
    assert mfa.totp(RFC_SEED, at, digits=8) == code


def test_a_code_is_accepted_one_step_either_side_and_only_once():
    secret = mfa.new_secret()
    now = 1_800_000_000
    step = mfa.verify_totp(secret, mfa.totp(secret, now - 30), now, None)
    assert step == now // 30 - 1
    assert mfa.verify_totp(secret, mfa.totp(secret, now - 30), now, step) is None  # replayed
    assert mfa.verify_totp(secret, mfa.totp(secret, now - 90), now, None) is None  # too old
    assert mfa.verify_totp(secret, "12345", now, None) is None
    assert mfa.verify_totp(secret, "abcdef", now, None) is None


def test_the_otpauth_uri_carries_the_secret_issuer_and_account():
    uri = mfa.otpauth_uri("JBSWY3DPEHPK3PXP", "ann@example.test")
    assert uri.startswith("otpauth://totp/SafeReply:ann@example.test?")
    assert "secret=JBSWY3DPEHPK3PXP" in uri and "issuer=SafeReply" in uri and "period=30" in uri


def _enrol_on_the_account_page(site, browser) -> tuple[str, list[str]]:
    page = browser.get("/account").text
    shown = browser.post(
        "/account/mfa/enrol", data={"csrf_token": csrf_of(page), "password": PASSWORD}
    )
    assert shown.status_code == 200
    secret = re.search(r'id="mfa-secret">([A-Z2-7]+)<', shown.text).group(1)
    assert "otpauth://totp/SafeReply:" in shown.text
    done = browser.post(
        "/account/mfa/confirm",
        data={"csrf_token": csrf_of(shown.text), "code": code_now(site, secret)},
    )
    assert done.status_code == 200 and "Your recovery codes" in done.text
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", done.text)
    return secret, codes


def test_enrolment_shows_the_secret_and_ten_recovery_codes_stored_hashed(site):
    browser = client(site)
    assert post_login(browser, "staff").status_code == 303
    _, codes = _enrol_on_the_account_page(site, browser)
    assert len(codes) == 10 == len(set(codes))
    with site.store.read() as session:
        stored = set(session.scalars(select(RecoveryCode.code_hash)))
    assert stored == {mfa.hash_recovery_code(c) for c in codes}
    assert not stored & set(codes)
    assert "On since" in browser.get("/account").text


def test_sign_in_then_asks_for_the_code_and_a_code_works_once(site):
    browser = client(site)
    post_login(browser, "staff")
    secret, _ = _enrol_on_the_account_page(site, browser)
    site.clock.advance(seconds=30)
    fresh = client(site, "203.0.113.40")
    asked = post_login(fresh, "staff")
    assert asked.status_code == 200 and "Enter your code" in asked.text
    assert "safereply_session" not in fresh.cookies
    pending = pending_of(asked.text)
    assert post_code(fresh, pending, "000000").status_code == 401
    code = code_now(site, secret)
    assert post_code(fresh, pending, code).status_code == 303
    replay = client(site, "203.0.113.41")
    again = post_code(replay, pending_of(post_login(replay, "staff").text), code)
    assert again.status_code == 401  # the same code, seen over a shoulder, does not work twice


def test_a_recovery_code_signs_in_once_and_new_codes_void_the_old(site):
    browser = client(site)
    post_login(browser, "staff")
    secret, codes = _enrol_on_the_account_page(site, browser)
    fresh = client(site, "203.0.113.50")
    assert (
        post_code(fresh, pending_of(post_login(fresh, "staff").text), codes[0]).status_code == 303
    )
    other = client(site, "203.0.113.51")
    assert (
        post_code(other, pending_of(post_login(other, "staff").text), codes[0]).status_code == 401
    )
    site.clock.advance(seconds=60)
    page = browser.get("/account").text
    assert "9 of 10 recovery codes left" in page
    renewed = browser.post(
        "/account/mfa/recovery-codes",
        data={"csrf_token": csrf_of(page), "password": PASSWORD, "code": code_now(site, secret)},
    )
    assert renewed.status_code == 200
    third = client(site, "203.0.113.52")
    assert (
        post_code(third, pending_of(post_login(third, "staff").text), codes[1]).status_code == 401
    )


def test_a_practice_can_require_mfa_of_managers_who_enrol_at_next_sign_in(site):
    admin = client(site)
    post_login(admin, "admin")
    page = admin.get("/p/1/security").text
    saved = admin.post("/p/1/security", data={"csrf_token": csrf_of(page), "require_mfa": "on"})
    assert saved.status_code == 200 and "Sign-in policy saved." in saved.text
    manager = client(site, "203.0.113.60")
    asked = post_login(manager, "manager")
    assert asked.status_code == 200 and "Set up a second factor" in asked.text
    secret = re.search(r'id="mfa-secret">([A-Z2-7]+)<', asked.text).group(1)
    assert "safereply_session" not in manager.cookies
    assert manager.get("/account", follow_redirects=False).status_code == 303  # not signed in
    done = post_code(manager, pending_of(asked.text), code_now(site, secret))
    assert done.status_code == 200 and "Your recovery codes" in done.text
    assert manager.get("/account").status_code == 200
    # Staff are not asked; the manager cannot turn the factor off while it is required.
    assert post_login(client(site, "203.0.113.61"), "staff").status_code == 303
    actor = site.services.users.actor_for(site.users["manager"]["id"])
    with pytest.raises(PermissionDenied):
        site.services.auth.disable_mfa(actor)


def test_only_the_practices_admins_set_its_policy(site):
    for name, status in (("manager", 403), ("other", 404)):
        browser = client(site)
        post_login(browser, name)
        csrf = browser.get("/api/v1/auth/me").json()["csrf_token"]
        response = browser.put(
            "/api/v1/practices/1/security",
            json={"require_mfa": True},
            headers={"X-CSRF-Token": csrf},
        )
        assert response.status_code == status, name
    assert site.services.auth.mfa_required(site.users["manager"]["id"]) is False


def test_api_sign_in_and_new_tokens_ask_for_the_code(site):
    actor = site.services.users.actor_for(site.users["staff"]["id"])
    secret = site.services.auth.begin_enrolment(actor.user_id)["secret"]
    site.services.auth.confirm_enrolment(actor, code_now(site, secret))
    api = client(site)
    body = {"email": "staff@example.test", "password": PASSWORD}
    missing = api.post("/api/v1/auth/login", json=body)
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "mfa_required"
    signed = api.post("/api/v1/auth/login", json={**body, "code": code_now(site, secret, 1)})
    assert signed.status_code == 200
    headers = {"X-CSRF-Token": signed.json()["csrf_token"]}
    token = {"name": "export", "password": PASSWORD}
    asked = api.post("/api/v1/auth/tokens", json=token, headers=headers)
    assert asked.status_code == 401 and asked.json()["error"]["code"] == "mfa_required"
    site.clock.advance(seconds=60)
    created = api.post(
        "/api/v1/auth/tokens", json={**token, "code": code_now(site, secret)}, headers=headers
    )
    assert created.status_code == 201 and created.json()["token"].startswith("sr_")


def test_turning_the_factor_off_needs_password_and_code(site):
    browser = client(site)
    post_login(browser, "staff")
    secret, _ = _enrol_on_the_account_page(site, browser)
    page = browser.get("/account").text
    refused = browser.post(
        "/account/mfa/disable", data={"csrf_token": csrf_of(page), "password": PASSWORD}
    )
    assert (
        refused.status_code == 422 and "Enter the code of your authenticator app." in refused.text
    )
    site.clock.advance(seconds=30)
    off = browser.post(
        "/account/mfa/disable",
        data={"csrf_token": csrf_of(page), "password": PASSWORD, "code": code_now(site, secret)},
    )
    assert off.status_code == 200 and "The second factor is off." in off.text
    with site.store.read() as session:
        user = session.get(User, site.users["staff"]["id"])
        assert user.totp_secret is None and user.totp_enabled_at is None
    assert post_login(client(site, "203.0.113.70"), "staff").status_code == 303


def test_the_totp_secret_is_sealed_at_rest(site):
    actor = site.services.users.actor_for(site.users["staff"]["id"])
    secret = site.services.auth.begin_enrolment(actor.user_id)["secret"]
    with site.store.read() as session:
        stored = session.get(User, actor.user_id).totp_secret
    assert secret not in stored and stored.startswith("sealed:")
    assert site.services.auth.confirm_enrolment(actor, code_now(site, secret))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_second_factor_on_both_databases(tmp_path, backend):
    from auth_site import sites

    with sites(tmp_path, backend) as site:
        auth = site.services.auth
        actor = site.services.users.actor_for(site.users["manager"]["id"])
        secret = auth.begin_enrolment(actor.user_id)["secret"]
        codes = auth.confirm_enrolment(actor, code_now(site, secret))
        assert codes is not None and len(codes) == 10
        assert not auth.verify_second_factor(actor.user_id, code_now(site, secret))  # used
        assert auth.verify_second_factor(actor.user_id, code_now(site, secret, 1))
        assert auth.verify_second_factor(actor.user_id, codes[3].upper())
        assert not auth.verify_second_factor(actor.user_id, codes[3])
        assert auth.mfa_status(actor)["recovery_codes_left"] == 9
        admin = site.services.users.actor_for(site.users["admin"]["id"])
        auth.set_practice_policy(admin, 1, require_mfa=True)
        assert auth.mfa_required(actor.user_id)
        with pytest.raises(PermissionDenied):
            auth.disable_mfa(actor)
        auth.set_practice_policy(admin, 1, require_mfa=False)
        auth.disable_mfa(actor)
        assert auth.mfa_status(actor)["enabled"] is False


def test_the_instance_administrator_turns_a_lost_factor_off(site, monkeypatch, capsys, tmp_path):
    from safereply.cli.main import main

    actor = site.services.users.actor_for(site.users["manager"]["id"])
    secret = site.services.auth.begin_enrolment(actor.user_id)["secret"]
    site.services.auth.confirm_enrolment(actor, code_now(site, secret))
    browser = client(site)
    assert post_login(browser, "manager").status_code == 200  # the code is asked
    monkeypatch.setenv("SAFEREPLY_DATABASE_URL", f"sqlite:///{tmp_path / 'mfa.sqlite3'}")
    assert main(["users", "mfa-off", "manager@example.test"]) == 0
    assert "second factor off" in capsys.readouterr().out
    assert post_login(client(site), "manager").status_code == 303
    with pytest.raises(PermissionDenied):
        site.services.auth.reset_mfa(actor, actor.user_id)  # not an instance administrator


def test_enrolment_pages_draw_the_uri_as_a_qr_code(site):
    pytest.importorskip("qrcode")  # the 'qr' extra; without it the text and link suffice
    browser = client(site)
    post_login(browser, "staff")
    page = browser.get("/account").text
    shown = browser.post(
        "/account/mfa/enrol", data={"csrf_token": csrf_of(page), "password": PASSWORD}
    ).text
    found = re.search(
        r'<img class="mfa-qr" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', shown
    )
    svg = base64.b64decode(found.group(1)).decode()
    assert svg.startswith("<?xml") and "<path" in svg and "<script" not in svg
    assert re.search(r'id="mfa-secret">[A-Z2-7]+<', shown)  # the text stays beside it
