"""The account page: changing one's own password, and creating, listing and revoking API tokens."""

from __future__ import annotations

import re

from factories import PASSWORD, csrf_of, parse, sign_in
from fastapi.testclient import TestClient
from sqlalchemy import select

from safereply.store.models import AuditEvent

#: The app over a fresh SQLite file, two practices, their users and a few posts (a fixture).

NEW_PASSWORD = "a brand new passphrase"


def _actions(services, action: str) -> list[tuple[str, str | None]]:
    """Return (actor, object id) of each audit entry with this action."""
    with services.store.read() as session:
        rows = session.execute(
            select(AuditEvent.actor, AuditEvent.object_id).where(AuditEvent.action == action)
        )
        return [tuple(row) for row in rows]


def _change(client: TestClient, csrf: str, current: str, new: str, confirm: str | None = None):
    return client.post(
        "/account/password",
        data={
            "csrf_token": csrf,
            "current_password": current,
            "new_password": new,
            "confirm_password": new if confirm is None else confirm,
        },
        follow_redirects=False,
    )


# -- the page -----------------------------------------------------------------------------------


def test_account_page_renders_for_every_role_with_labelled_fields(site):
    app, *_ = site
    for name in ("staff", "manager", "admin", "other"):
        client = sign_in(app, name)
        response = client.get("/account")
        assert response.status_code == 200, name
        assert "<h1>Your account</h1>" in response.text
        assert f"{name}@example.test" in response.text
        found = parse(response.text)
        actions = {form["action"] for form in found.forms}
        assert {"/account/password", "/account/tokens", "/logout"} <= actions
        for form in found.forms:
            assert "csrf_token" in form["hidden"], form["action"]
        for tag, ident in found.fields:
            assert ident and ident in found.labels, (tag, ident)


def test_every_page_links_to_the_account_page(site):
    app, *_ = site
    client = sign_in(app, "staff")
    for path in ("/p/1/inbox", "/practices", "/account"):
        assert '<a href="/account"' in client.get(path).text, path
    assert 'href="/account" aria-current="page"' in client.get("/account").text


