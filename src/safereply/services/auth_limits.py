"""The sign-in limiter: failures counted per key in the database, delays that double per source.

Policy (what :class:`SignInLimiter` decides) and storage (a :class:`ThrottleBackend`) are apart:
the default backend is a table of the instance's own database (``login_throttle``), so every
process over the same SQLite file or PostgreSQL database shares one count, with no extra service;
a Redis backend needs only the four methods of the protocol.

Keys name who is throttled, never only the victim:

* ``src:<address>``: a source address. From its ``login_max_failures``-th failure in the window,
  each failure makes the source wait 1, 2, 4, 8 ... seconds (at most the window) before its
  next attempt. An attacker's delay grows; nobody else's does.
* ``acct:<e-mail>``: failures on one account from every source. Past
  ``login_account_max_failures`` in the window the account is *locked*: a password alone no
  longer opens it from an unknown device, but the second factor, or a browser that signed in to
  it before (its signed device cookie, throttled by its own ``dev:`` key), still does. Nobody
  can lock a named user out of the devices they use or of their second factor.
* ``dev:<id>``, ``reauth:<user id>``, ``reset:...``: the same doubling delay for a known device,
  for passwords asked again of a signed-in user, and for password-reset requests.

A failure is forgotten ``login_window`` seconds after the key's last one; stale rows are purged
as failures are written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from safereply.store.engine import Store
from safereply.store.models import LoginThrottle, utcnow
from safereply.store.rows import affected

__all__ = [
    "DatabaseThrottle",
    "KeyState",
    "SignInLimiter",
    "ThrottleBackend",
    "account_key",
    "source_key",
]


@dataclass(frozen=True, slots=True)
class KeyState:
    """A key's failures in the current window and when its next attempt may come."""

    failures: int
    last_failure_at: dt.datetime
    blocked_until: dt.datetime | None
    #: Set by ``add_failure``: the key was blocked already when this failure was counted (an
    #: attempt that passed the check at the same time as others, which must not go on).
    was_blocked: bool = False


class ThrottleBackend(Protocol):
    """Where the limiter keeps its counts (a database table; Redis would fit the same four)."""

    def read(
        self, keys: Sequence[str], now: dt.datetime, window: dt.timedelta
    ) -> dict[str, KeyState]:
        """Return the live state of each key that has failures in the window."""
        ...

    def add_failure(
        self,
        keys: Sequence[str],
        now: dt.datetime,
        window: dt.timedelta,
        delay: Callable[[str, int], float],
    ) -> dict[str, KeyState]:
        """Count one failure on every key at once; ``delay(key, failures)`` is the wait after."""
        ...

    def clear(self, keys: Sequence[str]) -> None:
        """Forget the keys' failures."""
        ...

    def undo(self, keys: Sequence[str], delay: Callable[[str, int], float]) -> None:
        """Take back one failure from every key (an attempt counted up front that proved
        itself); lift a key's block when the failures left would not set one."""
        ...

    def purge(self, before: dt.datetime, now: dt.datetime) -> int:
        """Delete keys whose last failure is older than ``before`` and that block nobody."""
        ...


class DatabaseThrottle:
    """The limiter's state in the ``login_throttle`` table of the instance's database.

    A failure is one write transaction over the keys in sorted order (SQLite's ``BEGIN
    IMMEDIATE`` serialises writers; PostgreSQL locks the rows ``FOR UPDATE``), so concurrent
    failures from several processes are all counted. Two processes inserting the same new key at
    once: one loses on the primary key and retries.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def read(
        self, keys: Sequence[str], now: dt.datetime, window: dt.timedelta
    ) -> dict[str, KeyState]:
        """Return the live state of each key that has failures in the window."""
        with self.store.read() as session:
            rows = session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(list(keys))))
            return {
                row.key: KeyState(row.failures, row.last_failure_at, row.blocked_until)
                for row in rows
                if row.last_failure_at > now - window
                or (row.blocked_until is not None and row.blocked_until > now)
            }

    def add_failure(
        self,
        keys: Sequence[str],
        now: dt.datetime,
        window: dt.timedelta,
        delay: Callable[[str, int], float],
    ) -> dict[str, KeyState]:
        """Count one failure on every key at once; ``delay(key, failures)`` is the wait after."""
        for attempt in range(5):
            try:
                return self._add(sorted(set(keys)), now, window, delay)
            except (IntegrityError, OperationalError):
                if attempt == 4:
                    raise
        raise AssertionError("unreachable")

    def _add(
        self,
        keys: list[str],
        now: dt.datetime,
        window: dt.timedelta,
        delay: Callable[[str, int], float],
    ) -> dict[str, KeyState]:
        out: dict[str, KeyState] = {}
        with self.store.write() as session:
            for key in keys:
                row = session.get(LoginThrottle, key, with_for_update=True)
                was = row is not None and row.blocked_until is not None and row.blocked_until > now
                if row is None:
                    row = LoginThrottle(key=key, failures=0, last_failure_at=now)
                    session.add(row)
                elif row.last_failure_at <= now - window:
                    row.failures = 0
                row.failures += 1
                row.last_failure_at = now
                wait = delay(key, row.failures)
                row.blocked_until = now + dt.timedelta(seconds=wait) if wait > 0 else None
                session.flush()
                out[key] = KeyState(row.failures, now, row.blocked_until, was)
            self._purge(session, now - window, now)
        return out

    def clear(self, keys: Sequence[str]) -> None:
        """Forget the keys' failures."""
        with self.store.write() as session:
            session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(list(keys))))

    def undo(self, keys: Sequence[str], delay: Callable[[str, int], float]) -> None:
        """Take back one failure from every key, in one transaction (rows locked, sorted)."""
        with self.store.write() as session:
            for key in sorted(set(keys)):
                row = session.get(LoginThrottle, key, with_for_update=True)
                if row is None:
                    continue
                row.failures = max(0, row.failures - 1)
                if delay(key, row.failures) <= 0:
                    row.blocked_until = None

    def purge(self, before: dt.datetime, now: dt.datetime) -> int:
        """Delete keys whose last failure is older than ``before`` and that block nobody."""
        with self.store.write() as session:
            return self._purge(session, before, now)

    @staticmethod
    def _purge(session: Session, before: dt.datetime, now: dt.datetime) -> int:
        stale = and_(
            LoginThrottle.last_failure_at < before,
            or_(LoginThrottle.blocked_until.is_(None), LoginThrottle.blocked_until <= now),
        )
        return affected(session.execute(delete(LoginThrottle).where(stale)))


