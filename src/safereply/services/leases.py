"""Leases: a piece of periodic work runs once per interval across every process (issue 16).

Every server process starts a sweeper thread and every worker a scheduler; without a shared
lease, N processes would sweep N times a minute. A lease is taken for ``ttl`` seconds by one
process and not given back: whoever wakes up within those seconds finds it held and skips its
turn, so the work runs once per interval whatever the number of processes.

Two backends, chosen like the sign-in limiter's:

* the database (the default, and the only one the embedded SQLite install needs): a row per
  lease in ``leases``, taken by one conditional ``UPDATE ... WHERE until <= now`` (or the first
  ``INSERT``), which PostgreSQL and SQLite both make atomic: two processes never both win;
* Redis when ``redis_url`` is set: ``SET key value NX PX ttl``, which expires by itself.

The lease decides *who runs now*; it is not what makes work safe to repeat. Sweeps stay
idempotent (notifications are de-duplicated in the database) and publishing checks the post's
version, so a lease lost to a long pause costs at most one extra, harmless run.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from safereply.store.engine import Store
from safereply.store.models import Lease
from safereply.store.rows import affected

__all__ = ["DatabaseLeases", "LeaseInfo", "Leases", "RedisLeases", "holder_name", "make_leases"]


def holder_name() -> str:
    """Return who takes a lease: host, process id and a random tag (never reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class LeaseInfo:
    """What a lease says now: who took it last, until when, and how often it was taken."""

    name: str
    holder: str
    until: dt.datetime | None
    runs: int


class Leases(Protocol):
    """The two methods every backend has."""

    def take(self, name: str, ttl: float) -> bool:
        """Take the lease ``name`` for ``ttl`` seconds; False when another holder has it."""
        ...

    def info(self, name: str) -> LeaseInfo | None:
        """Return the lease's state, or None if it was never taken."""
        ...


class DatabaseLeases:
    """Leases in the instance's database: shared by every process that uses it."""

    def __init__(
        self, store: Store, *, holder: str | None = None, clock: Callable[[], dt.datetime] = _utcnow
    ) -> None:
        self.store = store
        self.holder = holder or holder_name()
        self.clock = clock

    def take(self, name: str, ttl: float) -> bool:
        """Take ``name`` if it is free or has expired: one atomic statement decides."""
        now = self.clock()
        until = now + dt.timedelta(seconds=ttl)
        with self.store.write() as session:
            taken = affected(
                session.execute(
                    update(Lease)
                    .where(Lease.name == name, Lease.until <= now)
                    .values(holder=self.holder, until=until, taken_at=now, runs=Lease.runs + 1)
                )
            )
            if taken:
                return True
            if session.get(Lease, name) is not None:
                return False  # held by someone, not expired
        try:  # the first take ever: a concurrent first take loses on the primary key
            with self.store.write() as session:
                session.add(Lease(name=name, holder=self.holder, until=until, taken_at=now, runs=1))
        except IntegrityError:
            return False
        return True

    def info(self, name: str) -> LeaseInfo | None:
        """Return the row's state (for ``safereply doctor`` and tests)."""
        with self.store.read() as session:
            row = session.scalar(select(Lease).where(Lease.name == name))
            if row is None:
                return None
            return LeaseInfo(row.name, row.holder, row.until, row.runs)


class RedisLeases:
    """Leases in Redis: a key per lease that expires by itself, and a counter of takes."""

    def __init__(
        self, client: Any, *, holder: str | None = None, prefix: str = "safereply"
    ) -> None:
        self.client = client
        self.holder = holder or holder_name()
        self.prefix = prefix

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> RedisLeases:
        """Connect to Redis at ``url`` (the ``redis`` package is a dependency of the jobs)."""
        import redis

        return cls(redis.Redis.from_url(url, socket_timeout=5), **kwargs)

    def take(self, name: str, ttl: float) -> bool:
        """``SET NX PX``: only one process sets the key until it expires."""
        key = f"{self.prefix}:lease:{name}"
        if not self.client.set(key, self.holder, nx=True, px=max(1, int(ttl * 1000))):
            return False
        self.client.incr(f"{key}:runs")
        return True

    def info(self, name: str) -> LeaseInfo | None:
        """Return the current holder (None once expired) and the number of takes."""
        key = f"{self.prefix}:lease:{name}"
        holder, runs = self.client.get(key), self.client.get(f"{key}:runs")
        if holder is None and runs is None:
            return None
        pttl = self.client.pttl(key)
        until = _utcnow() + dt.timedelta(milliseconds=pttl) if pttl and pttl > 0 else None
        text = holder.decode() if isinstance(holder, bytes) else str(holder or "")
        return LeaseInfo(name, text, until, int(runs or 0))


def make_leases(store: Store, redis_url: str = "") -> Leases:
    """Return Redis leases when Redis is configured, else leases in the database."""
    if redis_url:
        return RedisLeases.from_url(redis_url)
    return DatabaseLeases(store)
