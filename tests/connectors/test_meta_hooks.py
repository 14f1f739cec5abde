"""Meta webhooks at /hooks/meta: verification, the signature over the raw body, what events do."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import pytest
from doubles_http import DoubleServer, json_reply
from doubles_meta import GraphDouble
from doubles_social_world import APP_SECRET, VERIFY_TOKEN, SocialWorld, make_social_world
from fastapi.testclient import TestClient

from safereply.connectors.base import Credentials
from safereply.web import create_app
from safereply.web.hooks import MAX_BODY, parse_events, signature_ok

PAGE = "1001"


@pytest.fixture
def graph() -> Iterator[tuple[GraphDouble, DoubleServer]]:
    double = GraphDouble("facebook", owner_id=PAGE)
    with DoubleServer(double) as server:
        double.base_url = server.url
        yield double, server


def _world(tmp_path, server: DoubleServer, **settings: Any) -> SocialWorld:
    creds = Credentials(access_token="page-token-1")
    return make_social_world(tmp_path, "facebook", f"{server.url}/v26.0", PAGE, creds, **settings)


@pytest.fixture
def world(tmp_path, graph) -> Iterator[SocialWorld]:
    w = _world(tmp_path, graph[1])
    yield w
    w.store.dispose()


def client_for(world: SocialWorld) -> TestClient:
    app = create_app(services=world.services, sweep=False)  # the app mounts /hooks/meta
    app.state.connectors = world.connectors
    return TestClient(app)


def signed(body: bytes, secret: str = APP_SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}


def feed_event(verb: str, post_id: str, comment_id: str, page: str = PAGE) -> bytes:
    change = {
        "field": "feed",
        "value": {
            "item": "comment",
            "verb": verb,
            "post_id": post_id,
            "comment_id": comment_id,
            "from": {"id": "u-555", "name": "Pat Example"},
            "message": "caf\u00e9 was great",
            "created_time": 1_790_000_000,
        },
    }
    # Meta escapes non-ASCII as \\uXXXX and writes no spaces: the signature covers those bytes.
    payload = {
        "object": "page",
        "entry": [{"id": page, "time": 1_790_000_000, "changes": [change]}],
    }
    return json.dumps(payload, separators=(",", ":")).encode()


def test_verification_echoes_the_challenge_only_for_our_token(world):
    client = client_for(world)
    ok = client.get(
        "/hooks/meta",
        params={
            "hub.mode": "subscribe",
            "hub.verify_token": VERIFY_TOKEN,
            "hub.challenge": "1158201444",
        },
    )
    assert ok.status_code == 200 and ok.text == "1158201444"
    assert ok.headers["content-type"].startswith("text/plain")
    bad = client.get(
        "/hooks/meta",
        params={"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"},
    )
    assert bad.status_code == 403 and bad.json()["error"]["code"] == "forbidden"


def test_verification_is_refused_without_a_configured_token(tmp_path, graph):
    world = _world(tmp_path, graph[1], meta_verify_token="")
    answer = client_for(world).get(
        "/hooks/meta",
        params={"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"},
    )
    assert answer.status_code == 403
    world.store.dispose()


@pytest.mark.parametrize(
    "headers",
    [
        {},  # missing
        {"X-Hub-Signature-256": "sha256=" + "0" * 64},  # wrong
        {"X-Hub-Signature-256": "sha1=abc"},  # the old header's scheme
    ],
)
def test_a_missing_or_wrong_signature_gets_401_and_changes_nothing(world, headers):
    body = feed_event("add", f"{PAGE}_1", f"{PAGE}_1_2")
    before = world.row()
    answer = client_for(world).post(
        "/hooks/meta", content=body, headers={"Content-Type": "application/json", **headers}
    )
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "bad_signature"
    after = world.row()
    assert after.cursor == before.cursor and after.next_sync_at == before.next_sync_at


def test_a_signature_over_re_serialised_json_does_not_pass(world):
    body = feed_event("add", f"{PAGE}_1", f"{PAGE}_1_2")
    pretty = json.dumps(json.loads(body), ensure_ascii=False).encode()
    answer = client_for(world).post("/hooks/meta", content=body, headers=signed(pretty))
    assert answer.status_code == 401


def test_without_an_app_secret_every_webhook_is_refused(tmp_path, graph):
    world = _world(tmp_path, graph[1], meta_app_secret="")
    body = feed_event("add", f"{PAGE}_1", f"{PAGE}_1_2")
    before = world.row().cursor
    answer = client_for(world).post("/hooks/meta", content=body, headers=signed(body, ""))
    assert answer.status_code == 503 and answer.json()["error"]["code"] == "not_configured"
    assert world.row().cursor == before
    world.store.dispose()


def test_an_oversized_body_is_refused_before_any_work(world):
    body = b'{"object":"page","entry":[]' + b" " * MAX_BODY + b"}"
    answer = client_for(world).post("/hooks/meta", content=body, headers=signed(body))
    assert answer.status_code == 413


def test_a_signed_body_that_is_not_a_webhook_is_a_bad_request(world):
    body = b"[1, 2, 3]"
    answer = client_for(world).post("/hooks/meta", content=body, headers=signed(body))
    assert answer.status_code == 400


def test_an_edit_event_is_read_at_once_and_the_connection_made_due(world, graph):
    double, server = graph
    post = double.add_root("Our new hours")
    comment = double.add_comment(post, "Lovely staff")
    assert world.sync().new == 1
    double.edit(comment, "I waited two hours past my appointment")  # no count changes
    world.clock.advance(minutes=1)
    body = feed_event("edited", post, comment)
    answer = client_for(world).post("/hooks/meta", content=body, headers=signed(body))
    assert answer.status_code == 200 and answer.json() == {"received": 1, "connections": 1}
    # read from the API right after the answer (push), triaged again
    assert world.post(comment).text == "I waited two hours past my appointment"
    assert world.post(comment).kind == "complaint"
    assert server.requests("GET", f"/{comment}$")
    row = world.row()  # and the poll is due as the fallback, with the post to read first
    assert row.cursor["recheck"] == [post] and row.next_sync_at == world.clock.now
    report = world.sync()
    assert report.updated == 0 and not report.errors  # nothing left to change
    assert "recheck" not in world.row().cursor


def test_a_new_comment_arrives_by_push_and_a_failed_read_is_left_to_the_poll(world, graph):
    double, server = graph
    post = double.add_root("p")
    world.sync()
    first = double.add_comment(post, "Do you take new patients?")
    body = feed_event("add", post, first)
    client = client_for(world)
    assert client.post("/hooks/meta", content=body, headers=signed(body)).status_code == 200
    assert world.post(first) is not None  # in the inbox before any poll
    second = double.add_comment(post, "Parking is easy")
    server.fail("GET", f"/{second}$", json_reply(500, {"error": {"code": 2, "message": "x"}}))
    body = feed_event("add", post, second)
    assert client.post("/hooks/meta", content=body, headers=signed(body)).status_code == 200
    assert world.post(second) is None  # the read failed: nothing half-stored
    assert world.sync().new == 1 and world.post(second) is not None  # the poll found it


def test_the_pages_own_comment_echoed_back_creates_nothing(world, graph):
    double, _ = graph
    post = double.add_root("p")
    ours = double.add_comment(post, "Thanks all!", author_id=PAGE, author_name="Riverside")
    body = feed_event("add", post, ours)
    assert (
        client_for(world)
        .post("/hooks/meta", content=body, headers=signed(body))
        .json()["connections"]
        == 1
    )
    assert world.post(ours) is None


def test_a_remove_event_marks_the_comment_removed_at_once(world, graph):
    double, _ = graph
    post = double.add_root("p")
    comment = double.add_comment(post, "Nice place")
    world.sync()
    double.delete(comment)
    body = feed_event("remove", post, comment)
    answer = client_for(world).post("/hooks/meta", content=body, headers=signed(body))
    assert answer.status_code == 200
    assert world.item(comment).removed_at is not None
    assert world.post(comment).state == "dismissed"


def test_an_event_for_a_page_nobody_connected_changes_nothing(world):
    body = feed_event("add", "999_1", "999_1_2", page="999")
    answer = client_for(world).post("/hooks/meta", content=body, headers=signed(body))
    assert answer.status_code == 200 and answer.json()["connections"] == 0


def test_parse_events_reads_instagram_comments_and_ignores_other_objects():
    payload = {
        "object": "instagram",
        "entry": [
            {
                "id": "178",
                "time": 1,
                "changes": [
                    {
                        "field": "comments",
                        "value": {"id": "c1", "text": "hi", "media": {"id": "m1"}},
                    },
                    {"field": "mentions", "value": {"media_id": "m2"}},
                ],
            }
        ],
    }
    events = parse_events(payload)
    assert dict(events.recheck) == {("instagram", "178"): ["m1"]} and events.changes == 2
    assert not parse_events({"object": "user", "entry": [{"id": "1"}]}).recheck
    with pytest.raises(ValueError):
        parse_events({"object": "page"})


def test_signature_ok_is_strict():
    body = b'{"a":1}'
    good = "sha256=" + hmac.new(b"s", body, hashlib.sha256).hexdigest()
    assert signature_ok("s", body, good)
    assert not signature_ok("s", body + b" ", good)
    assert not signature_ok("", body, good)
    assert not signature_ok("s", body, None)
