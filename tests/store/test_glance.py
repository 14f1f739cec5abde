"""``Store.glance`` (issue 16): the sign-in lookups every request makes run outside a transaction
on PostgreSQL (no BEGIN and ROLLBACK round trips), and the pooled connection is a transaction's
again for the next ``read``; on SQLite a glance is a read."""

from __future__ import annotations

from sqlalchemy import text


def _in_transaction(session) -> bool:
    raw = session.connection().connection.dbapi_connection
    if hasattr(raw, "info"):  # psycopg
        return raw.info.transaction_status.name != "IDLE"
    return raw.in_transaction


def test_a_glance_runs_outside_a_transaction_on_postgresql_only(store):
    with store.glance() as session:
        assert session.execute(text("SELECT 1")).scalar_one() == 1
        assert _in_transaction(session) is (store.dialect != "postgresql")
    for _ in range(3):  # the pool hands the same connections back: each is a transaction again
        with store.read() as session:
            assert session.execute(text("SELECT 1")).scalar_one() == 1
            assert _in_transaction(session)
