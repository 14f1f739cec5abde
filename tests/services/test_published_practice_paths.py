"""A reply marked as posted by hand records its post's practice (issue 16, migration 0016), in
each practice of the instance."""

from __future__ import annotations

from sqlalchemy import select

from safereply.services import NewPost
from safereply.store.models import PublishedReply


def _replied(world, actor, approver, practice: int, external_id: str) -> int:
    inbox = world.services.inbox
    pid = inbox.receive(
        actor, practice, NewPost(platform="google", external_id=external_id, text="Kind")
    ).post_id
    inbox.save_draft(actor, pid, "Thank you!")
    inbox.approve(approver, pid)
    world.clock.advance(hours=1)
    inbox.mark_replied(actor, pid)
    return pid


def test_mark_replied_records_the_posts_practice(world):
    first = _replied(world, world.staff, world.manager, world.practice, "a1")
    second = _replied(world, world.outsider, world.outsider, world.other_practice, "b1")
    with world.services.store.read() as s:
        got = dict(s.execute(select(PublishedReply.post_id, PublishedReply.practice_id)).all())
    assert got == {first: world.practice, second: world.other_practice}
    assert world.practice != world.other_practice
