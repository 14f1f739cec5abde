"""The post routes' response models (issue 13): the OpenAPI schema documents every answer, and
the answers are exactly what the service returns (no field dropped or renamed)."""

from __future__ import annotations

import json

from factories import actor, api_login

from safereply.services import NewPost
from safereply.services.audit import AUDIT_FIELDS


def _as_json(value):
    return json.loads(json.dumps(value))


def test_post_detail_kit_and_trail_match_the_service(api):
    app, services, (practice, _), users = api
    staff = actor(users["staff"])
    manager = actor(users["manager"])
    post = NewPost("google", "m1", "Slow front desk", rating=1.0, url="https://g.example/m1")
    pid = services.inbox.receive(staff, practice, post).post_id
    services.inbox.acknowledge(staff, pid)
    services.inbox.approve(manager, pid)
    client = api_login(app, "manager")

    shown = client.get(f"/api/v1/posts/{pid}").json()
    assert shown == _as_json(services.inbox.get_post(manager, pid))
    assert shown["approvals"] and shown["triage"]["kind"] == "complaint"

    kit = client.get(f"/api/v1/posts/{pid}/publish-kit").json()
    assert kit == _as_json(services.inbox.publish_kit(manager, pid))

    services.inbox.mark_replied(manager, pid)
    shown = client.get(f"/api/v1/posts/{pid}").json()
    assert shown == _as_json(services.inbox.get_post(manager, pid))
    assert shown["published"]["method"] == "manual"

    trail = client.get(f"/api/v1/posts/{pid}/audit").json()
    assert [e["action"] for e in trail if not e["action"].endswith(".read")][:4] == [
        "post.receive",
        "draft.save",
        "draft.approve",
        "reply.mark_replied",
    ]
    assert all(set(e) == set(AUDIT_FIELDS) for e in trail)


def test_every_post_route_documents_its_answer(api):
    app, *_ = api
    schema = api_login(app, "staff").get("/openapi.json").json()
    for path, methods in schema["paths"].items():
        if not path.startswith("/api/v1/posts/"):
            continue
        for method, op in methods.items():
            ok = op["responses"].get("200") or op["responses"].get("201")
            content = ok["content"]["application/json"]["schema"]
            assert content.get("$ref") or content.get("items", {}).get("$ref"), (method, path)
    names = schema["components"]["schemas"]
    assert {"PostDetail", "PublishKit", "AuditEntryPublic", "DraftPublic"} <= set(names)
