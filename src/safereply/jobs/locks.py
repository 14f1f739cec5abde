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
from contextlib import contextmanager, nullcontext
from typing import Any

from huey.constants import EmptyData as _EMPTY
from huey.storage import RedisStorage, SqliteStorage

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
        self._mine: bytes | None = None  # the value we stored, while we hold the lock

    def _value(self) -> str:
        return json.dumps({"owner": self.token, "until": time.time() + self.ttl})

    def acquire(self) -> bool:
        """Take the lock; return False when someone alive holds it."""
        if self._put():
            return True
        raw = self._raw()
        held = self._read(raw)
        if held is not None and not self._stale(held):
            return False
        if raw is not None:  # expired, or its holder died: delete that value, and only that
            delete_if(self.huey.storage, self.key, raw)
        return self._put()

    def release(self) -> None:
        """Give the lock back (only if it is still ours: an atomic compare-and-delete)."""
        if self._mine is not None:
            delete_if(self.huey.storage, self.key, self._mine)
            self._mine = None

    def _put(self) -> bool:
        value = self._value().encode()
        try:
            taken = self.huey.storage.put_if_empty(self.key, value, int(self.ttl) + 1)
        except NotImplementedError:  # SQLite storage: no expiry, the value carries it
            taken = self.huey.storage.put_if_empty(self.key, value)
        if taken:
            self._mine = value
        return bool(taken)

    def _raw(self) -> bytes | None:
        raw = self.huey.storage.peek_data(self.key)
        if raw is None or raw is _EMPTY or raw == b"":
            return None
        return bytes(raw)

    def _read(self, raw: bytes | None = None) -> dict[str, Any] | None:
        raw = raw if raw is not None else self._raw()
        if raw is None:
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


# KEYS[1]: the key (or hash); ARGV: field or '', value. Deletes only when the value matches.
_DELETE_IF = """
if ARGV[1] == '' then
  if redis.call('GET', KEYS[1]) == ARGV[2] then return redis.call('DEL', KEYS[1]) end
elseif redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  return redis.call('HDEL', KEYS[1], ARGV[1])
end
return 0
"""


def delete_if(storage: Any, key: str, value: bytes) -> bool:
    """Delete ``key`` only while it still holds ``value``, in one step, so a contender that
    took a stale lock over meanwhile keeps it (a read, then a delete, would remove theirs)."""
    if isinstance(storage, RedisStorage):
        where = storage.result_key
        if callable(where):  # RedisExpireStorage: one Redis key per entry
            args: tuple[Any, ...] = ([where(key)], ["", value])
        else:  # RedisStorage: the entries are fields of one hash
            args = ([where], [key, value])
        return bool(storage.conn.eval(_DELETE_IF, 1, *args[0], *args[1]))
    if isinstance(storage, SqliteStorage):
        with storage.db(commit=True) as curs:
            curs.execute(
                "delete from kv where queue = ? and key = ? and value = ?",
                (storage.name, key, storage.to_blob(value)),
            )
            return bool(curs.rowcount == 1)
    lock = getattr(storage, "_lock", None)  # MemoryStorage (tests): one process, its own lock
    with lock if lock is not None else nullcontext():
        if storage.peek_data(key) == value:
            return bool(storage.delete_data(key))
    return False


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