#: The longest key a backend stores (the table's column); longer keys are shortened with a hash.
MAX_KEY = 200


def bounded(key: str) -> str:
    """Return ``key`` if it fits, else its start and a SHA-256 of the whole (still unique)."""
    if len(key) <= MAX_KEY:
        return key
    return f"{key[:120]}#{hashlib.sha256(key.encode('utf-8')).hexdigest()}"


class SignInLimiter:
    """The policy over a backend: who waits, for how long, and when an account is locked."""

    def __init__(
        self,
        backend: ThrottleBackend,
        *,
        max_failures: int,
        account_max_failures: int,
        window: int,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.backend = backend
        self.max_failures = max_failures
        self.account_max_failures = account_max_failures
        self.window = dt.timedelta(seconds=window)
        self.clock = clock

    def _delay(self, key: str, failures: int) -> float:
        """Seconds a key waits after its ``failures``-th failure: 0, then 1, 2, 4 ... capped."""
        if key.startswith("acct:"):
            return 0.0  # an account is locked to unknown devices, never made to wait
        over = failures - self.max_failures  # the max_failures-th failure waits 1 s
        if over < 0:
            return 0.0
        return float(min(self.window.total_seconds(), 2 ** min(over, 40)))

    def retry_after(self, *keys: str) -> int:
        """Return whole seconds before any of the keys may try again (0: go ahead)."""
        now = self.clock()
        wait = 0.0
        for state in self.backend.read([bounded(k) for k in keys], now, self.window).values():
            if state.blocked_until is not None and state.blocked_until > now:
                wait = max(wait, (state.blocked_until - now).total_seconds())
        return math.ceil(wait)

    def account_locked(self, email: str) -> bool:
        """Return True when failures on the account from all sources passed the account limit."""
        key = bounded(account_key(email))
        state = self.backend.read([key], self.clock(), self.window).get(key)
        return state is not None and state.failures >= self.account_max_failures

    def failed(self, *keys: str) -> dict[str, KeyState]:
        """Count one failure against every key; return their states (by bounded key)."""
        return self.backend.add_failure(
            [bounded(k) for k in keys], self.clock(), self.window, self._delay
        )

    def succeeded(self, *keys: str) -> None:
        """Forget the keys' failures (an account's or a device's, after it proved itself)."""
        self.backend.clear([bounded(k) for k in keys])

    def forgive(self, *keys: str) -> None:
        """Take back the one failure an attempt was counted as up front, when it turned out
        not to be one (a right password) or was refused unchecked. A source's other failures
        stay: signing in to one's own account must not wipe the guesses made from the same
        address at others."""
        self.backend.undo([bounded(k) for k in keys], self._delay)


def source_key(address: str) -> str:
    """Return the limiter key of a client address (an IPv6 address counts as its /64, which
    one subscriber holds whole: rotating within it does not buy new attempts)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return f"src:{address[:100]}"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"src:{ip.ipv4_mapped}"
        return f"src:{ipaddress.ip_network(f'{ip}/64', strict=False)}"
    return f"src:{ip}"


def account_key(email: str) -> str:
    """Return the limiter key of an account (by the e-mail typed, whether or not it exists)."""
    return f"acct:{(email or '').strip().lower()[:180]}"
