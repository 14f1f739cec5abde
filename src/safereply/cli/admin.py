"""Administration: ``init``, ``serve``, ``import``, ``users``, ``db``, ``backup`` and ``sweep``.

They work on the database named by ``--database-url``, ``SAFEREPLY_DATABASE_URL`` or a settings
file, and by default on the embedded SQLite file in the user's data directory. Passwords are never
taken from the command line (where other users can see them): from a prompt, ``--password-stdin``
or the ``SAFEREPLY_ADMIN_PASSWORD`` environment variable.
"""

from __future__ import annotations

import getpass
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from safereply.cli.io import Exit, UsageError

__all__ = ["register"]

_PASSWORD_ENV = "SAFEREPLY_ADMIN_PASSWORD"


def _common(p: Any) -> None:
    p.add_argument("--database-url", metavar="URL", help="database (default: SQLite in user data)")
    p.add_argument("--settings", metavar="FILE", help="a TOML settings file")


def register(sub: Any) -> None:
    """Add the administration subcommands."""
    p = sub.add_parser(
        "init",
        help="create the database, the first admin and a practice from its profile",
        description="Create (or upgrade) the database, the first administrator and, with "
        "--practice, a practice from its TOML profile.",
    )
    _common(p)
    p.add_argument("--practice", metavar="FILE", help="practice profile (TOML) to create")
    p.add_argument("--admin-email", metavar="EMAIL", help="the first administrator's e-mail")
    p.add_argument("--location", action="append", default=[], help="a location (repeatable)")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.set_defaults(func=run_init)

    p = sub.add_parser(
        "serve",
        help="run the web app and API (127.0.0.1:8000)",
        description="Run the SafeReply web app and JSON API. --demo starts a throw-away demo "
        "practice with invented posts in a temporary database.",
    )
    _common(p)
    p.add_argument("--host", default=None, help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default: 8000)")
    p.add_argument("--demo", action="store_true", help="throw-away demo practice and users")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="server processes on this machine (default 1; the sweep still runs once per interval)",
    )
    p.set_defaults(func=run_serve)

    p = sub.add_parser(
        "import",
        help="import posts from a CSV, JSON or JSONL export into a practice's inbox",
        description="Import posts, triaging each on arrival. Idempotent by (platform, external "
        "id). Every rejected row is reported with its line number. Exit 0 when every row "
        "landed or was already there, 1 when some rows were rejected, 2 when the file cannot "
        "be read.",
    )
    _common(p)
    p.add_argument("file", help="the export file ('-' for standard input)")
    p.add_argument("--practice-id", type=int, required=True, help="the practice to import into")
    p.add_argument("--platform", help="platform of rows without a platform column")
    p.add_argument("--input-format", choices=("csv", "json", "jsonl"), help="default: detect")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="read FIELD (text, external_id, author, rating, url, posted_at, platform, location, "
        "thread, reply, replied_at) from COLUMN (repeatable)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=min(4, os.cpu_count() or 1),
        help="processes that triage in parallel on large files (default: CPUs, at most 4)",
    )
    p.add_argument(
        "--location",
        help="the location of rows without a location column (a per-location export)",
    )
    p.add_argument(
        "--close-answered",
        action="store_true",
        help="close the posts still open in the inbox that the file shows answered, recording "
        "the file's reply (audited; never an emergency or crisis post)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=run_import)

    p = sub.add_parser("users", help="list and manage accounts, roles and API tokens")
    _common(p)
    users = p.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    u = users.add_parser("list", help="every account and its roles")
    u.add_argument("--format", choices=("text", "json"), default="text")
    u.set_defaults(func=run_users_list)
    u = users.add_parser("add", help="create an account (password from prompt or stdin)")
    u.add_argument("email")
    u.add_argument("--name", help="display name")
    u.add_argument("--practice-id", type=int, help="give a role in this practice")
    u.add_argument("--role", choices=("staff", "manager", "admin"), default="staff")
    u.add_argument("--superuser", action="store_true", help="an instance administrator")
    u.add_argument("--password-stdin", action="store_true")
    u.set_defaults(func=run_users_add)
    u = users.add_parser("role", help="set (or --remove) a user's role in a practice")
    u.add_argument("email")
    u.add_argument("--practice-id", type=int, required=True)
    group = u.add_mutually_exclusive_group(required=True)
    group.add_argument("--role", choices=("staff", "manager", "admin"))
    group.add_argument("--remove", action="store_true")
    u.set_defaults(func=run_users_role)
    for action, help_text in (("deactivate", "stop an account"), ("activate", "restart one")):
        u = users.add_parser(action, help=help_text)
        u.add_argument("email")
        u.set_defaults(func=run_users_active, active=action == "activate")
    u = users.add_parser("password", help="set a user's password")
    u.add_argument("email")
    u.add_argument("--password-stdin", action="store_true")
    u.set_defaults(func=run_users_password)
    u = users.add_parser(
        "mfa-off", help="turn a user's second factor off (lost phone and codes); sessions end"
    )
    u.add_argument("email")
    u.set_defaults(func=run_users_mfa_off)
    u = users.add_parser("token", help="create an API token for a user (shown once)")
    u.add_argument("email")
    u.add_argument("--name", default="cli")
    u.add_argument(
        "--scope",
        choices=("read", "write", "admin"),
        default="write",
        help="read: GET only; write (default): no practice configuration; admin: all the roles",
    )
    u.add_argument("--days", type=int, default=90, help="lifetime in days, 1-365 (default 90)")
    u.set_defaults(func=run_users_token)

    p = sub.add_parser("db", help="database schema: upgrade to the newest, or show the current")
    _common(p)
    db = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    d = db.add_parser("upgrade", help="apply every pending migration")
    d.set_defaults(func=run_db_upgrade)
    d = db.add_parser("current", help="print the schema revision")
    d.set_defaults(func=run_db_current)

    p = sub.add_parser(
        "backup",
        help="write a consistent copy of the database to a file",
        description="SQLite: an online, consistent copy (the backup API), safe while serving. "
        "PostgreSQL: runs pg_dump (custom format), which must be installed.",
    )
    _common(p)
    p.add_argument("output", help="the backup file to write")
    p.set_defaults(func=run_backup)

    p = sub.add_parser("sweep", help="run one SLA sweep: overdue posts, notifications (for cron)")
    _common(p)
    p.set_defaults(func=run_sweep)


# -- helpers -------------------------------------------------------------------------------------


def _settings(args: Any, **overrides: Any):
    from safereply.settings import load_settings

    overrides.setdefault("database_url", getattr(args, "database_url", None))
    return load_settings(getattr(args, "settings", None), **overrides)


@contextmanager
def _open_services(args: Any) -> Iterator[Any]:
    """Build the services for one command and close the database when it is done."""
    services = _services(args)
    try:
        yield services
    finally:
        services.store.dispose()


def _services(args: Any, *, migrate: bool = True, **overrides: Any):
    from safereply.services import build_services
    from safereply.store import open_store

    settings = _settings(args, **overrides)
    store = open_store(settings.resolved_database_url, migrate=migrate)
    return build_services(store, settings)


def _password(args: Any, *, stdin: Any = None, confirm: bool = True) -> str:
    if getattr(args, "password_stdin", False):
        value = (stdin or sys.stdin).readline().rstrip("\r\n")
    elif os.environ.get(_PASSWORD_ENV):
        value = os.environ[_PASSWORD_ENV]
    elif sys.stdin.isatty():
        value = getpass.getpass("Password: ")
        if confirm and getpass.getpass("Again: ") != value:
            raise UsageError("the passwords do not match")
    else:
        raise UsageError(f"give the password with --password-stdin or {_PASSWORD_ENV}")
    if not value:
        raise UsageError("the password is empty")
    return value


def _user_id(services: Any, email: str) -> int:
    user = services.users.find_by_email(email)
    if user is None:
        raise UsageError(f"no account for {email}")
    return user["id"]


# -- commands ------------------------------------------------------------------------------------


def run_init(args: Any, *, stdin: Any = None, out: TextIO | None = None) -> int:
    """Create or upgrade the database, the first admin and optionally a practice."""
    from safereply.core.practice import load_practice
    from safereply.services import SYSTEM

    out = out or sys.stdout
    with _open_services(args) as services:
        print(f"database ready: {services.store.engine.url.render_as_string()}", file=out)
        admin_id = None
        if args.admin_email:
            existing = services.users.find_by_email(args.admin_email)
            if existing is None:
                user = services.users.create_user(
                    SYSTEM,
                    email=args.admin_email,
                    password=_password(args, stdin=stdin),
                    is_superuser=True,
                )
                print(f"administrator created: {user['email']}", file=out)
                admin_id = user["id"]
            else:
                admin_id = existing["id"]
                print(f"administrator exists: {existing['email']}", file=out)
        if args.practice:
            try:
                profile = load_practice(args.practice)
            except RecursionError:  # tomllib recurses per nested array: a hostile profile
                raise UsageError(f"{args.practice}: nested too deeply to read") from None
            _init_practice(services, profile, tuple(args.location), admin_id, out)
    return Exit.OK


def _init_practice(
    services: Any, profile: Any, locations: tuple[str, ...], admin_id: int | None, out: TextIO
) -> None:
    """Create the profile's practice, unless ``init`` already made one of that name.

    "Create or upgrade": running ``init`` again (after an upgrade, say) must not add a second
    practice with the same name and an empty inbox.
    """
    from safereply.services import SYSTEM

    for row in services.practices.list_practices(SYSTEM):
        if row["name"] == profile.name:
            print(
                f"practice exists: {row['name']} (id {row['id']}); not created again "
                "(change its profile on its Settings page)",
                file=out,
            )
            _add_locations(services, row["id"], locations, out)
            return
    practice = services.practices.create_practice(
        SYSTEM, profile, locations=locations, admin_user_id=admin_id
    )
    print(f"practice created: {practice['name']} (id {practice['id']})", file=out)


def _add_locations(services: Any, practice_id: int, names: tuple[str, ...], out: TextIO) -> None:
    """Add to an existing practice the ``--location`` names it does not have yet (an agency
    opening a new office); a name it has, in any case, is left as it is."""
    from safereply.errors import InputError
    from safereply.services import SYSTEM

    known = {
        loc["name"].strip().casefold()
        for loc in services.practices.get_practice(SYSTEM, practice_id)["locations"]
    }
    for name in names:
        if name.strip() and name.strip().casefold() not in known:
            try:
                added = services.practices.add_location(SYSTEM, practice_id, name)
            except InputError as exc:
                raise UsageError(f"--location {name!r}: {exc}") from None
            known.add(name.strip().casefold())
            print(f"location added: {added['name']} (id {added['id']})", file=out)


def run_serve(args: Any, *, out: TextIO | None = None) -> int:
    """Run the server (or the demo) until interrupted."""
    import uvicorn

    from safereply.web import create_app

    out = out or sys.stdout
    host = args.host or "127.0.0.1"
    port = args.port or 8000
    workers = getattr(args, "workers", None)
    workers = 1 if workers is None else workers  # 0 is a mistake to name, not a default
    if workers < 1:
        raise UsageError("--workers must be at least 1")
    if workers > 1 and args.demo:
        raise UsageError("--demo runs in one process; leave out --workers")
    if not args.demo and workers > 1:
        return _serve_workers(args, host, port, workers, out)
    if not args.demo:
        settings = _settings(args)
        app = create_app(settings)
        print(f"SafeReply on http://{host}:{port}  (API docs: /docs)", file=out, flush=True)
        uvicorn.run(app, host=host, port=port, log_level="info")
        return Exit.OK
    from safereply.services import build_services
    from safereply.services.demo import seed_demo
    from safereply.store import open_store

    workdir = Path(tempfile.mkdtemp(prefix="safereply-demo-"))
    try:
        settings = _settings(
            args,
            environment="development",
            database_url=f"sqlite:///{workdir / 'demo.sqlite3'}",
            base_url=f"http://{host}:{port}",
        )
        services = build_services(open_store(settings.resolved_database_url), settings)
        demo = seed_demo(services)
        app = create_app(services=services, sweep=True)
        print(
            f"SafeReply demo on http://{host}:{port}  (API docs: http://{host}:{port}/docs)\n"
            f"  {demo['posts']} invented posts, {demo['escalated']} escalated on arrival\n"
            f"  sign in as {', '.join(demo['users'])}\n"
            f"  password: {demo['password']}\n"
            "  everything is deleted when you stop the server (Ctrl+C)",
            file=out,
            flush=True,
        )
        uvicorn.run(app, host=host, port=port, log_level="info")
        services.store.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return Exit.OK


def _serve_workers(args: Any, host: str, port: int, workers: int, out: TextIO) -> int:
    """Run ``workers`` server processes (uvicorn's supervisor) on one port (issue 16).

    The settings are checked and the database migrated once here, before any worker starts;
    each worker then builds its app from the environment.
    """
    import uvicorn

    from safereply.store import open_store
    from safereply.web.serving import export_settings

    settings = _settings(args)
    settings.check_secure()
    open_store(settings.resolved_database_url).dispose()  # migrate once, not N times at once
    export_settings(args)
    print(
        f"SafeReply on http://{host}:{port}  ({workers} processes; API docs: /docs)",
        file=out,
        flush=True,
    )
    uvicorn.run(
        "safereply.web.serving:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
    )
    return Exit.OK


def _import_source(file: str, stdin: Any) -> tuple[bytes | str, str | None]:
    """Return the export's content and its file name (None for standard input).

    Raises:
        UsageError: the file cannot be read, or is empty: as the import page says, an empty
            file is a wrong file, not an import of nothing.
    """
    if file == "-":
        source = stdin or sys.stdin
        data = source.buffer.read() if hasattr(source, "buffer") else source.read()
        name = None
    else:
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise UsageError(f"{file}: cannot read: {exc.strerror}") from None
        name = file
    if not data.strip():
        raise UsageError(f"{file}: the file is empty; nothing was imported")
    return data, name


def run_import(args: Any, *, stdin: Any = None, out: TextIO | None = None) -> int:
    """Import an export file and print the report."""
    from safereply.errors import InputError
    from safereply.services import SYSTEM
    from safereply.services.importer import import_posts

    out = out or sys.stdout
    mapping = {}
    for item in args.map:
        field, sep, column = item.partition("=")
        if not sep or not field or not column:
            raise UsageError(f"--map {item!r}: use FIELD=COLUMN")
        mapping[field.strip()] = column.strip()
    data, name = _import_source(args.file, stdin)
    _check_mapped_columns(data, name, args.input_format, mapping)
    # The triage pool is this command's: --workers processes, ended when the import is done.
    services = _services(args, triage_processes=max(1, args.workers))
    try:
        report = import_posts(
            services.inbox,
            SYSTEM,
            args.practice_id,
            data,
            name=name,
            fmt=args.input_format,
            platform=args.platform,
            mapping=mapping,
            workers=max(1, args.workers),
            close_answered=args.close_answered,
            location=args.location,
        )
    except InputError as exc:
        raise UsageError(str(exc)) from None
    finally:
        services.close()
        services.store.dispose()
    if report.total == 0:
        raise UsageError(
            f"{args.file}: the file holds no posts (only a header, or nothing but blank lines); "
            "nothing was imported"
        )
    if args.format == "json":
        out.write(json.dumps(report.to_dict()) + "\n")
    else:
        rows = "row" if report.total == 1 else "rows"
        print(
            f"{report.total} {rows}: {report.created} imported, {report.duplicates} already "
            f"there, {len(report.rejected)} rejected, {report.escalated} escalated",
            file=out,
        )
        _print_answered(report, args.file, out, closing=args.close_answered)
        for row in report.rejected:
            print(f"  line {row.line}: {row.reason}", file=out)
    return Exit.FINDINGS if report.rejected else Exit.OK


def _check_mapped_columns(
    data: bytes | str, name: str | None, fmt: str | None, mapping: dict[str, str]
) -> None:
    """Refuse a ``--map FIELD=COLUMN`` that names a column a CSV export does not have.

    It was read as an empty column: ``--map reply=OwnerReply`` on a file whose column is
    "Owner Reply" imported a year of answered reviews as open, overdue posts, and said nothing.
    Only CSV is checked (every row has the header's columns; in JSON a key may be absent from
    some rows and present in others).

    Raises:
        UsageError: a mapped column is not in the header.
    """
    from safereply.services.importer import RejectedRow, flatten, read_rows

    text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
    suffix = Path(name).suffix.lower() if name else ""
    json_like = suffix in (".json", ".jsonl", ".ndjson") or text.lstrip()[:1] in ("[", "{")
    if not mapping or fmt in ("json", "jsonl") or (fmt is None and json_like):
        return
    rows = (row for _, row in read_rows(data, name=name, fmt="csv"))
    first = next((row for row in rows if not isinstance(row, RejectedRow)), None)
    if first is None:
        return
    columns = flatten(first)
    for field, column in mapping.items():
        if next(iter(flatten({column: None}))) not in columns:
            raise UsageError(
                f"--map {field}={column}: the file has no column {column!r}; its columns: "
                f"{', '.join(str(c) for c in first)}; nothing was imported"
            )


def _print_answered(report: Any, file: str, out: TextIO, *, closing: bool = False) -> None:
    """Say how many imported posts arrived already answered (their reply was in the file) and
    how many wait in the inbox; point to ``safereply scan`` for those replies (the import does
    not lint them), and name re-imported rows whose reply was left off an open post."""
    if report.created:
        print(
            f"{report.answered} {_posts(report.answered)} arrived already answered; "
            f"{report.created - report.answered} open",
            file=out,
        )
    if report.answered:
        target = "FILE" if file == "-" else shlex.quote(file)
        print(
            f"  their replies were not checked: to lint them, run safereply scan {target}", file=out
        )
    if report.backlog:
        from safereply.services.arrival import BACKLOG_AFTER, BACKLOG_DUE

        print(
            f"backlog: {report.backlog} open {_posts(report.backlog)} written more than "
            f"{BACKLOG_AFTER.days} days before today, due within {BACKLOG_DUE.days} days "
            "instead of the reply time",
            file=out,
        )
    if report.closed_answered:
        n = len(report.closed_answered)
        print(
            f"{n} {_posts(n)} already in the inbox and still open {'was' if n == 1 else 'were'} "
            f"closed as answered, with the file's reply recorded (lines "
            f"{_lines(report.closed_answered)})",
            file=out,
        )
    if report.open_with_reply:
        print(
            f"{len(report.open_with_reply)} already in the inbox and still open, though the file "
            f"has their reply (lines {_lines(report.open_with_reply)}): left as they are; "
            + (
                "an emergency or crisis post is answered by a person, in the inbox"
                if closing
                else "answer them there, or import again with --close-answered"
            ),
            file=out,
        )


def _lines(lines: list[int]) -> str:
    return ", ".join(str(n) for n in lines[:20]) + (" ..." if len(lines) > 20 else "")


def _posts(n: int) -> str:
    return "post" if n == 1 else "posts"


def run_users_list(args: Any, *, out: TextIO | None = None) -> int:
    """Print every account."""
    out = out or sys.stdout
    with _open_services(args) as services:
        users = services.users.list_all()
    if args.format == "json":
        for user in users:
            out.write(json.dumps(user) + "\n")
        return Exit.OK
    for user in users:
        roles = ", ".join(f"practice {p}: {r}" for p, r in user["roles"].items()) or "no roles"
        flags = (" superuser" if user["is_superuser"] else "") + (
            "" if user["is_active"] else " (deactivated)"
        )
        print(f"{user['id']:>4}  {user['email']}{flags}  [{roles}]", file=out)
    return Exit.OK


def run_users_add(args: Any, *, stdin: Any = None, out: TextIO | None = None) -> int:
    """Create an account."""
    from safereply.services import SYSTEM

    out = out or sys.stdout
    with _open_services(args) as services:
        user = services.users.create_user(
            SYSTEM,
            email=args.email,
            password=_password(args, stdin=stdin),
            display_name=args.name,
            practice_id=args.practice_id,
            role=args.role if args.practice_id else None,
            is_superuser=args.superuser,
        )
    print(f"created {user['email']} (id {user['id']})", file=out)
    return Exit.OK


def run_users_role(args: Any, *, out: TextIO | None = None) -> int:
    """Set or remove a role."""
    from safereply.services import SYSTEM

    out = out or sys.stdout
    with _open_services(args) as services:
        uid = _user_id(services, args.email)
        role = None if args.remove else args.role
        services.users.set_role(SYSTEM, practice_id=args.practice_id, user_id=uid, role=role)
    print(f"{args.email}: {role or 'removed'} in practice {args.practice_id}", file=out)
    return Exit.OK


def run_users_active(args: Any, *, out: TextIO | None = None) -> int:
    """Deactivate or reactivate an account."""
    from safereply.services import SYSTEM

    out = out or sys.stdout
    with _open_services(args) as services:
        services.users.set_active(
            SYSTEM, user_id=_user_id(services, args.email), active=args.active
        )
    print(f"{args.email}: {'active' if args.active else 'deactivated'}", file=out)
    return Exit.OK


def run_users_password(args: Any, *, stdin: Any = None, out: TextIO | None = None) -> int:
    """Set a password."""
    from safereply.services import SYSTEM

    out = out or sys.stdout
    with _open_services(args) as services:
        uid = _user_id(services, args.email)
        services.users.set_password(SYSTEM, user_id=uid, password=_password(args, stdin=stdin))
    print(f"{args.email}: password set; every session ended", file=out)
    return Exit.OK


def run_users_mfa_off(args: Any, *, out: TextIO | None = None) -> int:
    """Turn a user's second factor off (the instance administrator's recovery path)."""
    from safereply.services import SYSTEM

    out = out or sys.stdout
    with _open_services(args) as services:
        services.auth.reset_mfa(SYSTEM, _user_id(services, args.email))
    print(f"{args.email}: second factor off; every session ended", file=out)
    return Exit.OK


def run_users_token(args: Any, *, out: TextIO | None = None) -> int:
    """Create an API token and print it once."""
    out = out or sys.stdout
    with _open_services(args) as services:
        actor = services.users.actor_for(_user_id(services, args.email))
        token = services.users.create_token(
            actor, name=args.name, scope=args.scope, expires_in_days=args.days
        )
    print(token["token"], file=out)
    return Exit.OK


def run_db_upgrade(args: Any, *, out: TextIO | None = None) -> int:
    """Apply pending migrations."""
    from safereply.store import current_revision, open_store

    out = out or sys.stdout
    store = open_store(_settings(args).resolved_database_url)
    try:
        print(f"schema at revision {current_revision(store)}", file=out)
    finally:
        store.dispose()
    return Exit.OK


def run_db_current(args: Any, *, out: TextIO | None = None) -> int:
    """Print the schema revision and whether it is the newest."""
    from safereply.store import current_revision, head_revision, open_store

    out = out or sys.stdout
    store = open_store(_settings(args).resolved_database_url, migrate=False)
    try:
        current, head = current_revision(store), head_revision()
    finally:
        store.dispose()
    state = "up to date" if current == head else f"behind (newest: {head}; run 'db upgrade')"
    print(f"schema at revision {current or 'none'}: {state}", file=out)
    return Exit.OK if current == head else Exit.FINDINGS


def run_backup(args: Any, *, out: TextIO | None = None) -> int:
    """Write a consistent copy of the database."""
    import sqlite3

    from sqlalchemy.engine import make_url

    out = out or sys.stdout
    url = make_url(_settings(args).resolved_database_url)
    target = Path(args.output)
    if target.exists():
        raise UsageError(f"{target} exists; choose a new file name")
    backend = url.get_backend_name()
    if backend in ("sqlite", "postgresql"):
        _create_owner_only(target)
    if backend == "sqlite":
        source = Path(url.database or "")
        if not source.is_file():
            target.unlink(missing_ok=True)
            raise UsageError(f"no database at {source}")
        # The backup API copies a consistent snapshot even while the server is writing.
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        print(f"backed up {source} to {target}", file=out)
        return Exit.OK
    if backend == "postgresql":
        if shutil.which("pg_dump") is None:
            target.unlink(missing_ok=True)
            raise UsageError("pg_dump is not installed; install the PostgreSQL client tools")
        env = dict(os.environ)
        if url.password:
            env["PGPASSWORD"] = url.password
        command = ["pg_dump", "--format=custom", f"--file={target}", "--no-password"]
        if url.host:
            command.append(f"--host={url.host}")
        if url.port:
            command.append(f"--port={url.port}")
        if url.username:
            command.append(f"--username={url.username}")
        command.append(url.database or "")
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            target.unlink(missing_ok=True)
            raise UsageError(f"pg_dump failed: {result.stderr.strip()}")
        print(f"backed up {url.database} to {target} (pg_dump custom format)", file=out)
        return Exit.OK
    raise UsageError(f"cannot back up a {backend} database")


def _create_owner_only(target: Path) -> None:
    """Create the (new) backup file readable by its owner only, before anything is written."""
    try:
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        raise UsageError(f"{target} exists; choose a new file name") from None
    except OSError as exc:
        raise UsageError(f"{target}: cannot create it: {exc.strerror}") from None


def run_sweep(args: Any, *, out: TextIO | None = None) -> int:
    """Run one SLA sweep."""
    out = out or sys.stdout
    with _open_services(args) as services:
        counts = services.inbox.sweep()
    print(f"{counts['overdue']} newly overdue, {counts['ready']} ready to post", file=out)
    return Exit.OK
