"""Insights count posts by when they were written, not when SafeReply received them.

The insights, the reports and the dashboard's figures put a post in the month it arrived
(``received_at``): a practice that imported a year of reviews on its first day saw the whole year
in one month, and its rating trend, volumes, topic shares and before/after comparisons of its
improvements were wrong. ``posts.written_at`` is when the poster wrote the post (``posted_at``),
or its arrival when the platform gave no time or a time after the arrival; the store writes it
with every post (``models.written_time``), and this migration fills it for the posts there are.

``ix_posts_practice_written`` replaces ``ix_posts_practice_received`` (the insights, reports and
dashboard figures were its only readers) with the same columns after the practice and the arrival
last (the time to reply counts from it), so a range of months of one practice is still read from
the index alone; ``ix_posts_practice_newest`` (practice, id ...) gains the writing time, so the
reports' joins of replies and topics to a month's posts still read that index alone.

The column is stored by the application rather than generated or computed in each query: SQLite
3.40 reads no generated column from an index alone (EXPLAIN QUERY PLAN shows no covering index:
it would look up every post's row), and an index on the expression is read alone only with both
times beside it, and only by queries that repeat the expression exactly.

SQLite adds a required column only with a constant default: rows that exist take the epoch,
then their real time from one ``UPDATE``; every writer through the models sets the column
itself. PostgreSQL (13 and later) adds it as a generated column, which rewrites the table once
with every row's value, then drops the expression, leaving a plain column: 9-12 s for 200,000
posts on the shared development machine at load 8, where an ``UPDATE`` of every post took 47 s
(a new version of each row in every index) and left the table twice its size until vacuumed.
Either way ``posts`` is locked until the end: run it in the short stop of an upgrade
(docs/production.md).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-08 00:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

#: The writing time of every post, as ``models.written_time`` computes it (SQLite compares the
#: stored texts, which SQLAlchemy writes in one fixed UTC format, in time order).
WRITTEN = (
    "CASE WHEN posted_at IS NOT NULL AND posted_at < received_at THEN posted_at"
    " ELSE received_at END"
)
BACKFILL = f"UPDATE posts SET written_at = {WRITTEN}"
GROUPED = ["location_id", "kind", "state", "rating", "version", "id"]
NEWEST = ["practice_id", "id", "state", "received_at", "location_id"]
EPOCH = "1970-01-01 00:00:00.000000"


def _add_filled_column() -> None:
    """Add ``written_at`` with every post's value, and make it required."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # Not in a batch: a batch may copy ``posts``, which every other table refers to.
        op.add_column(
            "posts",
            sa.Column(
                "written_at",
                sa.DateTime(timezone=True),
                nullable=False,
                server_default=sa.text(f"'{EPOCH}'"),
            ),
        )
        op.execute(BACKFILL)
        return
    if (bind.dialect.server_version_info or (0,)) >= (13,):
        op.execute(
            f"ALTER TABLE posts ADD COLUMN written_at TIMESTAMP WITH TIME ZONE"
            f" GENERATED ALWAYS AS ({WRITTEN}) STORED"
        )
        op.execute("ALTER TABLE posts ALTER COLUMN written_at DROP EXPRESSION")
    else:  # no DROP EXPRESSION before PostgreSQL 13
        op.add_column("posts", sa.Column("written_at", sa.DateTime(timezone=True)))
        op.execute(BACKFILL)
    op.alter_column("posts", "written_at", existing_type=sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    _add_filled_column()
    op.drop_index("ix_posts_practice_received", table_name="posts")
    op.create_index(
        "ix_posts_practice_written",
        "posts",
        ["practice_id", "written_at", *GROUPED, "received_at"],
        unique=False,
    )
    op.drop_index("ix_posts_practice_newest", table_name="posts")
    op.create_index("ix_posts_practice_newest", "posts", [*NEWEST, "written_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_posts_practice_newest", table_name="posts")
    op.create_index("ix_posts_practice_newest", "posts", NEWEST, unique=False)
    op.drop_index("ix_posts_practice_written", table_name="posts")
    op.create_index(
        "ix_posts_practice_received",
        "posts",
        ["practice_id", "received_at", *GROUPED],
        unique=False,
    )
    op.drop_column("posts", "written_at")
