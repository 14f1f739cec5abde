"""Request rate limits: how many reads and writes a user and an address may make per window.

Policy (:class:`RequestLimiter`) and storage (a :class:`CounterBackend`) are apart, as in the
sign-in limiter (:mod:`safereply.services.auth_limits`): the default backend is one table of
the instance's own database (``request_counter``), so every process over the same SQLite file or
PostgreSQL database shares one count with no extra service; :class:`RedisCounter` keeps the same
counts in Redis for installs that run one.

Counting is a *sliding window* estimated from two fixed windows (the current one and the one
before it): ``estimate = previous x (share of the previous window still inside the sliding
window) + current``. Each key is one row (or two Redis keys), each request one upsert of at most
two keys (the user's and the address's budget of its kind), so the cost per request is one short
write transaction. Denied requests count too: a client that ignores ``Retry-After`` stays
refused for as long as it keeps going.

Keys, never names or e-mails: ``rq:u:<user id>:r|w`` (a signed-in user, by id, over all their
sessions and tokens) and ``rq:a:<address>:r|w`` (a client address as the sign-in limiter keys it:
IPv6 by its /64).
"""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import delete, select, text

from safereply.errors import ConfigError
from safereply.services.auth_limits import bounded, source_key
from safereply.services.users import hash_token
from safereply.store.engine import Store
from safereply.store.models import ApiToken, RequestCounter
from safereply.store.models import Session as SessionRow
from safereply.store.rows import affected

#: Seconds a request waits for SQLite's write lock before it is served uncounted.
SQLITE_LOCK_WAIT = 0.5

__all__ = [
    "SQLITE_LOCK_WAIT",
    "Budgets",
    "CounterBackend",
    "DatabaseCounter",
    "RedisCounter",
    "RequestLimiter",
    "Verdict",
    "user_for_credential",
]


class CounterBackend(Protocol):
    """Where the request counts are kept (the database table, or Redis)."""

    def hit(self, keys: Sequence[str], bucket: int, window: int) -> dict[str, tuple[int, int]]:
        """Count one request on every key in window number ``bucket``.

        Returns each key's (requests in ``bucket`` including this one, requests in ``bucket - 1``).
        """
        ...

    def purge(self, before: int) -> int:
        """Forget counts of windows before ``before``; return how many keys went."""
        ...


#: The upsert (the same text on SQLite 3.35+ and PostgreSQL): the ``SET`` expressions read the
#: row as it was, so a key whose window ended keeps that window's count as ``previous``.
_UPSERT = (
    "INSERT INTO request_counter (key, bucket, hits, previous) VALUES {rows} "
    "ON CONFLICT (key) DO UPDATE SET "
    "hits = CASE WHEN request_counter.bucket = excluded.bucket "
    "THEN request_counter.hits + 1 ELSE 1 END, "
    "previous = CASE WHEN request_counter.bucket = excluded.bucket THEN request_counter.previous "
    "WHEN request_counter.bucket = excluded.bucket - 1 THEN request_counter.hits ELSE 0 END, "
    "bucket = excluded.bucket "
    "RETURNING key, hits, previous"
)


