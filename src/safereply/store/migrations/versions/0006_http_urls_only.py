"""Only http(s) addresses: clear any other address stored before the rule (issue 12).

A ``javascript:`` or ``data:`` address in ``posts.url``, ``published_replies.url`` or
``platform_accounts.url`` became a link on the post page. The models now refuse anything but
http(s); this clears what was stored before (the post and the reply stay, without the link).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 12:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_TABLES = ("posts", "published_replies", "platform_accounts")


def upgrade() -> None:
    for table in _TABLES:
        op.execute(
            f"UPDATE {table} SET url = NULL WHERE url IS NOT NULL "
            "AND NOT (lower(url) LIKE 'http://%' OR lower(url) LIKE 'https://%')"
        )


def downgrade() -> None:
    """Nothing to restore: the cleared addresses were unsafe."""
