"""The JSON API: authentication, CSRF, rate limit, error shape, workflow over HTTP, OpenAPI."""

from __future__ import annotations

import datetime as dt

import pytest
from factories import PASSWORD, api_login, assert_error
from fastapi.testclient import TestClient

from safereply.services import SYSTEM
from safereply.settings import Settings


def test_healthz(api):
    app, *_ = api
    response = TestClient(app).get("/healthz")
    assert response.json() == {"status": "ok", "version": "0.1.0", "database": "sqlite"}


def test_anonymous_requests_get_401_in_the_error_shape(api):
    app, _, (pid, _), _ = api
    client = TestClient(app)
    assert_error(client.get(f"/api/v1/practices/{pid}/posts"), 401, "unauthenticated")
    assert_error(client.post("/api/v1/check", json={"reply": "hi"}), 401, "unauthenticated")
    bad = TestClient(app, headers={"Authorization": "Bearer sr_nope"})
    assert_error(bad.get("/api/v1/practices"), 401, "unauthenticated")


def test_error_shape_for_every_kind_of_error(api):
    app, _, (pid, _), _ = api
    client = api_login(app, "staff")
    assert_error(client.get("/api/v1/posts/999"), 404, "not_found")
    assert_error(client.get("/api/v1/nowhere"), 404, "not_found")
    assert_error(
        client.patch(f"/api/v1/practices/{pid}/settings", json={"sla_minutes": 5}), 403, "forbidden"
    )
    response = client.post(f"/api/v1/practices/{pid}/posts", json={"platform": "google"})
    assert_error(response, 422, "invalid_request")
    assert {tuple(d["location"]) for d in response.json()["error"]["details"]} >= {
        ("body", "external_id"),
        ("body", "text"),
    }
    assert_error(client.get(f"/api/v1/practices/{pid}/posts?state=lost"), 422, "invalid_input")
    assert_error(client.get("/api/v1/auth/login"), 405, "method_not_allowed")


def test_session_changes_need_the_csrf_token(api):
    app, _, (pid, _), _ = api
    client = api_login(app, "staff")
    body = {"platform": "google", "external_id": "c1", "text": "Nice"}
    csrf = client.headers.pop("X-CSRF-Token")
    assert_error(client.post(f"/api/v1/practices/{pid}/posts", json=body), 403, "csrf")
    client.headers["X-CSRF-Token"] = "wrong"
    assert_error(client.post(f"/api/v1/practices/{pid}/posts", json=body), 403, "csrf")
    client.headers["X-CSRF-Token"] = csrf
    assert client.post(f"/api/v1/practices/{pid}/posts", json=body).status_code == 201
    assert client.get(f"/api/v1/practices/{pid}/posts").status_code == 200  # reads need none


def test_session_cookie_is_httponly_and_logout_ends_it(api):
    app, *_ = api
    client = TestClient(app)
    response = client.post(
        "/api/v1/auth/login", json={"email": "staff@example.test", "password": PASSWORD}
    )
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    assert client.get("/api/v1/auth/me").json()["user"]["email"] == "staff@example.test"
    assert client.post("/api/v1/auth/logout").status_code == 200
    assert_error(client.get("/api/v1/auth/me"), 401, "unauthenticated")


def test_login_is_rate_limited(api):
    app, *_ = api
    client = TestClient(app)
    for _ in range(3):
        response = client.post(
            "/api/v1/auth/login", json={"email": "staff@example.test", "password": "wrong-wrong"}
        )
        assert_error(response, 401, "unauthenticated")
    response = client.post(
        "/api/v1/auth/login", json={"email": "staff@example.test", "password": PASSWORD}
    )
    assert_error(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) > 0


def test_api_tokens_are_hashed_and_revocable(api):
    app, services, (pid, _), _ = api
    client = api_login(app, "manager")
    created = client.post(
        "/api/v1/auth/tokens", json={"name": "export", "password": PASSWORD}
    ).json()
    token = created["token"]
    scripted = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    assert scripted.get(f"/api/v1/practices/{pid}/posts").status_code == 200
    # No CSRF for tokens: they are not sent automatically by browsers.
    assert (
        scripted.post(
            f"/api/v1/practices/{pid}/posts",
            json={"platform": "x", "external_id": "1", "text": "Hi"},
        ).status_code
        == 201
    )
    listed = client.get("/api/v1/auth/tokens").json()
    assert [t["name"] for t in listed] == ["export"] and "token" not in listed[0]
    from sqlalchemy import select

    from safereply.store.models import ApiToken

    with services.store.read() as session:
        stored = session.scalar(select(ApiToken.token_hash))
    assert token not in stored and len(stored) == 64
    assert client.delete(f"/api/v1/auth/tokens/{created['id']}").status_code == 200
    assert_error(scripted.get(f"/api/v1/practices/{pid}/posts"), 401, "unauthenticated")


