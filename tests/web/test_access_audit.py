"""Audit of access over HTTP (issue 12): reads of a post's page, requests refused another
practice's ids and failed sign-ins are recorded with ids only, never text."""

from __future__ import annotations

from factories import add_post, api_login
from fastapi.testclient import TestClient

from safereply.services import SYSTEM
from safereply.services.audit_chain import verify_chain
from safereply.store.models import AuditEvent

SECRET_TEXT = "Dr Quill fixed my molar"


def _entries(services, action):
    from sqlalchemy import select

    with services.store.read() as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).all()
        return [(r.practice_id, r.actor, r.object_type, r.object_id, r.detail) for r in rows]


def _post(services, pid):
    return add_post(services, pid, SECRET_TEXT, external_id="a1", rating=5)


def test_reading_a_post_by_page_and_by_api_is_recorded_in_its_practice(api):
    app, services, (pid, _other), _users = api
    post_id = _post(services, pid)
    staff = api_login(app, "staff")
    assert staff.get(f"/api/v1/posts/{post_id}").status_code == 200
    assert staff.get(f"/posts/{post_id}").status_code == 200
    reads = _entries(services, "post.read")
    assert reads == [
        (pid, "staff@example.test", "post", str(post_id), {"via": "api"}),
        (pid, "staff@example.test", "post", str(post_id), {"via": "page"}),
    ]
    assert verify_chain(services.store).broken is None


def test_a_refused_id_of_another_practice_is_recorded_with_ids_only(api):
    app, services, (pid, _other), _users = api
    post_id = _post(services, pid)
    outsider = api_login(app, "other")
    assert outsider.get(f"/api/v1/posts/{post_id}").status_code == 404
    assert outsider.get(f"/posts/{post_id}?q=secret-words").status_code == 404
    assert outsider.get(f"/api/v1/practices/{pid}/posts").status_code == 404
    denied = _entries(services, "access.denied")
    assert [(d[0], d[1], d[4]["status"], d[4]["ids"]) for d in denied] == [
        (None, "other@example.test", 404, {"post_id": post_id}),
        (None, "other@example.test", 404, {"post_id": post_id}),
        (None, "other@example.test", 404, {"practice_id": pid}),
    ]
    assert denied[0][4]["route"] == "/api/v1/posts/{post_id}"
    assert "secret-words" not in repr(denied) and SECRET_TEXT not in repr(denied)
    assert _entries(services, "post.read") == []


def test_anonymous_and_unrelated_answers_are_not_recorded(api):
    app, services, (pid, _other), _users = api
    post_id = _post(services, pid)
    assert TestClient(app).get(f"/api/v1/posts/{post_id}").status_code == 401
    staff = api_login(app, "staff")
    assert staff.get(f"/api/v1/practices/{pid}/posts").status_code == 200
    assert _entries(services, "access.denied") == [] and _entries(services, "post.read") == []


def test_failed_sign_ins_are_recorded_by_account_and_the_practice_sees_them(api):
    app, services, (pid, _other), users = api
    client = TestClient(app)
    for email in ("staff@example.test", "nobody@example.test"):
        response = client.post(
            "/api/v1/auth/login", json={"email": email, "password": "not the password"}
        )
        assert response.status_code == 401
    failed = _entries(services, "auth.login_failed")
    assert [(f[3], f[4]["known_account"]) for f in failed] == [
        (str(users["staff"]["id"]), True),
        (None, False),
    ]
    assert "not the password" not in repr(failed) and "nobody@" not in repr(failed)
    exported = services.audit.events(SYSTEM, pid)
    assert [e["object_id"] for e in exported if e["action"] == "auth.login_failed"] == [
        str(users["staff"]["id"])
    ]
