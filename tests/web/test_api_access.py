"""The access matrix: a user of one practice can never see or change another practice's data.

Every API route that names a practice or a post is called by the admin of another practice (with a
session and with an API token), with a valid body, and must answer 404 and change nothing. The
route list comes from the app itself, so a new route without a body here fails the test.
"""

from __future__ import annotations

import pytest
from test_api import (  # noqa: F401  (fixtures)
    _migrated,
    api,
    assert_error,
    login,
    token_client,
)

BODIES = {
    "/api/v1/practices/{practice_id}/posts": {
        "platform": "google",
        "external_id": "sneaky",
        "text": "hello",
    },
    "/api/v1/practices/{practice_id}/settings": {"sla_minutes": 30},
    "/api/v1/practices/{practice_id}/locations": {"name": "Hidden annex"},
    "/api/v1/practices/{practice_id}/improvements": {"topic": "billing", "text": "new forms"},
    "/api/v1/practices/{practice_id}/users": {
        "email": "mole@example.test",
        "password": "long enough password",
    },
    "/api/v1/practices/{practice_id}/users/{user_id}/role": {"role": "admin"},
    "/api/v1/posts/{post_id}/drafts": {"text": "Thank you!"},
    "/api/v1/posts/{post_id}/approve": {},
    "/api/v1/posts/{post_id}/schedule": {"at": "2031-01-01T09:00:00+00:00"},
    "/api/v1/posts/{post_id}/mark-replied": {},
    "/api/v1/posts/{post_id}/dismiss": {"reason": "spam"},
    "/api/v1/posts/{post_id}/drafts/suggest": {},
    "/api/v1/posts/{post_id}/drafts/acknowledgement": {},
    "/api/v1/posts/{post_id}/submit": {},
    "/api/v1/posts/{post_id}/reject": {},
    "/api/v1/posts/{post_id}/escalate": {},
    "/api/v1/posts/{post_id}/reopen": {},
    "/api/v1/draft": {"text": "Nice", "practice_id": "{practice_id}"},
    "/api/v1/check": {"reply": "Thanks", "practice_id": "{practice_id}"},
}
# Routes that name no practice or post (the caller's own account, stateless triage).
UNSCOPED = {
    "/api/v1/auth/login",
    "/api/v1/auth/logout",
    "/api/v1/auth/me",
    "/api/v1/auth/password",
    "/api/v1/auth/tokens",
    "/api/v1/auth/tokens/{token_id}",
    "/api/v1/practices",
    "/api/v1/triage",
}


def _routes(app):
    # From the OpenAPI schema: every documented route, however routers are nested.
    out = []
    for path, methods in app.openapi()["paths"].items():
        if path.startswith("/api/v1"):
            out.extend((method.upper(), path) for method in sorted(methods))
    return out


def _setup(services, pid, users):
    from safereply.services import SYSTEM, NewPost

    inbox = services.inbox
    post = inbox.receive(
        SYSTEM, pid, NewPost(platform="google", external_id="x", text="Lovely", rating=5)
    ).post_id
    inbox.save_draft(SYSTEM, post, "Thank you!")
    improvement = services.practices.add_improvement(
        SYSTEM, pid, topic="wait-time", text="second desk"
    )["id"]
    return {
        "practice_id": pid,
        "post_id": post,
        "improvement_id": improvement,
        "user_id": users["staff"]["id"],
    }


def _snapshot(services, pid, post_id):
    from safereply.services import SYSTEM

    return (
        services.audit.events(SYSTEM, pid),
        services.inbox.get_post(SYSTEM, post_id),
        services.practices.get_settings(SYSTEM, pid),
        services.users.list_users(SYSTEM, pid),
    )


@pytest.mark.parametrize("how", ["session", "token"])
def test_other_practice_can_never_see_or_change_data(api, how):  # noqa: F811
    app, services, (pid, _other), users = api
    ids = _setup(services, pid, users)
    client = login(app, "other") if how == "session" else token_client(app, "other")
    before = _snapshot(services, pid, ids["post_id"])
    checked = []
    for method, path in _routes(app):
        if path in UNSCOPED:
            continue
        url = path.format(**ids)
        body = BODIES.get(path)
        if method in ("POST", "PUT", "PATCH") and not path.endswith("/imports"):
            assert body is not None, f"add a valid body for {method} {path} to BODIES"
            body = {k: (ids["practice_id"] if v == "{practice_id}" else v) for k, v in body.items()}
            response = client.request(method, url, json=body)
        elif path.endswith("/imports"):
            response = client.post(
                url,
                files={"file": ("r.csv", "id,text\n1,hi\n", "text/csv")},
                data={"platform": "google"},
            )
        else:
            response = client.request(method, url)
        assert_error(response, 404, "not_found")
        checked.append((method, path))
    after = _snapshot(services, pid, ids["post_id"])
    assert after == before
    assert len(checked) >= 30


def test_every_scoped_route_is_in_the_matrix(api):  # noqa: F811
    app, *_ = api
    for method, path in _routes(app):
        if path in UNSCOPED or method in ("GET", "DELETE") or path.endswith("/imports"):
            continue
        assert path in BODIES, f"{method} {path} is missing from the access matrix"


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("PATCH", "/api/v1/practices/{practice_id}/settings", {"sla_minutes": 30}),
        (
            "POST",
            "/api/v1/practices/{practice_id}/users",
            {"email": "new@example.test", "password": "long enough password"},
        ),
        ("PUT", "/api/v1/practices/{practice_id}/users/{user_id}/role", {"role": "admin"}),
        ("GET", "/api/v1/practices/{practice_id}/users", None),
        ("POST", "/api/v1/practices/{practice_id}/locations", {"name": "Annex"}),
        ("GET", "/api/v1/practices/{practice_id}/audit", None),
        ("POST", "/api/v1/practices/{practice_id}/improvements", {"topic": "billing", "text": "x"}),
        ("DELETE", "/api/v1/practices/{practice_id}/improvements/{improvement_id}", None),
        ("POST", "/api/v1/posts/{post_id}/reject", {}),
    ],
)
def test_staff_cannot_do_manager_or_admin_work(api, method, path, body):  # noqa: F811
    app, services, (pid, _), users = api
    ids = _setup(services, pid, users)
    client = login(app, "staff")
    response = client.request(method, path.format(**ids), json=body)
    assert_error(response, 403, "forbidden")


def test_staff_cannot_make_themselves_admin(api):  # noqa: F811
    app, _services, (pid, _), users = api
    client = login(app, "staff")
    response = client.put(
        f"/api/v1/practices/{pid}/users/{users['staff']['id']}/role", json={"role": "admin"}
    )
    assert_error(response, 403, "forbidden")


def test_practice_list_shows_only_your_practices(api):  # noqa: F811
    app, _, (pid, other), _ = api
    assert [p["id"] for p in login(app, "staff").get("/api/v1/practices").json()] == [pid]
    assert [p["id"] for p in login(app, "other").get("/api/v1/practices").json()] == [other]
