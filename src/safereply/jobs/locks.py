"""Job locks on Huey's storage that a killed worker cannot leave held for ever.

Huey's own ``lock_task`` stores a key until the task ends; on SQLite storage it takes no expiry,
so a worker killed with SIGKILL would leave its lock behind and the job would never run again.
Here a lock's value says who holds it and until when: a contender takes over a lock that has
expired, or whose holder (a process on this machine) is dead. On Redis the key also gets Redis's
own expiry. The real guard against double work stays in the database (publishing checks the
post's version and the one-reply-per-post constraint); the lock keeps one job from running twice
at once.
"""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from huey.constants import EmptyData as _EMPTY

__all__ = ["JobLock", "Locked", "job_lock"]

_HOST = socket.gethostname()


class Locked(Exception):
    """Another worker holds the lock: the job is running already."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class JobLock:
    """A named lock with a time limit, held in the Huey instance's storage."""

    def __init__(self, huey: Any, name: str, ttl: float = 600.0) -> None:
        self.huey = huey
        self.key = f"safereply.lock.{name}"
        self.ttl = ttl
        self.token = f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex}"

    def _value(self) -> str:
        return json.dumps({"owner": self.token, "until": time.time() + self.ttl})

    def acquire(self) -> bool:
        """Take the lock; return False when someone alive holds it."""
        if self._put():
            return True
        held = self._read()
        if held is not None and not self._stale(held):
            return False
        self.huey.storage.delete_data(self.key)  # expired, or its holder died
        return self._put()

    def release(self) -> None:
        """Give the lock back (only if it is still ours)."""
        held = self._read()
        if held is not None and held.get("owner") == self.token:
            self.huey.storage.delete_data(self.key)

    def _put(self) -> bool:
        value = self._value().encode()
        try:
            return bool(self.huey.storage.put_if_empty(self.key, value, int(self.ttl) + 1))
        except NotImplementedError:  # SQLite storage: no expiry, the value carries it
            return bool(self.huey.storage.put_if_empty(self.key, value))

    def _read(self) -> dict[str, Any] | None:
        raw = self.huey.storage.peek_data(self.key)
        if raw is None or raw is _EMPTY or raw == b"":
            return None
        try:
            data = json.loads(raw)
        except (ValueError, TypeError):
            return {}
        return data if isinstance(data, dict) else {}

    @staticmethod
    def _stale(held: dict[str, Any]) -> bool:
        if float(held.get("until") or 0) < time.time():
            return True
        host, _, rest = str(held.get("owner") or "").partition(":")
        pid = rest.split(":", 1)[0]
        return host == _HOST and pid.isdigit() and not _alive(int(pid))


@contextmanager
def job_lock(huey: Any, name: str, ttl: float = 600.0) -> Iterator[JobLock]:
    """Hold the lock ``name`` for the block; raise :class:`Locked` if it is held."""
    lock = JobLock(huey, name, ttl)
    if not lock.acquire():
        raise Locked(name)
    try:
        yield lock
    finally:
        lock.release()
