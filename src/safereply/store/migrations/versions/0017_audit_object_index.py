"""One object's audit trail is read by index (issue 16).

A post's trail (``GET /api/v1/posts/{id}/audit``) and the audit page filtered by an object read
``audit_events`` by practice, object type and object id. Only ``ix_audit_practice_time`` existed,
so PostgreSQL read every entry of the practice and kept the object's: 220-280 ms for one post at
3,000,000 entries, 0.1 ms with this index (the access audit adds an entry for every post read, so
this table grows fastest of all). ``ix_audit_object`` holds the object and the trail's order.

Building the index reads the table once; on PostgreSQL it takes a lock that blocks writes to
``audit_events`` while it runs (about 4 s per 3,000,000 entries on the development machine):
run it in the short stop of an upgrade (docs/production.md).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 16:50:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

COLUMNS = ["practice_id", "object_type", "object_id", "created_at", "id"]


def upgrade() -> None:
    # Not in a batch: on SQLite a batch may copy the table, and the append-only triggers with it.
    op.create_index("ix_audit_object", "audit_events", COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index("ix_audit_object", table_name="audit_events")
