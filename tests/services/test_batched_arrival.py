"""An arriving batch is written with one statement per table (issue 16): it must leave exactly the
rows, audit entries and hash chain that writing the posts one by one leaves, and still report
every duplicate and every bad row by its line."""

from __future__ import annotations

import json

from sqlalchemy import String, cast, select

from safereply.services import arrival
from safereply.services.audit_chain import verify_chain
from safereply.services.importer import import_posts
from safereply.store.models import AuditEvent, Post, PostTopic, TriageRecord

ROWS = [
    {"id": "a1", "text": "Waited two hours, rude desk and a wrong bill", "rating": 1},
    {"id": "a2", "text": "Lovely hygienist!", "rating": 5, "url": "https://example.test/r/2"},
    {"id": "a3", "text": "Do you open Saturdays?"},
    {"id": "a4", "text": "Severe chest pain since the extraction"},
    {"id": "a5", "text": ""},  # line 5: no text
    {"id": "a2", "text": "the same id again"},  # line 6: a duplicate within the file
    {"id": "a7", "text": "Fine visit", "url": "javascript:alert(1)"},  # line 7: not http(s)
    {"id": "a8", "text": "Great staff", "location": "Downtown", "author": "Dana P."},
    {"id": "a9", "text": "Nice", "location": "Nowhere"},  # line 9: unknown location
]
DATA = "\n".join(json.dumps({**row, "platform": "google"}) for row in ROWS)


def _rows(store, practice: int) -> dict[str, list]:
    """Everything an import writes for a practice, without ids (which differ by path)."""
    with store.read() as session:
        posts = session.execute(
            select(
                Post.external_id,
                Post.platform,
                Post.author,
                Post.text,
                Post.rating,
                Post.url,
                Post.location_id,
                Post.state,
                Post.kind,
                Post.priority,
                Post.due_at,
                Post.received_at,
                Post.version,
            )
            .where(Post.practice_id == practice)
            .order_by(Post.external_id)
        ).all()
        topics = session.execute(
            select(Post.external_id, PostTopic.topic, PostTopic.polarity, PostTopic.practice_id)
            .join(Post, Post.id == PostTopic.post_id)
            .where(Post.practice_id == practice)
            .order_by(Post.external_id, PostTopic.topic)
        ).all()
        triage = session.execute(
            select(
                Post.external_id,
                TriageRecord.kind,
                TriageRecord.priority,
                TriageRecord.sentiment,
                TriageRecord.topics,
                TriageRecord.reasons,
                TriageRecord.discloses_health,
            )
            .join(Post, Post.id == TriageRecord.post_id)
            .where(Post.practice_id == practice)
            .order_by(Post.external_id)
        ).all()
        audit = session.execute(
            select(Post.external_id, AuditEvent.action, AuditEvent.to_state, AuditEvent.detail)
            .join(Post, AuditEvent.object_id == cast(Post.id, String))
            .where(AuditEvent.practice_id == practice, AuditEvent.object_type == "post")
            .order_by(AuditEvent.id)
        ).all()
    return {
        name: [tuple(r) for r in rows]
        for name, rows in (
            ("posts", posts),
            ("topics", topics),
            ("triage", triage),
            ("audit", audit),
        )
    }


def _import(world, practice: int, actor=None):
    return import_posts(
        world.services.inbox, actor or world.admin, practice, DATA, fmt="jsonl"
    ).to_dict()


def test_a_batch_writes_what_one_by_one_writes(world, monkeypatch):
    batched = _import(world, world.practice)
    before = _rows(world.services.store, world.practice)

    # The one-by-one path is taken when a concurrent import won a key between the check and the
    # insert: post a1 is in the other practice already, but both checks are told it is not, so
    # the batch insert fails on the unique key and each row is written on its own.
    other, practice = world.outsider, world.other_practice  # its admin; a same-named location
    for name in ("Downtown", "Eastside"):
        world.services.practices.add_location(other, practice, name)
    import_posts(world.services.inbox, other, practice, DATA.split("\n")[0], fmt="jsonl")
    real = arrival._existing_keys

    def racing(session, practice_id, keys):
        found = real(session, practice_id, keys)
        found.pop(("google", "a1"), None)
        return found

    monkeypatch.setattr(arrival, "_existing_keys", racing)
    one_by_one = _import(world, practice, other)
    assert one_by_one["created"] == batched["created"] - 1
    assert one_by_one["duplicates"] == batched["duplicates"] + 1  # a1: reported, not lost
    assert one_by_one["rejected"] == batched["rejected"]

    after = _rows(world.services.store, practice)
    for rows in (before, after):  # the location ids (column 6) differ between the practices
        rows["posts"] = [(*r[:6], r[6] is not None, *r[7:]) for r in rows["posts"]]
    assert after["posts"] == before["posts"]
    assert after["topics"] == [(*t[:3], practice) for t in before["topics"]]
    assert after["triage"] == before["triage"]
    assert after["audit"] == before["audit"]
    assert verify_chain(world.services.store).broken is None


def test_duplicates_and_bad_rows_are_reported_by_line(world):
    first = _import(world, world.practice)
    assert (first["created"], first["duplicates"], first["total"]) == (5, 1, 9)
    assert [r["line"] for r in first["rejected"]] == [5, 7, 9]
    assert "url" in first["rejected"][1]["reason"]
    assert "Nowhere" in first["rejected"][2]["reason"]
    again = _import(world, world.practice)
    assert (again["created"], again["duplicates"], len(again["rejected"])) == (0, 6, 3)
    rows = _rows(world.services.store, world.practice)
    assert [p[0] for p in rows["posts"]] == ["a1", "a2", "a3", "a4", "a8"]
    assert len(rows["audit"]) == 5 and len(rows["triage"]) == 5
    escalated = [p[0] for p in rows["posts"] if p[7] == "escalated"]
    assert escalated == ["a4"]
    assert verify_chain(world.services.store).broken is None


def test_audit_entries_of_a_batch_are_chained_in_order(world):
    _import(world, world.practice)
    with world.services.store.read() as session:
        posts = session.scalars(
            select(Post.id).where(Post.practice_id == world.practice).order_by(Post.id)
        ).all()
        entries = session.scalars(
            select(AuditEvent.object_id)
            .where(AuditEvent.action == "post.receive")
            .order_by(AuditEvent.id)
        ).all()
    assert entries == [str(p) for p in posts]
    result = verify_chain(world.services.store, practice_id=world.practice)
    assert result.broken is None and result.checked >= len(posts)
