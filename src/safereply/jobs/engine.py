"""Background jobs on Huey: polls, publishing, the SLA sweep, notification retries.

Huey keeps the queue; by default in an SQLite file in the data directory (no service to run),
on Redis when ``SAFEREPLY_REDIS_URL`` is set (several workers on several machines). Every minute a
periodic ``tick`` enqueues what is due: a poll per connection whose next sync time has come, a
publish per approved reply whose cooling-off and schedule have passed, the SLA sweep, notification
retries, the moderation follow-up of replies the platform has not yet approved, and the refresh of
access tokens that expire within ten minutes.

When to try again lives in the database, not in the queue: a connection's ``next_sync_at`` and a
reply's ``publish_next_at`` are pushed back by the platform's ``Retry-After`` /
``x-rate-limit-reset`` (or a doubling back-off), so back-off survives restarts, is shown on the
Connections page, and holds whichever worker picks the job up. Huey's own retries cover failures of
the job itself (a locked database, a crash in a job). A :mod:`lock <safereply.jobs.locks>` per
job and object keeps one job from running twice at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from huey import RedisHuey, SqliteHuey, crontab
from huey.api import Huey
from platformdirs import user_data_dir

from safereply.connectors.runtime import ConnectorServices
from safereply.jobs.locks import Locked, job_lock
from safereply.settings import Settings
from safereply.store.engine import owner_only_file

__all__ = ["Jobs", "default_leases", "jobs_file", "make_huey"]

log = logging.getLogger("safereply.jobs")

#: How long a worker's tick holds the "tick" lease: under the minute between ticks, so the
#: next minute's tick is free again, long enough that no other worker ticks the same minute.
TICK_LEASE_SECONDS = 50.0


def jobs_file(settings: Settings) -> Path:
    """Return the SQLite file of the job queue: ``jobs_path``, or beside the embedded database."""
    if settings.jobs_path:
        return Path(settings.jobs_path)
    url = settings.resolved_database_url
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url[len("sqlite:///") :]).with_name("jobs.sqlite3")
    return Path(user_data_dir("safereply", appauthor=False)) / "jobs.sqlite3"


def make_huey(settings: Settings, *, immediate: bool = False) -> Huey:
    """Return the Huey instance of these settings: Redis when configured, else SQLite."""
    if settings.redis_url:
        return RedisHuey("safereply", url=settings.redis_url, immediate=immediate)
    path = jobs_file(settings)
    owner_only_file(path)  # 0600 in a 0700 folder, like the database (issue 12)
    return SqliteHuey("safereply", filename=str(path), immediate=immediate)


def default_leases(huey: Huey, store: Any) -> Any:
    """Return the leases beside the queue: Redis's client when the queue is on Redis, else
    the database's ``leases`` table (the one place every worker of the instance shares)."""
    from safereply.services.leases import DatabaseLeases, RedisLeases

    if isinstance(huey, RedisHuey):
        return RedisLeases(huey.storage.conn)
    return DatabaseLeases(store)


