"""Published replies carry their practice (issue 16, migration 0016): the migration fills it on
a database with data, the summary report reads a practice's replies by it with the same figures
as the definition (posts joined to their replies), and an insert that leaves it out still gets
its post's practice."""

from __future__ import annotations

import datetime as dt
import statistics
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import insert, select

from safereply.services import SYSTEM
from safereply.services.reports import ReportService
from safereply.store.migrate import alembic_config, current_revision, head_revision, upgrade
from safereply.store.models import Draft, Post, PublishedReply

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
gen_million = pytest.importorskip("gen_million")


def downgrade(store, revision: str) -> None:
    config = alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


@pytest.fixture
def seeded(store):
    """Three practices' posts interleaved in arrival order, about half of them answered."""
    inst = gen_million.generate(store, 600, practices=3, locations=6, progress=lambda m: None)
    return store, inst


def definition(store, practice: int, since=None, until=None) -> tuple[int, float | None]:
    """Replies and median hours to reply computed in Python from posts and their replies,
    without the practice column of the replies."""
    with store.read() as s:
        rows = s.execute(
            select(Post.practice_id, Post.received_at, PublishedReply.published_at).join(
                PublishedReply, PublishedReply.post_id == Post.id
            )
        ).all()
    waits = [
        max(0.0, (out - received).total_seconds() / 3600)
        for owner, received, out in rows
        if owner == practice
        and (since is None or received >= since)
        and (until is None or received < until)
    ]
    return len(waits), (round(statistics.median(waits), 2) if waits else None)


def summaries(store, practices) -> dict[int, dict]:
    reports = ReportService(store)
    return {p: reports.summary(SYSTEM, p) for p in practices}


def test_every_generated_reply_carries_its_posts_practice(seeded):
    store, inst = seeded
    with store.read() as s:
        pairs = s.execute(
            select(PublishedReply.practice_id, Post.practice_id).join(
                Post, Post.id == PublishedReply.post_id
            )
        ).all()
    assert len(pairs) > 100
    assert all(mine == theirs for mine, theirs in pairs)
    assert {mine for mine, _ in pairs} == set(inst.practices)


def test_summary_reply_figures_match_the_definition(seeded):
    store, inst = seeded
    reports = ReportService(store)
    with store.read() as s:
        times = sorted(s.scalars(select(Post.received_at)).all())
    since, until = times[len(times) // 4], times[3 * len(times) // 4]
    for practice in inst.practices:
        whole = reports.summary(SYSTEM, practice)
        assert whole["replied"] > 0
        assert (whole["replied"], whole["median_hours_to_reply"]) == definition(store, practice)
        window = reports.summary(SYSTEM, practice, since=since, until=until)
        expected = definition(store, practice, since, until)
        assert (window["replied"], window["median_hours_to_reply"]) == expected
        assert window["replied"] < whole["replied"]


def test_the_migration_fills_the_column_on_a_database_with_data(seeded):
    store, inst = seeded
    before = summaries(store, inst.practices)
    downgrade(store, "0015")
    assert current_revision(store) == "0015"
    columns = {c["name"] for c in sa.inspect(store.engine).get_columns("published_replies")}
    assert "practice_id" not in columns
    upgrade(store)
    assert current_revision(store) == head_revision()
    inspector = sa.inspect(store.engine)
    practice = next(
        c for c in inspector.get_columns("published_replies") if c["name"] == "practice_id"
    )
    assert practice["nullable"] is False
    indexes = {i["name"]: i["column_names"] for i in inspector.get_indexes("published_replies")}
    assert indexes["ix_published_replies_practice"] == ["practice_id", "post_id", "published_at"]
    newest = {i["name"]: i["column_names"] for i in inspector.get_indexes("posts")}
    assert newest["ix_posts_practice_newest"] == [
        "practice_id",
        "id",
        "state",
        "received_at",
        "location_id",
        "written_at",  # migration 0018
    ]
    with store.read() as s:
        pairs = s.execute(
            select(PublishedReply.practice_id, Post.practice_id).join(
                Post, Post.id == PublishedReply.post_id
            )
        ).all()
    assert pairs and all(mine == theirs for mine, theirs in pairs)
    assert summaries(store, inst.practices) == before


def test_an_insert_without_the_practice_gets_the_posts(seeded):
    store, inst = seeded
    other = inst.practices[1]
    with store.write() as s:
        unanswered = s.scalars(
            select(Post.id)
            .where(Post.practice_id == other, ~Post.id.in_(select(PublishedReply.post_id)))
            .order_by(Post.id)
            .limit(2)
        ).all()
        draft = s.scalar(select(Draft.id).limit(1))
        at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        s.add(
            PublishedReply(
                post_id=unanswered[0],
                draft_id=draft,
                text="Thank you",
                method="manual",
                platform="google",
                published_at=at,
            )
        )
        s.flush()
        s.execute(
            insert(PublishedReply),
            [
                {
                    "post_id": unanswered[1],
                    "draft_id": draft,
                    "text": "Thank you",
                    "method": "manual",
                    "platform": "google",
                    "published_at": at,
                }
            ],
        )
    with store.read() as s:
        got = s.scalars(
            select(PublishedReply.practice_id).where(PublishedReply.post_id.in_(unanswered))
        ).all()
    assert got == [other, other]


def test_summary_topic_tables_match_the_definition(seeded):
    """Topic counts per UTC month and per location name, as counted in Python."""
    from safereply.core.vocab import TOPICS
    from safereply.store.models import Location, PostTopic

    store, inst = seeded
    with store.read() as s:
        rows = s.execute(
            select(Post.practice_id, Post.received_at, Location.name, PostTopic.topic)
            .join(PostTopic, PostTopic.post_id == Post.id)
            .outerjoin(Location, Location.id == Post.location_id)
        ).all()
    for practice in inst.practices:
        by_month: dict[str, dict[str, int]] = {}
        by_location: dict[str, dict[str, int]] = {}
        for owner, received, location, topic in rows:
            if owner != practice:
                continue
            month = f"{received.astimezone(dt.UTC):%Y-%m}"
            by_month.setdefault(month, dict.fromkeys(TOPICS, 0))[topic] += 1
            by_location.setdefault(location or "(none)", dict.fromkeys(TOPICS, 0))[topic] += 1
        report = ReportService(store).summary(SYSTEM, practice)
        assert len(by_month) > 3
        assert report["topics_by_month"] == dict(sorted(by_month.items()))
        assert report["topics_by_location"] == dict(sorted(by_location.items()))
