"""Two people acting on one post at once never produce two replies or a lost update."""

from __future__ import annotations

import threading

import pytest
from factories import add_post

from safereply.errors import ConflictError, WorkflowError
from safereply.services import NewPost


def _approved_post(world, external_id="c-1"):
    inbox = world.services.inbox
    pid = add_post(world.services, world.practice, "Nice", external_id=external_id, by=world.staff)
    inbox.save_draft(world.staff, pid, "Thank you!")
    inbox.approve(world.manager, pid)
    return pid


def _race(n, action):
    """Run ``action(i)`` in n threads released together; return results and errors."""
    barrier = threading.Barrier(n)
    results, errors = [], []
    lock = threading.Lock()

    def run(i):
        barrier.wait()
        try:
            out = action(i)
        except Exception as exc:  # every failure is collected and checked by the test
            with lock:
                errors.append(exc)
        else:
            with lock:
                results.append(out)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors


@pytest.mark.parametrize("attempt", range(3))
def test_two_people_marking_replied_at_once_record_one_reply(world, attempt):
    pid = _approved_post(world, f"c-{attempt}")
    inbox = world.services.inbox
    version = inbox.get_post(world.staff, pid)["version"]
    actors = [world.staff, world.manager, world.manager2, world.admin]
    results, errors = _race(
        4, lambda i: inbox.mark_replied(actors[i], pid, expected_version=version)
    )
    assert len(results) == 1 and len(errors) == 3
    assert all(isinstance(e, ConflictError | WorkflowError) for e in errors), errors
    post = inbox.get_post(world.staff, pid)
    assert post["state"] == "marked_replied" and post["published"]["text"] == "Thank you!"
    replies = [
        e
        for e in world.services.audit.events(world.admin, world.practice, object_id=pid)
        if e["action"] == "reply.mark_replied"
    ]
    assert len(replies) == 1


def test_concurrent_edits_never_lose_an_update(world):
    inbox = world.services.inbox
    pid = inbox.receive(
        world.staff, world.practice, NewPost(platform="google", external_id="e", text="Nice")
    ).post_id
    version = inbox.get_post(world.staff, pid)["version"]
    actors = [world.staff, world.manager, world.manager2, world.admin]
    results, errors = _race(
        4, lambda i: inbox.save_draft(actors[i], pid, f"Thanks from {i}", expected_version=version)
    )
    assert len(results) == 1 and len(errors) == 3
    assert all(isinstance(e, ConflictError) for e in errors)
    drafts = inbox.get_post(world.staff, pid)["drafts"]
    assert [d["text"] for d in drafts] == [results[0]["draft"]["text"]]


def test_concurrent_edits_without_versions_all_land_as_numbered_versions(world):
    # Without an expected version each save is its own new version: none is overwritten.
    inbox = world.services.inbox
    pid = inbox.receive(
        world.staff, world.practice, NewPost(platform="google", external_id="v", text="Nice")
    ).post_id
    actors = [world.staff, world.manager, world.manager2, world.admin]
    results, errors = _race(4, lambda i: inbox.save_draft(actors[i], pid, f"Thanks from {i}"))
    drafts = inbox.get_post(world.staff, pid)["drafts"]
    assert len(drafts) == len(results) and [d["number"] for d in drafts] == list(
        range(1, len(results) + 1)
    )
    assert {d["text"] for d in drafts} == {r["draft"]["text"] for r in results}
    assert all(isinstance(e, ConflictError) for e in errors)


def test_concurrent_import_of_the_same_post_lands_once(world):
    inbox = world.services.inbox
    post = NewPost(platform="yelp", external_id="same", text="Waited forever", rating=1)
    results, errors = _race(3, lambda i: inbox.receive(world.staff, world.practice, post))
    listed = inbox.list_posts(world.staff, world.practice)["items"]
    assert len(listed) == 1 and errors == []
    assert sorted(r.status for r in results) == ["created", "duplicate", "duplicate"]
