"""Publishing an approved reply to Google exactly once, whatever fails on the way."""

from __future__ import annotations

import datetime as dt

import pytest
from google_world import LosesAnswers, synced_world
from sqlalchemy import select

from safereply.services import SYSTEM
from safereply.store.models import (
    AuditEvent,
    Connection,
    Notification,
    PracticeSettings,
    PublishedReply,
)


@pytest.fixture
def transport():
    return LosesAnswers()


@pytest.fixture
def world(google, tmp_path, transport):
    w = synced_world(google, tmp_path, transport)
    yield w
    w.store.dispose()


def published(world, pid):
    with world.store.read() as s:
        return s.scalar(select(PublishedReply.text).where(PublishedReply.post_id == pid))


def test_an_approved_reply_is_published_once_and_only_after_google_confirms(world, google):
    pid = world.approve_acknowledgement("r1")
    assert world.connectors.publisher.due() == [pid]
    done = world.connectors.publisher.publish(pid)
    assert done.status == "published" and not done.reused
    assert world.post("r1").state == "published"
    assert [rid for rid, _ in google.puts] == ["r1"]
    assert google.reviews["r1"]["reviewReply"]["comment"] == published(world, pid)
    assert world.item("r1").reply_state == "pending"  # submitted; Google still moderates it
    assert world.connectors.publisher.due() == []
    google.set_reply_state("r1", "APPROVED")
    assert world.connectors.publisher.follow_moderation() == 1
    assert world.item("r1").reply_state == "approved"


def test_a_lost_answer_is_found_by_reading_back_and_never_posted_twice(world, google, transport):
    pid = world.approve_acknowledgement("r1")
    transport.lose_next_put = True
    first = world.connectors.publisher.publish(pid)
    assert first.status == "retry"
    assert world.post("r1").state == "approved" and published(world, pid) is None
    assert len(google.puts) == 1  # Google has the reply; we do not know it yet
    world.clock.advance(minutes=5)
    again = world.connectors.publisher.publish(pid)
    assert again.status == "published" and again.reused
    assert len(google.puts) == 1 and world.post("r1").state == "published"


def test_a_sync_between_a_lost_answer_and_the_retry_does_not_take_our_reply_for_another(
    world, google, transport
):
    """The reply Google holds is our approved draft, not one written elsewhere: the sync leaves
    it to the publish job, which records it as published (it was closed as answered-elsewhere)."""
    pid = world.approve_acknowledgement("r1")
    transport.lose_next_put = True
    assert world.connectors.publisher.publish(pid).status == "retry"
    world.clock.advance(minutes=1)
    world.connectors.syncer.sync(world.connection)
    assert world.post("r1").state == "approved" and not world.item("r1").replied_elsewhere
    world.clock.advance(minutes=5)
    again = world.connectors.publisher.publish(pid)
    assert again.status == "published" and again.reused
    assert len(google.puts) == 1 and world.post("r1").state == "published"


def test_a_rate_limited_publish_waits_for_retry_after(world, google):
    pid = world.approve_acknowledgement("r1")
    google.fail("PUT", "/reply", 429, headers={"Retry-After": "90"})
    done = world.connectors.publisher.publish(pid)
    assert done.status == "retry" and done.retry_after == 90
    item = world.item("r1")
    assert item.publish_next_at == world.clock.now + dt.timedelta(seconds=90)
    assert "429" in item.publish_error
    assert world.connectors.publisher.due() == []
    world.clock.advance(seconds=91)
    assert world.connectors.publisher.publish(pid).status == "published"
    assert len(google.puts) == 1


def test_server_errors_back_off_doubling(world, google):
    pid = world.approve_acknowledgement("r1")
    google.fail("PUT", "/reply", 500, times=2)
    assert world.connectors.publisher.publish(pid).retry_after == 30
    world.clock.advance(seconds=31)
    assert world.connectors.publisher.publish(pid).retry_after == 60


def test_a_refusal_is_not_retried_and_falls_back_to_the_manual_path(world, google):
    pid = world.approve_acknowledgement("r1")
    with world.store.write() as s:
        s.get(PracticeSettings, world.practice).notify_emails = ["office@example.test"]
    body = {"error": {"code": 400, "message": "Reply contains a URL", "status": "INVALID_ARGUMENT"}}
    google.fail("PUT", "/reply", 400, body=body)
    done = world.connectors.publisher.publish(pid)
    assert done.status == "refused" and "Reply contains a URL" in done.detail
    item = world.item("r1")
    assert item.manual_only and "Reply contains a URL" in item.publish_error
    assert world.post("r1").state == "approved"  # the manual path (copy, paste, mark) is open
    assert world.connectors.publisher.due() == []
    kit = world.services.inbox.publish_kit(world.manager, pid)
    assert kit["text"]
    with world.store.read() as s:
        actions = list(s.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(pid))))
    assert "reply.publish_refused" in actions
    with world.store.read() as s:
        reasons = list(s.scalars(select(Notification.reason).where(Notification.post_id == pid)))
    assert reasons == ["reply-refused"]  # the practice is told to post it by hand


def test_a_reply_written_on_google_meanwhile_is_not_overwritten(world, google):
    pid = world.approve_acknowledgement("r1")
    google.reviews["r1"]["reviewReply"] = {"comment": "Typed on Google", "updateTime": "x"}
    done = world.connectors.publisher.publish(pid)
    assert done.status == "refused" and google.puts == []
    assert google.reviews["r1"]["reviewReply"]["comment"] == "Typed on Google"


def test_a_revoked_token_stops_publishing_until_reauthorised(world, google):
    pid = world.approve_acknowledgement("r1")
    google.tokens.clear()
    google.refresh_tokens.clear()
    assert world.connectors.publisher.publish(pid).status == "reauth"
    with world.store.read() as s:
        assert s.get(Connection, world.connection).needs_reauth
    assert world.connectors.publisher.due() == [] and google.puts == []
    assert world.post("r1").state == "approved"


def test_a_complaint_reply_waits_for_its_cooling_off(world, google):
    google.add_review("bad", "I waited two hours", stars=1)
    world.connectors.syncer.sync(world.connection)
    pid = world.post_id("bad")
    inbox = world.services.inbox
    inbox.save_draft(SYSTEM, pid, "We are sorry to hear this. Please call us at (555) 201-3300.")
    inbox.submit(SYSTEM, pid)
    inbox.approve(world.manager, pid)
    done = world.connectors.publisher.publish(pid)
    assert done.status == "waiting" and "cooling-off" in done.detail and google.puts == []
    assert world.connectors.publisher.due() == []  # looked at again in a minute
    world.clock.advance(minutes=61)
    assert world.connectors.publisher.publish(pid).status == "published"
    assert [rid for rid, _ in google.puts] == ["bad"]


def test_a_review_deleted_before_publishing_is_closed_as_removed(world, google):
    pid = world.approve_acknowledgement("r1")
    del google.reviews["r1"]
    done = world.connectors.publisher.publish(pid)
    assert done.status == "removed" and google.puts == []
    assert world.item("r1").removed_at is not None
    assert world.post("r1").state == "dismissed"
    assert world.connectors.publisher.due() == []
    assert not world.item("r1").manual_only  # nothing to post by hand either
