"""Issue 15: a manager's one-click "not urgent" with a reason, and "mark urgent again"."""

from __future__ import annotations

import datetime as dt

import pytest

from safereply.errors import InputError, PermissionDenied, WorkflowError
from safereply.services import NewPost

CRISIS = "I just want to end it all"
NOTE = "She means the billing maze, not herself; Jane Roe called us already"


def _crisis_with_template(world) -> int:
    inbox = world.services.inbox
    pid = inbox.receive(world.staff, world.practice, NewPost("google", "c-1", CRISIS)).post_id
    inbox.acknowledge(world.staff, pid)  # the one-click urgent template (988)
    post = inbox.get_post(world.staff, pid)
    assert post["state"] == "escalated" and post["drafts"][-1]["source"] == "acknowledgement"
    assert "988" in post["drafts"][-1]["text"] and not post["help_missing"]
    return pid


def _events(world, pid):
    return world.services.audit.events(
        world.admin, world.practice, object_type="post", object_id=pid
    )


def test_staff_cannot_mark_a_post_not_urgent(world):
    pid = _crisis_with_template(world)
    with pytest.raises(PermissionDenied, match="manager"):
        world.services.inbox.not_urgent(world.staff, pid, reason="figure-of-speech")
    assert world.services.inbox.get_post(world.staff, pid)["state"] == "escalated"


def test_reason_must_be_known_and_other_needs_a_note(world):
    inbox = world.services.inbox
    pid = _crisis_with_template(world)
    with pytest.raises(InputError, match="unknown reason"):
        inbox.not_urgent(world.manager, pid, reason="because")
    with pytest.raises(InputError, match="note"):
        inbox.not_urgent(world.manager, pid, reason="other", note="   ")
    with pytest.raises(InputError, match="500"):
        inbox.not_urgent(world.manager, pid, reason="past-event", note="x" * 501)
    with pytest.raises(InputError, match="unknown kind"):
        inbox.not_urgent(world.manager, pid, reason="past-event", kind="crisis")
    assert inbox.get_post(world.staff, pid)["state"] == "escalated"


def test_not_urgent_returns_the_post_to_the_normal_queue_and_template(world):
    inbox = world.services.inbox
    pid = _crisis_with_template(world)
    world.clock.advance(minutes=5)
    out = inbox.not_urgent(world.manager, pid, reason="figure-of-speech", note=NOTE)
    post = inbox.get_post(world.staff, pid)
    assert out["state"] == post["state"] == "drafted"
    assert post["kind"] == "complaint" and post["priority"] == "high"
    received = dt.datetime.fromisoformat(post["received_at"])
    assert dt.datetime.fromisoformat(post["due_at"]) - received == dt.timedelta(hours=24)
    # The 988 template is replaced by the normal acknowledgement, and nothing asks for 988.
    current = post["drafts"][-1]
    assert len(post["drafts"]) == 2 and current["source"] == "acknowledgement"
    assert "988" not in current["text"] and post["help_line"] is None
    assert not post["help_missing"]
    # The triage's own record is unchanged: it said crisis.
    assert post["triage"]["kind"] == "crisis"
    review = post["urgency_review"]
    assert review["urgent"] is False and review["reason"] == "figure-of-speech"
    assert review["note"] == NOTE and review["kind_before"] == "crisis"
    # Audit: ids and the reason code only, never the note.
    event = _events(world, pid)[-1]
    assert event["action"] == "post.not_urgent"
    assert (event["from_state"], event["to_state"]) == ("escalated", "drafted")
    assert set(event["detail"]) == {"reason", "review", "draft"}
    assert event["detail"]["reason"] == "figure-of-speech"
    assert event["detail"]["draft"] == current["id"]
    assert "Jane" not in str(_events(world, pid))


def test_after_not_urgent_staff_handle_it_like_any_complaint(world):
    inbox = world.services.inbox
    pid = _crisis_with_template(world)
    inbox.not_urgent(world.manager, pid, reason="past-event")
    inbox.submit(world.staff, pid)  # no 988 required any more
    inbox.reject(world.manager, pid)
    assert inbox.get_post(world.staff, pid)["state"] == "drafted"  # not back to escalated
    inbox.dismiss(world.staff, pid, reason="no-reply-needed")  # staff may dismiss it now
    assert inbox.get_post(world.staff, pid)["state"] == "dismissed"


def test_mark_urgent_again_restores_the_crisis(world):
    inbox = world.services.inbox
    pid = _crisis_with_template(world)
    inbox.not_urgent(world.manager, pid, reason="joke", kind="other")
    assert inbox.get_post(world.staff, pid)["kind"] == "other"
    world.clock.advance(minutes=30)
    out = inbox.mark_urgent(world.staff, pid)
    post = inbox.get_post(world.staff, pid)
    assert out["state"] == post["state"] == "escalated"
    assert post["kind"] == "crisis" and post["priority"] == "urgent"
    assert dt.datetime.fromisoformat(post["due_at"]) <= world.clock.now + dt.timedelta(minutes=15)
    # The current draft is the normal acknowledgement: it lacks 988, so it cannot go anywhere.
    assert post["help_missing"] and post["help_line"] == "988"
    with pytest.raises(WorkflowError, match="988"):
        inbox.submit(world.staff, pid)
    assert post["urgency_review"]["urgent"] is True
    event = _events(world, pid)[-1]
    assert event["action"] == "post.mark_urgent" and set(event["detail"]) == {"review"}
    # Only once: it is urgent again, so the move no longer applies.
    with pytest.raises(WorkflowError, match="cannot mark urgent again a post that is escalated"):
        inbox.mark_urgent(world.staff, pid)


def test_a_post_the_triage_never_found_urgent_cannot_be_marked_urgent_again(world):
    inbox = world.services.inbox
    pid = inbox.receive(world.staff, world.practice, NewPost("google", "p", "Lovely team")).post_id
    with pytest.raises(WorkflowError, match="triage found urgent"):
        inbox.mark_urgent(world.staff, pid)
    with pytest.raises(WorkflowError, match="cannot mark not urgent a post that is new"):
        inbox.not_urgent(world.manager, pid, reason="joke")


def test_a_hand_escalated_post_can_be_calmed_and_keeps_its_kind(world):
    inbox = world.services.inbox
    pid = inbox.receive(world.staff, world.practice, NewPost("google", "p", "Lovely team")).post_id
    inbox.escalate(world.staff, pid)
    inbox.not_urgent(world.manager, pid, reason="not-the-poster")
    post = inbox.get_post(world.staff, pid)
    assert post["state"] == "new" and post["kind"] == "praise" and post["priority"] == "low"


def test_the_other_practice_cannot_touch_it(world):
    pid = _crisis_with_template(world)
    with pytest.raises(Exception, match="no such post"):
        world.services.inbox.not_urgent(world.outsider, pid, reason="joke")
