"""``safereply doctor``: check a configuration and say, in plain words, what is wrong (issue 16).

One line per check, ``ok``, ``warn`` or ``fail``, then a summary. Exit 0 when nothing failed
(warnings included), 1 when a check failed, 2 when the settings cannot even be read. The
checks only read: doctor never migrates, creates or changes anything, so it is safe to run
against production before an upgrade and after a restore.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO

from safereply.cli.io import Exit
from safereply.words import counted

__all__ = ["Check", "diagnose", "register", "run_doctor"]

#: Outside development a secret key must be at least this long (as ``Settings.check_secure``).
MIN_SECRET = 32


@dataclass(frozen=True)
class Check:
    """The outcome of one check: its name, ``ok`` / ``warn`` / ``fail``, and what to do."""

    name: str
    status: str
    message: str


def register(sub: Any) -> None:
    """Add ``safereply doctor``."""
    p = sub.add_parser(
        "doctor",
        help="check the configuration and say what is wrong (exit 1 if a check fails)",
        description="Checks the settings, the database and its migrations, the secret key, "
        "SMTP, Redis, the job queue, connections, encryption keys and file permissions. One "
        "line per check: ok, warn or fail. Exit 0 when nothing failed, 1 when something did.",
    )
    p.add_argument("--database-url", metavar="URL", help="database (default: the settings')")
    p.add_argument("--settings", metavar="FILE", help="a TOML settings file")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=run_doctor)


def run_doctor(args: Any, *, out: TextIO | None = None) -> int:
    """Run every check and print one line each; return 1 if any failed."""
    from safereply.errors import ConfigError
    from safereply.settings import load_settings

    out = out or sys.stdout
    try:
        settings = load_settings(args.settings, database_url=args.database_url)
    except ConfigError as exc:
        _emit([Check("settings", "fail", str(exc))], args.format, out)
        return Exit.USAGE
    checks = list(diagnose(settings, settings_file=args.settings))
    _emit(checks, args.format, out)
    return 1 if any(c.status == "fail" for c in checks) else Exit.OK


def _emit(checks: list[Check], fmt: str, out: TextIO) -> None:
    """Print one line per check and a summary (text), or one JSON object per check."""
    for check in checks:
        if fmt == "json":
            print(json.dumps(asdict(check)), file=out)
        else:
            print(f"{check.status:<4}  {check.name}: {check.message}", file=out)
    if fmt == "text":
        fails = sum(c.status == "fail" for c in checks)
        warns = sum(c.status == "warn" for c in checks)
        print(f"{len(checks)} checks: {fails} failed, {counted(warns, 'warning')}", file=out)


def diagnose(settings: Any, *, settings_file: str | None = None) -> Iterator[Check]:
    """Yield every check's outcome; the database checks stop at the first that cannot go on."""
    yield _secret(settings)
    check, store = _database(settings)
    yield check
    try:
        if store is not None:
            migrations = _migrations(store)
            yield migrations
            if "no schema" not in migrations.message:
                yield from _with_schema(store, settings)
        yield _redis(settings)
        yield _queue(settings)
        yield _files(settings, settings_file)
    finally:
        if store is not None:
            store.dispose()


def _with_schema(store: Any, settings: Any) -> Iterator[Check]:
    """The checks that read tables: each one reports its own error instead of stopping."""
    for name, check in (
        ("smtp", _smtp),
        ("connections", _connections),
        ("encryption keys", _sealed),
    ):
        try:
            yield check(store, settings)
        except Exception as exc:  # a missing table on a half-migrated database, say
            yield Check(name, "fail", f"cannot check: {type(exc).__name__}: {exc}"[:300])


