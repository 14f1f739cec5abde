"""Request rate limits (issue 12): one counter row per user's or address's reads or writes.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 07:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "request_counter",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("previous", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_request_counter")),
    )
    op.create_index(op.f("ix_request_counter_bucket"), "request_counter", ["bucket"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_request_counter_bucket"), table_name="request_counter")
    op.drop_table("request_counter")
