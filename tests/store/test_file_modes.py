"""Files SafeReply creates are its owner's alone (issue 12): the database, its WAL, the job
queue's database, backups and generated keys are 0600 in 0700 folders, whatever the umask."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import text

from safereply.cli.main import main
from safereply.settings import Settings
from safereply.store import Store, upgrade


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def permissive_umask():
    """The most common umask: files 0644 and folders 0755 unless SafeReply says otherwise."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_database_its_wal_and_its_folder_are_owner_only(tmp_path):
    path = tmp_path / "data" / "deep" / "safereply.sqlite3"
    store = Store.from_url(f"sqlite:///{path}")
    upgrade(store)
    with store.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO organisations (name, created_at) VALUES ('x', '2026-01-01')")
        )
        assert _mode(path.with_name(path.name + "-wal")) == 0o600
    store.dispose()
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700 and _mode(path.parent.parent) == 0o700


def test_the_job_queue_database_is_owner_only(tmp_path):
    from safereply.jobs.engine import make_huey

    path = tmp_path / "queue" / "jobs.sqlite3"
    huey = make_huey(Settings(environment="test", secret_key="x" * 40, jobs_path=str(path)))
    huey.storage.enqueue(b"job", priority=0)
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700
    assert huey.storage.queue_size() == 1


def test_a_backup_and_a_generated_key_are_owner_only(tmp_path):
    database = tmp_path / "db.sqlite3"
    upgrade(Store.from_url(f"sqlite:///{database}"))
    backup, key = tmp_path / "backup.sqlite3", tmp_path / "keys" / "sealing.key"
    assert main(["backup", str(backup), "--database-url", f"sqlite:///{database}"]) == 0
    assert main(["keys", "generate", "--output", str(key)]) == 0
    assert _mode(backup) == 0o600
    assert _mode(key) == 0o600 and _mode(key.parent) == 0o700