def test_account_page_needs_a_session(site):
    app, *_ = site
    response = TestClient(app).get("/account", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Faccount"


# -- password -------------------------------------------------------------------------------------


def test_password_change_ends_other_sessions_keeps_this_one_and_is_audited(site):
    app, services, _, _, users, _ = site
    client = sign_in(app, "staff")
    elsewhere = sign_in(app, "staff")  # another browser
    assert elsewhere.get("/p/1/inbox", follow_redirects=False).status_code == 200
    response = _change(client, csrf_of(client.get("/account").text), PASSWORD, NEW_PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"] == "/account?done=password"
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert "Password changed. Your other sessions are signed out." in page.text
    assert elsewhere.get("/p/1/inbox", follow_redirects=False).status_code == 303
    assert services.users.authenticate("staff@example.test", PASSWORD) is None
    assert services.users.authenticate("staff@example.test", NEW_PASSWORD) is not None
    assert _actions(services, "user.password") == [
        ("staff@example.test", str(users["staff"]["id"]))
    ]
    # The form of the new session works (its CSRF token is the new session's).
    again = _change(client, csrf_of(page.text), NEW_PASSWORD, PASSWORD)
    assert again.status_code == 303


def test_wrong_current_password_is_refused_and_changes_nothing(site):
    app, services, *_ = site
    client = sign_in(app, "staff")
    response = _change(
        client, csrf_of(client.get("/account").text), "not my password", NEW_PASSWORD
    )
    assert response.status_code == 403
    assert "The current password is wrong." in response.text
    assert 'id="current_password"' in response.text and 'aria-invalid="true"' in response.text
    assert NEW_PASSWORD not in response.text and "not my password" not in response.text
    assert services.users.authenticate("staff@example.test", PASSWORD) is not None
    assert _actions(services, "user.password") == []
    assert client.get("/p/1/inbox", follow_redirects=False).status_code == 200  # still signed in


def test_new_password_rules_are_the_services(site):
    app, services, *_ = site
    client = sign_in(app, "staff")
    csrf = csrf_of(client.get("/account").text)
    short = _change(client, csrf, PASSWORD, "short")
    assert short.status_code == 422
    assert "A password needs at least 10 characters." in short.text
    mismatch = _change(client, csrf, PASSWORD, NEW_PASSWORD, "another passphrase")
    assert mismatch.status_code == 422
    assert "The two new passwords do not match." in mismatch.text
    empty = _change(client, csrf, "", "")
    assert empty.status_code == 422
    assert "Enter your current password." in empty.text and "Enter a new password." in empty.text
    assert services.users.authenticate("staff@example.test", PASSWORD) is not None


def test_wrong_current_passwords_are_rate_limited_like_sign_ins(site):
    app, services, *_ = site
    client = sign_in(app, "staff")
    csrf = csrf_of(client.get("/account").text)
    limit = services.settings.login_max_failures
    for _ in range(limit):
        assert _change(client, csrf, "guess guess guess", NEW_PASSWORD).status_code == 403
    blocked = _change(client, csrf, PASSWORD, NEW_PASSWORD)  # even the right one waits now
    assert blocked.status_code == 429
    assert re.search(r"Too many wrong passwords\. Try again in \d+ seconds?\.", blocked.text)
    assert services.users.authenticate("staff@example.test", NEW_PASSWORD) is None
    # The same budget as the sign-in form: the account cannot be guessed there either.
    fresh = TestClient(app)
    token = re.search(r'name="login_token" value="([^"]+)"', fresh.get("/login").text).group(1)
    login = fresh.post(
        "/login",
        data={"email": "staff@example.test", "password": PASSWORD, "login_token": token},
    )
    assert login.status_code == 429


def test_the_api_and_the_page_share_one_limit_for_wrong_current_passwords(site):
    app, services, _, _, users, _ = site
    client = sign_in(app, "staff")
    csrf = csrf_of(client.get("/account").text)
    actor = services.users.actor_for(users["staff"]["id"])
    auth = {"Authorization": f"Bearer {services.users.create_token(actor, name='t')['token']}"}
    api = TestClient(app)
    body = {"current_password": "guess guess guess", "new_password": NEW_PASSWORD}
    for _ in range(services.settings.login_max_failures - 1):
        wrong = api.put("/api/v1/auth/password", json=body, headers=auth)
        assert wrong.status_code == 403
        assert wrong.json()["error"]["message"] == "the current password is wrong"
    assert _change(client, csrf, "one more guess", NEW_PASSWORD).status_code == 403
    right = {**body, "current_password": PASSWORD}
    refused = api.put("/api/v1/auth/password", json=right, headers=auth)
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "too many wrong passwords" in refused.json()["error"]["message"]
    assert _change(client, csrf, PASSWORD, NEW_PASSWORD).status_code == 429
    assert services.users.authenticate("staff@example.test", NEW_PASSWORD) is None


def test_password_form_without_csrf_is_rejected(site):
    app, services, *_ = site
    client = sign_in(app, "staff")
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 403
    assert "This form has expired" in response.text
    assert services.users.authenticate("staff@example.test", PASSWORD) is not None


# -- API tokens -----------------------------------------------------------------------------------


def _create(
    client: TestClient,
    name: str = "monthly export",
    csrf: str | None = None,
    password: str = PASSWORD,
    **fields: str,
):
    csrf = csrf or csrf_of(client.get("/account").text)
    data = {"csrf_token": csrf, "name": name, "password": password, **fields}
    return client.post("/account/tokens", data=data)


def test_token_secret_is_shown_once_and_never_again(site):
    app, services, *_ = site
    client = sign_in(app, "manager")
    response = _create(client)
    assert response.status_code == 201
    secret = re.search(r'id="token-secret" class="secret" value="(sr_[^"]+)"', response.text)
    assert secret, response.text
    secret = secret.group(1)
    assert "Copy it now: it will not be shown again." in response.text
    assert response.headers["cache-control"] == "no-store"
    assert 'data-copy="token-secret"' in response.text
    # Listed by name and first characters; the secret is on no page, twin or API answer again.
    account = client.get("/account")
    assert "monthly export" in account.text and secret[:10] in account.text
    for text in (
        account.text,
        client.get("/account?format=json").text,
        client.get("/api/v1/auth/tokens").text,
        client.get("/p/1/audit").text,
    ):
        assert secret not in text
    listed = client.get("/account?format=json").json()["tokens"]
    assert [(t["name"], t["revoked"]) for t in listed] == [("monthly export", False)]
    assert "token" not in listed[0]
    # The secret works on the API, as the account's owner.
    api = TestClient(app)
    me = api.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.json()["user"]["email"] == "manager@example.test"
    assert len(_actions(services, "token.create")) == 1


def test_token_name_is_required_and_kept_when_too_long(site):
    app, services, _, _, users, _ = site
    client = sign_in(app, "staff")
    empty = _create(client, "   ")
    assert empty.status_code == 422
    assert "Name the token" in empty.text
    long = _create(client, "x" * 101)
    assert long.status_code == 422 and "100 characters (this is 101)" in long.text
    assert services.users.list_tokens(services.users.actor_for(users["staff"]["id"])) == []


def test_token_form_without_csrf_creates_nothing(site):
    app, services, _, _, users, _ = site
    client = sign_in(app, "staff")
    response = client.post("/account/tokens", data={"name": "sneaky"})
    assert response.status_code == 403
    assert "sr_" not in response.text
    assert services.users.list_tokens(services.users.actor_for(users["staff"]["id"])) == []


def test_revoke_asks_first_then_the_token_stops_working_on_the_api(site):
    app, services, *_ = site
    client = sign_in(app, "staff")
    secret = re.search(r'value="(sr_[^"]+)"', _create(client, "laptop script").text).group(1)
    api = TestClient(app)
    auth = {"Authorization": f"Bearer {secret}"}
    assert api.get("/api/v1/auth/me", headers=auth).status_code == 200
    account = client.get("/account").text
    link = re.search(r'href="(/account/tokens/(\d+)/revoke)"', account)
    assert link, account
    confirm = client.get(link.group(1))
    assert confirm.status_code == 200
    assert "Revoke the token “laptop script”?" in confirm.text
    assert "stops working at once" in confirm.text
    found = parse(confirm.text)
    assert [f["action"] for f in found.forms if f["action"] != "/logout"] == [link.group(1)]
    # Opening the confirmation changed nothing.
    assert api.get("/api/v1/auth/me", headers=auth).status_code == 200
    done = client.post(link.group(1), data={"csrf_token": csrf_of(confirm.text)})
    assert done.status_code == 200 and "Token revoked: it no longer works." in done.text
    assert 'class="badge">revoked' in done.text
    assert f'href="{link.group(1)}"' not in done.text
    refused = api.get("/api/v1/auth/me", headers=auth)
    assert refused.status_code == 401
    assert "unknown or revoked" in refused.json()["error"]["message"]
    assert len(_actions(services, "token.revoke")) == 1
    assert "already revoked" in client.get(link.group(1)).text


def test_revoke_without_csrf_leaves_the_token_working(site):
    app, *_ = site
    client = sign_in(app, "staff")
    secret = re.search(r'value="(sr_[^"]+)"', _create(client).text).group(1)
    token_id = client.get("/account?format=json").json()["tokens"][0]["id"]
    response = client.post(f"/account/tokens/{token_id}/revoke")
    assert response.status_code == 403
    me = TestClient(app).get("/api/v1/auth/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200


def test_another_users_token_cannot_be_seen_or_revoked(site):
    app, *_ = site
    owner = sign_in(app, "manager")
    secret = re.search(r'value="(sr_[^"]+)"', _create(owner).text).group(1)
    token_id = owner.get("/account?format=json").json()["tokens"][0]["id"]
    other = sign_in(app, "admin")
    assert other.get(f"/account/tokens/{token_id}/revoke").status_code == 404
    csrf = csrf_of(other.get("/account").text)
    response = other.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf})
    assert response.status_code == 404
    assert "monthly export" not in other.get("/account").text
    me = TestClient(app).get("/api/v1/auth/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200


def test_creating_a_token_on_the_page_asks_for_the_password_scope_and_expiry(site):
    """Issue 12, item 10."""
    app, services, _, _, users, _ = site
    client = sign_in(app, "admin")
    page = client.get("/account").text
    assert 'id="token_password"' in page and 'id="scope"' in page and 'id="expires_in_days"' in page
    wrong = _create(client, "nightly", password="not my password")
    assert wrong.status_code == 403 and "The password is wrong." in wrong.text
    assert 'value="nightly"' in wrong.text and "not my password" not in wrong.text
    bad = _create(client, "nightly", scope="root", expires_in_days="999")
    assert bad.status_code == 422
    assert "Choose what the token may do." in bad.text and "from 1 to 365 days" in bad.text
    made = _create(client, "nightly", scope="read", expires_in_days="30")
    assert made.status_code == 201
    secret = re.search(r'value="(sr_[^"]+)"', made.text).group(1)
    (token,) = services.users.list_tokens(services.users.actor_for(users["admin"]["id"]))
    assert token["scope"] == "read" and token["expires_at"]
    api = TestClient(app, headers={"Authorization": f"Bearer {secret}"})
    assert api.get("/api/v1/practices/1/posts").status_code == 200
    refused = api.post("/api/v1/practices/1/improvements", json={"topic": "billing", "text": "x"})
    assert refused.status_code == 403
    assert "read" in client.get("/account").text
