"""Storage: migrations match the models, SQLite is tuned, the audit log is append-only."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from safereply.errors import ConfigError
from safereply.store import Store, current_revision, head_revision, make_engine
from safereply.store.models import (
    AuditEvent,
    Base,
    Organisation,
    Practice,
    PracticeSettings,
)


def test_migrations_reach_head_and_match_the_models(store):
    assert current_revision(store) == head_revision()
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_upgrade_is_idempotent(store):
    from safereply.store import upgrade

    upgrade(store)
    assert current_revision(store) == head_revision()


def test_inbox_page_indexes_migrate_down_and_up_over_existing_posts(store):
    from alembic import command

    from safereply.store import upgrade
    from safereply.store.migrate import alembic_config

    names = {"ix_posts_practice_newest", "ix_posts_practice_facets"}

    def indexes() -> set[str]:
        with store.engine.connect() as conn:
            return {i["name"] for i in inspect(conn).get_indexes("posts")}

    assert names <= indexes()
    config = alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
    assert current_revision(store) == "0001" and not names & indexes()
    with store.write() as session:  # the upgrade must also work on a table that holds posts
        org = Organisation(name="Group")
        session.add(org)
        session.flush()
        practice = Practice(organisation_id=org.id, name="P", phone="555-0100")
        session.add(practice)
        session.flush()
        # The columns of revision 0001 only (the model has columns added since).
        session.execute(
            text(
                "INSERT INTO posts (practice_id, platform, external_id, text, state, kind, "
                "priority, received_at, due_at, updated_at, version) VALUES (:p, 'google', "
                "'1', 'Fine.', 'new', 'praise', 'low', :t, :t, :t, 1)"
            ),
            {"p": practice.id, "t": "2026-01-01 00:00:00.000000"},
        )
    upgrade(store)
    assert current_revision(store) == head_revision() and names <= indexes()


def _audit_row(store):
    with store.write() as session:
        session.add(AuditEvent(actor="system", action="test", object_type="post", object_id="1"))


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_events SET action = 'forged'", "DELETE FROM audit_events"]
)
def test_database_refuses_to_change_the_audit_log(store, statement):
    _audit_row(store)
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text(statement))
    with store.read() as session:
        assert session.query(AuditEvent).one().action == "test"


def test_orm_refuses_to_change_the_audit_log(store):
    _audit_row(store)
    with pytest.raises(PermissionError, match="append-only"), store.write() as session:
        session.query(AuditEvent).one().action = "forged"


def test_foreign_keys_are_enforced(store):
    with pytest.raises(IntegrityError), store.write() as session:
        session.add(PracticeSettings(practice_id=999))
        session.flush()


def test_timestamps_come_back_in_utc(store):
    at = dt.datetime(2026, 3, 1, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    with store.write() as session:
        org = Organisation(name="Group", created_at=at)
        session.add(org)
    with store.read() as session:
        got = session.get(Organisation, org.id).created_at
    assert got == at and got.tzinfo is not None and got.utcoffset() == dt.timedelta(0)


def test_naive_timestamps_are_refused(store):
    with pytest.raises(Exception, match="naive"), store.write() as session:
        session.add(Organisation(name="Group", created_at=dt.datetime(2026, 1, 1)))
        session.flush()


def test_check_constraints_hold(store):
    with store.write() as session:
        org = Organisation(name="Group")
        session.add(org)
        session.flush()
        practice = Practice(organisation_id=org.id, name="P", phone="555-0100")
        session.add(practice)
    with pytest.raises(IntegrityError), store.write() as session:
        session.add(PracticeSettings(practice_id=practice.id, approval_policy="sometimes"))


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    db = Store.from_url(f"sqlite:///{tmp_path / 'x' / 'nested.sqlite3'}")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (tmp_path / "x").is_dir()
    db.dispose()


def test_unsupported_database_url_is_a_clear_error():
    with pytest.raises(ConfigError, match="supports sqlite and postgresql"):
        make_engine("mysql://localhost/x")
    with pytest.raises(ConfigError, match="not a database URL"):
        make_engine("not a url at all")
