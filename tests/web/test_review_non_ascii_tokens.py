"""A non-ASCII token is a wrong token, not a 500 (review defect 6).

``hmac.compare_digest`` raises TypeError on a str holding non-ASCII characters; every comparison
of a token the client sent (Meta's signature header, the sign-in form's double-submit token, the
API's and the pages' CSRF token) compares UTF-8 bytes instead.
"""

from __future__ import annotations

import pytest
from auth_site import build_site, client, post_login
from factories import csrf_of

from safereply.web.hooks import signature_ok


@pytest.fixture
def site(tmp_path):
    built = build_site(f"sqlite:///{tmp_path / 'nonascii.sqlite3'}")
    yield built
    built.store.dispose()


def test_a_non_ascii_meta_signature_is_wrong_not_an_error():
    assert signature_ok("app-secret", b"{}", "sha256=\u00e9") is False
    assert signature_ok("app-secret", b"{}", "sha256=" + "\u00e9" * 64) is False


def test_a_non_ascii_sign_in_token_is_refused(site):
    browser = client(site)
    browser.get("/login")  # sets the pre-session cookie
    data = {"email": "staff@example.test", "password": "x" * 12, "login_token": "\u00e9"}
    answer = browser.post("/login", data=data, follow_redirects=False)
    assert 400 <= answer.status_code < 500
    forgot = browser.post("/login/forgot", data={"email": "a@b.c", "login_token": "\u00e9"})
    assert 400 <= forgot.status_code < 500


def test_a_non_ascii_csrf_token_is_refused(site):
    browser = client(site)
    assert post_login(browser, "staff").status_code == 303
    api = browser.post("/api/v1/practices/1/posts", json={}, headers={"X-CSRF-Token": b"\xe9"})
    assert api.status_code == 403 and api.json()["error"]["code"] == "csrf"
    page = browser.get("/account")
    assert csrf_of(page.text)
    form = browser.post(
        "/account/password",
        data={"csrf_token": "\u00e9", "current": "x" * 12, "new": "y" * 14},
        follow_redirects=False,
    )
    assert 400 <= form.status_code < 500
