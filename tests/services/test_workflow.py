"""The inbox workflow rules (DESIGN.md §4), on every backend."""

from __future__ import annotations

import datetime as dt

import pytest

from safereply.errors import ConflictError, InputError, PermissionDenied, WorkflowError
from safereply.services import NewPost

COMPLAINT = "Waited two hours past my appointment and nobody said sorry."
PRAISE = "Lovely team, very kind and quick."


def receive(world, text, external_id="g-1", rating=None, platform="google", **kw):
    return world.services.inbox.receive(
        world.staff,
        world.practice,
        NewPost(platform=platform, external_id=external_id, text=text, rating=rating, **kw),
    )


def state(world, post_id):
    return world.services.inbox.get_post(world.admin, post_id)["state"]


def audit(world, post_id):
    return world.services.audit.events(
        world.admin, world.practice, object_type="post", object_id=post_id
    )


def test_arrival_triages_and_sets_due_time(world):
    out = receive(world, COMPLAINT, rating=1)
    post = world.services.inbox.get_post(world.staff, out.post_id)
    assert post["state"] == "new"
    assert post["kind"] == "complaint"
    assert post["topics"] == ["wait-time"]
    assert post["triage"]["reasons"] == ["fake triage: complaint"]
    due = dt.datetime.fromisoformat(post["due_at"])
    assert due - world.clock.now == dt.timedelta(hours=24)


def test_arrival_is_idempotent_by_platform_and_external_id(world):
    first = receive(world, COMPLAINT)
    again = receive(world, "a different text, same id")
    other_platform = receive(world, COMPLAINT, platform="facebook")
    assert first.status == "created"
    assert again.status == "duplicate" and again.post_id == first.post_id
    assert other_platform.status == "created" and other_platform.post_id != first.post_id


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Sudden chest pain in the waiting room, please help", "emergency"),
        ("I just want to end it all", "crisis"),
    ],
)
def test_emergency_and_crisis_escalate_on_arrival_with_urgent_due_time(world, text, kind):
    out = receive(world, text)
    post = world.services.inbox.get_post(world.staff, out.post_id)
    assert out.escalated and post["state"] == "escalated" and post["kind"] == kind
    assert dt.datetime.fromisoformat(post["due_at"]) - world.clock.now == dt.timedelta(minutes=15)
    assert [e["action"] for e in audit(world, out.post_id)] == ["post.receive"]
    assert audit(world, out.post_id)[0]["to_state"] == "escalated"


def test_bad_posts_are_rejected_with_a_reason(world):
    with pytest.raises(InputError, match="no text"):
        receive(world, "   ")
    with pytest.raises(InputError, match="rating"):
        receive(world, PRAISE, rating=42)
    with pytest.raises(InputError, match="unknown location 'Uptown'"):
        receive(world, PRAISE, location="Uptown")


def test_full_path_to_marked_replied_records_exact_text(world):
    inbox = world.services.inbox
    pid = receive(world, PRAISE).post_id
    saved = inbox.save_draft(
        world.staff, pid, "Thank you so much! Call us any time at (555) 201-3300."
    )
    assert saved["state"] == "drafted" and saved["draft"]["verdict"] == "pass"
    inbox.submit(world.staff, pid)
    inbox.approve(world.manager, pid)
    kit = inbox.publish_kit(world.staff, pid)
    assert kit["text"].startswith("Thank you so much!")
    inbox.mark_replied(world.staff, pid, posted_text=kit["text"] + "  ", url="https://g.test/r/1")
    post = inbox.get_post(world.staff, pid)
    assert post["state"] == "marked_replied"
    assert post["published"]["text"] == kit["text"]
    assert post["published"]["url"] == "https://g.test/r/1"
    actions = [(e["action"], e["from_state"], e["to_state"]) for e in audit(world, pid)]
    assert actions == [
        ("post.receive", None, "new"),
        ("draft.save", "new", "drafted"),
        ("draft.submit", "drafted", "in_review"),
        ("draft.approve", "in_review", "approved"),
        ("reply.mark_replied", "approved", "marked_replied"),
    ]