def test_workflow_over_http(api):
    app, _, (pid, _), _ = api
    staff, manager = api_login(app, "staff"), api_login(app, "manager")
    created = staff.post(
        f"/api/v1/practices/{pid}/posts",
        json={"platform": "google", "external_id": "r1", "text": "Lovely", "rating": 5},
    ).json()
    post_id = created["post_id"]
    post = staff.get(f"/api/v1/posts/{post_id}").json()
    assert post["state"] == "new" and post["triage"]["kind"] == "praise"
    saved = staff.post(
        f"/api/v1/posts/{post_id}/drafts",
        json={"text": "Thank you!", "expected_version": post["version"]},
    ).json()
    assert saved["state"] == "drafted" and saved["draft"]["verdict"] == "pass"
    stale = staff.post(
        f"/api/v1/posts/{post_id}/drafts",
        json={"text": "Thanks!", "expected_version": post["version"]},
    )
    assert_error(stale, 409, "conflict")
    assert staff.post(f"/api/v1/posts/{post_id}/submit").json()["state"] == "in_review"
    approved = manager.post(f"/api/v1/posts/{post_id}/approve", json={}).json()
    assert approved["state"] == "approved"
    kit = staff.get(f"/api/v1/posts/{post_id}/publish-kit").json()
    assert kit["text"] == "Thank you!"
    done = staff.post(f"/api/v1/posts/{post_id}/mark-replied", json={"posted_text": kit["text"]})
    assert done.json()["state"] == "marked_replied"
    again = staff.post(f"/api/v1/posts/{post_id}/mark-replied", json={})
    assert_error(again, 409, "workflow")
    trail = manager.get(f"/api/v1/posts/{post_id}/audit").json()
    assert [e["action"] for e in trail][-1] == "reply.mark_replied"


def test_blocked_reply_cannot_be_approved_over_http(api):
    app, _, (pid, _), _ = api
    staff, manager = api_login(app, "staff"), api_login(app, "manager")
    post_id = staff.post(
        f"/api/v1/practices/{pid}/posts",
        json={"platform": "google", "external_id": "r1", "text": "Lovely"},
    ).json()["post_id"]
    staff.post(f"/api/v1/posts/{post_id}/drafts", json={"text": "Hope your visit was fine"})
    assert_error(manager.post(f"/api/v1/posts/{post_id}/approve", json={}), 409, "workflow")


def test_inbox_list_filters_and_cursor(api):
    app, _, (pid, _), _ = api
    staff = api_login(app, "staff")
    for n in range(5):
        staff.post(
            f"/api/v1/practices/{pid}/posts",
            json={
                "platform": "google",
                "external_id": f"p{n}",
                "text": "Late again",
                "rating": 1 if n % 2 else 5,
            },
        )
    page = staff.get(f"/api/v1/practices/{pid}/posts", params={"limit": 2}).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = staff.get(
        f"/api/v1/practices/{pid}/posts", params={"limit": 10, "cursor": page["next_cursor"]}
    ).json()
    assert len(rest["items"]) == 3 and rest["next_cursor"] is None
    complaints = staff.get(f"/api/v1/practices/{pid}/posts?kind=complaint&topic=wait-time").json()
    assert len(complaints["items"]) == 2
    opened = staff.get(f"/api/v1/practices/{pid}/posts?state=open&overdue=false").json()
    assert len(opened["items"]) == 5


def test_import_over_http_reports_rejected_lines(api):
    app, _, (pid, _), _ = api
    staff, manager = api_login(app, "staff"), api_login(app, "manager")
    data = "id,review,rating\na,Great,5\nb,,4\nc,Slow desk,1\n"
    # Importing needs a manager, over the API as on the import page (issue 12).
    refused = staff.post(
        f"/api/v1/practices/{pid}/imports",
        files={"file": ("reviews.csv", data, "text/csv")},
        data={"platform": "yelp"},
    )
    assert_error(refused, 403, "forbidden")
    response = manager.post(
        f"/api/v1/practices/{pid}/imports",
        files={"file": ("reviews.csv", data, "text/csv")},
        data={"platform": "yelp"},
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["created"], report["total"]) == (2, 3)
    assert report["rejected"][0]["line"] == 3


def test_audit_export_csv_and_json_without_bodies(api):
    app, _, (pid, _), _ = api
    staff, manager = api_login(app, "staff"), api_login(app, "manager")
    secret = "My crown cracked and Dr. Vega ignored me"
    post_id = staff.post(
        f"/api/v1/practices/{pid}/posts",
        json={"platform": "google", "external_id": "r1", "text": secret, "rating": 1},
    ).json()["post_id"]
    staff.post(f"/api/v1/posts/{post_id}/drafts", json={"text": "We are sorry, Pat. Call us."})
    as_json = manager.get(f"/api/v1/practices/{pid}/audit?format=json")
    as_csv = manager.get(f"/api/v1/practices/{pid}/audit?format=csv")
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.text.splitlines()[0] == (
        "id,created_at,actor,action,object_type,object_id,from_state,to_state,detail"
    )
    assert [e["action"] for e in as_json.json()][-2:] == ["post.receive", "draft.save"]
    for body in (as_json.text, as_csv.text):
        assert "crown" not in body and "sorry" not in body and "Pat" not in body
    assert_error(staff.get(f"/api/v1/practices/{pid}/audit"), 403, "forbidden")


