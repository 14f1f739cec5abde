"""The API's answers are a documented contract (issue 13): every /api route declares the model of
its answer, so the OpenAPI schema documents each response, and the models pass the services'
answers through unchanged (no key dropped, added, renamed or re-typed)."""

from __future__ import annotations

import json
import time

from factories import PASSWORD, actor, api_login

from safereply.services.mfa import totp

#: Routes whose answer is not one JSON model, and why. The schema still documents them.
NOT_A_MODEL = {
    # A file to download: JSON text or CSV (``format=csv``); its `responses` documents both.
    ("get", "/api/v1/practices/{practice_id}/audit"),
}


def _documented(schema: dict) -> bool:
    """True when a response schema names a model (directly or as the items of a list)."""
    return bool(schema.get("$ref") or schema.get("items", {}).get("$ref"))


def test_every_api_route_documents_its_answer(api):
    # FastAPI builds the schema from every mounted route (its route objects for included
    # routers are private), so the walk goes through the schema the app serves.
    app, *_ = api
    schema = api_login(app, "staff").get("/openapi.json").json()
    operations = [
        (method, path, op)
        for path, methods in schema["paths"].items()
        if path.startswith("/api/")
        for method, op in methods.items()
    ]
    assert len(operations) >= 60  # the whole API, not an empty walk
    missing = []
    for method, path, op in operations:
        ok = [r for code, r in op["responses"].items() if code.startswith("2")]
        content = [r.get("content", {}).get("application/json", {}) for r in ok]
        if not any(_documented(c.get("schema", {})) for c in content):
            missing.append((method, path))
    assert missing == [], "routes without a documented answer: add a response_model"
    for method, path in NOT_A_MODEL:
        assert "text/csv" in schema["paths"][path][method]["responses"]["200"]["content"]


def _json(value):
    return json.loads(json.dumps(value))


def test_practice_routes_answer_what_the_services_return(api):
    app, services, (pid, _), users = api
    admin = actor(users["admin"])
    client = api_login(app, "admin")
    base = f"/api/v1/practices/{pid}"

    assert client.get("/api/v1/practices").json() == _json(services.practices.list_practices(admin))
    location = client.post(f"{base}/locations", json={"name": "Eastside"}).json()
    assert location == {"id": location["id"], "name": "Eastside"}
    assert client.get(base).json() == _json(services.practices.get_practice(admin, pid))
    assert client.get(base).json()["locations"] == [location]

    changed = client.patch(f"{base}/settings", json={"timezone": "America/New_York"}).json()
    assert changed == client.get(f"{base}/settings").json()
    assert changed == _json(services.practices.get_settings(admin, pid))

    dated = {"topic": "billing", "text": "Clearer bills", "since": "2026-01-05"}
    undated = {"topic": "wait-time", "text": "More staff"}
    for body in (dated, undated):
        made = client.post(f"{base}/improvements", json=body).json()
        assert made["text"] == body["text"] and made["since"] == body.get("since")
    listed = client.get(f"{base}/improvements").json()
    assert listed == _json(services.practices.list_improvements(admin, pid))

    post = {"platform": "google", "external_id": "c1", "text": "The bill was wrong", "rating": 1}
    received = client.post(f"{base}/posts", json=post).json()
    assert received == {"status": "created", "post_id": received["post_id"], "escalated": False}
    again = client.post(f"{base}/posts", json=post).json()
    assert again["status"] == "duplicate"

    summary = client.get(f"{base}/reports/summary").json()
    assert summary == _json(services.reports.summary(admin, pid))
    # An improvement without a date has no before/after counts: the keys stay absent.
    by_text = {i["text"]: i for i in summary["improvements"]}
    assert "posts_90_days_before" in by_text["Clearer bills"]
    assert "posts_90_days_before" not in by_text["More staff"]

    invited = client.post(
        f"{base}/users",
        json={"email": "new@example.test", "password": PASSWORD, "role": "staff"},
    ).json()
    assert set(invited) == {"email", "role", "status", "expires_at"}
    assert client.get(f"{base}/invitations").json() == _json(
        services.users.list_invitations(admin, pid)
    )
    assert client.get(f"{base}/users").json() == _json(services.users.list_users(admin, pid))
    staff_id = users["staff"]["id"]
    assert client.put(f"{base}/users/{staff_id}/role", json={"role": "manager"}).json() == {
        "ok": True
    }
    policy = client.put(f"{base}/security", json={"require_mfa": False}).json()
    assert policy == client.get(f"{base}/security").json()
    assert policy == _json(services.auth.practice_policy(admin, pid))
    ended = client.post(f"{base}/users/{staff_id}/sign-out-everywhere").json()
    assert ended == {"ended": 0}


def test_account_routes_answer_what_the_services_return(api):
    app, services, _, users = api
    staff = actor(users["staff"])
    client = api_login(app, "staff")

    me = client.get("/api/v1/auth/me").json()
    assert me == {
        "user": _json(services.users.get_user(staff.person_id)),
        "auth": "session",
        "csrf_token": client.headers["X-CSRF-Token"],
    }
    made = client.post(
        "/api/v1/auth/tokens", json={"name": "script", "password": PASSWORD, "scope": "read"}
    ).json()
    assert set(made) == {"id", "name", "prefix", "scope", "expires_at", "token"}
    assert client.get("/api/v1/auth/tokens").json() == _json(services.users.list_tokens(staff))
    # A token has no CSRF token: the key is left out, not sent as null.
    by_token = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {made['token']}"})
    assert set(by_token.json()) == {"user", "auth"}

    sessions = client.get("/api/v1/auth/sessions").json()
    current = next(s["id"] for s in sessions if s["current"])
    assert sessions == _json(services.users.list_sessions(staff, current))

    assert client.get("/api/v1/auth/mfa").json() == _json(services.auth.mfa_status(staff))
    enrolment = client.post("/api/v1/auth/mfa/enrol", json={"password": PASSWORD}).json()
    assert set(enrolment) == {"secret", "uri"}
    code = totp(enrolment["secret"], time.time())
    codes = client.post("/api/v1/auth/mfa/confirm", json={"code": code}).json()
    assert list(codes) == ["recovery_codes"] and len(codes["recovery_codes"]) == 10
    assert client.get("/api/v1/auth/mfa").json() == _json(services.auth.mfa_status(staff))

    reset = client.post("/api/v1/auth/password-reset", json={"email": "nobody@example.test"})
    assert reset.status_code == 202 and set(reset.json()) == {"ok", "message"}
    assert client.get("/api/v1/auth/invitations").json() == []
    assert client.post("/api/v1/auth/logout").json() == {"ok": True}


def test_stateless_answers_keep_the_command_line_shape(api):
    app, *_ = api
    client = api_login(app, "staff")
    # The fake analysers of test_api leave out the keys the command line omits when empty
    # (a finding's suggestion, English's language, a draft's reason): still absent here.
    checked = client.post("/api/v1/check", json={"id": 3, "reply": "Thanks"}).json()
    assert checked == {"id": 3, "verdict": "pass", "findings": []}
    triaged = client.post("/api/v1/triage", json={"id": 2.5, "text": "Nice"}).json()
    assert triaged["id"] == 2.5 and "language" not in triaged
