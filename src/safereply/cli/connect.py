"""Connectors on the command line: connect, connections, disconnect, sync and worker.

``safereply connect google --practice-id N --location accounts/A/locations/B --credentials FILE``
stores the location's OAuth client and tokens sealed; ``safereply sync`` polls every connection
once and prints one JSON line per connection (exit 1 if any failed); ``safereply worker`` runs the
background jobs (``--once``: what is due, then exit). The commands act as the operator of the
instance (the system actor): whoever runs them can read the database already.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from safereply.cli.io import Exit, UsageError, emit_json

__all__ = ["register"]

#: The module of each platform's connector, which may add its own ``connect`` arguments with
#: ``add_connect_arguments(platform, parser)`` and name the account with
#: ``connect_target(platform, args) -> (account, external_id, name)``.
PLATFORM_MODULES = {
    "google": "safereply.connectors.google",
    "facebook": "safereply.connectors.meta",
    "instagram": "safereply.connectors.meta",
    "x": "safereply.connectors.x",
}


def _common(p: Any) -> None:
    p.add_argument("--database-url", metavar="URL", help="database (default: SQLite in user data)")
    p.add_argument("--settings", metavar="FILE", help="a TOML settings file")


def _module(platform: str) -> Any | None:
    try:
        return importlib.import_module(PLATFORM_MODULES[platform])
    except (KeyError, ModuleNotFoundError):
        return None


def register(sub: Any) -> None:
    """Add the connector subcommands."""
    p = sub.add_parser(
        "connect",
        help="connect a practice to a platform account (tokens are stored sealed)",
        description="Connect a practice to a Google location, Facebook Page, Instagram account or "
        "X account. FILE is JSON with client_id, client_secret, refresh_token and optionally "
        "access_token and expires_at; '-' reads it from standard input.",
    )
    platforms = p.add_subparsers(dest="platform", metavar="PLATFORM", required=True)
    for platform in PLATFORM_MODULES:
        module = _module(platform)
        if module is None:
            continue
        q = platforms.add_parser(platform, help=f"connect a {platform} account")
        _common(q)
        q.add_argument("--practice-id", type=int, required=True, metavar="N")
        q.add_argument("--credentials", required=True, metavar="FILE")
        q.add_argument("--name", help="a name to show for the connection")
        q.add_argument("--site", metavar="NAME", help="the practice's location its posts go to")
        q.add_argument("--format", choices=("text", "json"), default="text")
        if platform == "google":
            q.add_argument("--location", required=True, metavar="accounts/A/locations/B")
        elif hasattr(module, "add_connect_arguments"):
            module.add_connect_arguments(platform, q)
        else:
            q.add_argument("--account", required=True, help="the platform's account id")
        q.set_defaults(func=run_connect)

    p = sub.add_parser("connections", help="list the connections (never their tokens)")
    _common(p)
    p.add_argument("--practice-id", type=int, metavar="N")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run_connections)

    p = sub.add_parser("disconnect", help="delete a connection's tokens and stop its syncs")
    _common(p)
    p.add_argument("id", type=int, metavar="ID")
    p.set_defaults(func=run_disconnect)

    p = sub.add_parser(
        "sync",
        help="poll every connection once now; one JSON line per connection",
        description='Prints {"connection", "platform", "fetched", "new", "updated", "errors"} per '
        "connection; exits 1 if any sync failed.",
    )
    _common(p)
    p.add_argument("--practice-id", type=int, metavar="N")
    p.set_defaults(func=run_sync)

    p = sub.add_parser(
        "worker",
        help="run the background jobs: polls, publishing, SLA sweeps, notifications",
        description="Runs the Huey consumer (SQLite queue in the data directory, or Redis when "
        "SAFEREPLY_REDIS_URL is set). --once runs every job that is due, then exits.",
    )
    _common(p)
    p.add_argument("--once", action="store_true", help="run what is due now, then exit")
    p.add_argument("--workers", type=int, default=2, metavar="N", help="worker threads")
    p.set_defaults(func=run_worker)


@contextmanager
def _opened(args: Any) -> Iterator[tuple[Any, Any]]:
    """Yield (services, connector services) for one command; close the database after."""
    from safereply.connectors.runtime import build_connectors
    from safereply.services import build_services
    from safereply.settings import load_settings
    from safereply.store import open_store

    settings = load_settings(
        getattr(args, "settings", None), database_url=getattr(args, "database_url", None)
    )
    store = open_store(settings.resolved_database_url, migrate=True)
    try:
        services = build_services(store, settings)
        yield services, build_connectors(store, settings, services.inbox)
    finally:
        store.dispose()


def _read_credentials(path: str) -> Any:
    from safereply.connectors.base import Credentials

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"credentials file {path}: cannot read it: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"credentials file {path}: not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"credentials file {path}: not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise UsageError(f"credentials file {path}: expected a JSON object")
    try:
        return Credentials.from_mapping(data)
    except ValueError as exc:
        raise UsageError(f"credentials file {path}: {exc}") from None


def _target(args: Any) -> tuple[str, str, str | None]:
    """Return (account, external id, name) of the account to connect."""
    if args.platform == "google":
        from safereply.connectors.google import parse_location

        try:
            account, location = parse_location(args.location)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        return account, location, args.name
    module = _module(args.platform)
    if module is not None and hasattr(module, "connect_target"):
        account, external_id, name = module.connect_target(args.platform, args)
        return account, external_id, args.name or name
    return args.account, args.account, args.name


def run_connect(args: Any, *, out: TextIO | None = None) -> int:
    """Connect a practice to a platform account."""
    from safereply.services.actor import SYSTEM

    out = out or sys.stdout
    credentials = _read_credentials(args.credentials)
    account, external_id, name = _target(args)
    with _opened(args) as (_, connectors):
        info = connectors.connections.connect(
            SYSTEM,
            args.practice_id,
            platform=args.platform,
            account=account,
            external_id=external_id,
            credentials=credentials,
            name=name,
            location=args.site,
        )
    if args.format == "json":
        emit_json(info.to_dict(), out)
    else:
        print(f"connection {info.id}: {info.platform} {info.external_id} connected", file=out)
    return Exit.OK


def run_connections(args: Any, *, out: TextIO | None = None) -> int:
    """List the connections and their state."""
    from safereply.services.actor import SYSTEM

    out = out or sys.stdout
    with _opened(args) as (_, connectors):
        rows = connectors.connections.list(SYSTEM, args.practice_id)
    for info in rows:
        if args.format == "json":
            emit_json(info.to_dict(), out)
            continue
        state = (
            "disconnected"
            if not info.connected
            else "NEEDS RE-AUTHORISATION"
            if info.needs_reauth
            else "connected"
        )
        last = info.last_sync_at.isoformat(timespec="seconds") if info.last_sync_at else "never"
        due = info.next_sync_at.isoformat(timespec="seconds") if info.next_sync_at else "-"
        print(
            f"{info.id}\t{info.platform}\t{info.external_id}\tpractice {info.practice_id}\t"
            f"{state}\tlast sync {last}\tnext sync {due}"
            + (f"\terror: {info.last_error}" if info.last_error else ""),
            file=out,
        )
    if not rows and args.format == "text":
        print("no connections", file=out)
    return Exit.OK


def run_disconnect(args: Any, *, out: TextIO | None = None) -> int:
    """Delete a connection's tokens."""
    from safereply.services.actor import SYSTEM

    out = out or sys.stdout
    with _opened(args) as (_, connectors):
        info = connectors.connections.disconnect(SYSTEM, args.id)
    print(f"connection {info.id}: disconnected (tokens deleted)", file=out)
    return Exit.OK


def run_sync(args: Any, *, out: TextIO | None = None) -> int:
    """Poll every connection once now."""
    out = out or sys.stdout
    failed = False
    with _opened(args) as (services, connectors):
        if args.practice_id is not None:
            from safereply.services.actor import SYSTEM

            services.inbox.require(SYSTEM, args.practice_id)  # a clear error for a wrong id
        for report in connectors.syncer.sync_all(practice_id=args.practice_id):
            emit_json(report.to_dict(), out)
            failed |= report.failed
    return Exit.FINDINGS if failed else Exit.OK


def run_worker(args: Any, *, out: TextIO | None = None) -> int:
    """Run the background jobs."""
    from safereply.jobs.engine import Jobs, default_leases, make_huey

    out = out or sys.stdout
    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    with _opened(args) as (services, connectors):
        huey = make_huey(services.settings)
        # The minute's tick runs once across every worker of the instance (a lease).
        leases = default_leases(huey, services.store)
        jobs = Jobs(services.inbox, services.notifier, connectors, huey, leases=leases)
        if args.once:
            emit_json(jobs.run_due(), out)
            return Exit.OK
        import logging

        # What the worker does, on standard error (ids and counts only: never post or reply text).
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        jobs.run(workers=args.workers)
    return Exit.OK
