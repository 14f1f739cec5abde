"""API tokens over HTTP (issue 12, item 10): creating one asks for the password again, each has a
scope (read, write, admin) and an expiry, and a password change revokes them all."""

from __future__ import annotations

from factories import PASSWORD, api_login, assert_error
from fastapi.testclient import TestClient


def _bearer(app, token):
    return TestClient(app, headers={"Authorization": f"Bearer {token}"})


def test_creating_a_token_asks_for_the_password(api):
    app, *_ = api
    client = api_login(app, "manager")
    assert_error(client.post("/api/v1/auth/tokens", json={"name": "x"}), 422, "invalid_request")
    wrong = client.post("/api/v1/auth/tokens", json={"name": "x", "password": "not it at all"})
    assert_error(wrong, 403, "forbidden")
    created = client.post("/api/v1/auth/tokens", json={"name": "x", "password": PASSWORD})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["scope"] == "write" and body["expires_at"]
    # Wrong passwords count against the sign-in limit (3 in these tests).
    for _ in range(3):
        client.post("/api/v1/auth/tokens", json={"name": "x", "password": "guess guess"})
    limited = client.post("/api/v1/auth/tokens", json={"name": "x", "password": PASSWORD})
    assert_error(limited, 429, "rate_limited")


def test_a_token_cannot_mint_tokens(api):
    app, *_ = api
    client = api_login(app, "manager")
    token = client.post(
        "/api/v1/auth/tokens", json={"name": "x", "password": PASSWORD, "scope": "admin"}
    ).json()["token"]
    minted = _bearer(app, token).post(
        "/api/v1/auth/tokens", json={"name": "y", "password": PASSWORD}
    )
    assert_error(minted, 403, "forbidden")


def test_scopes_over_http(api):
    app, _, (pid, _), _ = api
    client = api_login(app, "admin")

    def token(scope):
        body = {"name": scope, "password": PASSWORD, "scope": scope}
        return _bearer(app, client.post("/api/v1/auth/tokens", json=body).json()["token"])

    read, write, admin = token("read"), token("write"), token("admin")
    post = {"platform": "google", "external_id": "s1", "text": "Lovely"}
    assert read.get(f"/api/v1/practices/{pid}/posts").status_code == 200
    assert_error(read.post(f"/api/v1/practices/{pid}/posts", json=post), 403, "forbidden")
    assert write.post(f"/api/v1/practices/{pid}/posts", json=post).status_code == 201
    settings = {"sla_minutes": 30}
    assert_error(write.patch(f"/api/v1/practices/{pid}/settings", json=settings), 403, "forbidden")
    assert admin.patch(f"/api/v1/practices/{pid}/settings", json=settings).status_code == 200
    listed = {t["name"]: t["scope"] for t in client.get("/api/v1/auth/tokens").json()}
    assert listed == {"read": "read", "write": "write", "admin": "admin"}


def test_a_password_change_revokes_the_tokens(api):
    app, _, (pid, _), _ = api
    client = api_login(app, "staff")
    token = client.post("/api/v1/auth/tokens", json={"name": "x", "password": PASSWORD}).json()
    scripted = _bearer(app, token["token"])
    assert scripted.get(f"/api/v1/practices/{pid}/posts").status_code == 200
    changed = client.put(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "another long passphrase"},
    )
    assert changed.status_code == 200
    assert_error(scripted.get(f"/api/v1/practices/{pid}/posts"), 401, "unauthenticated")


def test_token_expiry_is_chosen_within_bounds(api):
    app, *_ = api
    client = api_login(app, "staff")
    for days in (0, 366):
        body = {"name": "x", "password": PASSWORD, "expires_in_days": days}
        assert_error(client.post("/api/v1/auth/tokens", json=body), 422, "invalid_request")
    body = {"name": "x", "password": PASSWORD, "expires_in_days": 1}
    assert client.post("/api/v1/auth/tokens", json=body).status_code == 201
