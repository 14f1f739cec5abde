"""Published replies carry their practice (issue 16), so a practice's replies are read by index;
a practice's posts in id order hold their arrival time and location.

The summary report's median time to reply joined a practice's posts to every published reply of
the instance (875,000 at a million posts): ``published_replies`` had no practice column to find
one practice's replies by. Existing rows take their post's practice; the column is required from
here on and ``ix_published_replies_practice`` holds what the median reads (post and time), so
a practice's replies are one index range.

``ix_posts_practice_newest`` (practice, id, state) also holds the arrival time and location,
so the report's joins of those replies and of the topic rows to their posts read that index
alone (PostgreSQL merge-joins the two id-ordered ranges) instead of every post's row.

On PostgreSQL the backfill is one joined ``UPDATE`` (about a second per 100,000 replies on the
development machine); run it in the short stop of an upgrade (docs/production.md).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 15:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

BACKFILL = {
    "postgresql": (
        "UPDATE published_replies AS r SET practice_id = p.practice_id"
        " FROM posts AS p WHERE p.id = r.post_id"
    ),
    "sqlite": (
        "UPDATE published_replies SET practice_id ="
        " (SELECT posts.practice_id FROM posts WHERE posts.id = published_replies.post_id)"
    ),
}


NEWEST = ["practice_id", "id", "state"]


def upgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index("ix_posts_practice_newest")
        batch_op.create_index(
            "ix_posts_practice_newest", [*NEWEST, "received_at", "location_id"], unique=False
        )
    with op.batch_alter_table("published_replies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("practice_id", sa.Integer(), nullable=True))
    op.execute(BACKFILL[op.get_bind().dialect.name])
    with op.batch_alter_table("published_replies", schema=None) as batch_op:
        batch_op.alter_column("practice_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            op.f("fk_published_replies_practice_id_practices"),
            "practices",
            ["practice_id"],
            ["id"],
        )
        batch_op.create_index(
            "ix_published_replies_practice",
            ["practice_id", "post_id", "published_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("published_replies", schema=None) as batch_op:
        batch_op.drop_index("ix_published_replies_practice")
        batch_op.drop_constraint(
            op.f("fk_published_replies_practice_id_practices"), type_="foreignkey"
        )
        batch_op.drop_column("practice_id")
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index("ix_posts_practice_newest")
        batch_op.create_index("ix_posts_practice_newest", NEWEST, unique=False)
