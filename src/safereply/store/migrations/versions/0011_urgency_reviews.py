"""A manager's "not urgent" and "mark urgent again" on an escalated post (issue 15), with the
reason code and a free-text note (the note stays out of the audit log).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 06:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "urgency_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("kind_before", sa.String(length=20), nullable=False),
        sa.Column("kind_after", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_urgency_reviews_post_id_posts")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_urgency_reviews_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_urgency_reviews")),
    )
    with op.batch_alter_table("urgency_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_urgency_reviews_post_id"), ["post_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("urgency_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_urgency_reviews_post_id"))
    op.drop_table("urgency_reviews")
