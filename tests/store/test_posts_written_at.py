"""``posts.written_at`` (migration 0018): the migration fills it from the posting time, or the
arrival when there is none or it is later; every writer through the models keeps it; the
insights read a month of one practice from ``ix_posts_practice_written`` alone."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import command
from sqlalchemy import insert, select, text

from safereply.services.insights import _per_month, _posts_query
from safereply.store.migrate import alembic_config, current_revision, head_revision, upgrade
from safereply.store.models import Organisation, Post, Practice

UTC = dt.UTC
ARRIVAL = "2026-11-02 09:00:00.000000"
#: external id -> (posted_at as stored, the written_at the migration must give)
OLD_POSTS = {
    "none": (None, ARRIVAL),
    "before": ("2025-03-01 10:00:00.000000", "2025-03-01 10:00:00.000000"),
    "after": ("2027-01-01 00:00:00.000000", ARRIVAL),
}


def _downgrade(store, revision: str) -> None:
    config = alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def _indexes(store) -> dict[str, list[str]]:
    return {i["name"]: i["column_names"] for i in sa.inspect(store.engine).get_indexes("posts")}


def _practice(store) -> int:
    with store.write() as session:
        org = Organisation(name="Group")
        session.add(org)
        session.flush()
        practice = Practice(organisation_id=org.id, name="P", phone="555-0100")
        session.add(practice)
        session.flush()
        return practice.id


def test_the_migration_fills_written_at_for_the_posts_there_are(store):
    practice = _practice(store)
    _downgrade(store, "0017")
    assert "ix_posts_practice_received" in _indexes(store)
    with store.engine.begin() as conn:
        for ext, (posted, _written) in OLD_POSTS.items():
            conn.execute(
                text(
                    "INSERT INTO posts (practice_id, platform, external_id, text, state, kind, "
                    "priority, posted_at, received_at, due_at, updated_at, version) VALUES (:p, "
                    "'google', :e, 't', 'new', 'praise', 'low', :posted, :t, :t, :t, 1)"
                ),
                {"p": practice, "e": ext, "posted": posted, "t": ARRIVAL},
            )
    upgrade(store)
    assert current_revision(store) == head_revision()
    with store.read() as session:
        got = dict(session.execute(select(Post.external_id, Post.written_at)).all())
    parse = dt.datetime.fromisoformat
    assert got == {ext: parse(w).replace(tzinfo=UTC) for ext, (_p, w) in OLD_POSTS.items()}
    indexes = _indexes(store)
    assert "ix_posts_practice_received" not in indexes
    assert indexes["ix_posts_practice_written"][:2] == ["practice_id", "written_at"]
    assert indexes["ix_posts_practice_written"][-1] == "received_at"
    assert indexes["ix_posts_practice_newest"][-1] == "written_at"
    written = next(
        c for c in sa.inspect(store.engine).get_columns("posts") if c["name"] == "written_at"
    )
    assert written["nullable"] is False


def test_the_migration_goes_down_and_up_again(store):
    _downgrade(store, "0017")
    columns = {c["name"] for c in sa.inspect(store.engine).get_columns("posts")}
    assert "written_at" not in columns
    assert _indexes(store)["ix_posts_practice_newest"][-1] == "location_id"
    upgrade(store)
    assert "ix_posts_practice_written" in _indexes(store)


def test_every_writer_through_the_models_keeps_written_at(store):
    practice = _practice(store)
    arrival = dt.datetime(2026, 11, 2, 9, tzinfo=UTC)
    march = dt.datetime(2026, 3, 4, 5, tzinfo=UTC)
    base = {
        "practice_id": practice,
        "platform": "google",
        "text": "t",
        "kind": "praise",
        "priority": "low",
        "due_at": arrival,
    }
    with store.write() as session:
        # Core inserts, one and many, with and without an arrival time of their own.
        session.execute(insert(Post).values(**base, external_id="core", posted_at=march))
        session.execute(
            insert(Post),
            [
                {**base, "external_id": "many-1", "posted_at": march, "received_at": arrival},
                {**base, "external_id": "many-2", "posted_at": None, "received_at": arrival},
            ],
        )
        orm = Post(**base, external_id="orm", posted_at=march)
        session.add(orm)
        session.flush()
        # A later change of the posting time (no part of SafeReply makes one) moves the post.
        orm.posted_at = dt.datetime(2025, 12, 24, tzinfo=UTC)
    with store.read() as session:
        rows = session.execute(select(Post.external_id, Post.written_at, Post.received_at))
        written = {ext: (at, received) for ext, at, received in rows}
    assert written["core"][0] == march and written["core"][1] > march
    assert written["many-1"][0] == march
    assert written["many-2"][0] == arrival
    assert written["orm"][0] == dt.datetime(2025, 12, 24, tzinfo=UTC)


def test_a_month_of_posts_is_read_from_the_written_index_alone_on_sqlite(sqlite_store):
    spans = [(dt.datetime(2026, 3, 1, tzinfo=UTC), dt.datetime(2026, 4, 1, tzinfo=UTC))]
    query = _per_month(spans, 1, None)([0], _posts_query)
    sql = query.compile(sqlite_store.engine, compile_kwargs={"literal_binds": True})
    with sqlite_store.engine.connect() as conn:
        plan = " ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    assert "COVERING INDEX ix_posts_practice_written" in plan
