"""Issue 14 on the post page and in its JSON: what the platform says about a connected post (an
edit there after the draft, its removal, the moderation of our reply, a refusal that sent it to
the manual path), and the buttons and routes that edit or withdraw a published reply."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from factories import actor, api_login, csrf_of, parse, sign_in, version_of

from safereply.connectors.base import Credentials
from safereply.connectors.runtime import build_connectors
from safereply.services import SYSTEM

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "connectors"))

LOCATION = "accounts/111/locations/222"
NEW = "Thank you again for the kind words. Call us any time at (555) 201-3300."


@pytest.fixture
def connected(site, google):
    """The site with a Google connection (the app's own connector services use the double)."""
    app, services, clock, practices, users, _posts = site
    settings = services.settings.model_copy(
        update={"google_business_api": google.url, "google_token_url": f"{google.url}/token"}
    )
    connectors = build_connectors(services.store, settings, services.inbox, clock=clock)
    app.state.connectors = connectors
    info = connectors.connections.connect(
        SYSTEM,
        practices["maple"],
        platform="google",
        account="accounts/111",
        external_id=LOCATION,
        credentials=Credentials(client_id="c", client_secret="s", refresh_token="refresh-1"),
        name="Maple on Google",
    )
    google.add_review("g1", "Lovely hygienist, thank you", stars=5)
    assert connectors.syncer.sync(info.id).errors == 0
    manager = actor(users["manager"])
    return app, services, clock, connectors, info.id, manager, _post_of(services, "g1")


def _post_of(services, external_id: str) -> int:
    from sqlalchemy import select

    from safereply.store.models import ConnectionItem

    with services.store.read() as s:
        return s.scalar(
            select(ConnectionItem.post_id).where(ConnectionItem.external_id == external_id)
        )


def _publish(services, connectors, manager, pid):
    services.inbox.acknowledge(SYSTEM, pid)
    services.inbox.approve(manager, pid)
    assert connectors.publisher.publish(pid).status == "published"


def _twin(client, pid):
    return json.loads(client.get(f"/posts/{pid}?format=json").text)


def test_the_moderation_of_a_published_reply_is_shown_in_plain_words(connected, google):
    app, services, _, connectors, _, manager, pid = connected
    _publish(services, connectors, manager, pid)
    client = sign_in(app, "manager")
    page = client.get(f"/posts/{pid}").text
    assert 'id="moderation"' in page
    assert "Google is still checking the reply: it is not public yet." in page
    google.set_reply_state("g1", "REJECTED", "CONTAINS_URL")
    assert connectors.publisher.follow_moderation() == 1
    page = client.get(f"/posts/{pid}").text
    assert "Google rejected the reply (contains url): it is not public." in page
    shown = _twin(client, pid)["connection"]
    assert shown["reply_state"] == "rejected" and shown["policy_reason"] == "contains url"
    # The API's PostDetail answers the same facts as the service (fields extended, none renamed).
    api = api_login(app, "manager").get(f"/api/v1/posts/{pid}").json()
    service = json.loads(json.dumps(services.inbox.get_post(manager, pid)))
    assert api == service and api["connection"]["reply_state"] == "rejected"
    assert api["revising"] is False


def test_an_edit_on_google_after_the_draft_asks_to_read_it_again(connected, google):
    app, services, clock, connectors, conn, _manager, pid = connected
    services.inbox.acknowledge(SYSTEM, pid)
    client = sign_in(app, "manager")
    assert "was edited on Google" not in client.get(f"/posts/{pid}").text
    clock.advance(minutes=5)
    google.edit_review("g1", "Lovely hygienist, but the parking was hard", stars=4)
    connectors.syncer.sync(conn)
    page = client.get(f"/posts/{pid}").text
    assert "The post was edited on Google after this reply was drafted: read it again." in page
    assert _twin(client, pid)["connection"]["changed_since_draft"] is True
    # A new version written after the edit is current again.
    clock.advance(minutes=1)
    services.inbox.acknowledge(SYSTEM, pid)
    assert "was edited on Google" not in client.get(f"/posts/{pid}").text


def test_a_post_removed_on_google_says_so(connected, google):
    app, _services, clock, connectors, conn, _, pid = connected
    del google.reviews["g1"]
    clock.advance(hours=25)
    assert connectors.syncer.sync(conn).removed == 1
    client = sign_in(app, "manager")
    page = client.get(f"/posts/{pid}").text
    assert "Removed on Google" in page
    post = _twin(client, pid)
    assert post["state"] == "dismissed" and post["connection"]["removed_at"]


def test_a_refusal_sends_the_reply_to_the_manual_path_with_its_reason(connected, google):
    app, services, _, connectors, _, manager, pid = connected
    services.inbox.acknowledge(SYSTEM, pid)
    services.inbox.approve(manager, pid)
    body = {"error": {"code": 400, "message": "Reply contains a URL", "status": "BAD"}}
    google.fail("PUT", "/reply", 400, body=body)
    assert connectors.publisher.publish(pid).status == "refused"
    page = sign_in(app, "manager").get(f"/posts/{pid}").text
    assert 'id="refusal"' in page and "Google refused the reply, so it goes out by hand" in page
    assert "Reply contains a URL" in page and 'id="manual-h"' in page


def test_managers_edit_and_withdraw_a_published_reply_from_the_page(connected, google):
    app, services, _, connectors, _, manager, pid = connected
    _publish(services, connectors, manager, pid)
    staff_page = sign_in(app, "staff").get(f"/posts/{pid}").text
    assert "Edit the published reply" not in staff_page and 'id="withdraw"' not in staff_page
    client = sign_in(app, "manager")
    page = client.get(f"/posts/{pid}").text
    assert "Edit the published reply" in page and "Delete it on Google" in page
    form = {"csrf_token": csrf_of(page), "expected_version": version_of(page)}
    done = client.post(f"/posts/{pid}/revise", data={**form, "text": NEW})
    assert done.status_code == 200 and "New version saved and checked" in done.text
    assert 'id="revising-note"' in done.text and "Keep the published reply as it is" in done.text
    post = _twin(client, pid)
    assert post["revising"] and post["state"] == "drafted"
    assert post["published"]["text"] != NEW  # the reply that is out is unchanged
    page = client.get(f"/posts/{pid}").text
    form = {"csrf_token": csrf_of(page), "expected_version": version_of(page)}
    # A reason is required.
    refused = client.post(f"/posts/{pid}/withdraw", data={**form, "by_hand": "0"})
    assert refused.status_code == 422 and "Choose why the reply is taken down." in refused.text
    done = client.post(
        f"/posts/{pid}/withdraw", data={**form, "by_hand": "0", "withdraw_reason": "mistake"}
    )
    assert done.status_code == 200 and "The reply was taken down" in done.text
    assert "reviewReply" not in google.reviews["g1"]
    post = _twin(client, pid)
    assert post["published"] is None and not post["revising"] and post["state"] == "drafted"


def test_the_api_edits_keeps_and_withdraws_a_published_reply(connected, google):
    app, services, _, connectors, _, manager, pid = connected
    _publish(services, connectors, manager, pid)
    client = api_login(app, "manager")
    revised = client.post(f"/api/v1/posts/{pid}/revise", json={"text": NEW})
    assert revised.status_code == 200, revised.text
    assert revised.json()["state"] == "drafted" and revised.json()["draft"]["text"] == NEW
    kept = client.post(f"/api/v1/posts/{pid}/keep-published", json={})
    assert kept.json()["state"] == "published"
    bad = client.post(f"/api/v1/posts/{pid}/withdraw", json={"reason": "bored"})
    assert bad.status_code == 422
    gone = client.post(f"/api/v1/posts/{pid}/withdraw", json={"reason": "privacy"})
    assert gone.status_code == 200, gone.text
    assert gone.json()["state"] == "drafted" and "reviewReply" not in google.reviews["g1"]
    staff = api_login(app, "staff").post(f"/api/v1/posts/{pid}/revise", json={"text": NEW})
    assert staff.status_code == 403
    schema = client.get("/openapi.json").json()
    assert "ConnectionStatePublic" in schema["components"]["schemas"]
    assert "WithdrawRequest" in schema["components"]["schemas"]


def test_a_manual_path_post_records_the_deletion_by_hand(site):
    app, services, _, _, users, posts = site
    manager = actor(users["manager"])
    pid = posts["praise"]  # on Yelp: no connection
    services.inbox.acknowledge(SYSTEM, pid)
    services.inbox.approve(manager, pid)
    services.inbox.mark_replied(manager, pid)
    client = sign_in(app, "manager")
    page = client.get(f"/posts/{pid}").text
    assert "I deleted it on Yelp: record it" in page
    assert _twin(client, pid)["connection"] is None
    # Through the connector path it is refused: there is no connection to delete it with.
    api = api_login(app, "manager")
    refused = api.post(f"/api/v1/posts/{pid}/withdraw", json={"reason": "poster-asked"})
    assert refused.status_code == 409 and "by hand" in refused.json()["error"]["message"]
    form = {"csrf_token": csrf_of(page), "expected_version": version_of(page)}
    done = client.post(
        f"/posts/{pid}/withdraw",
        data={**form, "by_hand": "1", "withdraw_reason": "poster-asked"},
    )
    assert done.status_code == 200 and "The reply was taken down" in done.text
    assert _twin(client, pid)["state"] == "drafted"


def test_a_manual_path_edit_is_made_by_hand_and_recorded(site):
    app, services, _, _, users, posts = site
    manager = actor(users["manager"])
    pid = posts["praise"]  # on Yelp: no connection
    services.inbox.acknowledge(SYSTEM, pid)
    services.inbox.approve(manager, pid)
    services.inbox.mark_replied(manager, pid)
    client = sign_in(app, "manager")
    page = client.get(f"/posts/{pid}").text
    # Every form on the page of an answered post carries its token, every field its label.
    found = parse(page)
    assert {f"/posts/{pid}/revise", f"/posts/{pid}/withdraw"} <= {f["action"] for f in found.forms}
    assert all("csrf_token" in f["hidden"] for f in found.forms)
    assert all(ident and ident in found.labels for _, ident in found.fields)
    form = {"csrf_token": csrf_of(page), "expected_version": version_of(page)}
    empty = client.post(f"/posts/{pid}/revise", data={**form, "text": "  "})
    assert empty.status_code == 422 and "Write the new version" in empty.text
    done = client.post(f"/posts/{pid}/revise", data={**form, "text": NEW})
    assert done.status_code == 200 and _twin(client, pid)["revising"]
    admin = actor(users["admin"])
    services.inbox.approve(admin, pid)
    page = client.get(f"/posts/{pid}").text
    assert "Edit your reply there: replace its text with the approved reply, exactly." in page
    form = {"csrf_token": csrf_of(page), "expected_version": version_of(page)}
    client.post(f"/posts/{pid}/mark-replied", data=form)
    post = _twin(client, pid)
    assert post["state"] == "marked_replied" and post["published"]["text"] == NEW
    assert not post["revising"]


def test_the_audit_log_says_the_new_moves_in_plain_words(site):
    from safereply.services.audit_words import describe

    _, services, _, practices, users, posts = site
    manager = actor(users["manager"])
    admin = actor(users["admin"])
    pid = posts["praise"]
    services.inbox.acknowledge(SYSTEM, pid)
    services.inbox.approve(manager, pid)
    services.inbox.mark_replied(manager, pid)
    services.inbox.revise_published(manager, pid, NEW)
    services.inbox.approve(admin, pid)
    services.inbox.mark_replied(manager, pid)
    services.inbox.withdraw_published(manager, pid, reason="poster-asked")
    events = services.audit.events(admin, practices["maple"], object_type="post", object_id=pid)
    said = [describe(e, people={}, posts={}) for e in events]
    who, reply = "manager@example.test", f"the published reply to post #{pid}"
    assert f"{who} started a new version of {reply}." in said
    assert f"{who} recorded (edited by hand) a new version of {reply}." in said
    assert f"{who} withdrew {reply} (poster asked)." in said
