"""Issue 14: a published reply is edited or withdrawn through the workflow, exactly once, on
Google, Facebook and X; a post deleted on its platform closes as ``removed-on-platform``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from doubles_http import DoubleServer, json_reply
from doubles_meta import GraphDouble
from doubles_social_world import SocialWorld, facebook_world, x_world
from doubles_x import XDouble
from factories import add_user
from google_world import (
    LosesAnswers,
    kill_worker_after_googles_answer,
    run_worker_once,
    synced_world,
)
from sqlalchemy import select

from safereply.errors import PermissionDenied, WorkflowError
from safereply.services import SYSTEM, NewPost
from safereply.store.models import AuditEvent, PublishedReply

NEW = "Thank you again for the kind words. Call us any time at (555) 201-3300."
SORRY = "We are sorry about the wait. Please call our office manager at (555) 201-3300."


@pytest.fixture
def transport():
    return LosesAnswers()


@pytest.fixture
def world(google, tmp_path, transport):
    w = synced_world(google, tmp_path, transport)
    yield w
    w.store.dispose()


def _reply_out(world, pid):
    with world.store.read() as s:
        row = s.scalar(select(PublishedReply).where(PublishedReply.post_id == pid))
        return None if row is None else (row.text, row.method, row.draft_id)


def _audit(world, pid, action):
    with world.store.read() as s:
        return [
            e.detail
            for e in s.scalars(
                select(AuditEvent)
                .where(AuditEvent.object_id == str(pid), AuditEvent.action == action)
                .order_by(AuditEvent.id)
            )
        ]


def _published(world) -> int:
    pid = world.approve_acknowledgement("r1")
    assert world.connectors.publisher.publish(pid).status == "published"
    return pid


def _member(world, name: str, role: str = "manager"):
    """Return the actor of another member of the practice (created on first use)."""
    users = world.services.users
    found = users.find_by_email(f"{name}@example.test") or add_user(
        world.services, world.practice, role, name=name, password="Tangerine-Harbor-9181"
    )
    return users.actor_for(found["id"])


def _second(world):
    """A second manager: approves what the first one wrote."""
    return _member(world, "second")


def _revise_and_approve(world, pid, text=NEW):
    inbox = world.services.inbox
    inbox.revise_published(world.manager, pid, text)
    inbox.approve(_second(world), pid)


# -- removed on the platform ------------------------------------------------------------------


def test_a_review_deleted_on_google_closes_its_post_as_removed_on_platform(world, google):
    pid = world.post_id("r1")
    del google.reviews["r1"]
    world.clock.advance(hours=25)
    assert world.connectors.syncer.sync(world.connection).removed == 1
    assert world.post("r1").state == "dismissed"
    assert _audit(world, pid, "post.dismiss") == [{"reason": "removed-on-platform"}]
    assert world.item("r1").removed_at is not None


# -- editing a published reply ----------------------------------------------------------------


def test_an_edit_of_a_published_reply_is_approved_then_written_to_google_once(world, google):
    pid = _published(world)
    first_text = google.reviews["r1"]["reviewReply"]["comment"]
    result = world.services.inbox.revise_published(world.manager, pid, NEW)
    assert result["state"] == "drafted"
    # The old reply stays out, untouched, until the new version is approved and published.
    assert world.connectors.publisher.due() == []
    assert google.reviews["r1"]["reviewReply"]["comment"] == first_text
    world.services.inbox.approve(_second(world), pid)
    assert world.connectors.publisher.due() == [pid]
    done = world.connectors.publisher.publish(pid)
    assert done.status == "published" and not done.reused
    assert world.post("r1").state == "published"
    assert [c for _, c in google.puts] == [first_text, NEW]
    assert google.reviews["r1"]["reviewReply"]["comment"] == NEW
    text, method, _ = _reply_out(world, pid)
    assert (text, method) == (NEW, "connector")
    assert world.item("r1").reply_state == "pending"  # Google moderates the edit again
    (edit,) = [d for d in _audit(world, pid, "reply.publish") if d.get("edit")]
    assert edit["replaces"] != edit["draft"]
    # The next sync sees our new text as ours, not as a reply written elsewhere.
    world.clock.advance(minutes=5)
    assert world.connectors.syncer.sync(world.connection).errors == 0
    assert not world.item("r1").replied_elsewhere and world.post("r1").state == "published"


def test_a_lost_answer_to_an_edit_is_read_back_and_never_applied_twice(world, google, transport):
    pid = _published(world)
    _revise_and_approve(world, pid)
    transport.lose_next_put = True
    assert world.connectors.publisher.publish(pid).status == "retry"
    assert world.post("r1").state == "approved"
    assert _reply_out(world, pid)[0] != NEW  # rolled back: the old reply is what we know
    # A sync between the two attempts sees our new text on Google: not "replied elsewhere".
    world.clock.advance(minutes=5)
    world.connectors.syncer.sync(world.connection)
    assert world.post("r1").state == "approved" and not world.item("r1").replied_elsewhere
    again = world.connectors.publisher.publish(pid)
    assert again.status == "published" and again.reused
    assert len(google.puts) == 2  # the first reply and one edit
    assert _reply_out(world, pid)[0] == NEW


def test_an_edit_of_a_complaint_reply_waits_out_a_new_cooling_off(world, google):
    google.add_review("c1", "I waited an hour", stars=1)
    world.connectors.syncer.sync(world.connection)
    pid = world.post_id("c1")
    inbox = world.services.inbox
    inbox.save_draft(SYSTEM, pid, SORRY)
    inbox.approve(world.manager, pid)
    world.clock.advance(minutes=61)
    assert world.connectors.publisher.publish(pid).status == "published"
    inbox.revise_published(world.manager, pid, SORRY + " We have changed our rota.")
    # The same approval policy as a first reply: the author does not approve their own version.
    with pytest.raises(PermissionDenied):
        inbox.approve(world.manager, pid)
    inbox.approve(_second(world), pid)
    waiting = world.connectors.publisher.publish(pid)
    assert waiting.status == "waiting" and "cooling-off" in waiting.detail
    assert inbox.get_post(SYSTEM, pid)["cooling_off_until"] is not None
    world.clock.advance(minutes=61)
    assert world.connectors.publisher.publish(pid).status == "published"
    assert google.reviews["c1"]["reviewReply"]["comment"].endswith("changed our rota.")


def test_a_reply_changed_on_google_outside_safereply_is_not_overwritten(world, google):
    pid = _published(world)
    _revise_and_approve(world, pid)
    google.reviews["r1"]["reviewReply"]["comment"] = "Typed on Google by someone"
    done = world.connectors.publisher.publish(pid)
    assert done.status == "refused" and "outside SafeReply" in done.detail
    assert world.item("r1").manual_only
    assert google.reviews["r1"]["reviewReply"]["comment"] == "Typed on Google by someone"


def test_an_edit_can_be_given_up_and_the_published_reply_stays(world, google):
    pid = _published(world)
    old = _reply_out(world, pid)
    world.services.inbox.revise_published(world.manager, pid, NEW)
    # A post whose reply is out is never "closed without a reply".
    with pytest.raises(WorkflowError, match="withdraw it, or keep it"):
        world.services.inbox.dismiss(world.manager, pid, reason="spam")
    result = world.services.inbox.keep_published(world.manager, pid)
    assert result["state"] == "published" and _reply_out(world, pid) == old
    assert len(google.puts) == 1


def test_staff_cannot_start_an_edit_of_a_published_reply(world):
    pid = _published(world)
    actor = _member(world, "staff", "staff")
    with pytest.raises(PermissionDenied):
        world.services.inbox.revise_published(actor, pid, NEW)


def test_a_review_deleted_while_its_reply_is_being_edited_stays_answered(world, google):
    pid = _published(world)
    world.services.inbox.revise_published(world.manager, pid, NEW)
    del google.reviews["r1"]
    world.clock.advance(hours=25)
    world.connectors.syncer.sync(world.connection)
    assert world.post("r1").state == "published"
    assert world.item("r1").removed_at is not None


def test_a_worker_killed_between_googles_answer_to_an_edit_and_its_commit_edits_once(world, google):
    pid = _published(world)
    first_text = _reply_out(world, pid)[0]
    _revise_and_approve(world, pid)
    # Google takes the edit; the worker is frozen before it reads the answer, the answer is
    # sent, then the worker is killed: the platform changed the reply, the database never heard.
    kill_worker_after_googles_answer(world, google)
    assert [c for _, c in google.puts] == [first_text, NEW]
    assert world.post("r1").state == "approved" and _reply_out(world, pid)[0] == first_text

    google.on_put = google.after_put = None
    summary = run_worker_once(world)
    assert summary["published"] == [{"post": pid, "status": "published", "retry_after": None}]
    assert len(google.puts) == 2  # read back, found, recorded: never edited twice
    assert world.post("r1").state == "published" and _reply_out(world, pid)[0] == NEW


# -- withdrawing a published reply ------------------------------------------------------------


def test_withdrawing_deletes_the_reply_on_google_and_the_post_waits_again(world, google):
    pid = _published(world)
    result = world.connectors.publisher.withdraw(world.manager, pid, reason="mistake")
    assert result["state"] == "drafted"
    assert "reviewReply" not in google.reviews["r1"]
    assert [m for m, p in google.requests if p.endswith("/reply")].count("DELETE") == 1
    assert _reply_out(world, pid) is None
    post = world.post("r1")
    assert post.closed_at is None and post.due_at > world.clock.now  # not overdue at once
    assert world.item("r1").reply_state is None
    (detail,) = _audit(world, pid, "reply.withdraw")
    assert detail["reason"] == "mistake" and detail["method"] == "connector"
    # The post is answered again through the same workflow.
    world.services.inbox.approve(_second(world), pid)
    assert world.connectors.publisher.publish(pid).status == "published"


def test_a_reply_already_deleted_on_google_counts_as_withdrawn(world, google):
    pid = _published(world)
    google.reviews["r1"].pop("reviewReply")  # deleted by an attempt whose commit was lost
    result = world.connectors.publisher.withdraw(world.manager, pid, reason="privacy")
    assert result["state"] == "drafted"
    assert not [p for m, p in google.requests if m == "DELETE"]  # nothing deleted twice


def test_a_failed_withdrawal_changes_nothing_and_can_be_tried_again(world, google):
    pid = _published(world)
    google.fail("DELETE", "/reply", 503)
    with pytest.raises(WorkflowError, match="did not take the reply down"):
        world.connectors.publisher.withdraw(world.manager, pid, reason="mistake")
    assert world.post("r1").state == "published" and _reply_out(world, pid) is not None
    assert world.connectors.publisher.withdraw(world.manager, pid, reason="mistake")["state"] == (
        "drafted"
    )
    assert "reviewReply" not in google.reviews["r1"]


def test_a_withdrawal_needs_a_manager_and_a_known_reason(world):
    pid = _published(world)
    actor = _member(world, "staff", "staff")
    with pytest.raises(PermissionDenied):
        world.connectors.publisher.withdraw(actor, pid, reason="mistake")
    with pytest.raises(Exception, match="unknown reason"):
        world.connectors.publisher.withdraw(world.manager, pid, reason="bored")


# -- the manual path --------------------------------------------------------------------------


def test_a_manual_path_post_records_an_edit_and_a_deletion_made_by_hand(world):
    inbox = world.services.inbox
    pid = inbox.receive(SYSTEM, world.practice, NewPost("yelp", "y1", "Great staff")).post_id
    inbox.acknowledge(SYSTEM, pid)
    inbox.approve(world.manager, pid)
    inbox.mark_replied(world.manager, pid, url="https://www.yelp.com/biz/r/1")
    inbox.revise_published(world.manager, pid, NEW)
    inbox.approve(_second(world), pid)
    kit = inbox.publish_kit(world.manager, pid)
    assert "Edit your reply there" in kit["steps"][2]
    assert inbox.mark_replied(world.manager, pid)["state"] == "marked_replied"
    assert _reply_out(world, pid)[:2] == (NEW, "manual")
    with world.store.read() as s:
        url = s.scalar(select(PublishedReply.url).where(PublishedReply.post_id == pid))
    assert url == "https://www.yelp.com/biz/r/1"  # the reply's address is kept
    (edit,) = [d for d in _audit(world, pid, "reply.mark_replied") if d.get("edit")]
    assert edit["method"] == "manual"
    # Without a connection the deletion is recorded as done by hand.
    with pytest.raises(WorkflowError, match="no working connection"):
        world.connectors.publisher.withdraw(world.manager, pid, reason="poster-asked")
    out = inbox.withdraw_published(world.manager, pid, reason="poster-asked")
    assert out["state"] == "drafted" and _reply_out(world, pid) is None
    assert _audit(world, pid, "reply.withdraw")[0]["method"] == "manual"


# -- Facebook and X ---------------------------------------------------------------------------

PAGE = "1001"


@pytest.fixture
def fb(tmp_path) -> Iterator[tuple[GraphDouble, DoubleServer, SocialWorld]]:
    with facebook_world(tmp_path, PAGE) as found:
        yield found


@pytest.fixture
def xw(tmp_path) -> Iterator[tuple[XDouble, DoubleServer, SocialWorld]]:
    with x_world(tmp_path, "42") as found:
        yield found


def _social_edit(world, external_id) -> int:
    pid = world.approve_acknowledgement(external_id)
    assert world.connectors.publisher.publish(pid).status == "published"
    inbox = world.services.inbox
    inbox.revise_published(world.manager(), pid, NEW)
    inbox.approve(_second(world), pid)
    return pid


def test_a_facebook_reply_is_edited_in_place(fb):
    double, server, world = fb
    comment = double.add_comment(double.add_root("p"), "Thanks for a great cleaning")
    world.sync()
    pid = _social_edit(world, comment)
    (reply,) = double.replies_by_owner(comment)
    assert world.connectors.publisher.publish(pid).status == "published"
    assert [r.text for r in double.replies_by_owner(comment)] == [NEW]
    assert double.replies_by_owner(comment)[0].id == reply.id  # the same comment, edited
    assert len(server.requests("POST", f"/{reply.id}$")) == 1
    assert world.post(comment).state == "published"


def test_an_x_reply_is_replaced_once_even_when_the_answer_is_lost(xw):
    double, server, world = xw
    mention = double.mention("@riversidedental great visit")
    world.sync()
    pid = _social_edit(world, mention)
    (old,) = double.our_replies_to(mention)
    # X has no edit: the new reply is posted, then the old one deleted. The answer to the
    # new post is lost; the retry reads back, finds it, deletes the old one, posts nothing.
    server.fail("POST", "/2/tweets$", json_reply(502, {}), after=True)
    assert world.connectors.publisher.publish(pid).status == "retry"
    world.clock.advance(hours=1)
    again = world.connectors.publisher.publish(pid)
    assert again.status == "published" and again.reused
    assert [t.text for t in double.our_replies_to(mention)] == [NEW]
    assert double.tweets[old.id].deleted
    assert len(server.requests("POST", "/2/tweets$")) == 2  # the first reply, one new one


def test_an_x_reply_is_withdrawn_and_a_second_attempt_deletes_nothing(xw):
    double, server, world = xw
    mention = double.mention("@riversidedental great visit")
    world.sync()
    pid = world.approve_acknowledgement(mention)
    world.connectors.publisher.publish(pid)
    server.fail("DELETE", "/2/tweets/", json_reply(503, {}), after=True)  # deleted, answer lost
    with pytest.raises(WorkflowError):
        world.connectors.publisher.withdraw(world.manager(), pid, reason="mistake")
    assert double.our_replies_to(mention) == [] and world.post(mention).state == "published"
    result = world.connectors.publisher.withdraw(world.manager(), pid, reason="mistake")
    assert result["state"] == "drafted"
    assert len(server.requests("DELETE", "/2/tweets/")) == 1
