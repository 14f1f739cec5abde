"""Login rate limiting: a sliding window of failed attempts per client address and per e-mail."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

__all__ = ["LoginLimiter"]


class LoginLimiter:
    """Counts failed logins; once a key has ``max_failures`` in ``window`` seconds it must wait.

    In-process memory: enough for the single-process server ``safereply serve`` runs. Behind
    several workers each keeps its own count, which still bounds guessing per worker.
    """

    def __init__(
        self, max_failures: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_failures = max_failures
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _prune(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def retry_after(self, *keys: str) -> int:
        """Return seconds to wait before another attempt on any of the keys (0: go ahead)."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for key in keys:
                times = self._prune(key, now)
                if len(times) >= self.max_failures:
                    wait = max(wait, times[0] + self.window - now)
        return int(wait) + 1 if wait > 0 else 0

    def failed(self, *keys: str) -> None:
        """Record one failed attempt against every key."""
        now = self.clock()
        with self._lock:
            for key in keys:
                self._prune(key, now).append(now)

    def succeeded(self, key: str) -> None:
        """Forget the failures of a key (the account's, after a correct password)."""
        with self._lock:
            self._failures.pop(key, None)