class Jobs:
    """The jobs of one instance, registered on one Huey instance.

    Args:
        inbox: the instance's InboxService (the SLA sweep).
        notifier: the instance's Notifier (notification retries).
        connectors: connections, sync and publisher.
    """

    def __init__(
        self,
        inbox: Any,
        notifier: Any,
        connectors: ConnectorServices,
        huey: Huey,
        *,
        lock_ttl: float = 900.0,
        leases: Any = None,
    ) -> None:
        self.inbox = inbox
        # Issue 16: with a lease (safereply.services.leases), the periodic tick runs once a
        # minute across every worker process, not once per worker; None: every tick runs.
        self.leases = leases
        self.notifier = notifier
        self.connectors = connectors
        self.huey = huey
        self.lock_ttl = lock_ttl
        task = huey.task
        self.poll_task = task(name="safereply.poll", retries=2, retry_delay=30)(self.poll)
        self.publish_task = task(name="safereply.publish", retries=2, retry_delay=30)(self.publish)
        self.sweep_task = task(name="safereply.sweep", retries=1, retry_delay=60)(self.sweep)
        self.notify_task = task(name="safereply.notify", retries=1, retry_delay=60)(self.notify)
        self.moderation_task = task(name="safereply.moderation")(self.moderation)
        self.tokens_task = task(name="safereply.tokens")(self.tokens)
        self.tick_task = huey.periodic_task(crontab(minute="*"), name="safereply.tick")(self.tick)

    # -- the jobs -------------------------------------------------------------------------------

    def _locked(self, name: str, work: Callable[[], Any]) -> Any:
        """Run ``work`` under the lock ``name``; a job already running is skipped, not queued."""
        try:
            with job_lock(self.huey, name, self.lock_ttl):
                return work()
        except Locked:
            log.info("job %s is running elsewhere; skipped", name)
            return {"skipped": name}

    def poll(self, connection_id: int) -> dict[str, Any]:
        """Sync one connection (its back-off is written on the connection)."""
        sync = self.connectors.syncer.sync
        return self._locked(f"poll-{connection_id}", lambda: sync(connection_id).to_dict())

    def publish(self, post_id: int) -> dict[str, Any]:
        """Publish one post's approved reply exactly once."""

        def work() -> dict[str, Any]:
            """Publish, and say what happened in plain values (the job's result)."""
            done = self.connectors.publisher.publish(post_id)
            return {"post": done.post_id, "status": done.status, "retry_after": done.retry_after}

        return self._locked(f"publish-{post_id}", work)

    def sweep(self) -> dict[str, int]:
        """Run the SLA sweep (overdue posts, scheduled replies that are due)."""
        return self._locked("sweep", lambda: self.inbox.sweep(notify=False))

    def notify(self) -> dict[str, int]:
        """Deliver queued notifications and retry failed ones."""
        return self._locked("notify", lambda: self.notifier.dispatch())

    def moderation(self) -> int:
        """Read again the replies the platform still moderates."""
        return self._locked("moderation", self.connectors.publisher.follow_moderation)

    def tokens(self) -> int:
        """Refresh the access tokens that expire within ten minutes."""
        return self._locked("tokens", self.connectors.connections.refresh_expiring)

    def tick(self) -> dict[str, int]:
        """Enqueue every job that is due now (once a minute across workers with a lease)."""
        if self.leases is not None and not self.leases.take("tick", TICK_LEASE_SECONDS):
            log.info("tick taken by another worker this minute; skipped")
            return {"polls": 0, "publishes": 0, "skipped": 1}
        polls = self.connectors.syncer.due()
        posts = self.connectors.publisher.due()
        for connection_id in polls:
            self.poll_task(connection_id)
        for post_id in posts:
            self.publish_task(post_id)
        self.sweep_task()
        self.notify_task()
        self.moderation_task()
        self.tokens_task()
        return {"polls": len(polls), "publishes": len(posts)}

    # -- running --------------------------------------------------------------------------------

    def run_due(self) -> dict[str, Any]:
        """Run every job that is due now in this process, then return (``worker --once``).

        Jobs already queued (by a server or an earlier tick) run first; then the due polls,
        publishes, sweep, notifications and moderation follow-ups run inline, each under its
        lock, polls before publishing so a reply is published against fresh state.
        """
        queued = self._drain()
        syncs = [self.poll(cid) for cid in self.connectors.syncer.due()]
        published = [self.publish(pid) for pid in self.connectors.publisher.due()]
        return {
            "queued": queued,
            "syncs": syncs,
            "published": published,
            "sweep": self.sweep(),
            "notifications": self.notify(),
            "moderation": self.moderation(),
            "tokens_refreshed": self.tokens(),
        }

    def _drain(self) -> int:
        """Execute the queued tasks that are ready; later ones go back to the schedule."""
        ran = 0
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        while (task := self.huey.dequeue()) is not None:
            if task.eta is not None and task.eta > now:
                self.huey.add_schedule(task)
                continue
            if task.name == "safereply.tick":
                continue  # run_due does the tick's work itself
            self.huey.execute(task)
            ran += 1
        return ran

    def run(self, *, workers: int = 2) -> None:
        """Run the Huey consumer (threads) until interrupted: the periodic tick enqueues work."""
        # Huey's scheduler runs the periodic tick as it starts, then every minute.
        if self.leases is None:  # several workers: one tick a minute among them (issue 16)
            self.leases = default_leases(self.huey, self.inbox.store)
        consumer = self.huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
        consumer.run()
