"""The access matrix: a user of one practice can never see or change another practice's data.

Every API route that names a practice or a post is called by the admin of another practice (with a
session and with an API token), with a valid body, and must answer 404 and change nothing. The
route list comes from the app itself, so a new route without a body here fails the test.
"""

from __future__ import annotations

import pytest
from factories import PASSWORD, api_login, assert_error, token_client

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
    "/api/v1/practices/{practice_id}/security": {"require_mfa": True},
    "/api/v1/practices/{practice_id}/users/{user_id}/sign-out-everywhere": {},
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
    "/api/v1/posts/{post_id}/not-urgent": {"reason": "past-event"},
    "/api/v1/posts/{post_id}/mark-urgent": {},
    "/api/v1/posts/{post_id}/revise": {"text": "Thank you again!"},
    "/api/v1/posts/{post_id}/keep-published": {},
    "/api/v1/posts/{post_id}/withdraw": {"reason": "mistake"},
    "/api/v1/draft": {"text": "Nice", "practice_id": "{practice_id}"},
    "/api/v1/check": {"reply": "Thanks", "practice_id": "{practice_id}"},
    "/api/v1/practices/{practice_id}/bulk-replies/preview": {"all_unanswered_five_star": True},
    "/api/v1/practices/{practice_id}/bulk-replies/confirm": {
        "replies": [{"post_id": 1, "expected_version": 1, "reply": "Thank you!"}]
    },
}
# Routes that name no practice or post (the caller's own account, stateless triage).
UNSCOPED = {
    "/api/v1/auth/login",
    "/api/v1/auth/logout",
    "/api/v1/auth/me",
    "/api/v1/auth/password",
    "/api/v1/auth/tokens",
    "/api/v1/auth/tokens/{token_id}",
    "/api/v1/auth/invitations",
    "/api/v1/auth/invitations/{invitation_id}/accept",
    "/api/v1/auth/invitations/{invitation_id}/decline",
    # The caller's own sessions, second factor and password reset (tests/web/test_auth_*.py).
    "/api/v1/auth/sessions",
    "/api/v1/auth/sessions/{session_id}",
    "/api/v1/auth/sessions/revoke-others",
    "/api/v1/auth/mfa",
    "/api/v1/auth/mfa/enrol",
    "/api/v1/auth/mfa/confirm",
    "/api/v1/auth/mfa/disable",
    "/api/v1/auth/mfa/recovery-codes",
    "/api/v1/auth/password-reset",
    "/api/v1/auth/password-reset/confirm",
    "/api/v1/practices",
    "/api/v1/agency",  # the caller's own practices only: tests/web/test_insights_api.py
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
    services.users.invite(
        SYSTEM,
        practice_id=pid,
        email="invitee@example.test",
        password="a guest passphrase",
        role="staff",
    )
    (invitation,) = services.users.list_invitations(SYSTEM, pid)
    return {
        "practice_id": pid,
        "post_id": post,
        "improvement_id": improvement,
        "user_id": users["staff"]["id"],
        "invitation_id": invitation["id"],
    }


def _snapshot(services, pid, post_id):
    from safereply.services import SYSTEM

    return (
        services.audit.events(SYSTEM, pid),
        services.inbox.get_post(SYSTEM, post_id),
        services.practices.get_settings(SYSTEM, pid),
        services.users.list_users(SYSTEM, pid),
        services.users.list_invitations(SYSTEM, pid),
    )


@pytest.mark.parametrize("how", ["session", "token"])
def test_other_practice_can_never_see_or_change_data(api, how):
    app, services, (pid, _other), users = api
    ids = _setup(services, pid, users)
    client = api_login(app, "other") if how == "session" else token_client(app, "other")
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


def test_every_scoped_route_is_in_the_matrix(api):
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
def test_staff_cannot_do_manager_or_admin_work(api, method, path, body):
    app, services, (pid, _), users = api
    ids = _setup(services, pid, users)
    client = api_login(app, "staff")
    response = client.request(method, path.format(**ids), json=body)
    assert_error(response, 403, "forbidden")


def test_staff_cannot_make_themselves_admin(api):
    app, _services, (pid, _), users = api
    client = api_login(app, "staff")
    response = client.put(
        f"/api/v1/practices/{pid}/users/{users['staff']['id']}/role", json={"role": "admin"}
    )
    assert_error(response, 403, "forbidden")


def test_practice_list_shows_only_your_practices(api):
    app, _, (pid, other), _ = api
    assert [p["id"] for p in api_login(app, "staff").get("/api/v1/practices").json()] == [pid]
    assert [p["id"] for p in api_login(app, "other").get("/api/v1/practices").json()] == [other]


# -- users and roles across practices (issue 12, defect 1) --------------------------------------


def _member_emails(services, pid):
    from safereply.services import SYSTEM

    return sorted(u["email"] for u in services.users.list_users(SYSTEM, pid))


@pytest.mark.parametrize("how", ["session", "token"])
def test_admin_cannot_take_over_or_enumerate_another_practices_users(api, how):
    app, services, (_pid, other), users = api
    client = api_login(app, "other") if how == "session" else token_client(app, "other")
    roles_before = {n: services.users.get_user(u["id"])["roles"] for n, u in users.items()}
    answers = set()
    for name in ("admin", "manager", "staff"):
        for role in ("staff", "admin", None):
            response = client.put(
                f"/api/v1/practices/{other}/users/{users[name]['id']}/role", json={"role": role}
            )
            assert_error(response, 404, "not_found")
            answers.add(response.text)
    # An id nobody uses answers exactly like a user of another practice: no enumeration.
    for unused in (users["other"]["id"] + 1000, 2**31 - 1):
        response = client.put(
            f"/api/v1/practices/{other}/users/{unused}/role", json={"role": "staff"}
        )
        answers.add(response.text)
    assert len(answers) == 1
    assert {n: services.users.get_user(u["id"])["roles"] for n, u in users.items()} == roles_before
    listed = client.get(f"/api/v1/practices/{other}/users").json()
    assert [u["email"] for u in listed] == ["other@example.test"]


@pytest.mark.parametrize("how", ["session", "token"])
def test_invite_by_email_does_not_reveal_whether_the_account_exists(api, how):
    app, services, (pid, other), users = api
    client = api_login(app, "other") if how == "session" else token_client(app, "other")
    body = {"password": "an initial password", "role": "admin"}
    taken = client.post(
        f"/api/v1/practices/{other}/users", json={**body, "email": "staff@example.test"}
    )
    fresh = client.post(
        f"/api/v1/practices/{other}/users", json={**body, "email": "brand.new@example.test"}
    )
    assert taken.status_code == fresh.status_code == 202, taken.text
    same = {"email": None, "expires_at": None}
    assert taken.json() | same == fresh.json() | same
    assert set(taken.json()) == {"email", "role", "status", "expires_at"}
    assert "already" not in taken.text
    assert services.users.get_user(users["staff"]["id"])["roles"] == {str(pid): "staff"}
    assert _member_emails(services, other) == ["other@example.test"]
    assert services.users.authenticate("staff@example.test", PASSWORD) is not None
    pending = client.get(f"/api/v1/practices/{other}/invitations").json()
    assert [(i["email"], i["role"]) for i in pending] == [
        ("brand.new@example.test", "admin"),
        ("staff@example.test", "admin"),
    ]


def test_the_invited_user_accepts_through_the_api(api):
    app, services, (pid, other), users = api
    admin = api_login(app, "other")
    admin.post(
        f"/api/v1/practices/{other}/users",
        json={"email": "staff@example.test", "password": "an initial password", "role": "staff"},
    )
    staff = api_login(app, "staff")
    (invitation,) = staff.get("/api/v1/auth/invitations").json()
    assert invitation["practice"]["name"] == "Harbor View Clinic"
    manager = api_login(app, "manager")
    assert_error(
        manager.post(f"/api/v1/auth/invitations/{invitation['id']}/accept"), 404, "not_found"
    )
    assert staff.post(f"/api/v1/auth/invitations/{invitation['id']}/accept").status_code == 200
    assert services.users.get_user(users["staff"]["id"])["roles"] == {
        str(pid): "staff",
        str(other): "staff",
    }
    # A member now: the admin of the other practice manages them there.
    response = admin.put(
        f"/api/v1/practices/{other}/users/{users['staff']['id']}/role", json={"role": None}
    )
    assert response.status_code == 200
    assert services.users.get_user(users["staff"]["id"])["roles"] == {str(pid): "staff"}


def test_users_page_cannot_take_over_another_practices_user(api):
    import re

    from fastapi.testclient import TestClient

    app, services, (pid, other), users = api
    client = TestClient(app)
    form = client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', form.text).group(1)
    client.post(
        "/login",
        data={"email": "other@example.test", "password": PASSWORD, "login_token": token},
        follow_redirects=False,
    )
    page = client.get(f"/p/{other}/users").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answers = set()
    for uid in (users["staff"]["id"], users["admin"]["id"], 999_999):
        response = client.post(
            f"/p/{other}/users/{uid}/role", data={"csrf_token": csrf, "role": "admin"}
        )
        assert response.status_code == 404
        assert "staff@example.test" not in response.text
        assert "admin@example.test" not in response.text
        answers.add(response.text.replace(csrf, ""))
    assert len(answers) == 1
    taken = client.post(
        f"/p/{other}/users",
        data={
            "csrf_token": csrf,
            "email": "staff@example.test",
            "password": PASSWORD,
            "role": "admin",
        },
    )
    fresh = client.post(
        f"/p/{other}/users",
        data={
            "csrf_token": csrf,
            "email": "new.person@example.test",
            "password": PASSWORD,
            "role": "admin",
        },
    )
    assert taken.status_code == fresh.status_code == 200
    assert "already" not in taken.text
    assert services.users.get_user(users["staff"]["id"])["roles"] == {str(pid): "staff"}
    assert _member_emails(services, other) == ["other@example.test"]
