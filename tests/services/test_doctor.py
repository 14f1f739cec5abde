"""``safereply doctor``: one line per check, and each failure it must name (issue 16)."""

from __future__ import annotations

import json
import os
import socket

import pytest
from sqlalchemy import update

from safereply.cli.main import main
from safereply.core.practice import Practice as Profile
from safereply.services import SYSTEM, build_services
from safereply.services.sealing import generate_key, seal
from safereply.settings import Settings
from safereply.store import open_store
from safereply.store.migrate import upgrade
from safereply.store.models import Connection, PracticeSettings
from safereply.store.testing import postgres_url, temporary_postgres

SECRET = "s" * 48
# Read before the fixture clears every SAFEREPLY_* variable.
REDIS = os.environ.get("SAFEREPLY_TEST_REDIS_URL")
POSTGRES = postgres_url()


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A clean SAFEREPLY_* environment, a production secret and an owner-only data folder."""
    for key in [k for k in os.environ if k.startswith("SAFEREPLY_")]:
        monkeypatch.delenv(key)
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    db = folder / "safereply.sqlite3"
    monkeypatch.setenv("SAFEREPLY_ENVIRONMENT", "production")
    monkeypatch.setenv("SAFEREPLY_SECRET_KEY", SECRET)
    monkeypatch.setenv("SAFEREPLY_DATABASE_URL", f"sqlite:///{db}")
    return db


@pytest.fixture
def instance(env):
    """A migrated database with one practice; yields its store (closed after)."""
    store = open_store(f"sqlite:///{env}")
    settings = Settings(
        environment="production", secret_key=SECRET, database_url=f"sqlite:///{env}"
    )
    services = build_services(store, settings)
    services.practices.create_practice(SYSTEM, Profile(name="Maple Dental", phone="555-0100"))
    yield store
    store.dispose()


def doctor(capsys, *args: str) -> tuple[int, dict[str, dict]]:
    """Run doctor in JSON; return its exit status and the checks by name."""
    status = main(["doctor", "--format", "json", *args])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    return status, {row["name"]: row for row in rows}


def test_a_sound_configuration_passes_every_check(instance, capsys):
    status, checks = doctor(capsys)
    assert status == 0, checks
    assert {c["status"] for c in checks.values()} == {"ok"}
    assert set(checks) >= {"secret key", "database", "migrations", "smtp", "redis", "job queue"}
    assert main(["doctor"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[-1].endswith("0 failed, 0 warnings")
    assert all(line.split()[0] in {"ok", "warn", "fail"} for line in text.splitlines()[:-1])


@pytest.mark.parametrize(
    ("secret", "words"), [("change-me-in-production", "default placeholder"), ("x" * 10, "10 char")]
)
def test_the_default_or_a_short_secret_fails_in_production(
    instance, monkeypatch, capsys, secret, words
):
    monkeypatch.setenv("SAFEREPLY_SECRET_KEY", secret)
    status, checks = doctor(capsys)
    assert status == 1
    assert checks["secret key"]["status"] == "fail" and words in checks["secret key"]["message"]
    monkeypatch.setenv("SAFEREPLY_ENVIRONMENT", "development")  # a developer's machine: a warning
    status, checks = doctor(capsys)
    assert status == 0 and checks["secret key"]["status"] == "warn"


def test_an_unreachable_database_is_named_without_its_password(env, monkeypatch, capsys):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql+psycopg://safereply:hunter2@127.0.0.1:{port}/safereply"
    monkeypatch.setenv("SAFEREPLY_DATABASE_URL", url)
    status, checks = doctor(capsys)
    assert status == 1 and checks["database"]["status"] == "fail"
    assert "cannot reach" in checks["database"]["message"]
    assert "hunter2" not in json.dumps(checks)
    assert "migrations" not in checks  # nothing more to ask a database we cannot reach


def test_a_missing_embedded_database_is_not_created(env, capsys):
    status, checks = doctor(capsys)
    assert status == 1 and "safereply init" in checks["database"]["message"]
    assert not env.exists()  # doctor only reads


def test_pending_migrations_fail_and_say_how_to_upgrade(env, capsys):
    store = open_store(f"sqlite:///{env}", migrate=False)
    upgrade(store, "0012")
    store.dispose()
    status, checks = doctor(capsys)
    assert status == 1 and checks["migrations"]["status"] == "fail"
    assert "behind" in checks["migrations"]["message"]
    assert "safereply db upgrade" in checks["migrations"]["message"]


def test_notifications_without_smtp_fail(instance, monkeypatch, capsys):
    with instance.write() as s:
        s.execute(update(PracticeSettings).values(notify_emails=["desk@example.com"]))
    status, checks = doctor(capsys)
    assert status == 1 and checks["smtp"]["status"] == "fail"
    assert "SAFEREPLY_SMTP_HOST" in checks["smtp"]["message"]
    monkeypatch.setenv("SAFEREPLY_SMTP_HOST", "mail.example.com")
    assert doctor(capsys)[1]["smtp"]["status"] == "ok"


def test_redis_configured_but_down_fails(instance, monkeypatch, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("SAFEREPLY_REDIS_URL", f"redis://:topsecret@127.0.0.1:{port}/0")
    status, checks = doctor(capsys)
    assert status == 1 and checks["redis"]["status"] == "fail"
    assert "cannot reach" in checks["redis"]["message"] and "topsecret" not in json.dumps(checks)


def test_a_redis_throttle_without_redis_fails(instance, monkeypatch, capsys):
    monkeypatch.setenv("SAFEREPLY_LOGIN_THROTTLE", "redis")
    status, checks = doctor(capsys)
    assert status == 1 and "SAFEREPLY_REDIS_URL is empty" in checks["redis"]["message"]


def test_redis_up_passes(instance, monkeypatch, capsys):
    url = REDIS
    if not url:
        pytest.skip("needs SAFEREPLY_TEST_REDIS_URL")
    monkeypatch.setenv("SAFEREPLY_REDIS_URL", url)
    status, checks = doctor(capsys)
    assert status == 0 and checks["redis"]["status"] == "ok"


def test_a_job_queue_that_cannot_be_written_fails(instance, tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("SAFEREPLY_JOBS_PATH", str(blocker / "jobs.sqlite3"))
    status, checks = doctor(capsys)
    assert status == 1 and checks["job queue"]["status"] == "fail"
    assert "not a folder" in checks["job queue"]["message"]


def test_connections_that_need_reauthorisation_are_listed(instance, capsys):
    with instance.write() as s:
        s.add(
            Connection(
                practice_id=1,
                platform="google",
                account="accounts/1",
                external_id="accounts/1/locations/2",
                name="Maple Main St",
                # Sealed with the key the instance runs with, so only the connection check warns.
                tokens=seal('{"refresh_token": "r"}', Settings(secret_key=SECRET)),
                needs_reauth=True,
            )
        )
    status, checks = doctor(capsys)
    assert status == 0 and checks["connections"]["status"] == "warn"  # a warning, not a failure
    assert "1 (google, Maple Main St)" in checks["connections"]["message"]


def test_values_sealed_with_a_key_no_longer_configured_fail(instance, monkeypatch, capsys):
    old = Settings(environment="production", secret_key=SECRET, encryption_keys=generate_key())
    with instance.write() as s:
        s.execute(update(PracticeSettings).values(webhook_secret=seal("whsec-123", old)))
    monkeypatch.setenv("SAFEREPLY_ENCRYPTION_KEYS", generate_key())
    status, checks = doctor(capsys)
    assert status == 1 and checks["encryption keys"]["status"] == "fail"
    assert "practice_settings.webhook_secret (1)" in checks["encryption keys"]["message"]
    assert "whsec-123" not in json.dumps(checks)
    monkeypatch.setenv("SAFEREPLY_ENCRYPTION_KEYS", f"{generate_key()},{old.encryption_keys}")
    assert doctor(capsys)[1]["encryption keys"]["status"] == "ok"


def test_files_readable_by_others_fail(instance, env, tmp_path, monkeypatch, capsys):
    env.chmod(0o644)
    settings_file = tmp_path / "safereply.toml"
    settings_file.write_text('base_url = "https://replies.example.com"\n')
    settings_file.chmod(0o640)
    status, checks = doctor(capsys, "--settings", str(settings_file))
    assert status == 1 and checks["file permissions"]["status"] == "fail"
    message = checks["file permissions"]["message"]
    assert str(env) in message and str(settings_file) in message and "-rw-r--r--" in message


def test_unreadable_settings_exit_2(env, tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("this is = = not toml")
    status, checks = doctor(capsys, "--settings", str(bad))
    assert status == 2 and checks["settings"]["status"] == "fail"


def test_doctor_on_postgresql(monkeypatch, env, capsys):
    url = POSTGRES
    if not url:
        pytest.skip("needs SAFEREPLY_TEST_POSTGRES_URL")
    with temporary_postgres(url, prefix="safereply_doctor") as store:
        monkeypatch.setenv("SAFEREPLY_DATABASE_URL", store.engine.url.render_as_string(False))
        status, checks = doctor(capsys)
    assert status == 0, checks
    assert "postgresql" in checks["database"]["message"]
