"""Workflow holes closed (issue 11): urgent posts keep their 911/988 direction, reply text is
normalised on the way in, and the acknowledgement keeps its cooling-off exemption."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import update

from safereply.errors import WorkflowError
from safereply.services import NewPost
from safereply.store.models import Post

COMPLAINT = "Waited two hours past my appointment and nobody said sorry."
EMERGENCY = "Sudden chest pain in the waiting room, please help"
CRISIS = "I just want to end it all"
PRAISE = "Lovely team, very kind and quick."
GENERIC = "Thank you for your feedback. Please call us at (555) 201-3300."


def receive(world, text, external_id="g-1", rating=None):
    return world.services.inbox.receive(
        world.staff,
        world.practice,
        NewPost(platform="google", external_id=external_id, text=text, rating=rating),
    )


def get(world, post_id):
    return world.services.inbox.get_post(world.admin, post_id)


# -- emergency and crisis posts ---------------------------------------------------------------


@pytest.mark.parametrize("text, number", [(EMERGENCY, "911"), (CRISIS, "988")])
def test_acknowledgement_of_an_urgent_post_is_the_urgent_template(world, text, number):
    inbox = world.services.inbox
    pid = receive(world, text).post_id
    saved = inbox.acknowledge(world.staff, pid)
    assert number in saved["draft"]["text"]
    assert saved["draft"]["verdict"] == "pass"
    assert saved["state"] == "escalated"  # still escalated until it is answered
    post = get(world, pid)
    assert post["help_line"] == number and post["help_missing"] is False
    # The urgent template goes straight out: approval is not needed for an emergency.
    inbox.approve(world.staff, pid)
    inbox.mark_replied(world.staff, pid)
    assert get(world, pid)["state"] == "marked_replied"
    assert number in get(world, pid)["published"]["text"]


@pytest.mark.parametrize("text, number", [(EMERGENCY, "911"), (CRISIS, "988")])
def test_reply_to_an_urgent_post_without_the_help_line_is_refused(world, text, number):
    inbox = world.services.inbox
    pid = receive(world, text).post_id
    saved = inbox.save_draft(world.staff, pid, GENERIC)
    assert saved["draft"]["verdict"] == "pass"  # safe as a reply, but not to this post
    assert saved["state"] == "escalated"
    post = get(world, pid)
    assert post["help_missing"] is True
    with pytest.raises(WorkflowError, match=number):
        inbox.approve(world.staff, pid)
    with pytest.raises(WorkflowError, match=number):
        inbox.submit(world.staff, pid)
    assert get(world, pid)["state"] == "escalated"


def test_urgent_post_stays_escalated_while_drafting_and_after_send_back(world):
    inbox = world.services.inbox
    world.services.practices.update_settings(
        world.admin, world.practice, {"approval_policy": "all"}
    )
    pid = receive(world, EMERGENCY).post_id
    inbox.save_draft(world.staff, pid, "Please call 911 now. Our office is at (555) 201-3300.")
    assert get(world, pid)["state"] == "escalated"
    inbox.submit(world.staff, pid)
    assert get(world, pid)["state"] == "in_review"
    inbox.reject(world.manager, pid)
    assert get(world, pid)["state"] == "escalated"
    inbox.submit(world.staff, pid)
    inbox.approve(world.manager, pid)
    inbox.mark_replied(world.staff, pid)
    assert get(world, pid)["state"] == "marked_replied"


def test_mark_replied_and_publish_refuse_a_reply_without_the_help_line(world, store):
    class Recorder:
        calls = 0

        def post_reply(self, **kw):
            Recorder.calls += 1
            return "https://example.test/r"

    inbox = world.services.inbox
    pid = receive(world, PRAISE).post_id
    inbox.save_draft(world.staff, pid, GENERIC)
    inbox.approve(world.manager, pid)
    # The post turns out to be an emergency after the reply was approved (e.g. triaged again).
    with store.write() as session:
        session.execute(update(Post).where(Post.id == pid).values(kind="emergency"))
    with pytest.raises(WorkflowError, match="911"):
        inbox.publish_kit(world.staff, pid)
    with pytest.raises(WorkflowError, match="911"):
        inbox.mark_replied(world.staff, pid)
    with pytest.raises(WorkflowError, match="911"):
        inbox.publish(world.staff, pid, Recorder())
    assert Recorder.calls == 0 and get(world, pid)["state"] == "approved"


# -- text normalised on the way in ------------------------------------------------------------


def test_reply_text_is_normalised_on_the_way_in(world):
    inbox = world.services.inbox
    pid = receive(world, PRAISE).post_id
    decomposed = unicodedata.normalize("NFD", "Merci, Ren\u00e9e!")
    saved = inbox.save_draft(world.staff, pid, f"  {decomposed}  \r\nCall us any time.\t\r\n\r\n")
    assert saved["draft"]["text"] == "Merci, Ren\u00e9e!\nCall us any time."


def test_acknowledgement_saved_by_the_browser_keeps_its_exemption(world):
    inbox = world.services.inbox
    pid = receive(world, COMPLAINT, rating=1).post_id
    text = inbox.acknowledge(world.staff, pid)["draft"]["text"]
    assert "\n" in text  # the sign-off is on its own line
    # A browser sends the textarea back with \r\n line endings (and maybe trailing spaces).
    saved = inbox.save_draft(world.staff, pid, text.replace("\n", " \r\n") + "\r\n")
    assert saved["draft"]["text"] == text
    assert saved["draft"]["source"] == "acknowledgement"
    assert get(world, pid)["cooling_off_until"] is None
    inbox.approve(world.manager, pid)
    inbox.mark_replied(world.staff, pid)
    assert get(world, pid)["state"] == "marked_replied"


def test_acknowledgement_typed_by_hand_is_exempt_but_any_change_is_not(world):
    inbox = world.services.inbox
    pid = receive(world, COMPLAINT, rating=1).post_id
    ack = world.services.inbox.analysers.acknowledgement
    profile = world.services.practices.profile(world.admin, world.practice)
    text = ack(profile, platform="google", post=COMPLAINT)
    saved = inbox.save_draft(world.staff, pid, text.replace("\n", "\r\n"))
    assert saved["draft"]["source"] == "acknowledgement"
    saved = inbox.save_draft(world.staff, pid, text + " We have changed our process.")
    assert saved["draft"]["source"] == "manual"
    assert get(world, pid)["cooling_off_until"] is not None
