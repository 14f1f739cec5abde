"""Insights (issue 15, item 4): a practice's posts by arrival time, and each topic's polarity.

``ix_posts_practice_received`` holds a practice's posts in arrival order with every column the
insights group by (location, kind, state, rating), the version whose sum tells whether a month
changed, and the id their topics and replies join on, so a month range of one practice is read
from the index alone instead of every post of the practice.

``post_topics.polarity`` (``positive``, ``negative``, ``mixed``; empty when triage gave no
per-topic aspect) lets the insights say whether a topic was praised or criticised; without it
they fall back to the post's kind and sentiment.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_posts_practice_received",
            [
                "practice_id",
                "received_at",
                "location_id",
                "kind",
                "state",
                "rating",
                "version",
                "id",
            ],
            unique=False,
        )
    with op.batch_alter_table("post_topics", schema=None) as batch_op:
        batch_op.add_column(sa.Column("polarity", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("post_topics", schema=None) as batch_op:
        batch_op.drop_column("polarity")
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index("ix_posts_practice_received")
