"""One-manager clinics: a manager may approve their own reply after the cooling-off (issue 11).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("practice_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("self_approval", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("practice_settings", schema=None) as batch_op:
        batch_op.drop_column("self_approval")
