"""Indexes for the web inbox's closed and all views: newest first, and the filter counts.

``ix_posts_practice_newest`` lets a page of the closed or all view, however deep, walk the
practice's posts newest first instead of sorting all of them; ``ix_posts_practice_facets`` holds
every column the filter counts group by, and the arrival time the dashboard's counts window on,
so those counts are read from the index alone.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 13:40:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_posts_practice_newest", ["practice_id", "id", "state"], unique=False
        )
        batch_op.create_index(
            "ix_posts_practice_facets",
            [
                "practice_id",
                "state",
                "kind",
                "platform",
                "location_id",
                "priority",
                "received_at",
            ],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index("ix_posts_practice_facets")
        batch_op.drop_index("ix_posts_practice_newest")
