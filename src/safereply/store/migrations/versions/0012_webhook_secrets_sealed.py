"""Webhook secrets sealed at rest (issue 12): the column widens to hold sealed values.

The upgrade only widens the column. It does not seal the plain secrets stored before: a migration
cannot know the settings file ``safereply --settings FILE`` was given, and sealing with the key of
the environment alone (or the public placeholder) would lock the secrets away from the service.
Readers accept a plain value (and log that it is plain); ``safereply keys rotate`` seals every
plain one with the service's keys, and the next save of a practice's settings seals its own.
Downgrading opens sealed values again with the keys of the environment
(``SAFEREPLY_ENCRYPTION_KEYS``, ``SAFEREPLY_SECRET_KEY`` or ``SAFEREPLY_SETTINGS_FILE``) and stops
with an error when they do not open them.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 06:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_TABLE = sa.table(
    "practice_settings",
    sa.column("practice_id", sa.Integer()),
    sa.column("webhook_secret", sa.String()),
)


def _resealed(opener) -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_TABLE.c.practice_id, _TABLE.c.webhook_secret).where(
            _TABLE.c.webhook_secret.is_not(None)
        )
    ).all()
    for practice_id, value in rows:
        new = opener(value)
        if new != value:
            bind.execute(
                _TABLE.update()
                .where(_TABLE.c.practice_id == practice_id)
                .values(webhook_secret=new)
            )


def upgrade() -> None:
    with op.batch_alter_table("practice_settings", schema=None) as batch_op:
        batch_op.alter_column(
            "webhook_secret",
            existing_type=sa.String(length=200),
            type_=sa.String(length=1024),
            existing_nullable=True,
        )


def downgrade() -> None:
    from safereply.services.sealing import is_sealed, unseal
    from safereply.settings import load_settings

    settings = load_settings()
    _resealed(lambda value: unseal(value, settings) if is_sealed(value) else value)
    with op.batch_alter_table("practice_settings", schema=None) as batch_op:
        batch_op.alter_column(
            "webhook_secret",
            existing_type=sa.String(length=1024),
            type_=sa.String(length=200),
            existing_nullable=True,
        )
