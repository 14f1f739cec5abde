"""Leases (issue 16): one holder at a time on the database and on Redis, taken over once
expired, and two sweepers sharing a lease sweep once per interval between them."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
import uuid

import pytest

from safereply.jobs import Sweeper
from safereply.jobs.engine import Jobs
from safereply.services.leases import DatabaseLeases, RedisLeases

REDIS = os.environ.get("SAFEREPLY_TEST_REDIS_URL")


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def test_a_database_lease_has_one_holder_until_it_expires(store):
    clock = Clock()
    first = DatabaseLeases(store, holder="a", clock=clock)
    second = DatabaseLeases(store, holder="b", clock=clock)
    assert first.info("sweep") is None
    assert first.take("sweep", 60)
    assert not second.take("sweep", 60)
    assert not first.take("sweep", 60)  # not re-entrant: the holder's next wake waits too
    clock.now += dt.timedelta(seconds=61)
    assert second.take("sweep", 60)
    info = second.info("sweep")
    assert info is not None and info.holder == "b" and info.runs == 2
    assert info.until == clock.now + dt.timedelta(seconds=60)
    assert first.take("other", 5)  # leases are independent by name


def test_racing_takes_on_the_database_have_one_winner(store):
    """Eight threads, each its own holder, take the same new lease at once: one wins."""
    barrier = threading.Barrier(8)
    wins: list[bool] = []

    def contend() -> None:
        leases = DatabaseLeases(store)
        barrier.wait()
        wins.append(leases.take("race", 60))

    threads = [threading.Thread(target=contend) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False] * 7 + [True]
    info = DatabaseLeases(store).info("race")
    assert info is not None and info.runs == 1


@pytest.fixture
def redis_client():
    if not REDIS:
        pytest.skip("Redis tests need SAFEREPLY_TEST_REDIS_URL")
    import redis

    client = redis.Redis.from_url(REDIS)
    prefix = f"safereply-test-{uuid.uuid4().hex[:8]}"
    yield client, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_a_redis_lease_has_one_holder_and_expires_by_itself(redis_client):
    client, prefix = redis_client
    first = RedisLeases(client, holder="a", prefix=prefix)
    second = RedisLeases(client, holder="b", prefix=prefix)
    assert first.take("sweep", 0.3)
    assert not second.take("sweep", 0.3)
    info = second.info("sweep")
    assert info is not None and info.holder == "a" and info.runs == 1 and info.until
    time.sleep(0.4)
    assert second.take("sweep", 60)
    assert second.info("sweep").runs == 2


class CountingInbox:
    """Counts sweeps (the real sweep is tested elsewhere; here only how often it runs)."""

    def __init__(self) -> None:
        self.sweeps = 0
        self.lock = threading.Lock()

    def sweep(self, notify: bool = True) -> dict[str, int]:
        with self.lock:
            self.sweeps += 1
        return {"overdue": 0, "ready": 0}


def test_two_sweepers_sharing_a_lease_sweep_once_per_interval(store):
    inbox = CountingInbox()
    interval = 0.25
    sweepers = [Sweeper(inbox, interval, leases=DatabaseLeases(store)) for _ in range(2)]
    alone = CountingInbox()
    unshared = [Sweeper(alone, interval) for _ in range(2)]  # no lease: each process sweeps
    started = time.monotonic()
    for s in [*sweepers, *unshared]:
        s.start()
    time.sleep(2.6)
    for s in [*sweepers, *unshared]:
        s.stop()
    ticks = (time.monotonic() - started) / interval
    assert alone.sweeps >= 1.6 * ticks * 0.8  # two sweeps per interval without the lease
    assert inbox.sweeps <= ticks / 0.9 + 2  # one per interval with it
    assert inbox.sweeps >= ticks * 0.5
    assert sum(s.swept for s in sweepers) == inbox.sweeps


class Due:
    def due(self) -> list[int]:
        return []


class FakeConnectors:
    syncer = Due()
    publisher = Due()


class FakeQueue:
    """Stands in for Huey: registers tasks, counts what a tick enqueues."""

    def __init__(self) -> None:
        self.enqueued = 0

    def task(self, **_kw):
        def wrap(fn):
            def call(*args):
                self.enqueued += 1

            return call

        return wrap

    def periodic_task(self, *_a, **_kw):
        return lambda fn: fn


def test_workers_sharing_the_tick_lease_tick_once_a_minute(store):
    queues = [FakeQueue(), FakeQueue()]
    leases = [DatabaseLeases(store), DatabaseLeases(store)]
    jobs = [
        Jobs(CountingInbox(), None, FakeConnectors(), q, leases=lease)
        for q, lease in zip(queues, leases, strict=True)
    ]
    assert "skipped" not in jobs[0].tick()
    assert jobs[1].tick()["skipped"] == 1  # the same minute, another worker: nothing enqueued
    # sweep, notify, moderation and token refresh: once, by the worker that took the lease
    assert queues[0].enqueued == 4 and queues[1].enqueued == 0