class DatabaseCounter:
    """Counts in the ``request_counter`` table: one multi-row upsert per request.

    ``INSERT ... ON CONFLICT (key) DO UPDATE ... RETURNING`` moves a key to the new window and
    counts the request in one statement, on a plain connection (no ORM session) and from SQL
    text built once per number of keys: compiling the statement anew each time cost more than
    the write. PostgreSQL locks the rows, taken in sorted order so two processes cannot
    deadlock. SQLite serialises writers (``BEGIN IMMEDIATE``): so that a page read never waits
    behind a long write (an import), an SQLite file is counted on a connection of the counter's
    own per thread, in autocommit, that waits at most ``SQLITE_LOCK_WAIT`` seconds for the lock
    and then fails (the middleware then serves the request uncounted, logged).
    """

    def __init__(self, store: Store) -> None:
        if store.dialect not in ("sqlite", "postgresql"):
            raise ConfigError(f"request limits cannot count in a {store.dialect} database")
        self.store = store
        self._writer = store.engine.execution_options(safereply_write=True)
        self._statements: dict[int, Any] = {}
        database = store.engine.url.database
        file = store.dialect == "sqlite" and database not in (None, "", ":memory:")
        self._sqlite_path = str(Path(str(database)).expanduser()) if file else None
        self._local = threading.local()

    def _sqlite(self) -> sqlite3.Connection:
        """Return this thread's own connection to the SQLite file (short lock wait)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                str(self._sqlite_path),
                timeout=SQLITE_LOCK_WAIT,
                isolation_level=None,
                check_same_thread=False,
            )
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def _sqlite_count(self, size: int, params: dict[str, Any]) -> list[Any]:
        """Count on this thread's connection: the upsert alone, in autocommit, then a read.

        Without ``RETURNING`` and without ``BEGIN``/``COMMIT`` around it, the upsert is one
        ``sqlite3_step`` in C (the GIL released): the write lock is held for microseconds, never
        while this thread waits for the GIL. The read that follows is a WAL reader (no lock); it
        may include another request's hit that came in between, which only makes it more current.
        """
        conn = self._sqlite()
        upsert = str(self._statement(size)).split(" RETURNING ")[0]
        conn.execute(upsert, params)
        marks = ", ".join(f":k{i}" for i in range(size))
        return conn.execute(
            f"SELECT key, hits, previous FROM request_counter WHERE key IN ({marks})", params
        ).fetchall()

    def _statement(self, size: int) -> Any:
        """Return the upsert of ``size`` keys (built once)."""
        statement = self._statements.get(size)
        if statement is None:
            rows = ", ".join(f"(:k{i}, :b, 1, 0)" for i in range(size))
            statement = self._statements[size] = text(_UPSERT.format(rows=rows))
        return statement

    def hit(self, keys: Sequence[str], bucket: int, window: int) -> dict[str, tuple[int, int]]:
        """Count one request on every key in window ``bucket`` (see :class:`CounterBackend`)."""
        ordered = sorted(set(keys))
        params: dict[str, Any] = {f"k{i}": key for i, key in enumerate(ordered)}
        params["b"] = bucket
        if self._sqlite_path is not None:
            rows = self._sqlite_count(len(ordered), params)
            return {key: (int(hits), int(previous)) for key, hits, previous in rows}
        with self._writer.begin() as conn:
            result = conn.execute(self._statement(len(ordered)), params)
            return {key: (int(hits), int(previous)) for key, hits, previous in result}

    def purge(self, before: int) -> int:
        """Delete keys whose last request came in a window before ``before``."""
        if self._sqlite_path is not None:
            cursor = self._sqlite().execute(
                "DELETE FROM request_counter WHERE bucket < :before", {"before": before}
            )
            return int(cursor.rowcount)
        with self._writer.begin() as conn:
            gone = conn.execute(delete(RequestCounter).where(RequestCounter.bucket < before))
            return affected(gone)


# KEYS[1]: the key's current window, KEYS[2]: the one before; ARGV[1]: seconds to keep a window.
_HIT = """
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
return {hits, previous}
"""


class RedisCounter:
    """Counts in Redis: one counter per key and window (``INCR``, expiring by itself after two
    windows), read with the window before in one Lua script, atomic in Redis. Nothing to purge.
    """

    def __init__(self, url: str, *, prefix: str = "safereply:", client: Any = None) -> None:
        if client is None:
            import redis  # an optional dependency: the 'redis' extra

            client = redis.Redis.from_url(url)
        self.redis = client
        self.prefix = prefix
        self._hit = self.redis.register_script(_HIT)

    def hit(self, keys: Sequence[str], bucket: int, window: int) -> dict[str, tuple[int, int]]:
        """Count one request on every key in window ``bucket`` (one round trip for all keys)."""
        ordered = sorted(set(keys))
        pipe = self.redis.pipeline(transaction=False)
        for key in ordered:
            now_key = f"{self.prefix}{key}:{bucket}"
            before_key = f"{self.prefix}{key}:{bucket - 1}"
            self._hit(keys=[now_key, before_key], args=[2 * window + 1], client=pipe)
        results = pipe.execute()
        return {key: (int(r[0]), int(r[1])) for key, r in zip(ordered, results, strict=True)}

    def purge(self, before: int) -> int:
        """Nothing to do: every counter expires by itself."""
        return 0


@dataclass(frozen=True, slots=True)
class Budgets:
    """Requests allowed per window: a user's and an address's reads and writes."""

    user_reads: int
    user_writes: int
    address_reads: int
    address_writes: int


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer for one request.

    ``budget`` names the budget it exceeded (``user-reads``, ``address-writes`` ...), ``None``
    when allowed; ``retry_after`` is whole seconds until a request of its kind would pass;
    ``first`` is True for the request that crossed the limit (the one worth an audit entry).
    """

    allowed: bool
    retry_after: int = 0
    budget: str | None = None
    first: bool = False


