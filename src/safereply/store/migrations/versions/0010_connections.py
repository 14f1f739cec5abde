"""Connections to platforms and what each knows of its posts (issue 14: connectors).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 06:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "connections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("platform", sa.String(length=40), nullable=False),
        sa.Column("account", sa.String(length=300), nullable=False),
        sa.Column("external_id", sa.String(length=300), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("tokens", sa.Text(), nullable=True),
        sa.Column("token_expires_at", _WHEN, nullable=True),
        sa.Column("cursor", sa.JSON(), nullable=False),
        sa.Column("scan", sa.Integer(), server_default="0", nullable=False),
        sa.Column("sync_interval", sa.Integer(), server_default="900", nullable=False),
        sa.Column("last_sync_at", _WHEN, nullable=True),
        sa.Column("next_sync_at", _WHEN, nullable=True),
        sa.Column("last_full_scan_at", _WHEN, nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("needs_reauth", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_connections_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_connections_location_id_locations")
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_connections_practice_id_practices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connections")),
        sa.UniqueConstraint(
            "practice_id",
            "platform",
            "external_id",
            name=op.f("uq_connections_practice_id_platform_external_id"),
        ),
    )
    with op.batch_alter_table("connections", schema=None) as batch_op:
        batch_op.create_index("ix_connections_due", ["next_sync_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_connections_practice_id"), ["practice_id"], unique=False
        )
    op.create_table(
        "connection_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("connection_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("remote_updated_at", _WHEN, nullable=True),
        sa.Column("seen_scan", sa.Integer(), nullable=False),
        sa.Column("removed_at", _WHEN, nullable=True),
        sa.Column("changed_at", _WHEN, nullable=True),
        sa.Column("replied_elsewhere", sa.Boolean(), nullable=False),
        sa.Column("remote_reply", sa.Text(), nullable=True),
        sa.Column("remote_reply_verdict", sa.String(length=10), nullable=True),
        sa.Column("remote_reply_report", sa.JSON(), nullable=False),
        sa.Column("reply_state", sa.String(length=20), nullable=True),
        sa.Column("policy_reason", sa.String(length=500), nullable=True),
        sa.Column("publish_attempts", sa.Integer(), nullable=False),
        sa.Column("publish_next_at", _WHEN, nullable=True),
        sa.Column("publish_error", sa.String(length=500), nullable=True),
        sa.Column("manual_only", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["connections.id"],
            name=op.f("fk_connection_items_connection_id_connections"),
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_connection_items_post_id_posts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connection_items")),
        sa.UniqueConstraint(
            "connection_id",
            "external_id",
            name=op.f("uq_connection_items_connection_id_external_id"),
        ),
        sa.UniqueConstraint("post_id", name=op.f("uq_connection_items_post_id")),
    )
    with op.batch_alter_table("connection_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_connection_items_connection_id"), ["connection_id"], unique=False
        )
        batch_op.create_index("ix_connection_items_publish", ["publish_next_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("connection_items", schema=None) as batch_op:
        batch_op.drop_index("ix_connection_items_publish")
        batch_op.drop_index(batch_op.f("ix_connection_items_connection_id"))
    op.drop_table("connection_items")
    with op.batch_alter_table("connections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_connections_practice_id"))
        batch_op.drop_index("ix_connections_due")
    op.drop_table("connections")
