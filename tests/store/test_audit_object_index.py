"""One object's audit trail is read by its own index (issue 16, migration 0017): a post's trail
and the audit page filtered by an object no longer read every entry of the practice."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.exc import DBAPIError

from safereply.services.queries import AuditFilter
from safereply.store.models import AuditEvent


def _trail(practice_id: int, object_id: str):
    where = AuditFilter(object_type="post", object_id=object_id).where(practice_id)
    return select(AuditEvent).where(*where).order_by(AuditEvent.created_at, AuditEvent.id)


def test_the_migrated_database_has_the_object_index(store):
    indexes = {
        ix["name"]: ix["column_names"] for ix in inspect(store.engine).get_indexes("audit_events")
    }
    assert indexes["ix_audit_object"] == [
        "practice_id",
        "object_type",
        "object_id",
        "created_at",
        "id",
    ]


def test_a_posts_trail_is_read_by_the_object_index_on_sqlite(sqlite_store):
    sql = _trail(1, "7").compile(sqlite_store.engine, compile_kwargs={"literal_binds": True})
    with sqlite_store.engine.connect() as conn:
        plan = " ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    assert "ix_audit_object" in plan and "TEMP B-TREE" not in plan  # no sort either


def test_the_audit_log_is_still_append_only_after_the_migration(store):
    with store.engine.begin() as conn:
        conn.execute(
            AuditEvent.__table__.insert().values(
                practice_id=None,
                actor="system",
                action="test.event",
                object_type="post",
                object_id="1",
                detail={},
            )
        )
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_events SET action = 'changed'")