def _wait(hits: int, previous: int, fraction: float, limit: int, window: int) -> int:
    """Seconds until one more request fits, if the client stops now (at least 1).

    In this window the next request fits once ``previous x (1 - f) + hits + 1 <= limit``; if
    ``hits`` alone is too many, in the next window once ``hits x (1 - f') + 1 <= limit``.
    """
    room = limit - hits - 1
    if room >= 0 and previous > 0:
        needed = 1.0 - room / previous
        if needed < 1.0:
            return max(1, math.ceil((needed - fraction) * window))
    needed_next = max(0.0, 1.0 - (limit - 1) / hits) if hits > 0 else 0.0
    return max(1, math.ceil((1.0 - fraction + needed_next) * window))


class RequestLimiter:
    """The policy over a backend: which budgets a request spends, and whether it may go on."""

    def __init__(
        self,
        backend: CounterBackend,
        budgets: Budgets,
        *,
        window: int = 60,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.backend = backend
        self.budgets = budgets
        self.window = window
        self.clock = clock
        self._purged = -1
        self._lock = threading.Lock()

    def check(self, *, user_id: int | None, address: str, write: bool) -> Verdict:
        """Count the request against its user's (when signed in) and its address's budget."""
        kind = "w" if write else "r"
        limits = {
            bounded(f"rq:a:{source_key(address)[4:]}:{kind}"): (
                "address-writes" if write else "address-reads",
                self.budgets.address_writes if write else self.budgets.address_reads,
            )
        }
        if user_id is not None:
            limits[f"rq:u:{user_id}:{kind}"] = (
                "user-writes" if write else "user-reads",
                self.budgets.user_writes if write else self.budgets.user_reads,
            )
        now = self.clock()
        bucket = int(now // self.window)
        fraction = (now - bucket * self.window) / self.window
        counts = self.backend.hit(list(limits), bucket, self.window)
        self._maybe_purge(bucket)
        worst: Verdict = Verdict(True)
        for key, (name, limit) in sorted(limits.items(), key=lambda kv: kv[1][0], reverse=True):
            hits, previous = counts[key]
            weight = previous * (1.0 - fraction)
            if weight + hits <= limit:
                continue
            wait = _wait(hits, previous, fraction, limit, self.window)
            if worst.allowed or wait > worst.retry_after:
                worst = Verdict(False, wait, name, weight + hits - 1 <= limit)
        return worst

    def _maybe_purge(self, bucket: int) -> None:
        """Purge stale counts once per window per process (cheap; most calls skip it)."""
        with self._lock:
            if self._purged == bucket:
                return
            self._purged = bucket
        self.backend.purge(bucket - 1)


def user_for_credential(
    store: Store, *, token: str | None = None, cookie: str | None = None
) -> int | None:
    """Return the user id an API token or a session cookie belongs to (None: unknown, revoked
    or ended). Only for counting: the route still checks the credential itself."""
    now = dt.datetime.now(dt.UTC)
    with store.read() as session:
        if token:
            row = session.execute(
                select(ApiToken.user_id, ApiToken.revoked_at).where(
                    ApiToken.token_hash == hash_token(token)
                )
            ).first()
            return row.user_id if row is not None and row.revoked_at is None else None
        if cookie:
            row = session.execute(
                select(SessionRow.user_id, SessionRow.expires_at).where(
                    SessionRow.token_hash == hash_token(cookie)
                )
            ).first()
            if row is None:
                return None
            expires = row.expires_at
            if expires.tzinfo is None:
                expires = expires.replace(tzinfo=dt.UTC)
            return row.user_id if expires > now else None
    return None