def test_posted_text_must_match_the_approved_reply(world):
    inbox = world.services.inbox
    pid = receive(world, PRAISE).post_id
    inbox.save_draft(world.staff, pid, "Thank you!")
    inbox.approve(world.manager, pid)
    with pytest.raises(WorkflowError, match="differs from the approved reply"):
        inbox.mark_replied(world.staff, pid, posted_text="Thank you! See you at your visit.")
    assert state(world, pid) == "approved"


def test_blocked_reply_can_never_be_submitted_or_approved(world):
    inbox = world.services.inbox
    pid = receive(world, PRAISE).post_id
    saved = inbox.save_draft(world.staff, pid, "Glad your visit went well!")
    assert saved["draft"]["verdict"] == "block"
    with pytest.raises(WorkflowError, match="blocked"):
        inbox.submit(world.staff, pid)
    with pytest.raises(WorkflowError, match="never be approved"):
        inbox.approve(world.manager, pid)
    assert state(world, pid) == "drafted"


def test_warn_needs_explicit_acknowledgement_recorded_in_audit(world):
    inbox = world.services.inbox
    pid = receive(world, PRAISE).post_id
    inbox.save_draft(world.staff, pid, "This looks like a fake review. Please call us.")
    inbox.submit(world.staff, pid)
    with pytest.raises(WorkflowError, match="acknowledge_warnings"):
        inbox.approve(world.manager, pid)
    inbox.approve(world.manager, pid, acknowledge_warnings=True)
    event = audit(world, pid)[-1]
    assert event["action"] == "draft.approve"
    assert event["detail"]["warnings_acknowledged"] is True
    assert event["detail"]["codes"] == ["TN001"]


def test_edit_relints_and_sends_approved_reply_back_to_review(world):
    inbox = world.services.inbox
    pid = receive(world, PRAISE).post_id
    inbox.save_draft(world.staff, pid, "Thank you!")
    inbox.approve(world.manager, pid)
    edited = inbox.save_draft(world.staff, pid, "Thank you! Hope your visit was good.")
    assert edited["state"] == "in_review"
    assert edited["draft"]["verdict"] == "block" and edited["draft"]["number"] == 2
    with pytest.raises(WorkflowError, match="never be approved"):
        inbox.approve(world.manager, pid)
    with pytest.raises(WorkflowError):
        inbox.mark_replied(world.staff, pid)


def test_complaint_needs_approval_by_someone_else(world):
    inbox = world.services.inbox
    pid = receive(world, COMPLAINT, rating=1).post_id
    world.clock.advance(minutes=5)
    inbox.save_draft(world.manager, pid, "We are sorry to hear this. Please call (555) 201-3300.")
    inbox.submit(world.manager, pid)
    with pytest.raises(PermissionDenied, match="someone else"):
        inbox.approve(world.manager, pid)
    with pytest.raises(PermissionDenied, match="needs a manager"):
        inbox.approve(world.staff, pid)
    inbox.approve(world.manager2, pid)
    assert state(world, pid) == "approved"


def test_policy_none_lets_the_author_approve(world):
    world.services.practices.update_settings(
        world.admin, world.practice, {"approval_policy": "none"}
    )
    inbox = world.services.inbox
    pid = receive(world, COMPLAINT, rating=1).post_id
    inbox.save_draft(world.staff, pid, "We are sorry. Please call (555) 201-3300.")
    inbox.approve(world.staff, pid)
    assert state(world, pid) == "approved"


def test_cooling_off_holds_custom_complaint_replies(world):
    inbox = world.services.inbox
    pid = receive(world, COMPLAINT, rating=1).post_id
    inbox.save_draft(world.staff, pid, "We are sorry. Please call (555) 201-3300.")
    inbox.approve(world.manager, pid)
    world.clock.advance(minutes=59)
    with pytest.raises(WorkflowError, match="cooling-off"):
        inbox.mark_replied(world.staff, pid)
    assert inbox.get_post(world.staff, pid)["cooling_off_until"] is not None
    world.clock.advance(minutes=1)
    inbox.mark_replied(world.staff, pid)
    assert state(world, pid) == "marked_replied"


