"""The audit log's hash chain (issue 12): a link per entry, a head per chain; entries linked.

``audit_links`` is append-only like ``audit_events`` (triggers refuse UPDATE and DELETE);
``audit_heads`` holds each chain's newest link. Every entry already stored is linked, chain by
chain in id order, so the chain starts with the log as it is at the upgrade.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 06:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_MESSAGE = "the audit log is append-only"


def upgrade() -> None:
    op.create_table(
        "audit_links",
        sa.Column("event_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("chain", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["audit_events.id"], name=op.f("fk_audit_links_event_id_audit_events")
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_audit_links")),
        sa.UniqueConstraint("chain", "seq", name=op.f("uq_audit_links_chain_seq")),
    )
    op.create_table(
        "audit_heads",
        sa.Column("chain", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("chain", name=op.f("pk_audit_heads")),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_links_no_{verb.lower()} BEFORE {verb} ON audit_links "
                f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
            )
    elif bind.dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_links_append_only() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{_MESSAGE}'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_links_append_only BEFORE UPDATE OR DELETE ON audit_links "
            "FOR EACH ROW EXECUTE FUNCTION audit_links_append_only()"
        )
    _link_existing(bind)


def _link_existing(bind: sa.Connection) -> None:
    from safereply.services.audit_chain import link_events

    events = sa.table("audit_events", sa.column("id", sa.Integer()))
    ids = list(bind.scalars(sa.select(events.c.id).order_by(events.c.id)))
    for start in range(0, len(ids), 1000):
        link_events(bind, ids[start : start + 1000])


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_links_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_links_no_delete")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_links_append_only ON audit_links")
        op.execute("DROP FUNCTION IF EXISTS audit_links_append_only()")
    op.drop_table("audit_heads")
    op.drop_table("audit_links")