def test_no_post_or_reply_text_in_application_logs(api, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    app, _, (pid, _), _ = api
    staff = api_login(app, "staff")
    post_id = staff.post(
        f"/api/v1/practices/{pid}/posts",
        json={
            "platform": "google",
            "external_id": "r1",
            "text": "Sudden chest pain after my root canal",
        },
    ).json()["post_id"]
    staff.post(f"/api/v1/posts/{post_id}/drafts", json={"text": "Please call 911 now, Robin."})
    text = caplog.text.lower()
    assert "root canal" not in text and "robin" not in text
    assert f"post {post_id} escalated" in text


def test_stateless_endpoints_return_the_cli_objects(api):
    app, _, (pid, _), _ = api
    client = api_login(app, "staff")
    checked = client.post("/api/v1/check", json={"id": "a", "reply": "Thanks for your visit"})
    assert checked.json() == {"id": "a", "verdict": "block", "findings": []}
    triaged = client.post("/api/v1/triage", json={"id": 7, "text": "Nice", "rating": 5}).json()
    assert set(triaged) == {
        "id",
        "kind",
        "topics",
        "sentiment",
        "discloses_health",
        "priority",
        "reasons",
        "aspects",
    }
    drafted = client.post("/api/v1/draft", json={"id": "d", "text": "Nice", "practice_id": pid})
    assert drafted.json() == {
        "id": "d",
        "reply": "Thank you! Call (555) 201-3300.",
        "verdict": "pass",
        "kind": "praise",
        "topics": [],
        "source": "template",
    }


def test_check_endpoint_uses_the_real_linter_by_default(tmp_path):
    from safereply.web import create_app

    settings = Settings(
        environment="test",
        secret_key="k" * 40,
        database_url=f"sqlite:///{tmp_path / 'r.db'}",
        sweep_interval=0,
    )
    app = create_app(settings)
    services = app.state.services
    services.users.create_user(
        SYSTEM, email="root@example.test", password=PASSWORD, is_superuser=True
    )
    with TestClient(app) as client:
        response = client.post(
            "/api/v1/auth/login", json={"email": "root@example.test", "password": PASSWORD}
        )
        client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        body = {"id": 1, "reply": "Hi Karen, sorry about your crown! We reviewed your chart."}
        out = client.post("/api/v1/check", json=body).json()
    import safereply

    assert out == safereply.check(body["reply"]).to_dict(1)
    assert out["verdict"] == "block"


def test_schedule_needs_an_aware_time(api):
    app, _, (pid, _), _ = api
    staff = api_login(app, "staff")
    post_id = staff.post(
        f"/api/v1/practices/{pid}/posts",
        json={"platform": "google", "external_id": "r1", "text": "Lovely"},
    ).json()["post_id"]
    naive = dt.datetime(2030, 1, 1).isoformat()
    assert_error(
        staff.post(f"/api/v1/posts/{post_id}/schedule", json={"at": naive}), 422, "invalid_request"
    )


def test_openapi_schema_is_complete(api):
    app, *_ = api
    schema = TestClient(app).get("/openapi.json").json()
    paths = schema["paths"]
    for path in [
        "/api/v1/practices/{practice_id}/posts",
        "/api/v1/posts/{post_id}/approve",
        "/api/v1/posts/{post_id}/mark-replied",
        "/api/v1/practices/{practice_id}/imports",
        "/api/v1/practices/{practice_id}/audit",
        "/api/v1/practices/{practice_id}/improvements",
        "/api/v1/practices/{practice_id}/users",
        "/api/v1/practices/{practice_id}/settings",
        "/api/v1/check",
        "/api/v1/triage",
        "/api/v1/draft",
        "/api/v1/auth/login",
        "/healthz",
    ]:
        assert path in paths, path
    for path, methods in paths.items():
        for method, op in methods.items():
            assert op.get("summary"), (method, path)
            if path.startswith("/api/v1"):
                assert "404" in op["responses"] or path.startswith("/api/v1/auth"), (method, path)


def test_server_refuses_the_default_secret_outside_development(tmp_path):
    from safereply.errors import ConfigError
    from safereply.web import create_app

    settings = Settings(
        environment="production", database_url=f"sqlite:///{tmp_path / 'p.db'}", sweep_interval=0
    )
    with pytest.raises(ConfigError, match="SAFEREPLY_SECRET_KEY"):
        create_app(settings)
    assert not (tmp_path / "p.db").exists()  # refused before touching the database
