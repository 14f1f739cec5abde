"""A background thread that runs the SLA sweep at a fixed interval."""

from __future__ import annotations

import logging
import threading

from safereply.services.inbox import InboxService

__all__ = ["Sweeper"]

log = logging.getLogger("safereply.jobs")


class Sweeper:
    """Runs ``inbox.sweep()`` every ``interval`` seconds until stopped."""

    def __init__(self, inbox: InboxService, interval: float) -> None:
        self.inbox = inbox
        self.interval = interval
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
                counts = self.inbox.sweep()
            except Exception:  # a failed sweep must not kill the thread; the next one retries
                log.exception("SLA sweep failed")
                continue
            if counts["overdue"] or counts["ready"]:
                log.info("SLA sweep: %(overdue)s newly overdue, %(ready)s ready to post", counts)
