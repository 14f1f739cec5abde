"""Re-importing a history export whose rows now carry the reply posted on the platform, while
the post is still open in the inbox (``open_with_reply``): with ``close_answered`` each such post
is closed as replied through the workflow, with the file's reply recorded and the manager named
in the audit log; an emergency or crisis post stays open for a person; without the option
nothing changes. Also the per-location export (``location``). SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from safereply.errors import PermissionDenied
from safereply.services.audit_words import describe
from safereply.services.importer import import_posts
from safereply.store.models import AuditEvent, Draft, Location, Post, PublishedReply

UTC = dt.UTC
FIRST = """Review ID,Star Rating,Review Text,Date,Reply,Reply Date
a1,5,Lovely team,2026-10-10T10:00:00Z,Thank you!,2026-10-11T09:00:00Z
a2,1,We waited an hour,2026-10-12T10:00:00Z,,
a3,2,Waited forever at the desk,2026-10-20T10:00:00Z,,
a4,1,I have chest pain since the visit,2026-11-01T10:00:00Z,,
"""
#: The same export a week later: the owner answered a2, a3 and a4 on Google meanwhile.
LATER = """Review ID,Star Rating,Review Text,Date,Reply,Reply Date
a1,5,Lovely team,2026-10-10T10:00:00Z,Thank you!,2026-10-11T09:00:00Z
a2,1,We waited an hour,2026-10-12T10:00:00Z,We are sorry; please call us.,2026-11-03T08:00:00Z
a3,2,Waited forever at the desk,2026-10-20T10:00:00Z,Please call our office.,
a4,1,I have chest pain since the visit,2026-11-01T10:00:00Z,Thanks for the feedback!,
"""


def _import(world, data, actor=None, **kw):
    kw.setdefault("name", "history.csv")
    kw.setdefault("platform", "google")
    return import_posts(
        world.services.inbox, actor or world.manager, world.practice, data, workers=1, **kw
    )


def _post(world, external_id):
    with world.services.store.read() as session:
        return session.execute(
            select(Post.id, Post.state, Post.closed_at, Post.location_id).where(
                Post.external_id == external_id
            )
        ).one()


def test_without_the_option_the_open_posts_are_only_listed(world):
    _import(world, FIRST)
    report = _import(world, LATER)
    assert report.open_with_reply == [3, 4, 5]
    assert report.closed_answered == []
    assert _post(world, "a2").state == "new"


def test_close_answered_records_the_files_reply_and_audits_the_manager(world):
    _import(world, FIRST)
    a2 = _post(world, "a2").id
    world.services.inbox.save_draft(world.staff, a2, "We are sorry to hear this.")
    world.clock.now = world.clock.now + dt.timedelta(days=7)
    report = _import(world, LATER, close_answered=True)
    # a2 (drafted) and a3 (new) closed; a4, an emergency, stays open for a person.
    assert report.closed_answered == [3, 4]
    assert report.open_with_reply == [5]
    assert report.to_dict()["closed_answered"] == [3, 4]
    assert _post(world, "a4").state == "escalated"
    for ext in ("a2", "a3"):
        post = _post(world, ext)
        assert post.state == "marked_replied" and post.closed_at is not None
    with world.services.store.read() as session:
        reply = session.execute(
            select(PublishedReply).where(PublishedReply.post_id == a2)
        ).scalar_one()
        assert (reply.text, reply.method, reply.published_by) == (
            "We are sorry; please call us.",
            "import",
            None,
        )
        assert reply.published_at.replace(tzinfo=UTC) == dt.datetime(2026, 11, 3, 8, tzinfo=UTC)
        drafts = session.scalars(select(Draft).where(Draft.post_id == a2)).all()
        # The staff's draft stays as version 1; the platform's reply is version 2, unchecked.
        assert [d.number for d in drafts] == [1, 2]
        assert drafts[1].report.get("unchecked") is True and drafts[1].author_id is None
        event = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "reply.imported", AuditEvent.object_id == str(a2)
            )
        ).one()
        assert (event.from_state, event.to_state) == ("drafted", "marked_replied")
        entry = {
            "actor": event.actor,
            "action": event.action,
            "object_type": "post",
            "object_id": event.object_id,
            "detail": event.detail,
        }
        assert event.actor == world.manager.email
    assert "as answered" in describe(entry, people={}, posts={})
    # Importing again changes nothing more: those posts are no longer open.
    again = _import(world, LATER, close_answered=True)
    assert (again.closed_answered, again.open_with_reply) == ([], [5])


def test_a_reply_date_in_the_future_is_recorded_as_now(world):
    _import(world, FIRST)
    report = _import(
        world, LATER.replace("2026-11-03T08:00:00Z", "2027-01-01"), close_answered=True
    )
    assert 3 in report.closed_answered
    with world.services.store.read() as session:
        when = session.scalar(
            select(PublishedReply.published_at).join(Post).where(Post.external_id == "a2")
        )
    assert when.replace(tzinfo=UTC) == world.clock.now


def test_staff_cannot_import_or_close(world):
    with pytest.raises(PermissionDenied):
        _import(world, LATER, actor=world.staff, close_answered=True)


def test_a_per_location_export_takes_the_imports_location(world):
    data = "id,text,location\nl1,Lovely team,\nl2,Great desk,Eastside\n"
    report = _import(world, data, location="Downtown")
    assert report.created == 2
    with world.services.store.read() as session:
        names = dict(session.execute(select(Location.id, Location.name)).all())
    assert names[_post(world, "l1").location_id] == "Downtown"
    assert names[_post(world, "l2").location_id] == "Eastside"  # its own column wins
    unknown = _import(world, "id,text\nl3,Nice\n", location="Nowhere")
    assert unknown.created == 0 and "unknown location" in unknown.rejected[0].reason