def _secret(settings: Any) -> Check:
    from safereply.settings import DEFAULT_SECRET

    bad = "fail" if not settings.is_development else "warn"
    if settings.secret_key == DEFAULT_SECRET:
        return Check(
            "secret key",
            bad,
            "SAFEREPLY_SECRET_KEY is the default placeholder; set a long random one "
            "(python -c 'import secrets; print(secrets.token_urlsafe(48))')",
        )
    if len(settings.secret_key) < MIN_SECRET:
        return Check(
            "secret key",
            bad,
            f"SAFEREPLY_SECRET_KEY is {len(settings.secret_key)} characters; use at least "
            f"{MIN_SECRET}",
        )
    return Check("secret key", "ok", f"set, {len(settings.secret_key)} characters")


def _database(settings: Any) -> tuple[Check, Any]:
    """Connect and run ``SELECT 1``; never create the embedded file if it is not there."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from safereply.store.engine import Store

    url = settings.resolved_database_url
    shown = make_url(url).render_as_string(hide_password=True)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        path = Path(url[len("sqlite:///") :])
        if not path.exists():
            return Check("database", "fail", f"{path} does not exist; run 'safereply init'"), None
    try:
        store = Store.from_url(url)
        with store.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
        return Check("database", "fail", f"cannot reach {shown}: {reason}"), None
    return Check("database", "ok", f"reached {shown} ({store.dialect})"), store


def _migrations(store: Any) -> Check:
    from safereply.store.migrate import current_revision, head_revision

    head, current = head_revision(), current_revision(store)
    if current is None:
        return Check("migrations", "fail", "the database has no schema; run 'safereply init'")
    if current == head:
        return Check("migrations", "ok", f"schema is current (revision {head})")
    if current.isdigit() and head.isdigit() and int(current) < int(head):
        return Check(
            "migrations",
            "fail",
            f"schema is behind: revision {current}, this version needs {head}; run "
            "'safereply db upgrade' (see docs/production.md, Upgrading)",
        )
    return Check(
        "migrations",
        "fail",
        f"schema is at revision {current}, unknown to this version (newest {head}): the "
        "database was upgraded by a newer SafeReply",
    )


def _smtp(store: Any, settings: Any) -> Check:
    from sqlalchemy import select

    from safereply.store.models import PracticeSettings

    with store.read() as session:
        lists = session.scalars(select(PracticeSettings.notify_emails)).all()
    wanting = sum(1 for emails in lists if emails)
    if settings.smtp_host:
        return Check("smtp", "ok", f"{settings.smtp_host}:{settings.smtp_port}")
    if wanting:
        return Check(
            "smtp",
            "fail",
            f"{counted(wanting, 'practice')} send e-mail notifications but SAFEREPLY_SMTP_HOST is "
            "empty: none will be delivered",
        )
    return Check("smtp", "ok", "not configured; no practice asks for e-mail notifications")


def _connections(store: Any, settings: Any) -> Check:
    from sqlalchemy import select

    from safereply.store.models import Connection

    with store.read() as session:
        rows = session.execute(
            select(Connection.id, Connection.platform, Connection.name).where(
                Connection.needs_reauth.is_(True), Connection.tokens.is_not(None)
            )
        ).all()
    if not rows:
        return Check("connections", "ok", "no connection needs re-authorisation")
    names = ", ".join(f"{r.id} ({r.platform}, {r.name})" for r in rows[:10])
    return Check(
        "connections",
        "warn",
        f"{counted(len(rows), 'connection')} need re-authorisation on the Connections page: "
        f"{names}",
    )


def _sealed(store: Any, settings: Any) -> Check:
    """Try to open every sealed value with the configured keys (values are never printed)."""
    from sqlalchemy import select

    from safereply.services.sealing import SealError, is_sealed, sealed_columns, unseal

    opened, closed = 0, []
    with store.read() as session:
        for table, column in sealed_columns():
            keys = list(table.primary_key.columns)
            for *pk, value in session.execute(select(*keys, column).where(column.is_not(None))):
                if not is_sealed(value):
                    continue
                try:
                    unseal(value, settings)
                    opened += 1
                except SealError:
                    closed.append(f"{table.name}.{column.name} ({', '.join(map(str, pk))})")
    if closed:
        return Check(
            "encryption keys",
            "fail",
            f"{counted(len(closed), 'sealed value')} cannot be opened with "
            "SAFEREPLY_ENCRYPTION_KEYS: "
            f"{', '.join(closed[:5])}; put the old key back after the new one, then run "
            "'safereply keys rotate'",
        )
    return Check("encryption keys", "ok", f"{counted(opened, 'sealed value')} open with the keys")


def _redis(settings: Any) -> Check:
    if not settings.redis_url:
        if settings.login_throttle == "redis":
            return Check(
                "redis",
                "fail",
                "SAFEREPLY_LOGIN_THROTTLE=redis but SAFEREPLY_REDIS_URL is empty",
            )
        return Check("redis", "ok", "not configured (jobs, leases and sign-in counts local)")
    shown = _hide_password(settings.redis_url)
    try:
        import redis

        redis.Redis.from_url(settings.redis_url, socket_timeout=3, socket_connect_timeout=3).ping()
    except ImportError:
        return Check("redis", "fail", "SAFEREPLY_REDIS_URL is set but 'redis' is not installed")
    except Exception as exc:
        return Check("redis", "fail", f"configured but cannot reach {shown}: {exc}"[:300])
    return Check("redis", "ok", f"reached {shown}")


def _hide_password(url: str) -> str:
    """Return ``url`` with its password replaced by ``***`` (doctor's output gets pasted)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if not parts.password:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def _queue(settings: Any) -> Check:
    """The SQLite job queue must be writable (on Redis the redis check covers it)."""
    if settings.redis_url:
        return Check("job queue", "ok", "on Redis (see the redis check)")
    from safereply.jobs.engine import jobs_file

    path = jobs_file(settings)
    folder = _nearest_existing(path.parent)
    problem = None
    if not folder.is_dir():
        problem = f"{folder} is a file, not a folder"
    elif path.exists() and not os.access(path, os.W_OK):
        problem = f"{path} is not writable by this user"
    else:
        try:  # a real write: access() says yes to root on a read-only file system
            tempfile.TemporaryFile(dir=path.parent if path.parent.exists() else folder).close()
        except OSError as exc:
            problem = f"cannot write in {folder}: {exc.strerror}"
    if problem:
        return Check("job queue", "fail", f"{problem}: 'safereply worker' cannot queue jobs")
    state = "exists" if path.exists() else "will be created"
    return Check("job queue", "ok", f"{path} ({state}, writable)")


def _nearest_existing(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _files(settings: Any, settings_file: str | None) -> Check:
    """The database, its WAL, the job queue and the settings file must be owner-only."""
    open_to_others = []
    for path in _private_files(settings, settings_file):
        try:
            mode = path.stat().st_mode
        except OSError:
            continue
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            open_to_others.append(f"{path} ({stat.filemode(mode)})")
    if open_to_others:
        return Check(
            "file permissions",
            "fail",
            f"readable by others: {', '.join(open_to_others)}; run chmod 600 on each (and "
            "chmod 700 on their folder)",
        )
    return Check("file permissions", "ok", "the files SafeReply keeps are owner-only")


def _private_files(settings: Any, settings_file: str | None) -> Iterator[Path]:
    url = settings.resolved_database_url
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        db = Path(url[len("sqlite:///") :])
        yield from (db, Path(f"{db}-wal"), Path(f"{db}-shm"))
    if not settings.redis_url:
        from safereply.jobs.engine import jobs_file

        yield jobs_file(settings)
    named = settings_file or os.environ.get("SAFEREPLY_SETTINGS_FILE")
    if named:
        yield Path(named)


#: The checks by name, for the documentation test and the README table.
CHECKS: tuple[str, ...] = (
    "secret key",
    "database",
    "migrations",
    "smtp",
    "connections",
    "encryption keys",
    "redis",
    "job queue",
    "file permissions",
)
