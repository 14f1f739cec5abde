"""The sign-in limiter's state in Redis, for installs that already run one (the job queue's).

The same four methods as :class:`safereply.services.auth_limits.DatabaseThrottle`, chosen with
``SAFEREPLY_LOGIN_THROTTLE=redis`` (and ``SAFEREPLY_REDIS_URL``). Each key is a Redis hash
(``failures``, ``last``, ``blocked``, as Unix times) that expires by itself a window after its
last failure or when its block ends, whichever is later, so nothing needs purging. Counting is a
Lua script, atomic in Redis, so every process sees every failure; the block the policy computes
from the new count is then raised (never lowered) by a second script.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from safereply.services.auth_limits import KeyState

__all__ = ["RedisThrottle"]

# KEYS[1]: the key; ARGV: now, window (seconds). Returns the new failure count and whether the
# key was blocked already (1/0) when this failure came.
_COUNT = """
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local blocked = tonumber(redis.call('HGET', KEYS[1], 'blocked') or '0')
if last <= now - window then redis.call('HSET', KEYS[1], 'failures', 0) end
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
redis.call('HSET', KEYS[1], 'last', ARGV[1])
redis.call('EXPIRE', KEYS[1], math.ceil(window))
if blocked > now then return {failures, 1} end
return {failures, 0}
"""
# KEYS[1]: the key. Takes one failure back (never below zero); returns what is left, -1 when the
# key is gone.
_UNDO = """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local failures = tonumber(redis.call('HGET', KEYS[1], 'failures') or '0')
if failures > 0 then failures = redis.call('HINCRBY', KEYS[1], 'failures', -1) end
return failures
"""
# KEYS[1]: the key; ARGV: blocked until (Unix time), seconds to keep the key.
_BLOCK = """
local blocked = tonumber(redis.call('HGET', KEYS[1], 'blocked') or '0')
if tonumber(ARGV[1]) > blocked then redis.call('HSET', KEYS[1], 'blocked', ARGV[1]) end
if redis.call('TTL', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return 1
"""


def _when(value: Any) -> dt.datetime | None:
    number = float(value or 0)
    return dt.datetime.fromtimestamp(number, dt.UTC) if number > 0 else None


class RedisThrottle:
    """The limiter's counts in Redis (a ThrottleBackend)."""

    def __init__(self, url: str, *, prefix: str = "safereply:throttle:", client: Any = None):
        if client is None:
            import redis  # an optional dependency: the 'redis' extra

            client = redis.Redis.from_url(url)
        self.redis = client
        self.prefix = prefix
        self._count = self.redis.register_script(_COUNT)
        self._block = self.redis.register_script(_BLOCK)
        self._undo = self.redis.register_script(_UNDO)

    def read(
        self, keys: Sequence[str], now: dt.datetime, window: dt.timedelta
    ) -> dict[str, KeyState]:
        """Return the live state of each key that has failures in the window."""
        pipe = self.redis.pipeline(transaction=False)
        for key in keys:
            pipe.hgetall(self.prefix + key)
        out: dict[str, KeyState] = {}
        for key, raw in zip(keys, pipe.execute(), strict=True):
            if not raw:
                continue
            row = {k.decode(): v.decode() for k, v in raw.items()}
            last, blocked = _when(row.get("last")), _when(row.get("blocked"))
            live = last is not None and last > now - window
            if live or (blocked is not None and blocked > now):
                out[key] = KeyState(int(row.get("failures", 0)), last or now, blocked)
        return out

    def add_failure(
        self,
        keys: Sequence[str],
        now: dt.datetime,
        window: dt.timedelta,
        delay: Callable[[str, int], float],
    ) -> dict[str, KeyState]:
        """Count one failure on every key; ``delay(key, failures)`` is the wait after."""
        out: dict[str, KeyState] = {}
        stamp, span = now.timestamp(), window.total_seconds()
        for key in sorted(set(keys)):
            counted, was = self._count(keys=[self.prefix + key], args=[stamp, span])
            failures = int(counted)
            wait = delay(key, failures)
            blocked = None
            if wait > 0:
                blocked = now + dt.timedelta(seconds=wait)
                keep = int(max(span, wait)) + 1
                self._block(keys=[self.prefix + key], args=[blocked.timestamp(), keep])
            out[key] = KeyState(failures, now, blocked, bool(int(was)))
        return out

    def clear(self, keys: Sequence[str]) -> None:
        """Forget the keys' failures."""
        if keys:
            self.redis.delete(*[self.prefix + key for key in keys])

    def undo(self, keys: Sequence[str], delay: Callable[[str, int], float]) -> None:
        """Take back one failure from every key (never below zero); lift the block when the
        failures left would not set one."""
        for key in sorted(set(keys)):
            left = int(self._undo(keys=[self.prefix + key]))
            if left >= 0 and delay(key, left) <= 0:
                self.redis.hdel(self.prefix + key, "blocked")

    def purge(self, before: dt.datetime, now: dt.datetime) -> int:
        """Nothing to do: every key expires by itself."""
        return 0