def test_cooling_off_is_configurable(world):
    world.services.practices.update_settings(
        world.admin, world.practice, {"cooling_off_minutes": 10}
    )
    inbox = world.services.inbox
    pid = receive(world, COMPLAINT, rating=1).post_id
    inbox.save_draft(world.staff, pid, "We are sorry. Please call (555) 201-3300.")
    inbox.approve(world.manager, pid)
    world.clock.advance(minutes=10)
    inbox.mark_replied(world.staff, pid)


def test_bland_acknowledgement_is_exempt_from_cooling_off(world):
    inbox = world.services.inbox
    pid = receive(world, COMPLAINT, rating=1).post_id
    saved = inbox.acknowledge(world.staff, pid)
    assert saved["draft"]["source"] == "acknowledgement"
    assert "(555) 201-3300" in saved["draft"]["text"]
    inbox.approve(world.manager, pid)
    inbox.mark_replied(world.staff, pid)
    assert state(world, pid) == "marked_replied"


def test_edited_acknowledgement_is_a_custom_reply_again(world):
    inbox = world.services.inbox
    pid = receive(world, COMPLAINT, rating=1).post_id
    text = inbox.acknowledge(world.staff, pid)["draft"]["text"]
    inbox.save_draft(world.staff, pid, text + " We have changed our process.")
    inbox.approve(world.manager, pid)
    with pytest.raises(WorkflowError, match="cooling-off"):
        inbox.mark_replied(world.staff, pid)


def test_schedule_respects_cooling_off_and_time(world):
    inbox = world.services.inbox
    pid = receive(world, COMPLAINT, rating=1).post_id
    inbox.save_draft(world.staff, pid, "We are sorry. Please call (555) 201-3300.")
    inbox.approve(world.manager, pid)
    with pytest.raises(WorkflowError, match="cooling-off"):
        inbox.schedule(world.staff, pid, world.clock.now + dt.timedelta(minutes=30))
    inbox.schedule(world.staff, pid, world.clock.now + dt.timedelta(minutes=90))
    world.clock.advance(minutes=70)
    with pytest.raises(WorkflowError, match="scheduled for"):
        inbox.mark_replied(world.staff, pid)
    world.clock.advance(minutes=20)
    inbox.mark_replied(world.staff, pid)


def test_suggested_draft_comes_from_the_composer_and_is_linted(world):
    pid = receive(world, PRAISE).post_id
    saved = world.services.inbox.suggest(world.staff, pid)
    assert saved["draft"]["source"] == "suggested"
    assert saved["draft"]["text"].endswith("(555) 201-3300.")
    assert saved["draft"]["report"]["verdict"] == "pass"


def test_publish_through_a_connector_records_where(world):
    class Recorder:
        def __init__(self):
            self.calls = []

        def post_reply(self, *, platform, external_id, url, text):
            self.calls.append((platform, external_id, text))
            return f"https://{platform}.test/reply/{external_id}"

    inbox = world.services.inbox
    pid = receive(world, PRAISE, external_id="p-9").post_id
    inbox.save_draft(world.staff, pid, "Thank you!")
    inbox.approve(world.manager, pid)
    recorder = Recorder()
    inbox.publish(world.staff, pid, recorder)
    post = inbox.get_post(world.staff, pid)
    assert recorder.calls == [("google", "p-9", "Thank you!")]
    assert post["state"] == "published"
    assert post["published"]["url"] == "https://google.test/reply/p-9"
    with pytest.raises(WorkflowError):
        inbox.publish(world.staff, pid, recorder)
    assert len(recorder.calls) == 1


