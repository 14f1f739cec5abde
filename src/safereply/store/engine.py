"""Engine factory and unit of work: SQLite by default, PostgreSQL by URL.

SQLite runs in WAL mode (readers never wait for the writer) with foreign keys on and a busy
timeout. Write transactions on SQLite start with ``BEGIN IMMEDIATE`` so two writers queue up instead
of both reading and then one failing half-way; on PostgreSQL the optimistic version column on posts
does that job.

Three guards on every engine: database errors never carry their SQL parameters
(``hide_parameters``: a failed insert must not write a post's text into a log); a statement
whose parameters hold a NUL character is refused with an InputError before it reaches the
database (PostgreSQL cannot store NUL in text at all; SQLite could, but refusing it on both keeps
the two databases alike); and a statement with an integer parameter outside the range of the
columns (``MAX_ID``, PostgreSQL's ``integer``; SQLite's driver overflows past 2^63) is answered
with a NotFoundError, since no row can match it. The API and pages validate ids at the edge
(422); this is the net under every other way in.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from safereply.errors import ConfigError, InputError, NotFoundError
from safereply.store.models import MAX_ID

__all__ = ["Store", "make_engine", "owner_only_dirs", "owner_only_file"]

#: A pooled PostgreSQL connection that rested this many seconds is pinged before it is used.
PING_AFTER_IDLE = 10.0


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine for a database URL, tuned for SafeReply.

    SQLite files get their parent directory created; a new file and new folders are owner-only
    (0600, 0700); ``sqlite://`` (memory) shares one connection.

    Raises:
        ConfigError: the URL cannot be parsed or names an unsupported database.
    """
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError with a terse message
        raise ConfigError(f"SAFEREPLY_DATABASE_URL {url!r} is not a database URL: {exc}") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
        if parsed.database in (None, "", ":memory:"):
            kwargs["poolclass"] = StaticPool
        else:
            owner_only_file(Path(parsed.database).expanduser())
        engine = create_engine(parsed, echo=echo, hide_parameters=True, **kwargs)
        _configure_sqlite(engine)
        _guard(engine)
        return engine
    if backend == "postgresql":
        engine = create_engine(
            parsed, echo=echo, hide_parameters=True, pool_size=10, max_overflow=10
        )
        _ping_when_idle(engine, PING_AFTER_IDLE)
        _guard(engine)
        return engine
    raise ConfigError(
        f"SAFEREPLY_DATABASE_URL uses {backend!r}; SafeReply supports sqlite and postgresql"
    )


def owner_only_file(path: Path) -> None:
    """Create a new database file (and its missing folders) readable by its owner only.

    Also used for the job queue's SQLite file: every file SafeReply creates holds what only the
    service may read.

    SQLite gives the ``-wal`` and ``-shm`` files it makes beside the database the database file's
    permissions, so they are owner-only too. An existing file keeps the permissions it has.
    """
    owner_only_dirs(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def owner_only_dirs(folder: Path) -> None:
    """Create ``folder`` and each missing folder above it with mode 0700.

    ``Path.mkdir(mode=..., parents=True)`` gives only the last folder the mode; the ones above it
    get the umask's (0755): a test with umask 022 found a world-readable data folder (issue 12).
    """
    missing = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for each in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            each.mkdir(mode=0o700)


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_nul(v) for v in value)
    return False


def _out_of_range(value: Any) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        return not -MAX_ID - 1 <= value <= MAX_ID
    if isinstance(value, dict):
        return any(_out_of_range(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_out_of_range(v) for v in value)
    return False


def _guard(engine: Engine) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def _check(_conn: Any, _cursor: Any, _statement: Any, parameters: Any, *_rest: Any) -> None:
        if _holds_nul(parameters):
            raise InputError(
                "the text holds a NUL character (\\u0000), which cannot be stored; remove it"
            )
        if _out_of_range(parameters):
            raise NotFoundError(f"no such object: ids and numbers here are at most {MAX_ID}")


def _ping_when_idle(engine: Engine, idle: float) -> None:
    """Ping a pooled connection before use when it rested ``idle`` seconds or more.

    ``pool_pre_ping`` pinged on every checkout: a round trip, and PostgreSQL and Python CPU, for
    each of a request's two to four transactions (session 10: about 3 pings a request). A
    connection in steady use is known alive; one that rested (PostgreSQL restarted meanwhile,
    or a firewall dropped it) is pinged, and a dead one is replaced before anything runs on it.
    A connection that dies between two uses less than ``idle`` apart fails its next statement;
    SQLAlchemy then discards every connection of the pool opened before (so a restart costs at
    most the requests running at that moment).
    """

    @event.listens_for(engine, "checkin")
    def _rested_from(_dbapi_conn: Any, record: Any) -> None:
        record.info["safereply_checked_in"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("safereply_checked_in")
        if since is None or time.monotonic() - since < idle:
            return  # new, or in steady use
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:  # the pool replaces the connection and tries again
            raise DisconnectionError(f"a pooled connection was dead: {exc}") from exc


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from the driver so BEGIN IMMEDIATE is possible.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("safereply_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Store:
    """The database of one SafeReply instance: an engine and its units of work.

    Use :meth:`read` for queries and :meth:`write` for changes; each is one transaction.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(
            engine.execution_options(safereply_write=True), expire_on_commit=False
        )
        # One statement needs no transaction on PostgreSQL (autocommit: no BEGIN and ROLLBACK
        # round trips); SQLite's reads stay as they are. The pool resets the connection after.
        self._glancer = (
            sessionmaker(
                engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False
            )
            if engine.dialect.name == "postgresql"
            else self._reader
        )

    @classmethod
    def from_url(cls, url: str, *, echo: bool = False) -> Store:
        """Open the database at ``url`` (migrations are not run: see ``migrate.upgrade``)."""
        return cls(make_engine(url, echo=echo))

    @property
    def dialect(self) -> str:
        """Return ``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Session]:
        """Yield a session for queries; it is rolled back at the end."""
        with self._reader() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def glance(self) -> Iterator[Session]:
        """Yield a session for a read of ONE statement (the sign-in lookups every request
        makes): on PostgreSQL it runs outside a transaction, two round trips fewer than
        :meth:`read`. Several statements here would each see the database as it is when it
        runs; never write in it (on PostgreSQL a write would be committed at once)."""
        with self._glancer() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """Yield a session whose changes are committed at the end, or rolled back on error."""
        with self._writer() as session, session.begin():
            yield session

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
