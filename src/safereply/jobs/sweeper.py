"""A background thread that runs the SLA sweep at a fixed interval.

With a lease (:mod:`safereply.services.leases`, issue 16) each server process still wakes every
interval, but only the one that takes the ``sweep`` lease sweeps: N server processes sweep once
per interval between them, not N times.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from safereply.services.inbox import InboxService

__all__ = ["Sweeper"]

log = logging.getLogger("safereply.jobs")


class Sweeper:
    """Runs ``inbox.sweep()`` every ``interval`` seconds until stopped."""

    def __init__(self, inbox: InboxService, interval: float, *, leases: Any = None) -> None:
        self.inbox = inbox
        self.interval = interval
        self.leases = leases
        self.swept = 0  # sweeps this process ran (the others were another process's turn)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the thread (a daemon: it never keeps the process alive)."""
        if self._thread is not None or self.interval <= 0:
            return
        self._thread = threading.Thread(target=self._run, name="safereply-sweeper", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Ask the thread to stop and wait for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 5)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                if not self._my_turn():
                    continue
                counts = self.inbox.sweep()
                self.swept += 1
            except Exception:  # a failed sweep must not kill the thread; the next one retries
                log.exception("SLA sweep failed")
                continue
            if counts["overdue"] or counts["ready"]:
                log.info("SLA sweep: %(overdue)s newly overdue, %(ready)s ready to post", counts)

    def _my_turn(self) -> bool:
        """Take the sweep lease for (most of) an interval; without leases every wake sweeps."""
        if self.leases is None:
            return True
        # 0.9: the holder's own next wake, a little late, finds its lease expired.
        return bool(self.leases.take("sweep", self.interval * 0.9))