def test_dismiss_and_reopen(world):
    inbox = world.services.inbox
    pid = receive(world, PRAISE).post_id
    with pytest.raises(InputError, match="unknown reason"):
        inbox.dismiss(world.staff, pid, reason="boring")
    inbox.dismiss(world.staff, pid, reason="spam")
    with pytest.raises(WorkflowError):
        inbox.save_draft(world.staff, pid, "Thanks")
    with pytest.raises(PermissionDenied):
        inbox.reopen(world.staff, pid)
    inbox.reopen(world.manager, pid)
    assert state(world, pid) == "new"


def test_escalated_post_needs_a_manager_to_dismiss(world):
    inbox = world.services.inbox
    pid = receive(world, "Sudden chest pain after the visit").post_id
    with pytest.raises(PermissionDenied):
        inbox.dismiss(world.staff, pid, reason="no-reply-needed")
    inbox.dismiss(world.manager, pid, reason="no-reply-needed")


def test_stale_version_is_a_conflict_not_a_lost_update(world):
    inbox = world.services.inbox
    pid = receive(world, PRAISE).post_id
    version = inbox.get_post(world.staff, pid)["version"]
    inbox.save_draft(world.staff, pid, "Thanks a lot!", expected_version=version)
    with pytest.raises(ConflictError, match="reload"):
        inbox.save_draft(world.manager, pid, "Thank you!", expected_version=version)
    drafts = inbox.get_post(world.staff, pid)["drafts"]
    assert [d["text"] for d in drafts] == ["Thanks a lot!"]


def test_approving_a_draft_that_changed_since_reading_is_refused(world):
    inbox = world.services.inbox
    pid = receive(world, PRAISE).post_id
    first = inbox.save_draft(world.staff, pid, "Thank you!")["draft"]["id"]
    inbox.save_draft(world.staff, pid, "Thank you very much!")
    with pytest.raises(ConflictError, match="edited after you read it"):
        inbox.approve(world.manager, pid, draft_id=first)


def test_inbox_filters_and_paginates(world):
    inbox = world.services.inbox
    for n in range(7):
        receive(world, PRAISE, external_id=f"p{n}", location="Downtown" if n % 2 else None)
        world.clock.advance(minutes=1)
    for n in range(3):
        receive(world, COMPLAINT + " The bill was wrong.", external_id=f"c{n}", rating=1)
    first = inbox.list_posts(world.staff, world.practice, limit=4)
    assert len(first["items"]) == 4 and first["next_cursor"]
    second = inbox.list_posts(world.staff, world.practice, limit=4, cursor=first["next_cursor"])
    third = inbox.list_posts(world.staff, world.practice, limit=4, cursor=second["next_cursor"])
    ids = [p["id"] for page in (first, second, third) for p in page["items"]]
    assert len(ids) == len(set(ids)) == 10 and third["next_cursor"] is None
    assert len(inbox.list_posts(world.staff, world.practice, kind="complaint")["items"]) == 3
    assert len(inbox.list_posts(world.staff, world.practice, topic="billing")["items"]) == 3
    downtown = inbox.list_posts(world.staff, world.practice, location_id=1)["items"]
    assert {p["location"]["name"] for p in downtown} == {"Downtown"}
    assert inbox.list_posts(world.staff, world.practice, platform="facebook")["items"] == []
    with pytest.raises(InputError, match="unknown state"):
        inbox.list_posts(world.staff, world.practice, state="lost")


def test_sla_overdue_listed(world):
    inbox = world.services.inbox
    slow = receive(world, PRAISE, external_id="a").post_id
    urgent = receive(world, "chest pain right now", external_id="b").post_id
    world.clock.advance(minutes=16)
    assert [p["id"] for p in inbox.overdue(world.staff, world.practice)] == [urgent]
    world.clock.advance(hours=24)
    assert [p["id"] for p in inbox.overdue(world.staff, world.practice)] == [urgent, slow]
    inbox.dismiss(world.staff, slow, reason="no-reply-needed")
    assert [p["id"] for p in inbox.overdue(world.staff, world.practice)] == [urgent]
    assert inbox.counts(world.staff, world.practice)["overdue"] == 1
