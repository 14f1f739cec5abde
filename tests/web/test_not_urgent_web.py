"""Issue 15 over HTTP: the "not urgent" button on the post page and its API route."""

from __future__ import annotations

import re

from factories import add_post, api_login, assert_error, csrf_of, sign_in, version_of

from safereply.services import SYSTEM, NewPost

CRISIS = "I just want to end it all"


def _crisis(services, practice_id, external_id="crisis-1"):
    return add_post(services, practice_id, CRISIS, external_id=external_id)


def test_manager_marks_not_urgent_on_the_post_page_and_staff_can_undo(site):
    app, services, _, practices, _, _ = site
    pid = _crisis(services, practices["maple"])
    assert services.inbox.get_post(SYSTEM, pid)["state"] == "escalated"

    staff = sign_in(app, "staff")
    assert f'action="/posts/{pid}/not-urgent"' not in staff.get(f"/posts/{pid}").text

    manager = sign_in(app, "manager")
    page = manager.get(f"/posts/{pid}").text
    assert f'action="/posts/{pid}/not-urgent"' in page and 'for="urgency_reason"' in page
    form = {"csrf_token": csrf_of(page), "expected_version": version_of(page)}
    refused = manager.post(f"/posts/{pid}/not-urgent", data={**form, "urgency_reason": ""})
    assert refused.status_code == 422 and "Choose why this post is not urgent" in refused.text
    no_note = manager.post(f"/posts/{pid}/not-urgent", data={**form, "urgency_reason": "other"})
    assert no_note.status_code == 422 and "say in the note" in no_note.text
    assert services.inbox.get_post(SYSTEM, pid)["state"] == "escalated"

    done = manager.post(
        f"/posts/{pid}/not-urgent",
        data={**form, "urgency_reason": "figure-of-speech", "urgency_note": "about the bill"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and "done=not-urgent" in done.headers["location"]
    post = services.inbox.get_post(SYSTEM, pid)
    assert post["state"] == "new" and post["kind"] == "complaint" and post["priority"] != "urgent"

    page = staff.get(f"/posts/{pid}").text
    assert 'id="urgency-review"' in page and "about the bill" in page
    assert "Mark urgent again" in page
    again = staff.post(
        f"/posts/{pid}/mark-urgent",
        data={"csrf_token": csrf_of(page), "expected_version": version_of(page)},
        follow_redirects=False,
    )
    assert again.status_code == 303 and "done=marked-urgent" in again.headers["location"]
    post = services.inbox.get_post(SYSTEM, pid)
    assert post["state"] == "escalated" and post["kind"] == "crisis"
    assert "Mark urgent again" not in staff.get(f"/posts/{pid}").text


def test_not_urgent_over_the_api(api):
    app, services, (pid_practice, _), _ = api
    post = NewPost(platform="google", external_id="e1", text="Sudden chest pain, help")
    pid = services.inbox.receive(SYSTEM, pid_practice, post).post_id
    staff, manager = api_login(app, "staff"), api_login(app, "manager")
    body = {"reason": "past-event"}
    assert_error(staff.post(f"/api/v1/posts/{pid}/not-urgent", json=body), 403, "forbidden")
    assert_error(
        manager.post(f"/api/v1/posts/{pid}/not-urgent", json={"reason": "bored"}),
        422,
        "invalid_request",
    )
    done = manager.post(f"/api/v1/posts/{pid}/not-urgent", json={**body, "kind": "question"})
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "new" and set(done.json()) >= {"post_id", "version"}
    shown = manager.get(f"/api/v1/posts/{pid}").json()
    assert shown["kind"] == "question" and shown["urgency_review"]["reason"] == "past-event"
    audit = manager.get(f"/api/v1/posts/{pid}/audit").json()
    [calmed] = [e for e in audit if e["action"] == "post.not_urgent"]
    assert calmed["detail"]["reason"] == "past-event" and calmed["to_state"] == "new"
    again = staff.post(f"/api/v1/posts/{pid}/mark-urgent", json={})
    assert again.status_code == 200 and again.json()["state"] == "escalated"
    schema = manager.get("/openapi.json").json()
    assert "/api/v1/posts/{post_id}/not-urgent" in schema["paths"]
    reasons = schema["components"]["schemas"]["NotUrgentRequest"]["properties"]["reason"]
    assert "figure-of-speech" in str(reasons)


def test_search_box_and_q_over_the_api(api):
    app, services, (pid_practice, _), _ = api
    for ext, text in (("a", "Parking was a nightmare"), ("b", "Lovely staff")):
        services.inbox.receive(SYSTEM, pid_practice, NewPost("google", ext, text))
    client = api_login(app, "staff")
    found = client.get(f"/api/v1/practices/{pid_practice}/posts", params={"q": "PARKING"})
    assert [p["external_id"] for p in found.json()["items"]] == ["a"]
    too_long = client.get(f"/api/v1/practices/{pid_practice}/posts", params={"q": "x" * 201})
    assert_error(too_long, 422, "invalid_request")


def test_inbox_page_has_a_search_box_that_filters(site):
    app, _, _, practices, _, posts = site
    staff = sign_in(app, "staff")
    page = staff.get(f"/p/{practices['maple']}/inbox?view=all&q=saturdays").text
    assert re.search(r'<input[^>]*name="q"[^>]*value="saturdays"', page)
    assert f'href="/posts/{posts["question"]}"' in page
    assert f'href="/posts/{posts["praise"]}"' not in page
    data = staff.get(f"/p/{practices['maple']}/inbox?view=all&q=saturdays&format=json").json()
    assert [p["id"] for p in data["items"]] == [posts["question"]]
    assert data["filters"]["q"] == "saturdays"
