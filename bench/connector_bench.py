"""Connector benchmark: a sync of 10,000 Google reviews over 200 pages, one publish's added latency,
and the job queue's enqueue/dequeue rate on SQLite and Redis.

Everything runs against the local Google double of the tests (the documented v4 API over HTTP on
127.0.0.1), into a fresh SQLite database, with the real triage and linter unless --fake-triage.

    python bench/connector_bench.py [--reviews 10000] [--fake-triage] [--publishes 30]
        [--redis redis://127.0.0.1:6379/0]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "connectors"))

from google_double import GoogleDouble  # noqa: E402
from google_world import ANALYSERS, LOCATION, Clock, settings_for  # noqa: E402

from safereply.connectors.base import Credentials  # noqa: E402
from safereply.connectors.runtime import build_connectors  # noqa: E402
from safereply.services import SYSTEM, Actor, build_services  # noqa: E402
from safereply.store import Store, upgrade  # noqa: E402


def rss_mib() -> float:
    """Peak resident memory of this process so far, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_now_mib() -> float:
    """Resident memory of this process now, MiB (Linux /proc; the peak elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss_mib()


def setup(google: GoogleDouble, folder: Path, fake: bool):
    db = folder / "bench.sqlite3"
    store = Store.from_url(f"sqlite:///{db}")
    upgrade(store)
    settings = settings_for(google, db)
    clock = Clock()
    services = build_services(store, settings, analysers=ANALYSERS if fake else None, clock=clock)
    from safereply.core.practice import Practice as Profile

    profile = Profile(name="Bench Dental", phone="(555) 201-3300")
    practice = services.practices.create_practice(SYSTEM, profile)["id"]
    user = services.users.create_user(
        SYSTEM,
        email="m@example.test",
        password="correct horse battery",
        practice_id=practice,
        role="manager",
    )
    connectors = build_connectors(store, settings, services.inbox, clock=clock)
    info = connectors.connections.connect(
        SYSTEM,
        practice,
        platform="google",
        account="accounts/111",
        external_id=LOCATION,
        credentials=Credentials(client_id="c", client_secret="s", refresh_token="refresh-1"),
    )
    return store, services, connectors, info.id, Actor(user["id"], user["email"]), clock


def bench_sync(google, services, connectors, connection: int, reviews: int) -> None:
    # Load the triage and lint models first, so the memory figure is the sync's own.
    services.inbox.analysers.triage("Warm-up visit.", platform="google", rating=5)
    services.inbox.analysers.check("Thank you.", post="Warm-up visit.", practice=None)
    for n in range(reviews):
        google.add_review(
            f"r{n}", f"Visit {n}: the hygienist was kind and the wait was short.", stars=1 + n % 5
        )
    before = rss_now_mib()
    start = time.perf_counter()
    report = connectors.syncer.sync(connection)
    took = time.perf_counter() - start
    after = rss_now_mib()
    pages = sum(1 for m, p in google.requests if m == "GET" and p.endswith("/reviews"))
    print(
        f"sync of {reviews:,} reviews over {pages} pages: {took:.1f} s, "
        f"{reviews / took:,.0f} reviews/s, {pages / took:.1f} pages/s; "
        f"new={report.new} errors={report.errors}; RSS {before:.0f} MiB before, "
        f"{after:.0f} MiB after, peak {rss_mib():.0f} MiB"
    )
    start = time.perf_counter()
    again = connectors.syncer.sync(connection)
    print(
        f"incremental sync with nothing changed: {1000 * (time.perf_counter() - start):.0f} ms,"
        f" fetched={again.fetched}"
    )


def bench_publish(google, services, connectors, manager, count: int) -> None:
    inbox, publisher = services.inbox, connectors.publisher
    from sqlalchemy import select

    from safereply.store.models import ConnectionItem, Post

    with services.store.read() as s:
        rows = s.execute(
            select(ConnectionItem.post_id, ConnectionItem.external_id)
            .join(Post, Post.id == ConnectionItem.post_id)
            .where(Post.kind == "praise")
            .limit(2 * count)
        ).all()
    if len(rows) < 2 * count:
        print("publish: not enough praise posts to measure")
        return
    full, bare = [], []
    conn = None
    for pid, _ in rows[:count]:
        inbox.acknowledge(SYSTEM, pid)
        inbox.approve(manager, pid)
        start = time.perf_counter()
        done = publisher.publish(pid)
        full.append(time.perf_counter() - start)
        assert done.status == "published", done
    from safereply.store.models import Connection

    with services.store.read() as s:
        conn = connectors.connections.open(s.scalar(select(Connection)))
    for _, external_id in rows[count:]:
        start = time.perf_counter()
        conn.publish_reply(external_id, "Thank you for the kind words. Please call us any time.")
        bare.append(time.perf_counter() - start)
    f, b = statistics.median(full), statistics.median(bare)
    print(
        f"publish ({count} replies): median {1000 * f:.1f} ms through the job (read back + PUT "
        f"+ workflow + commit) vs {1000 * b:.1f} ms for the bare PUT: "
        f"{1000 * (f - b):.1f} ms added"
    )


def bench_queue(folder: Path, redis_url: str | None, n: int = 2000) -> None:
    from huey import RedisHuey, SqliteHuey

    queues = [("SQLite", lambda: SqliteHuey("bench", filename=str(folder / "q.sqlite3")))]
    if redis_url:
        queues.append(("Redis", lambda: RedisHuey(f"bench-{os.getpid()}", url=redis_url)))
    for name, make in queues:
        huey = make()
        try:
            huey.flush()
        except Exception as exc:  # Redis not reachable
            print(f"queue on {name}: not measured ({type(exc).__name__})")
            continue

        @huey.task(name="bench.noop")
        def noop(i: int) -> int:
            return i

        start = time.perf_counter()
        for i in range(n):
            noop(i)
        enq = time.perf_counter() - start
        start = time.perf_counter()
        done = 0
        while (task := huey.dequeue()) is not None:
            huey.execute(task)
            done += 1
        deq = time.perf_counter() - start
        print(
            f"queue on {name}: enqueue {n / enq:,.0f} jobs/s, dequeue+run {done / deq:,.0f} "
            f"jobs/s ({done} jobs, one process)"
        )
        huey.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=10_000)
    parser.add_argument("--publishes", type=int, default=30)
    parser.add_argument("--fake-triage", action="store_true", help="time the connector alone")
    parser.add_argument("--redis", default=os.environ.get("SAFEREPLY_TEST_REDIS_URL"))
    args = parser.parse_args()
    google = GoogleDouble(LOCATION).start()
    google.moderate = True
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            store, services, connectors, cid, manager, _ = setup(google, folder, args.fake_triage)
            print(f"triage and linter: {'fake (connector alone)' if args.fake_triage else 'real'}")
            bench_sync(google, services, connectors, cid, args.reviews)
            bench_publish(google, services, connectors, manager, args.publishes)
            bench_queue(folder, args.redis)
            store.dispose()
    finally:
        google.stop()


if __name__ == "__main__":
    main()
